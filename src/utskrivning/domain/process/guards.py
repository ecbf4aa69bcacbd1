"""The guards of the transition table: each a check over the facts and the event, with the
sentence a refused step is explained by, citing the agreement it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.process.facts import EpisodeFacts, Event, TransitionError
from utskrivning.domain.process.states import Party

T = TypeVar("T")


@dataclass(frozen=True)
class Guard:
    """`field`: the step's value the guard judges (a date, the recipients), named in its refusal;
    None when it judges the episode, so a screen offers only the steps these guards allow."""

    allows: Callable[[EpisodeFacts, Event, datetime], bool]
    reason: str
    field: str | None = None


NOT_ADMITTED = "Record the admission first."
BEFORE_ADMISSION = "The time is before the admission."
MISSING_PARTY = "Say which party this is for."
MISSING_CRITERION = "Say which home-going criterion is met."
MISSING_ESTIMATE = "Give the estimated discharge date."
MISSING_SIP_NEED = "Say whether a SIP is needed."
MISSING_COURT_OUTCOME = "Say whether förvaltningsrätten granted or refused the application."
NOTHING_TO_ACKNOWLEDGE = "Nothing to acknowledge: no such message awaits this party's receipt."
NOTICE_ALREADY_SENT = (
    "The admission notice was already sent; notify changes of the estimated discharge date instead."
)


def given(value: T | None, reason: str) -> T:
    """An event's detail the step needs; guards run first but cannot narrow the type."""
    if value is None:
        raise TransitionError(reason)
    return value


def _local_date_ok(f: EpisodeFacts, e: Event, at: datetime) -> bool:
    """On the admission itself, `at` is the admission."""
    return (
        e.estimated_discharge is None
        or e.estimated_discharge >= to_local_naive(f.admitted_at or at).date()
    )


# What a step must say; checked before anything is stored, so folding a stored step never refuses.
HAS_PARTY = Guard(lambda f, e, at: e.party is not None, MISSING_PARTY, field="party")
HAS_CRITERION = Guard(
    lambda f, e, at: e.criterion is not None, MISSING_CRITERION, field="criterion"
)
HAS_SIP_NEED = Guard(
    lambda f, e, at: e.sip_needed is not None, MISSING_SIP_NEED, field="sip_needed"
)
HAS_COURT_OUTCOME = Guard(
    lambda f, e, at: e.court_granted is not None, MISSING_COURT_OUTCOME, field="court_granted"
)
AWAITING_RECEIPT = Guard(
    lambda f, e, at: (
        e.party is not None and e.message is not None and f.awaiting_receipt(e.party, e.message, at)
    ),
    NOTHING_TO_ACKNOWLEDGE,
    field="message",
)

