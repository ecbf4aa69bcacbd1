"""The episode's row as a projection of its events (issue 13): written with each event, equal to
a fold of the history, rebuilt by `utskrivning rebuild`, corrected by a compensating event."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from process_histories import T0, detailed, steps
from service.factories import MembershipFactory
from utskrivning.cli import app
from utskrivning.deviations.services import deviation_report
from utskrivning.domain.process import (
    Event,
    EventType,
    MessageKind,
    Party,
    TransitionError,
    facts_to_json,
)
from utskrivning.domain.process.details import to_plain
from utskrivning.episodes.events import episode_facts_of, episode_history_facts
from utskrivning.episodes.models import (
    Episode,
    EpisodeEvent,
    ProjectedEstimate,
    ProjectedMessage,
)
from utskrivning.episodes.projection import event_void
from utskrivning.episodes.services import episode_record_event
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Role

from .conftest import ADMITTED

IMPORTED = (
    "episode_id;patient_id;municipality;care_type;unit;primary_care_unit;"
    "admitted_at;admission_notice_at;ready_at;discharged_at;status\n"
    "E1;19121212-1212;2080;somatic;Avdelning 12;Vårdcentral C;"
    "2026-10-01 10:00;2026-10-01 12:00;2026-10-03 10:00;2026-10-09 12:00;\n"
)


def _row_matches_history(episode: Episode) -> None:
    episode.refresh_from_db()
    assert episode_facts_of(episode) == episode_history_facts(episode)


def test_an_imported_discharge_without_contact_survives_a_deviation(cast):
    """Issue 13: an imported, discharged episode with a primary-care unit and no named contact,
    on which the ward reports a deviation, was reset to `admitted` with its times emptied."""
    import_episode_file(data=IMPORTED.encode(), region=cast.region)
    episode = Episode.objects.get(external_id="E1")
    before = (episode.state, episode.ready_at, episode.discharged_at)
    assert before[0] == "discharged" and before[1] and before[2]
    deviation_report(episode=episode, membership=cast.nurse, category="other", text="Sen kallelse")
    episode.refresh_from_db()
    assert (episode.state, episode.ready_at, episode.discharged_at) == before
    assert list(episode.events.values_list("type", flat=True)) == ["imported", "deviation_reported"]
    _row_matches_history(episode)


# Who takes each step in the property test; an own-party step is taken by its party's member.
TAKER = {
    EventType.READY_DECLARED: "physician",
    EventType.READY_WITHDRAWN: "physician",
    EventType.COORDINATED_CARE_PLAN_RECORDED: "physician",
    EventType.COURT_DECISION_RECORDED: "physician",
    EventType.NAMED_CONTACT_APPOINTED: "head",
    EventType.SIP_SUMMONED: "care_contact",
    EventType.SIP_HELD: "care_contact",
}
PARTY_MEMBER = {
    Party.MUNICIPALITY: "officer_a",
    Party.PRIMARY_CARE: "head",
    Party.INPATIENT_CARE: "nurse",
}


def _taker(cast, event: Event):
    if event.party is not None and event.type in PARTY_STEPS:
        return getattr(cast, PARTY_MEMBER[event.party])
    return getattr(cast, TAKER.get(event.type, "nurse"))


PARTY_STEPS = {EventType.CONSENT_RECORDED, EventType.ACKNOWLEDGED, EventType.DEVIATION_REPORTED}


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offered=steps)
def test_random_histories_written_by_the_service_equal_their_replay(cast, offered):
    """Every step offered through the service (refused ones left out) keeps the row equal to a
    fold of the stored events."""
    with transaction.atomic():
        episode = cast.admit(at=T0)
        at = T0
        for event, minutes in offered:
            at = max(T0, at + timedelta(minutes=minutes))
            try:
                episode_record_event(
                    episode=episode,
                    event=detailed(event, at),
                    at=at,
                    recorded_at=at,
                    membership=_taker(cast, event),
                )
            except (TransitionError, PermissionDenied):
                continue
        _row_matches_history(episode)
        transaction.set_rollback(True)


def test_rebuild_command_restores_a_drifted_row_and_check_reports_it(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    Episode.objects.filter(pk=episode.pk).update(facts={}, state="admitted")
    runner = CliRunner()
    first = runner.invoke(app, ["rebuild", "--check"])
    assert first.exit_code == 1, first.output
    assert "1 episode row(s) differed" in first.output
    episode.refresh_from_db()
    assert episode.state == "notified"
    _row_matches_history(episode)
    again = runner.invoke(app, ["rebuild", "--check"])
    assert again.exit_code == 0 and "0 episode row(s) differed" in again.output


def test_a_rebuilt_row_is_looked_at_again_by_the_worker(cast):
    """The row's deadlines changed without an event: `deadlines_checked_until` is cleared, so
    the worker's next pass (`deviations_propose`) looks at the episode, not at the old date."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    untouched = cast.admit(personal_number="19900101-0017")
    later = ADMITTED + timedelta(days=400)
    Episode.objects.filter(pk__in=[episode.pk, untouched.pk]).update(deadlines_checked_until=later)
    Episode.objects.filter(pk=episode.pk).update(facts={}, state="admitted")
    result = CliRunner().invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "1 episode row(s) differed" in result.output, result.output
    assert dict(Episode.objects.values_list("pk", "deadlines_checked_until")) == {
        episode.pk: None,
        untouched.pk: later,
    }


