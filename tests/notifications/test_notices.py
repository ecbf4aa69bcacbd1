"""Notices from the outbox: each message's recipient hears of it once, the ward of
acknowledgements, the party owing a deadline due today; the counter counts from when the person
last looked, in the kinds they chose (their role's by default)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.episodes.models import EpisodeEvent
from utskrivning.notifications.models import Notice, NoticeKind
from utskrivning.notifications.selectors import notice_counts
from utskrivning.notifications.services import (
    deadline_notices,
    invoice_notices,
    notices_due_today,
    subscription_of,
    subscription_seen,
)

from .conftest import ADMITTED, H, acknowledge, declare_ready, drain

K = NoticeKind


def kinds_of(organisation) -> list[str]:
    return sorted(Notice.objects.filter(organisation=organisation).values_list("kind", flat=True))


def test_each_message_is_a_notice_for_its_recipient_once(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    declare_ready(cast, episode)
    assert drain(ADMITTED + 3 * H) == 3
    assert kinds_of(cast.municipality_a) == [K.ADMISSION, K.READINESS]
    assert kinds_of(cast.primary_care) == [K.ADMISSION, K.READINESS]
    assert kinds_of(cast.municipality_b) == []
    notice = Notice.objects.get(organisation=cast.municipality_a, kind=K.READINESS)
    assert (notice.episode, notice.event_type) == (episode, "ready_declared")
    assert drain(ADMITTED + 4 * H) == 0  # every event processed once
    assert Notice.objects.filter(event__isnull=False).count() == 4


def test_the_ward_hears_of_acknowledgements(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    acknowledge(cast, episode, ADMITTED + 2 * H)
    drain(ADMITTED + 3 * H)
    assert kinds_of(cast.ward) == [K.ACKNOWLEDGEMENT]


def test_the_counter_counts_what_is_new_since_the_person_last_looked(cast):
    episode = cast.admit()
    officer = subscription_of(cast.officer_a)  # first use: counts from now
    cast.notify(episode, ADMITTED + H)
    drain(ADMITTED + H)
    # The subscription was made at the real clock, later than the cast's 2026-10 history.
    subscription_seen(subscription=officer, now=ADMITTED)
    counts = notice_counts(subscription=officer, now=ADMITTED + H)
    assert counts.by_kind == {K.ADMISSION: 1} and counts.total == 1
    declare_ready(cast, episode)
    drain(ADMITTED + 2 * H)
    later = notice_counts(subscription=officer, now=ADMITTED + 2 * H)
    assert later.by_kind == {K.ADMISSION: 1, K.READINESS: 1}
    assert later.newest > counts.newest
    subscription_seen(subscription=officer, now=ADMITTED + 2 * H)
    assert notice_counts(subscription=officer, now=ADMITTED + 2 * H).total == 0


def test_the_counter_counts_only_the_kinds_chosen(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    declare_ready(cast, episode)
    drain(ADMITTED + 2 * H)
    officer = subscription_of(cast.officer_a)
    subscription_seen(subscription=officer, now=ADMITTED)
    officer.kinds = [K.READINESS]
    assert notice_counts(subscription=officer, now=ADMITTED + 2 * H).by_kind == {K.READINESS: 1}


def test_defaults_follow_the_role(cast):
    assert subscription_of(cast.nurse).kinds == [K.ACKNOWLEDGEMENT, K.SIP_SUMMONS, K.DEADLINE]
    assert K.ADMISSION in subscription_of(cast.officer_a).kinds
    assert K.READINESS in subscription_of(cast.officer_a).kinds
    assert subscription_of(cast.finance_region).kinds == [K.INVOICE]
    # Municipal finance approves nothing (the region does): invoices are not offered to it.
    assert subscription_of(cast.finance_a).kinds == []


def test_a_deadline_due_today_is_a_notice_for_the_party_owing_it_until_met(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)  # the municipality owes an acknowledgement
    drain(ADMITTED + H)
    due = Notice.objects.filter(organisation=cast.municipality_a, kind=K.DEADLINE)
    assert not due.exists()  # not due today
    episode.refresh_from_db()
    morning = episode.deadlines_checked_until.astimezone(STOCKHOLM).replace(hour=7, minute=0)
    assert morning.date() > ADMITTED.date()
    assert [n.organisation for n in notices_due_today(now=morning)].count(cast.municipality_a) == 1
    assert notices_due_today(now=morning + H) == []  # once
    officer = subscription_of(cast.officer_a)
    assert notice_counts(subscription=officer, now=morning).by_kind == {K.DEADLINE: 1}
    acknowledge(cast, episode, ADMITTED + 2 * H)
    drain(ADMITTED + 2 * H)
    assert due.get().met
    assert notice_counts(subscription=officer, now=morning).by_kind == {}


def test_deadlines_are_noticed_once_however_often_looked_at(cast):
    episode = cast.admit()
    deadline_notices([episode], ADMITTED + H)  # due tomorrow at 09:00: not yet
    assert kinds_of(cast.ward) == []
    deadline_notices([episode], ADMITTED + 20 * H)
    deadline_notices([episode], ADMITTED + 21 * H)
    assert kinds_of(cast.ward) == [K.DEADLINE]  # the admission notice, due within 24 hours


def test_two_receipts_due_at_once_are_one_notice_and_break_no_pass(cast):
    """The admission notice and the readiness reach the municipality on one day: both receipts
    fall due at the end of the next working day, one deadline notice (the unique key held two
    and the worker's pass failed on it, every pass, the morning after)."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    declare_ready(cast, episode)
    drain(ADMITTED + 3 * H)
    episode.refresh_from_db()
    morning = episode.deadlines_checked_until.astimezone(STOCKHOLM).replace(hour=7, minute=0)
    noticed = [n for n in notices_due_today(now=morning) if n.organisation == cast.municipality_a]
    assert [n.subject for n in noticed] == ["acknowledgement"]
    assert notices_due_today(now=morning + H) == []


def test_a_region_hears_once_a_month_of_the_bases_to_approve(cast):
    first = invoice_notices(now=ADMITTED + timedelta(days=30))
    assert [(n.organisation, n.subject) for n in first] == [(cast.region, "2026-10")]
    assert invoice_notices(now=ADMITTED + timedelta(days=31)) == []


def test_notices_are_written_in_the_outbox_transaction(cast, monkeypatch):
    """A failing handler leaves the batch unprocessed and no notice behind."""
    from utskrivning.notifications import services

    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "deadline_notices", broken)
    with pytest.raises(RuntimeError):
        drain(ADMITTED + H)
    assert Notice.objects.count() == 0
    assert EpisodeEvent.objects.filter(processed=False).count() == 2


def test_a_note_between_the_parties_is_a_message_to_each_organisation_it_names(cast):
    from utskrivning.domain.process import Party
    from utskrivning.episodes.notes import note_send

    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(ADMITTED + H)
    note_send(
        episode=episode, membership=cast.nurse, text="Ring före hemgång.",
        parties=[Party.MUNICIPALITY],
    )  # fmt: skip
    drain(ADMITTED + 2 * H)
    assert kinds_of(cast.municipality_a).count(K.MESSAGE) == 1
    assert K.MESSAGE not in kinds_of(cast.primary_care)
    notice = Notice.objects.get(organisation=cast.municipality_a, kind=K.MESSAGE)
    assert notice.event_type == "note_sent" and notice.episode == episode
