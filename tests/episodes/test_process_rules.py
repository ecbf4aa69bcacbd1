"""More of the process's rules through the service: readiness counted, the court path, the SIP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from process_histories import CONTACT, detailed
from utskrivning.domain.process import Event, EventType, HomeCriterion, Party
from utskrivning.episodes.models import Message
from utskrivning.episodes.services import ProcessError, episode_record_event

from .conftest import ADMITTED

H = timedelta(hours=1)


def record(cast, episode, who, event, hours):
    return episode_record_event(
        episode=episode,
        event=event,
        at=ADMITTED + hours * H,
        recorded_at=ADMITTED + hours * H,
        membership=getattr(cast, who),
    )


def test_withdrawal_and_redeclaration_are_counted_and_notified(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    record(cast, episode, "physician", Event(EventType.READY_DECLARED), 2)
    record(cast, episode, "physician", Event(EventType.READY_WITHDRAWN), 3)
    episode.refresh_from_db()
    assert (episode.state, episode.ready_at) == ("notified", None)
    record(cast, episode, "physician", Event(EventType.READY_DECLARED), 4)
    episode.refresh_from_db()
    assert episode.ready_declarations == 2
    assert episode.ready_at == ADMITTED + 4 * H
    kinds = list(Message.objects.filter(party="municipality").values_list("kind", flat=True))
    assert kinds == [
        "admission_notice",
        "readiness_notification",
        "readiness_withdrawal",
        "readiness_notification",
    ]


def test_five_criteria_make_the_patient_home_ready(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    record(cast, episode, "physician", Event(EventType.READY_DECLARED), 2)
    for offset, criterion in enumerate(HomeCriterion):
        record(
            cast,
            episode,
            "nurse",
            Event(EventType.HEMGANGSKLAR_CHECKED, criterion=criterion),
            3 + offset,
        )
    episode.refresh_from_db()
    assert episode.state == "home_ready"


def test_readiness_waits_for_the_court_on_the_compulsory_path(cast):
    episode = cast.admit(care_type="psychiatric")
    cast.notify(episode, ADMITTED + H)
    record(cast, episode, "physician", Event(EventType.COORDINATED_CARE_PLAN_RECORDED), 2)
    with pytest.raises(ProcessError):
        record(cast, episode, "physician", Event(EventType.READY_DECLARED), 3)
    record(
        cast, episode, "physician", Event(EventType.COURT_DECISION_RECORDED, court_granted=True), 30
    )
    record(cast, episode, "physician", Event(EventType.READY_DECLARED), 31)
    episode.refresh_from_db()
    assert episode.state == "ready"


def test_sip_summons_needs_consent_and_the_named_contact(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    record(cast, episode, "care_contact", Event(EventType.SIP_NEED_ASSESSED, sip_needed=True), 2)
    summons = detailed(
        Event(EventType.SIP_SUMMONED, parties=frozenset({Party.MUNICIPALITY})), ADMITTED + 6 * H
    )
    with pytest.raises(ProcessError):
        record(cast, episode, "care_contact", summons, 3)
    record(cast, episode, "head", Event(EventType.NAMED_CONTACT_APPOINTED, contact=CONTACT), 4)
    record(
        cast,
        episode,
        "care_contact",
        Event(EventType.CONSENT_RECORDED, party=Party.PRIMARY_CARE),
        5,
    )
    record(cast, episode, "care_contact", summons, 6)
    held = Event(EventType.SIP_HELD, parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}))
    record(cast, episode, "care_contact", held, 30)
    episode.refresh_from_db()
    assert episode.sip_needed is True
    assert episode.sip_summoned_at == ADMITTED + 6 * H
    assert episode.sip_held_at == ADMITTED + 30 * H
    assert Message.objects.filter(kind="sip_summons").count() == 1
