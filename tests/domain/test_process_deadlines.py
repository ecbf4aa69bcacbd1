"""Deadlines of the discharge process on both sides of each limit, over DST and weekends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.test_process import (
    AWAITING_PATH,
    MUN,
    NOTIFIED_PATH,
    PC,
    READY_PATH,
    WARD,
    E,
    Step,
    ack,
    admit,
    consent,
    event,
    h,
    notice,
    summons,
    walk,
)
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import (
    Deadline,
    DeadlineKind,
    EpisodeFacts,
    MessageKind,
    acknowledgement_due,
    admission_notice_due,
    deadlines,
    sip_summons_due,
)

K = DeadlineKind


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def end_of(day: date) -> datetime:
    """The last on-time instant of a local day, 23:59:59.999999."""
    return datetime.combine(day, time.max, tzinfo=STOCKHOLM)


def only(facts: EpisodeFacts, kind: DeadlineKind, now: datetime) -> Deadline:
    (found,) = [d for d in deadlines(facts, now) if d.kind is kind]
    return found


# --- Admission notice: 24 hours


@pytest.mark.parametrize(
    ("sent_at", "missed"),
    [(h(23), False), (h(24), False), (h(24) + timedelta(seconds=1), True)],
)
def test_admission_notice_is_due_24_hours_after_admission(sent_at: datetime, missed: bool) -> None:
    """Dalarna §6 Inskrivningsmeddelande: "inom 24 timmar efter inskrivning"."""
    facts = walk(admit(), notice(sent_at))
    deadline = only(facts, K.ADMISSION_NOTICE, now=h(100))
    assert (deadline.party, deadline.due_at, deadline.met_at) == (WARD, h(24), sent_at)
    assert deadline.missed is missed


@pytest.mark.parametrize(("now", "missed"), [(h(24), False), (h(24.01), True)])
def test_an_unsent_notice_turns_missed_when_the_24_hours_pass(now: datetime, missed: bool) -> None:
    """Dalarna §6; issue #3: worklists show missed deadlines in red."""
    deadline = only(walk(admit()), K.ADMISSION_NOTICE, now)
    assert deadline.met_at is None
    assert deadline.missed is missed


def test_admission_notice_24_hours_span_the_spring_forward_night() -> None:
    """Dalarna §6 "24 timmar": elapsed hours, so 13:00 on the clock the day after a 12:00 admission
    when the night lost an hour (29 March 2020)."""
    admitted = local(2020, 3, 28, 12, 0)
    assert admission_notice_due(admitted) == local(2020, 3, 29, 13, 0)
    in_time = notice(local(2020, 3, 29, 12, 59), estimate=date(2020, 4, 3))
    late = notice(local(2020, 3, 29, 13, 1), estimate=date(2020, 4, 3))
    assert not only(walk(admit(admitted), in_time), K.ADMISSION_NOTICE, now=late[1]).missed
    facts = walk(admit(admitted), late)
    assert only(facts, K.ADMISSION_NOTICE, now=local(2020, 4, 1, 0, 0)).missed


def test_admission_notice_24_hours_span_the_fall_back_night() -> None:
    """Dalarna §6 "24 timmar": 11:00 on the clock after a 12:00 admission on 24 October 2020."""
    assert admission_notice_due(local(2020, 10, 24, 12, 0)) == local(2020, 10, 25, 11, 0)


def test_notice_clock_starts_at_the_later_assessment_of_support_need() -> None:
    """Dalarna §6: "eller inom 24 timmar från det att behandlande läkare först senare i ett
    vårdförlopp bedömer att patienten kan komma att behöva insatser"."""
    admitted = walk(admit(support_needed=False))
    assert deadlines(admitted, now=h(200)) == []
    assessed = walk(admit(support_needed=False), event(E.SUPPORT_NEED_ASSESSED, h(50)))
    deadline = only(assessed, K.ADMISSION_NOTICE, now=h(60))
    assert (deadline.due_at, deadline.missed) == (h(74), False)


# --- SIP summons: three calendar days after the readiness notification

FRIDAY_READY = local(2020, 3, 6, 16, 0)


def sip_episode(ready_at: datetime, *more: Step) -> EpisodeFacts:
    """Admitted two days before readiness; contact, consent and need recorded the day before."""
    before, day_before = ready_at - timedelta(days=2), ready_at - timedelta(days=1)
    return walk(
        admit(before),
        notice(before, estimate=ready_at.date() + timedelta(days=3)),
        event(E.NAMED_CONTACT_APPOINTED, day_before),
        consent(day_before),
        event(E.SIP_NEED_ASSESSED, day_before, sip_needed=True),
        event(E.READY_DECLARED, ready_at),
        *more,
    )


