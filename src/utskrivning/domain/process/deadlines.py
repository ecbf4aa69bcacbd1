"""When each party's step is due, on Stockholm's clock, and whether it was met or missed.

Pure functions of the facts and `now`: worklists show coming and missed (red) deadlines from them,
and the service proposes a deviation for each missed one. `due_at` is the last instant that is
still on time, so "met" is `met_at <= due_at` for every kind alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from utskrivning.domain.calendar import STOCKHOLM, is_working_day, to_local_naive
from utskrivning.domain.process.facts import EpisodeFacts
from utskrivning.domain.process.states import MessageKind, Party


class DeadlineKind(StrEnum):
    ADMISSION_NOTICE = "admission_notice"
    NAMED_CONTACT = "named_contact"
    SIP_SUMMONS = "sip_summons"
    ACKNOWLEDGEMENT = "acknowledgement"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    party: Party
    due_at: datetime  # Europe/Stockholm
    met_at: datetime | None
    missed: bool
    message: MessageKind | None = None  # the message an acknowledgement is for


def _local_date(at: datetime) -> date:
    return to_local_naive(at).date()


def _end_of_local_day(day: date) -> datetime:
    # 23:59:59.999999 exists every day: Sweden's clocks change at 02:00/03:00, never near midnight.
    return datetime.combine(day, time.max, tzinfo=STOCKHOLM)


def admission_notice_due(support_assessed_at: datetime) -> datetime:
    """Dalarna §6 and §9, Stockholm appendix §3: "inom 24 timmar" after admission or the later
    judgement that support may be needed.

    Elapsed hours, counted in UTC: over a DST night the wall clock shows 23 or 25 hours later.
    """
    return (support_assessed_at.astimezone(UTC) + timedelta(hours=24)).astimezone(STOCKHOLM)


def sip_summons_due(ready_at: datetime) -> datetime:
    """Dalarna §9 Öppenvård and the law as quoted in the Stockholm appendix §3 SIP: "senast tre
    dagar efter" the readiness notification.

    Reading: calendar days, by the end of the third local day after the notification's date. The
    texts say "dagar", while the agreements write "vardagar" where they mean weekdays (Stockholm's
    "5 vardagar" grace days), and the same law's payment limit is read as calendar days (Dalarna §11
    "tre (3) kalenderdagar ... samma gräns som finns i lagstiftningens förslag").
    """
    return _end_of_local_day(_local_date(ready_at) + timedelta(days=3))


def acknowledgement_due(sent_at: datetime) -> datetime:
    """ASSUMPTION: no seed sets a time for the receipt (kvittens); we ask for it by the end of the
    next working day, so a Friday message is due on Monday and a holiday does not count.
    """
    return _end_of_next_working_day(_local_date(sent_at))


@lru_cache(maxsize=4096)
def _end_of_next_working_day(sent: date) -> datetime:
    """By the day a message was sent: the page and the worker count every message's deadline,
    and an episode's messages share few days."""
    day = sent + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return _end_of_local_day(day)


def named_contact_due(facts: EpisodeFacts) -> datetime | None:
    """The earlier of two rules; None while neither applies.

    Stockholm 2018 appendix §2.1.1: "fast vårdkontakt utses så snart som möjligt, dock senast tre
    dagar efter underrättelse om att en patient är utskrivningsklar", read as `sip_summons_due`
    reads the same words. Dalarna §9 says it implicitly: the contact must summon the SIP by then.
    Both: "Fast vårdkontakt ska ha utsetts innan personen skrivs ut": the discharge once it
    happened; before it, the end of the day before the estimated discharge date, since the
    patient may leave early that day. A discharge without a contact is not refused (issue 16
    item 7): this deadline is missed, a deviation is proposed and the payment rules decide.
    """
    before_discharge: datetime | None = None
    if facts.discharged_at is not None:
        before_discharge = facts.discharged_at.astimezone(STOCKHOLM)
    elif facts.estimated_discharge is not None:
        before_discharge = _end_of_local_day(facts.estimated_discharge - timedelta(days=1))
    after_readiness = None if facts.ready_at is None else sip_summons_due(facts.ready_at)
    return min((d for d in (before_discharge, after_readiness) if d is not None), default=None)