def test_an_administrator_voids_a_wrong_event_and_the_history_keeps_both(cast):
    """Issue 14 class 2: a wrong event is neutralised by a compensating event, never deleted."""
    episode = cast.admit()
    at = ADMITTED + timedelta(hours=2)
    wrong = episode_record_event(
        episode=episode,
        event=Event(EventType.READY_DECLARED),
        at=at,
        recorded_at=at,
        membership=cast.physician,
    )
    admin = MembershipFactory(organisation=cast.region, role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        event_void(event=wrong, membership=cast.nurse, reason="fel patient")
    with pytest.raises(ValidationError):
        event_void(event=wrong, membership=admin, reason=" ")
    event_void(event=wrong, membership=admin, reason="fel patient")
    episode.refresh_from_db()
    assert (episode.state, episode.ready_at) == ("admitted", None)
    assert list(EpisodeEvent.objects.filter(episode=episode).values_list("type", flat=True)) == [
        "admitted",
        "ready_declared",
        "event_voided",
    ]
    _row_matches_history(episode)
    with pytest.raises(ValidationError):
        event_void(event=wrong, membership=admin, reason="igen")


def _ward_changes_the_date_and_the_municipality_reads_it(cast, episode, at):
    episode_record_event(
        episode=episode,
        event=Event(EventType.ESTIMATED_DISCHARGE_CHANGED, estimated_discharge=at.date()),
        at=at,
        recorded_at=at,
        membership=cast.nurse,
    )
    return _municipality_reads_the_change(cast, episode, at + timedelta(minutes=10))


def _municipality_reads_the_change(cast, episode, at):
    return episode_record_event(
        episode=episode,
        event=Event(
            EventType.ACKNOWLEDGED,
            party=Party.MUNICIPALITY,
            message=MessageKind.ESTIMATED_DISCHARGE_CHANGE,
        ),
        at=at,
        recorded_at=at,
        membership=cast.officer_a,
    )


def test_voided_messages_and_receipts_leave_the_message_rows_as_the_history_folds(cast):
    """The messages' rows are the fold's, not the record of what was sent: a voided receipt
    leaves its messages awaiting one (a new receipt then stands), a voided notice takes its
    recipients, and with them the later change's message, out of the facts."""
    episode = cast.admit()
    notice = cast.notify(episode, ADMITTED + timedelta(hours=1)).pk
    receipt = _ward_changes_the_date_and_the_municipality_reads_it(
        cast, episode, ADMITTED + timedelta(days=1)
    )
    admin = MembershipFactory(organisation=cast.region, role=Role.ADMINISTRATOR)
    event_void(event=receipt, membership=admin, reason="fel person")
    _row_matches_history(episode)
    assert episode.municipality_owes
    _municipality_reads_the_change(cast, episode, ADMITTED + timedelta(days=1, hours=1))
    _row_matches_history(episode)
    event_void(event=EpisodeEvent.objects.get(pk=notice), membership=admin, reason="fel patient")
    _row_matches_history(episode)
    assert episode_facts_of(episode).messages == ()


def _as_stored_before_the_rows(facts) -> dict:
    """The row as it was written before migration 0014: every message and estimate in it."""
    row = facts_to_json(facts)
    del row["awaiting"], row["messages_sent"]
    messages = [
        {
            "kind": m.kind.value,
            "sent_at": m.sent_at.isoformat(),
            "recipients": sorted(p.value for p in m.recipients),
            "acknowledgements": [[p.value, at.isoformat()] for p, at in m.acknowledgements],
        }
        for m in facts.messages
    ]
    return row | {"messages": messages, "estimates": to_plain(facts.estimates)}


def test_the_migration_moves_the_messages_and_estimates_out_of_the_row(cast):
    from django.apps import apps

    move_out = import_module(
        "utskrivning.episodes.migrations.0014_projected_messages_and_estimates"
    ).move_out
    episode = cast.admit(estimated_discharge=ADMITTED.date() + timedelta(days=5))
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    _ward_changes_the_date_and_the_municipality_reads_it(
        cast, episode, ADMITTED + timedelta(days=1)
    )
    imported = cast.admit(personal_number="19900101-0017")  # no message yet
    whole = {e.pk: episode_history_facts(e) for e in (episode, imported)}
    assert len(whole[episode.pk].messages) == 2 and len(whole[episode.pk].estimates) == 3
    for pk, facts in whole.items():
        Episode.objects.filter(pk=pk).update(facts=_as_stored_before_the_rows(facts))
    ProjectedMessage.objects.all().delete()
    ProjectedEstimate.objects.all().delete()
    move_out(apps, None)
    for pk, facts in whole.items():
        moved = Episode.objects.get(pk=pk)
        assert "messages" not in moved.facts and "estimates" not in moved.facts
        assert episode_facts_of(moved) == facts
    move_out(apps, None)  # a row already moved is left as it is
    assert ProjectedMessage.objects.count() == 4 and ProjectedEstimate.objects.count() == 3
