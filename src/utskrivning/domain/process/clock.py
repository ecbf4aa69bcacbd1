"""Which times a step may claim: one rule for every time a caller gives (issue 14, classes 2, 11).

A step carries two times: when it is recorded (the service's clock) and the time it claims to have
happened. The claim is bounded on both sides, so no stored time can overflow a deadline's
arithmetic or a date's year, and a step cannot be backdated to change what a deadline or the
payment reads:

- never before 2000-01-01 (the law is from 2017; older times are typing errors) nor before the
  admission;
- never more than `CLOCK_SKEW` after it is recorded (a caller's clock may run a little fast);
- at most `BACKDATING` before it is recorded (a night's discharge written down in the morning);
- a message (a notification to another party) and a receipt have no claimed time: their time is
  when the service sent or got them, since the other party's deadlines and the ready days run
  from it (Dalarna §11: "underrättelse ... har skickats"). A report of a deviation likewise.

An estimated discharge date lies between the admission's date and `ESTIMATE_HORIZON` after the
day it is given.

What is already stored may still be out of bounds (written before these rules, or by hand): the
reads, the worker and the demo ask `stored_faults` first and skip and report such an episode
rather than fail on it; an administrator then voids the wrong event (`episodes.projection`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.process.facts import EpisodeFacts, Event, TransitionError
from utskrivning.domain.process.guards import BEFORE_ADMISSION
from utskrivning.domain.process.states import EventType

E = EventType

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)
BACKDATING = timedelta(hours=24)
ESTIMATE_HORIZON = timedelta(days=366)
# Reads compute with what is stored: deadlines add days, local dates an hour or two. Inside these
# bounds nothing overflows, whatever the clock says now.
LATEST_READABLE = datetime(2100, 1, 1, tzinfo=UTC)

# Their time is the service's: they send a message to another party, or answer one.
SERVICE_TIMED = frozenset(
    {
        E.ADMISSION_NOTICE_SENT,
        E.ESTIMATED_DISCHARGE_CHANGED,
        E.READY_DECLARED,
        E.READY_WITHDRAWN,
        E.SIP_SUMMONED,
        E.DISCHARGE_NOTICE_SENT,
        E.ACKNOWLEDGED,
        E.DEVIATION_REPORTED,
    }
)

BEFORE_2000 = "The time is before the year 2000."
IN_THE_FUTURE = "The time is in the future."
SERVICE_TIME = (
    "A message, a receipt or a deviation report has the time the service gets it; "
    "it cannot be given an earlier one."
)
BACKDATED = "The time is more than 24 hours before the step is recorded."
ESTIMATE_OUT_OF_RANGE = "The estimated discharge date must lie between 2000 and a year from now."
NO_OFFSET = "Give the time with its offset from UTC."
SIP_OUT_OF_RANGE = "The SIP's time must lie between the summons and a year from now."
PLANNED_OUT_OF_RANGE = "The planned discharge must lie between the notice and a year from now."


def step_time(event: Event, at: datetime | None, recorded_at: datetime) -> datetime:
    """The time to store for a step: the service's clock for a message, a receipt or a report
    (a given time within `CLOCK_SKEW` of it is taken as the same instant), else the claim."""
    if at is None or (event.type in SERVICE_TIMED and abs(at - recorded_at) <= CLOCK_SKEW):
        return recorded_at
    return at


def check_times(facts: EpisodeFacts, event: Event, at: datetime, *, recorded_at: datetime) -> None:
    """Refuse a claimed time (or estimated date) outside the bounds above, naming the field."""
    if at < EARLIEST:
        raise TransitionError(BEFORE_2000, field="at")
    if at > recorded_at + CLOCK_SKEW:
        raise TransitionError(IN_THE_FUTURE, field="at")
    if event.type in SERVICE_TIMED and at < recorded_at - CLOCK_SKEW:
        raise TransitionError(SERVICE_TIME, field="at")
    if at < recorded_at - BACKDATING:
        raise TransitionError(BACKDATED, field="at")
    if facts.admitted_at is not None and at < facts.admitted_at:
        raise TransitionError(BEFORE_ADMISSION, field="at")
    estimate = event.estimated_discharge
    last = to_local_naive(recorded_at + ESTIMATE_HORIZON).date()
    if estimate is not None and not EARLIEST.date() <= estimate <= last:
        # Before the admission is the transition table's own guard, with its own sentence.
        raise TransitionError(ESTIMATE_OUT_OF_RANGE, field="estimated_discharge")
    if event.meeting is not None:
        _check_planned(
            event.meeting.starts_at, at, recorded_at, "meeting.starts_at", SIP_OUT_OF_RANGE
        )
    if event.planned_discharge is not None:
        _check_planned(
            event.planned_discharge, at, recorded_at, "planned_discharge", PLANNED_OUT_OF_RANGE
        )


def _check_planned(
    planned: datetime, at: datetime, recorded_at: datetime, field: str, reason: str
) -> None:
    """A time a step plans for (the SIP, the discharge): from the step on (within the clock's
    skew: a form gives whole minutes), at most `ESTIMATE_HORIZON` ahead."""
    if planned.tzinfo is None:
        raise TransitionError(NO_OFFSET, field=field)
    if not at - CLOCK_SKEW <= planned <= recorded_at + ESTIMATE_HORIZON:
        raise TransitionError(reason, field=field)


def readable(at: datetime) -> bool:
    """Whether a stored time is one the process can compute with (see `LATEST_READABLE`)."""
    return EARLIEST <= at < LATEST_READABLE


def stored_faults(facts: EpisodeFacts) -> tuple[str, ...]:
    """The names of the facts whose stored time no read should compute with; () when none."""
    faults = [
        name
        for name, value in vars(facts).items()
        if isinstance(value, datetime) and not readable(value)
    ]
    estimate = facts.estimated_discharge
    if estimate is not None and not EARLIEST.date() <= estimate < LATEST_READABLE.date():
        faults.append("estimated_discharge")
    meeting = facts.sip_meeting
    if meeting is not None and not readable(meeting.starts_at):
        faults.append("sip_meeting")
    if any(
        not readable(m.sent_at) or not all(readable(at) for _, at in m.acknowledgements)
        for m in facts.messages
    ) or not all(readable(a.since) for a in facts.awaiting):
        faults.append("messages")
    return tuple(faults)


def without_faults(facts: EpisodeFacts) -> EpisodeFacts:
    """The facts with what `stored_faults` names left at its default: a record shown beside the
    reported fault still says everything else (a time in year 9999 has no local date to write)."""
    defaults: dict[str, Any] = {f.name: f.default for f in fields(EpisodeFacts)}
    faults = stored_faults(facts)
    cleared = {name: defaults[name] for name in faults}
    if "messages" in faults:  # and what the row keeps of them
        cleared["awaiting"] = ()
    return replace(facts, **cleared)