@pytest.mark.parametrize(
    ("summoned_at", "missed"),
    [(local(2020, 3, 9, 23, 59), False), (local(2020, 3, 10, 0, 0), True)],
)
def test_sip_summons_is_due_by_the_end_of_the_third_calendar_day(
    summoned_at: datetime, missed: bool
) -> None:
    """Dalarna §9 Öppenvård: "senast tre dagar efter att en underrättelse mottagits om att
    patienten är utskrivningsklar"; calendar days, so Friday's readiness is due on Monday."""
    facts = sip_episode(FRIDAY_READY, summons(summoned_at))
    deadline = only(facts, K.SIP_SUMMONS, now=local(2020, 3, 20, 0, 0))
    assert (deadline.party, deadline.due_at) == (PC, end_of(date(2020, 3, 9)))
    assert deadline.missed is missed


def test_sip_summons_counts_the_local_date_of_a_readiness_sent_in_utc() -> None:
    """Conventions "Time": 23:30 UTC on Friday 6 March is Saturday 00:30 in Stockholm."""
    assert sip_summons_due(datetime(2020, 3, 6, 23, 30, tzinfo=UTC)) == end_of(date(2020, 3, 10))


def test_sip_summons_days_run_through_the_dst_change() -> None:
    """Calendar days: Thursday 26 March 2020 is due on the Sunday the clocks move."""
    assert sip_summons_due(local(2020, 3, 26, 10, 0)) == end_of(date(2020, 3, 29))


def test_sip_summons_before_readiness_meets_the_deadline() -> None:
    """Dalarna §7: "I särskilda fall kan samtliga parter initiera att en SIP genomförs under
    sjukhusvistelsen"."""
    facts = walk(NOTIFIED_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True), summons(h(3)),
                 event(E.READY_DECLARED, h(4)))  # fmt: skip
    deadline = only(facts, K.SIP_SUMMONS, now=h(200))
    assert (deadline.met_at, deadline.missed) == (h(3), False)


def test_sip_summons_deadline_follows_the_latest_readiness() -> None:
    """Västmanland §3.3: a re-declaration is a new readiness notification."""
    withdrawn = event(E.READY_WITHDRAWN, FRIDAY_READY + timedelta(hours=1))
    facts = sip_episode(FRIDAY_READY, withdrawn)
    assert [d for d in deadlines(facts, FRIDAY_READY) if d.kind is K.SIP_SUMMONS] == []
    again = local(2020, 3, 10, 9, 0)
    facts = sip_episode(FRIDAY_READY, withdrawn, event(E.READY_DECLARED, again))
    assert only(facts, K.SIP_SUMMONS, again).due_at == end_of(date(2020, 3, 13))


@pytest.mark.parametrize(
    "facts",
    [
        walk(READY_PATH),  # need not assessed
        walk(READY_PATH, event(E.SIP_NEED_ASSESSED, h(5), sip_needed=False)),
        walk(admit(), notice(h(1)), event(E.SIP_NEED_ASSESSED, h(2), sip_needed=True),
             event(E.READY_DECLARED, h(4))),  # no consent
        walk(AWAITING_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True),
             event(E.COURT_DECISION_RECORDED, h(40), court_granted=True),
             event(E.READY_DECLARED, h(41))),  # ÖPT granted: the LPT 7 a § plan instead
    ],
)  # fmt: skip
def test_no_sip_summons_deadline_without_need_consent_or_on_the_compulsory_path(
    facts: EpisodeFacts,
) -> None:
    """Dalarna §11: without a need for both parties or without consent the contact "kan inte ...
    kalla"; Stockholm appendix §3 SIP: ÖPT/ÖRV plans by LPT 7 a § "i stället"."""
    assert [d for d in deadlines(facts, h(500)) if d.kind is K.SIP_SUMMONS] == []


def test_a_refused_compulsory_application_brings_the_sip_deadline_back() -> None:
    """Stockholm appendix §3 SIP: the LPT plan replaces the SIP only for ÖPT/ÖRV."""
    facts = walk(AWAITING_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True),
                 event(E.COURT_DECISION_RECORDED, h(40), court_granted=False),
                 event(E.READY_DECLARED, h(41)))  # fmt: skip
    assert only(facts, K.SIP_SUMMONS, h(42)).due_at == end_of(date(2020, 3, 7))


# --- Named care contact: before the discharge


def test_named_contact_is_due_before_the_estimated_discharge_day() -> None:
    """Dalarna §9 Öppenvård: "Fast vårdkontakt ska ha utsetts innan personen skrivs ut"; the
    patient may leave early on the estimated day (9 March)."""
    facts = walk(admit(), notice(h(1)))
    deadline = only(facts, K.NAMED_CONTACT, now=h(2))
    assert (deadline.party, deadline.due_at) == (PC, end_of(date(2020, 3, 8)))
    assert not deadline.missed
    assert only(facts, K.NAMED_CONTACT, now=local(2020, 3, 9, 0, 0)).missed


