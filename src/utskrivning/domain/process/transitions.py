"""The episode's transition table, `(state, event) -> state` with guards, and `apply`.

A step is two halves: `judge` (the guard: the table, the time rules of `clock`, the guards) decides
a new step, `fold` (the effect) applies a stored one and never refuses. The service calls `apply`
(both) before it writes an event, so a refused step is never stored; `replay` only folds, so the
history stays readable whatever the guards become. Reasons are fixed sentences (no interpolated
values) so the UI can translate them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.process import guards as g
from utskrivning.domain.process.clock import check_times
from utskrivning.domain.process.details import Appointment, CriterionCheck, EstimateEntry
from utskrivning.domain.process.facts import (
    Awaiting,
    EpisodeFacts,
    Event,
    FileRecord,
    Message,
    TransitionError,
)
from utskrivning.domain.process.guards import Guard
from utskrivning.domain.process.states import EpisodeState, EventType, MessageKind, Party

S = EpisodeState
E = EventType

Target = EpisodeState | Callable[[EpisodeFacts], EpisodeState]
Effect = Callable[[EpisodeFacts, Event, datetime], EpisodeFacts]


@dataclass(frozen=True)
class Transition:
    """`target` is a state, or a function choosing it from the facts after the event."""

    target: Target
    guards: tuple[Guard, ...] = ()


def _send(f: EpisodeFacts, kind: MessageKind, at: datetime, to: frozenset[Party]) -> EpisodeFacts:
    if not to:  # readiness without an admission notice has no recipients to wait for
        return f
    oldest = {(a.party, a.kind): a.since for a in f.awaiting}
    for party in to:
        oldest[(party, kind)] = min(oldest.get((party, kind), at), at)
    return replace(
        f,
        messages=(*f.messages, Message(kind, at, to)),
        messages_sent=f.messages_sent + 1,
        awaiting=_awaiting(oldest),
    )


def _awaiting(oldest: dict[tuple[Party, MessageKind], datetime]) -> tuple[Awaiting, ...]:
    return tuple(Awaiting(party, kind, since) for (party, kind), since in sorted(oldest.items()))


def awaiting_of(messages: Iterable[Message]) -> tuple[Awaiting, ...]:
    """What `EpisodeFacts.awaiting` says of these messages (the fold keeps it step by step)."""
    oldest: dict[tuple[Party, MessageKind], datetime] = {}
    for m in messages:
        for party in m.recipients:
            if m.acknowledged_at(party) is None:
                oldest[(party, m.kind)] = min(oldest.get((party, m.kind), m.sent_at), m.sent_at)
    return _awaiting(oldest)


def _estimate(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    """The date `e` gives, if any, as the current estimate and a line of its history."""
    if e.estimated_discharge is None:
        return f
    entry = EstimateEntry(e.estimated_discharge, at, e.by)
    return replace(f, estimated_discharge=e.estimated_discharge, estimates=(*f.estimates, entry))


def _admit(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    admitted = replace(f, admitted_at=at, support_assessed_at=at if e.support_needed else None)
    return _estimate(admitted, e, at)


def _send_notice(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    """The notice carries the admission's estimate unless it gives another (Dalarna §6)."""
    notified = replace(f, admission_notice_at=at, recipients=e.parties)
    if e.estimated_discharge != f.estimated_discharge:
        notified = _estimate(notified, e, at)
    return _send(notified, MessageKind.ADMISSION_NOTICE, at, e.parties)