# Dalarna §9 Regionens ansvar: the first later judgement starts the 24 hours, not a repeat of it.
SUPPORT_NOT_YET_ASSESSED = Guard(
    lambda f, e, at: f.support_assessed_at is None,
    "The need for support after discharge was already assessed.",
)
NOTICE_NOT_SENT = Guard(lambda f, e, at: f.admission_notice_at is None, NOTICE_ALREADY_SENT)
NOTICE_RECIPIENTS = Guard(
    lambda f, e, at: bool(e.parties) and e.parties <= {Party.MUNICIPALITY, Party.PRIMARY_CARE},
    "An admission notice goes to the municipality, primary care or both.",
    field="parties",
)
# Dalarna §6 Inskrivningsmeddelande: "ska innehålla ... beräknad tidpunkt för utskrivning".
# The admission may have given it already; a change of the date must give the new one.
NOTICE_HAS_ESTIMATE = Guard(
    lambda f, e, at: e.estimated_discharge is not None or f.estimated_discharge is not None,
    MISSING_ESTIMATE,
    field="estimated_discharge",
)
HAS_ESTIMATE = Guard(
    lambda f, e, at: e.estimated_discharge is not None,
    MISSING_ESTIMATE,
    field="estimated_discharge",
)
ESTIMATE_NOT_BEFORE_ADMISSION = Guard(
    lambda f, e, at: _local_date_ok(f, e, at),
    "The estimated discharge date cannot be before the admission.",
    field="estimated_discharge",
)
# Stockholm appendix §3 Inskrivningsmeddelande: "ska inskrivningsmeddelandet även skickas till den
# landstingsfinansierade öppna vården".
PRIMARY_CARE_TOO = Guard(
    lambda f, e, at: not e.municipal_health_care or Party.PRIMARY_CARE in e.parties,
    "When the municipality's health care is needed, primary care must get the notice too.",
    field="parties",
)
# Dalarna §9: changes after the notice go to "de berörda enheterna", i.e. the notice's recipients.
NOTICE_SENT = Guard(
    lambda f, e, at: f.admission_notice_at is not None,
    "Send the admission notice first: a new estimated discharge date goes to its recipients.",
)
NEW_ESTIMATE = Guard(
    lambda f, e, at: e.estimated_discharge != f.estimated_discharge,
    "The new estimated discharge date is the same as the current one.",
    field="estimated_discharge",
)
# Dalarna §9 ÖPT/ÖRV: "Läkaren bedömer om patienten är utskrivningsklar efter beslut".
READY_AFTER_COURT_DECISION = Guard(
    lambda f, e, at: f.court_decision_at is None or at >= f.court_decision_at,
    "Readiness can only be declared after förvaltningsrätten's decision.",
)
# Dalarna §9 Öppenvård: the head of unit "som mottar ett inskrivningsmeddelande" appoints.
# The planning record (issue 11 item 1): the other parties must be able to reach the person.
HAS_CONTACT = Guard(
    lambda f, e, at: e.contact is not None,
    "Name the named care contact: name and phone number.",
    "contact",
)
# Dalarna §7: the summons says when and where the SIP meets, or how to join it by video.
HAS_MEETING = Guard(
    lambda f, e, at: e.meeting is not None and bool(e.meeting.place or e.meeting.video_link),
    "Give the SIP's date and time, and a place or a video link.",
    "meeting",
)
# Dalarna §6 Utskrivningsmeddelande: the municipality plans the homecoming for that time.
HAS_PLANNED_DISCHARGE = Guard(
    lambda f, e, at: e.planned_discharge is not None,
    "Give the planned time of the discharge.",
    "planned_discharge",
)
PRIMARY_CARE_NOTIFIED = Guard(
    lambda f, e, at: f.primary_care_involved,
    "A named care contact is appointed by primary care once it has received the admission notice.",
)
CONSENT_NEW = Guard(
    lambda f, e, at: e.party not in f.consents, "This party's consent is already recorded."
)
SIP_NOT_SUMMONED = Guard(
    lambda f, e, at: f.sip_summoned_at is None, "The SIP was already summoned."
)
# Dalarna §9 Öppenvård: "Den utsedda fasta vårdkontakten ska kalla".
NAMED_CONTACT_SUMMONS = Guard(
    lambda f, e, at: f.named_contact_at is not None,
    "The named care contact summons the SIP: appoint one first.",
)
# Dalarna §7 "SIP ska upprättas om patienten samtycker"; §11 without consent "kan inte ... kalla";
# Stockholm appendix §3 Samtycke: each party obtains its own, so primary care's is the one needed.
CONSENT_BEFORE_SUMMONS = Guard(
    lambda f, e, at: Party.PRIMARY_CARE in f.consents,
    "Record primary care's consent from the patient before summoning the SIP.",
)
SUMMONS_RECIPIENTS = Guard(
    lambda f, e, at: bool(e.parties) and Party.PRIMARY_CARE not in e.parties,
    "A SIP summons goes to the other parties: the municipality, inpatient care or both.",
    field="parties",
)
SIP_SUMMONED = Guard(
    lambda f, e, at: f.sip_summoned_at is not None and at >= f.sip_summoned_at,
    "A SIP is held after it has been summoned.",
)
SIP_NOT_HELD = Guard(lambda f, e, at: f.sip_held_at is None, "The SIP was already held.")
SIP_PARTICIPANTS = Guard(
    lambda f, e, at: bool(e.parties), "Name the parties that took part.", field="parties"
)
NEW_CRITERION = Guard(
    lambda f, e, at: e.criterion not in f.home_criteria,
    "This criterion is already checked.",
    field="criterion",
)
DISCHARGE_AFTER_READINESS = Guard(
    lambda f, e, at: f.ready_at is None or at >= f.ready_at,
    "The discharge cannot precede the readiness notification.",
)
CLOSE_AFTER_DISCHARGE = Guard(
    lambda f, e, at: f.discharged_at is not None and at >= f.discharged_at,
    "The episode cannot be closed before the discharge.",
)
DECISION_AFTER_PLAN = Guard(
    lambda f, e, at: f.care_plan_at is not None and at >= f.care_plan_at,
    "The court decision cannot precede the coordinated care plan.",
)