def test_named_contact_due_date_moves_with_the_estimate_and_is_met_by_the_appointment() -> None:
    """Dalarna §9: the estimate is updated "så snart det är möjligt"."""
    facts = walk(admit(), notice(h(1)),
                 event(E.ESTIMATED_DISCHARGE_CHANGED, h(2), estimated_discharge=date(2020, 3, 20)),
                 event(E.NAMED_CONTACT_APPOINTED, local(2020, 3, 12, 8, 0)))  # fmt: skip
    deadline = only(facts, K.NAMED_CONTACT, now=local(2020, 3, 30, 0, 0))
    assert deadline.due_at == end_of(date(2020, 3, 19))
    assert (deadline.met_at, deadline.missed) == (local(2020, 3, 12, 8, 0), False)


def test_named_contact_is_due_three_days_after_the_readiness_notification() -> None:
    """Stockholm 2018 appendix §2.1.1: "fast vårdkontakt utses ... dock senast tre dagar efter
    underrättelse om att en patient är utskrivningsklar"; the estimate (20 March) is later."""
    ready = local(2020, 3, 10, 15, 0)
    facts = walk(admit(), notice(h(1)),
                 event(E.ESTIMATED_DISCHARGE_CHANGED, h(2), estimated_discharge=date(2020, 3, 20)),
                 event(E.READY_DECLARED, ready))  # fmt: skip
    deadline = only(facts, K.NAMED_CONTACT, now=local(2020, 3, 13, 23, 0))
    assert (deadline.due_at, deadline.missed) == (end_of(date(2020, 3, 13)), False)
    assert only(facts, K.NAMED_CONTACT, now=local(2020, 3, 14, 0, 0)).missed


def test_after_the_discharge_the_named_contact_was_due_at_the_discharge() -> None:
    facts = walk(READY_PATH, event(E.DISCHARGED, h(8)))
    assert only(facts, K.NAMED_CONTACT, now=h(100)).due_at == h(8)


def test_no_named_contact_deadline_when_primary_care_was_not_notified() -> None:
    """Dalarna §9: the duty follows the notice to primary care."""
    facts = walk(admit(), notice(h(1), MUN))
    assert [d for d in deadlines(facts, h(2)) if d.kind is K.NAMED_CONTACT] == []


# --- Acknowledgements: by the end of the next working day (an assumption)


@pytest.mark.parametrize(
    ("sent_at", "due_day"),
    [
        (local(2020, 3, 2, 9, 0), date(2020, 3, 3)),  # Monday: Tuesday
        (local(2020, 3, 6, 23, 59), date(2020, 3, 9)),  # Friday night: Monday
        (local(2020, 3, 27, 10, 0), date(2020, 3, 30)),  # Friday before the clocks move: Monday
        (local(2020, 4, 9, 10, 0), date(2020, 4, 14)),  # Maundy Thursday: Tuesday after Easter
        (local(2020, 6, 18, 10, 0), date(2020, 6, 22)),  # before Midsummer Eve: Monday
    ],
)
def test_acknowledgement_is_due_by_the_end_of_the_next_working_day(
    sent_at: datetime, due_day: date
) -> None:
    """Assumption (no seed sets a time for the kvittens), on the calendar the agreements count."""
    assert acknowledgement_due(sent_at) == end_of(due_day)


def test_each_recipient_has_its_own_acknowledgement_deadline() -> None:
    """Issue #3: "Every recipient acknowledges (kvittens) what it received; unacknowledged
    messages surface"."""
    facts = walk(admit(), notice(h(1)), ack(h(30), MUN, MessageKind.ADMISSION_NOTICE))
    receipts = [d for d in deadlines(facts, local(2020, 3, 4, 0, 0)) if d.kind is K.ACKNOWLEDGEMENT]
    by_party = {d.party: d for d in receipts}
    assert set(by_party) == {MUN, PC}
    assert by_party[MUN].message is MessageKind.ADMISSION_NOTICE
    assert (by_party[MUN].met_at, by_party[MUN].missed) == (h(30), False)
    assert (by_party[PC].met_at, by_party[PC].missed) == (None, True)


def test_deadlines_are_listed_earliest_first() -> None:
    facts = walk(READY_PATH, event(E.SIP_NEED_ASSESSED, h(5), sip_needed=True))
    due = [d.due_at for d in deadlines(facts, h(6))]
    assert due == sorted(due)
    assert len(due) > 3


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines(walk(admit()), datetime(2020, 3, 2, 12, 0))  # noqa: DTZ001
