"""The process's rules through the service: stored once, refused with the domain's reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from utskrivning.audit.models import AuditEntry
from utskrivning.deviations.services import deviations_propose
from utskrivning.domain.process import Event, EventType, MessageKind, Party
from utskrivning.episodes.models import (
    Acknowledgement,
    Episode,
    EpisodeEvent,
    Message,
    Patient,
)
from utskrivning.episodes.services import ProcessError, episode_record_event
from utskrivning.lib.errors import ConflictError

from .conftest import ADMITTED, PERSONAL_NUMBER

H = timedelta(hours=1)


def test_admission_stores_patient_episode_event_and_audit(cast):
    episode = cast.admit()
    assert episode.state == "admitted"
    assert episode.version == 1
    assert Patient.objects.get().personal_number == "191212121212"
    assert list(episode.events.values_list("type", flat=True)) == ["admitted"]
    entry = AuditEntry.objects.get(action="write")
    assert entry.patient_ref and PERSONAL_NUMBER not in entry.purpose


def test_admission_refuses_an_invalid_personal_number_naming_the_field(cast):
    with pytest.raises(ValidationError) as error:
        cast.admit(personal_number="19121212-1213")
    assert "personal_number" in error.value.message_dict
    assert not Episode.objects.exists()


def test_admission_notice_sends_a_message_to_each_recipient(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    episode.refresh_from_db()
    assert episode.state == "notified"
    assert episode.admission_notice_at == ADMITTED + H
    assert episode.version == 2
    messages = Message.objects.order_by("party")
    assert [(m.party, m.organisation) for m in messages] == [
        ("municipality", cast.municipality_a),
        ("primary_care", cast.primary_care),
    ]


def test_a_refused_step_raises_the_domains_reason_and_writes_nothing(cast):
    episode = cast.admit()
    with pytest.raises(ProcessError) as refused:
        episode_record_event(
            episode=episode,
            event=Event(EventType.CLOSED),
            at=ADMITTED + H,
            recorded_at=ADMITTED + H,
            membership=cast.nurse,
        )
    assert refused.value.reason == "Only a discharged episode can be closed."
    assert EpisodeEvent.objects.count() == 1


def test_discharge_without_a_named_contact_is_recorded_and_the_missed_deadline_proposed(cast):
    """Issue 16 item 7: primary care's missing step does not block the ward's discharge; the
    missed deadline becomes a proposed deviation for primary care, the payment rules decide."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    steps = [
        (Event(EventType.READY_DECLARED), cast.physician),
        (Event(EventType.DISCHARGED), cast.nurse),
        (Event(EventType.CLOSED), cast.nurse),
    ]
    for hours, (event, who) in enumerate(steps, start=2):
        at = ADMITTED + hours * H
        episode_record_event(episode=episode, event=event, at=at, recorded_at=at, membership=who)
    episode.refresh_from_db()
    assert (episode.state, episode.status) == ("closed", "UTFÖRD")
    assert (episode.discharged_at, episode.named_contact_at) == (ADMITTED + 3 * H, None)
    proposed = deviations_propose(now=ADMITTED + 4 * H)
    assert [(d.deadline_kind, d.organisation) for d in proposed if d.episode == episode] == []
    # Closed episodes are left out of the proposals; before the closure the deviation is made:
    other = cast.admit(personal_number="200001010008")
    cast.notify(other, ADMITTED + H)
    for hours, (event, who) in enumerate(steps[:2], start=2):
        at = ADMITTED + hours * H
        episode_record_event(episode=other, event=event, at=at, recorded_at=at, membership=who)
    proposed = deviations_propose(now=ADMITTED + 4 * H)
    assert ("named_contact", cast.primary_care) in [
        (d.deadline_kind, d.organisation) for d in proposed
    ]


def test_the_same_idempotency_key_twice_stores_one_event(cast):
    episode = cast.admit()
    first = cast.notify(episode, ADMITTED + H, idempotency_key="k-1")
    again = cast.notify(episode, ADMITTED + H, idempotency_key="k-1")
    assert first.pk == again.pk
    assert EpisodeEvent.objects.filter(type="admission_notice_sent").count() == 1
    assert Message.objects.count() == 2
    episode.refresh_from_db()
    assert episode.version == 2


def test_admission_with_the_same_key_twice_creates_one_episode(cast):
    first = cast.admit(idempotency_key="adm-1")
    second = cast.admit(idempotency_key="adm-1")
    assert first.pk == second.pk
    assert Episode.objects.count() == 1


def test_a_stale_version_conflicts_and_writes_nothing(cast):
    episode = cast.admit()
    with pytest.raises(ConflictError):
        cast.notify(episode, ADMITTED + H, expected_version=0)
    assert EpisodeEvent.objects.count() == 1
    cast.notify(episode, ADMITTED + H, expected_version=1)
    episode.refresh_from_db()
    assert episode.version == 2


def test_acknowledgement_records_the_receipt(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    episode_record_event(
        episode=episode,
        event=Event(
            EventType.ACKNOWLEDGED, party=Party.MUNICIPALITY, message=MessageKind.ADMISSION_NOTICE
        ),
        at=ADMITTED + 2 * H,
        recorded_at=ADMITTED + 2 * H,
        membership=cast.officer_a,
    )
    ack = Acknowledgement.objects.get()
    assert ack.message.party == "municipality"
    assert ack.organisation == cast.municipality_a


def test_a_party_acknowledges_for_itself_only(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    with pytest.raises(PermissionDenied):
        episode_record_event(
            episode=episode,
            event=Event(
                EventType.ACKNOWLEDGED,
                party=Party.PRIMARY_CARE,
                message=MessageKind.ADMISSION_NOTICE,
            ),
            at=ADMITTED + 2 * H,
            recorded_at=ADMITTED + 2 * H,
            membership=cast.officer_a,
        )