_Row = tuple[DeadlineKind, Party, datetime, datetime | None, MessageKind | None]


def deadlines(facts: EpisodeFacts, now: datetime) -> list[Deadline]:
    """Every deadline the episode has run into so far, met or not, earliest first: a receipt's
    for each message, so the facts must hold them all (read whole)."""
    return _dated(_step_rows(facts) + _receipt_rows(facts), now)


def unmet_deadlines(facts: EpisodeFacts, now: datetime) -> list[Deadline]:
    """The deadlines not met yet, earliest first; of the receipts, each party's oldest per kind
    of message (a receipt covers them all): from the facts as the episode's row keeps them."""
    return _dated([row for row in _step_rows(facts) if row[3] is None] + _awaited(facts), now)


def abridged_deadlines(facts: EpisodeFacts, now: datetime, *, met: int) -> list[Deadline]:
    """What a page shows of a long history, earliest first: the deadlines not met
    (`unmet_deadlines`) and the latest `met` of those met. `facts.messages` need hold only the
    latest acknowledged messages, so the page reads what it shows (issue 15)."""
    every = _dated(_step_rows(facts) + _receipt_rows(facts), now)
    done = [d for d in every if d.met_at is not None][-met:] if met else []
    return sorted([*unmet_deadlines(facts, now), *done], key=lambda d: d.due_at)


def step_deadline_count(facts: EpisodeFacts) -> int:
    """The deadlines of the process's own steps (not receipts) the episode has run into."""
    return len(_step_rows(facts))


def _dated(rows: list[_Row], now: datetime) -> list[Deadline]:
    if now.tzinfo is None:
        raise ValueError("`now` must be timezone-aware")
    found = [
        Deadline(kind, party, due, met_at, (met_at or now) > due, message)
        for kind, party, due, met_at, message in rows
    ]
    return sorted(found, key=lambda d: d.due_at)


def next_due(facts: EpisodeFacts, party: Party) -> datetime | None:
    """The party's earliest deadline not yet met. When a deadline falls due is counted from the
    facts alone (the clock decides only whether it is missed), so the service keeps this on the
    episode's row, and a worklist sorts and counts by it in the database."""
    return next_due_by_party(facts)[party]


def next_due_by_party(facts: EpisodeFacts) -> dict[Party, datetime | None]:
    """`next_due` of every party, the deadlines counted once (each write and imported row)."""
    due: dict[Party, datetime | None] = dict.fromkeys(Party)
    for _, party, at, met_at, _ in _step_rows(facts) + _awaited(facts):
        earliest = due[party]
        if met_at is None and (earliest is None or at < earliest):
            due[party] = at
    return due


def _step_rows(facts: EpisodeFacts) -> list[_Row]:
    K = DeadlineKind
    rows: list[_Row] = []
    if facts.support_assessed_at is not None:
        due = admission_notice_due(facts.support_assessed_at)
        rows.append(
            (K.ADMISSION_NOTICE, Party.INPATIENT_CARE, due, facts.admission_notice_at, None)
        )
    contact_due = named_contact_due(facts)
    if facts.primary_care_involved and contact_due is not None:
        rows.append(
            (K.NAMED_CONTACT, Party.PRIMARY_CARE, contact_due, facts.named_contact_at, None)
        )
    if facts.sip_summons_owed and facts.ready_at is not None:
        due = sip_summons_due(facts.ready_at)
        rows.append((K.SIP_SUMMONS, Party.PRIMARY_CARE, due, facts.sip_summoned_at, None))
    return rows


def _receipt_rows(facts: EpisodeFacts) -> list[_Row]:
    return [
        (DeadlineKind.ACKNOWLEDGEMENT, party, due, m.acknowledged_at(party), m.kind)
        for m in facts.messages
        for due in (acknowledgement_due(m.sent_at),)
        for party in sorted(m.recipients)
    ]


def _awaited(facts: EpisodeFacts) -> list[_Row]:
    """The receipts' deadlines not met, of each party's oldest message per kind: its earliest
    (a later message of the kind is due no earlier), in the order the messages were sent."""
    return [
        (DeadlineKind.ACKNOWLEDGEMENT, a.party, acknowledgement_due(a.since), None, a.kind)
        for a in sorted(facts.awaiting, key=lambda a: a.since)
    ]