def _change_estimate(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    changed = replace(
        _estimate(f, e, at), estimated_discharge_changes=f.estimated_discharge_changes + 1
    )
    return _send(changed, MessageKind.ESTIMATED_DISCHARGE_CHANGE, at, f.recipients)


def _appoint(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    # A replaced contact does not undo that one existed from the first appointment.
    appointed = replace(f, named_contact_at=f.named_contact_at or at)
    if e.contact is None:  # an appointment stored before the person was recorded with it
        return appointed
    return replace(appointed, care_contact=Appointment(e.contact, at, e.by))


def _check_criterion(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    if e.criterion is None:
        return f
    return replace(
        f,
        home_criteria=f.home_criteria | {e.criterion},
        criteria_checks=(*f.criteria_checks, CriterionCheck(e.criterion, at, e.by)),
    )


def _declare_ready(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    ready = replace(f, ready_at=at, ready_declarations=f.ready_declarations + 1)
    return _send(ready, MessageKind.READINESS_NOTIFICATION, at, f.recipients)


def _withdraw_ready(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    # Västmanland §3.3 "Planeringen får starta om": the checklist and the discharge notice described
    # a discharge that no longer happens, so they are done again after a re-declaration.
    withdrawn = replace(
        f,
        ready_at=None,
        ready_withdrawals=f.ready_withdrawals + 1,
        home_criteria=frozenset(),
        criteria_checks=(),
        discharge_notice_at=None,
        planned_discharge=None,
    )
    return _send(withdrawn, MessageKind.READINESS_WITHDRAWAL, at, f.recipients)


def _summon_sip(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    summoned = replace(
        f,
        sip_summoned_at=at,
        sip_needed=True,
        sip_meeting=e.meeting,
        sip_invited=e.parties,
        sip_summoned_by=e.by,
    )
    return _send(summoned, MessageKind.SIP_SUMMONS, at, e.parties)


def _send_discharge_notice(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    noticed = replace(f, discharge_notice_at=at, planned_discharge=e.planned_discharge)
    return _send(noticed, MessageKind.DISCHARGE_NOTICE, at, f.recipients)


def _acknowledge(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    """A receipt covers every message of that kind the party had by then, not only the last.

    The one effect that reads `messages`: those of the kind still awaiting the party's receipt
    must all be there (a write reads them), so the oldest left after it is known. Each message's
    receipts are kept by party, as its rows read them back."""
    party, kind = e.party, e.message
    if party is None or kind is None:
        return f
    messages = tuple(
        replace(m, acknowledgements=tuple(sorted((*m.acknowledgements, (party, at)))))
        if m.awaits(party, kind) and m.sent_at <= at
        else m
        for m in f.messages
    )
    oldest = {(a.party, a.kind): a.since for a in f.awaiting}
    left = [m.sent_at for m in messages if m.awaits(party, kind)]
    oldest.pop((party, kind), None)
    if left:
        oldest[(party, kind)] = min(left)
    return replace(f, messages=messages, awaiting=_awaiting(oldest))


def _import(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    """The file's row as facts; `at` is the admission. The estimated discharge date the file
    does not give is taken as the discharge's (or the notice's) date, as the import always did."""
    r = e.record or FileRecord()
    estimate = r.discharged_at or r.admission_notice_at
    return replace(
        f,
        admitted_at=at,
        support_assessed_at=at,
        admission_notice_at=r.admission_notice_at,
        recipients=r.recipients,
        estimated_discharge=None if estimate is None else to_local_naive(estimate).date(),
        ready_at=r.ready_at,
        ready_declarations=r.ready_declarations,
        named_contact_at=r.named_contact_at,
        sip_needed=r.sip_needed,
        sip_summoned_at=r.sip_summoned_at,
        sip_held_at=r.sip_held_at,
        discharged_at=r.discharged_at,
        closed_at=r.discharged_at if r.closed else None,
    )


def _record_court_decision(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    return replace(f, court_decision_at=at, court_granted=e.court_granted)


def _same(f: EpisodeFacts, e: Event, at: datetime) -> EpisodeFacts:
    return f


_EFFECTS: dict[EventType, Effect] = {
    E.ADMITTED: _admit,
    E.SUPPORT_NEED_ASSESSED: lambda f, e, at: replace(f, support_assessed_at=at),
    E.ADMISSION_NOTICE_SENT: _send_notice,
    E.ESTIMATED_DISCHARGE_CHANGED: _change_estimate,
    E.READY_DECLARED: _declare_ready,
    E.READY_WITHDRAWN: _withdraw_ready,
    E.NAMED_CONTACT_APPOINTED: _appoint,
    E.CONSENT_RECORDED: lambda f, e, at: replace(
        f, consents=f.consents | ({e.party} if e.party else set())
    ),
    E.SIP_NEED_ASSESSED: lambda f, e, at: replace(
        f, sip_needed=f.sip_needed if e.sip_needed is None else e.sip_needed
    ),
    E.SIP_SUMMONED: _summon_sip,
    E.SIP_HELD: lambda f, e, at: replace(f, sip_held_at=at, sip_participants=e.parties),
    E.HEMGANGSKLAR_CHECKED: _check_criterion,
    E.DISCHARGE_NOTICE_SENT: _send_discharge_notice,
    E.DISCHARGED: lambda f, e, at: replace(f, discharged_at=at),
    E.CLOSED: lambda f, e, at: replace(f, closed_at=at),
    E.ACKNOWLEDGED: _acknowledge,
    E.DEVIATION_REPORTED: _same,  # the deviation itself (category, text) is the service's
    # A new plan goes with a new application: an earlier decision no longer stands for it.
    E.COORDINATED_CARE_PLAN_RECORDED: lambda f, e, at: replace(
        f, care_plan_at=at, court_decision_at=None, court_granted=None
    ),
    E.COURT_DECISION_RECORDED: _record_court_decision,
    E.IMPORTED: _import,
    # The history's reader leaves the voided event out; the voiding itself changes nothing.
    E.EVENT_VOIDED: _same,
    E.PATIENT_DETAILS_CHANGED: _same,
    E.NOTE_SENT: _same,
}


def _before_readiness(f: EpisodeFacts) -> EpisodeState:
    return S.NOTIFIED if f.admission_notice_at is not None else S.ADMITTED


def _ready(f: EpisodeFacts) -> EpisodeState:
    return S.HOME_READY if f.home_ready_criteria_met else S.READY


BEFORE_DISCHARGE = (
    S.ADMITTED, S.NOTIFIED, S.AWAITING_COURT_DECISION, S.READY, S.HOME_READY,
    S.DISCHARGE_NOTIFIED,
)  # fmt: skip
READY_STATES = (S.READY, S.HOME_READY, S.DISCHARGE_NOTIFIED)
# Every state but ADMITTED may follow an admission notice (ADMITTED is left by sending it).
MAYBE_NOTIFIED = BEFORE_DISCHARGE[1:]
NOTICE_GUARDS = (
    g.NOTICE_RECIPIENTS,
    g.NOTICE_HAS_ESTIMATE,
    g.ESTIMATE_NOT_BEFORE_ADMISSION,
    g.PRIMARY_CARE_TOO,
)

_TABLE: dict[tuple[EpisodeState | None, EventType], Transition] = {
    (None, E.ADMITTED): Transition(S.ADMITTED, (g.ESTIMATE_NOT_BEFORE_ADMISSION,)),
    (S.ADMITTED, E.SUPPORT_NEED_ASSESSED): Transition(S.ADMITTED, (g.SUPPORT_NOT_YET_ASSESSED,)),
    (S.ADMITTED, E.ADMISSION_NOTICE_SENT): Transition(S.NOTIFIED, NOTICE_GUARDS),
    (S.ADMITTED, E.READY_DECLARED): Transition(_ready, (g.READY_AFTER_COURT_DECISION,)),
    (S.NOTIFIED, E.READY_DECLARED): Transition(_ready, (g.READY_AFTER_COURT_DECISION,)),
    (S.ADMITTED, E.COORDINATED_CARE_PLAN_RECORDED): Transition(S.AWAITING_COURT_DECISION),
    (S.NOTIFIED, E.COORDINATED_CARE_PLAN_RECORDED): Transition(S.AWAITING_COURT_DECISION),
    (S.AWAITING_COURT_DECISION, E.COURT_DECISION_RECORDED): Transition(
        _before_readiness, (g.DECISION_AFTER_PLAN, g.HAS_COURT_OUTCOME)
    ),
    (S.READY, E.HEMGANGSKLAR_CHECKED): Transition(_ready, (g.NEW_CRITERION, g.HAS_CRITERION)),
    (S.READY, E.DISCHARGE_NOTICE_SENT): Transition(
        S.DISCHARGE_NOTIFIED, (g.HAS_PLANNED_DISCHARGE,)
    ),
    (S.HOME_READY, E.DISCHARGE_NOTICE_SENT): Transition(
        S.DISCHARGE_NOTIFIED, (g.HAS_PLANNED_DISCHARGE,)
    ),
    (S.DISCHARGED, E.CLOSED): Transition(S.CLOSED, (g.CLOSE_AFTER_DISCHARGE,)),
}


def _rows(
    states: Iterable[EpisodeState], event: EventType, target: Target | None = None, *guards: Guard
) -> None:
    """`target` None: the event leaves each state as it is."""
    for state in states:
        _TABLE[(state, event)] = Transition(target or state, guards)


_rows(READY_STATES, E.READY_WITHDRAWN, _before_readiness)
# Not while awaiting the court: compulsory care goes on until it decides (Dalarna §9). A step
# another party has not taken (the named care contact) never blocks it: the deadline shows it
# missed, a deviation is proposed and the payment rules draw the consequence (issue 16 item 7).
_rows(
    (S.ADMITTED, S.NOTIFIED, *READY_STATES), E.DISCHARGED, S.DISCHARGED,
    g.DISCHARGE_AFTER_READINESS,
)  # fmt: skip
# A late notice (readiness or the application came first) does not move the episode back.
_rows(
    (S.AWAITING_COURT_DECISION, *READY_STATES), E.ADMISSION_NOTICE_SENT, None,
    g.NOTICE_NOT_SENT, *NOTICE_GUARDS,
)  # fmt: skip
_rows(MAYBE_NOTIFIED, E.ESTIMATED_DISCHARGE_CHANGED, None, g.NOTICE_SENT, g.NEW_ESTIMATE,
      g.HAS_ESTIMATE, g.ESTIMATE_NOT_BEFORE_ADMISSION)  # fmt: skip
# Also after a discharge that did not wait for it: recorded late (the payment rules read when), and
# the contact still summons the SIP, usually held at home (Stockholm appendix §3 SIP).
_rows(
    (*MAYBE_NOTIFIED, S.DISCHARGED), E.NAMED_CONTACT_APPOINTED, None,
    g.PRIMARY_CARE_NOTIFIED, g.HAS_CONTACT,
)  # fmt: skip
# The written information may be given before readiness; READY's own row moves it on.
_rows(
    (S.ADMITTED, S.NOTIFIED, S.AWAITING_COURT_DECISION, S.DISCHARGE_NOTIFIED),
    E.HEMGANGSKLAR_CHECKED, None, g.NEW_CRITERION, g.HAS_CRITERION,
)  # fmt: skip
# A corrected destination or time.
_rows((S.DISCHARGE_NOTIFIED,), E.DISCHARGE_NOTICE_SENT, None, g.HAS_PLANNED_DISCHARGE)
# Stockholm appendix §3 SIP: "SIP ska vanligtvis göras i hemmet", so it may follow the discharge.
_rows((*BEFORE_DISCHARGE, S.DISCHARGED), E.SIP_NEED_ASSESSED, None, g.HAS_SIP_NEED)
_rows((*BEFORE_DISCHARGE, S.DISCHARGED), E.CONSENT_RECORDED, None, g.CONSENT_NEW, g.HAS_PARTY)
_rows(
    (*MAYBE_NOTIFIED, S.DISCHARGED), E.SIP_SUMMONED, None,
    g.SIP_NOT_SUMMONED, g.NAMED_CONTACT_SUMMONS, g.CONSENT_BEFORE_SUMMONS, g.SUMMONS_RECIPIENTS,
    g.HAS_MEETING,
)  # fmt: skip
_rows((*MAYBE_NOTIFIED, S.DISCHARGED), E.SIP_HELD, None, g.SIP_SUMMONED, g.SIP_NOT_HELD,
      g.SIP_PARTICIPANTS)  # fmt: skip
# Receipts and deviations are records about the process, still due after the closure.
_rows(
    (*MAYBE_NOTIFIED, S.DISCHARGED, S.CLOSED), E.ACKNOWLEDGED, None,
    g.HAS_PARTY, g.AWAITING_RECEIPT,
)  # fmt: skip
_rows((*BEFORE_DISCHARGE, S.DISCHARGED, S.CLOSED), E.DEVIATION_REPORTED, None, g.HAS_PARTY)

_REFUSED_IN_STATE = {
    (S.ADMITTED, E.ESTIMATED_DISCHARGE_CHANGED): g.NOTICE_SENT.reason,
    (S.ADMITTED, E.NAMED_CONTACT_APPOINTED): g.PRIMARY_CARE_NOTIFIED.reason,
    (S.ADMITTED, E.SIP_SUMMONED): g.NAMED_CONTACT_SUMMONS.reason,
    (S.ADMITTED, E.SIP_HELD): g.SIP_SUMMONED.reason,
    (S.ADMITTED, E.ACKNOWLEDGED): g.NOTHING_TO_ACKNOWLEDGE,
    (S.AWAITING_COURT_DECISION, E.READY_DECLARED): g.READY_AFTER_COURT_DECISION.reason,
    (S.AWAITING_COURT_DECISION, E.DISCHARGED): (
        "Compulsory inpatient care continues until förvaltningsrätten decides."
    ),
}
_REFUSED = {
    E.ADMITTED: "The patient is already admitted.",
    E.SUPPORT_NEED_ASSESSED: "The need for support is assessed before the admission notice.",
    E.ADMISSION_NOTICE_SENT: g.NOTICE_ALREADY_SENT,
    E.READY_DECLARED: "The patient is already ready; withdraw the readiness to declare it again.",
    E.READY_WITHDRAWN: "There is no readiness to withdraw.",
    E.HEMGANGSKLAR_CHECKED: "All five home-going criteria are already checked.",
    E.DISCHARGE_NOTICE_SENT: "A discharge notice follows the readiness notification.",
    E.CLOSED: "Only a discharged episode can be closed.",
    E.COORDINATED_CARE_PLAN_RECORDED: (
        "The coordinated care plan goes with the application to förvaltningsrätten, "
        "before readiness."
    ),
    E.COURT_DECISION_RECORDED: "No application to förvaltningsrätten is pending.",
    # Not steps: the import and the region's administrator write these (episodes.projection).
    E.IMPORTED: "An episode comes from an episode file through the import only.",
    E.EVENT_VOIDED: "An event is voided by the region's administrator, not as a step.",
    E.PATIENT_DETAILS_CHANGED: "A patient's name and address change through their own request.",
    E.NOTE_SENT: "A note to the other parties is written through its own request.",
}


def _refusal(state: EpisodeState | None, event: EventType) -> str:
    if state is None:
        return g.NOT_ADMITTED
    if state is S.CLOSED:
        return "The episode is closed."
    if state is S.DISCHARGED:
        return "The patient has already been discharged."
    if (state, event) in _REFUSED_IN_STATE:
        return _REFUSED_IN_STATE[(state, event)]
    return _REFUSED.get(event, "This step is not allowed in the episode's current state.")


def allowed_events(state: EpisodeState | None) -> frozenset[EventType]:
    """The steps the table has for `state`; their guards may still refuse them."""
    return frozenset(event for s, event in _TABLE if s == state)


def open_steps(facts: EpisodeFacts, *, party: Party | None, at: datetime) -> frozenset[EventType]:
    """The steps `party` may take now by the table and the guards over the episode: what a screen
    offers. The guards over a value the caller fills in (`Guard.field`) judge the step when sent."""
    return frozenset(
        event
        for (state, event), transition in _TABLE.items()
        if state == facts.state
        and all(
            guard.field is not None or guard.allows(facts, Event(event, party=party), at)
            for guard in transition.guards
        )
    )


def state_of(f: EpisodeFacts) -> EpisodeState | None:
    """The state the facts are in: what folding a stored event ends in, whatever its table row.

    The table's targets say the same for every step it allows (the property tests check it); an
    imported record or a voided step has no row, so its state comes from here.
    """
    if f.admitted_at is None:
        return None
    if f.closed_at is not None:
        return S.CLOSED
    if f.discharged_at is not None:
        return S.DISCHARGED
    if f.ready_at is not None:
        return S.DISCHARGE_NOTIFIED if f.discharge_notice_at is not None else _ready(f)
    if f.care_plan_at is not None and f.court_decision_at is None:
        return S.AWAITING_COURT_DECISION
    return _before_readiness(f)


def judge(facts: EpisodeFacts, event: Event, at: datetime, *, recorded_at: datetime) -> Transition:
    """The guard: the transition `event` takes at `at`, recorded at `recorded_at`, or
    `TransitionError` with the reason. Only a new step is judged, never a stored one."""
    if at.tzinfo is None or recorded_at.tzinfo is None:
        raise ValueError("`at` and `recorded_at` must be timezone-aware")
    transition = _TABLE.get((facts.state, event.type))
    if transition is None:
        raise TransitionError(_refusal(facts.state, event.type))
    check_times(facts, event, at, recorded_at=recorded_at)
    for guard in transition.guards:
        if not guard.allows(facts, event, at):
            raise TransitionError(guard.reason, field=guard.field)
    return transition


def fold(facts: EpisodeFacts, event: Event, at: datetime) -> EpisodeFacts:
    """The effect: the facts after a stored `event`, as it was accepted; it never refuses."""
    after = _EFFECTS[event.type](facts, event, at)
    return replace(after, state=state_of(after))


def apply(
    facts: EpisodeFacts, event: Event, at: datetime, *, recorded_at: datetime | None = None
) -> tuple[EpisodeState, EpisodeFacts]:
    """The state and facts after a new `event` at `at`: judged, then folded. `recorded_at` is
    when the service records it (None: at `at`, as a replayed or simulated step is)."""
    transition = judge(facts, event, at, recorded_at=recorded_at or at)
    after = _EFFECTS[event.type](facts, event, at)
    target = transition.target
    state = target if isinstance(target, EpisodeState) else target(after)
    return state, replace(after, state=state)


def replay(steps: Iterable[tuple[Event, datetime]]) -> EpisodeFacts:
    """The facts of an episode from its stored events, in the order they were recorded: folded,
    never judged again, so a guard tightened today does not stop yesterday's history."""
    facts = EpisodeFacts()
    for event, at in steps:
        facts = fold(facts, event, at)
    return facts
