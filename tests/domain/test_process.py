"""The discharge process's transition table and guards.

The helpers at the top (events at hours after a fixed Monday morning, episodes walked to each
state) are shared with test_process_deadlines.py and test_process_obligations.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from process_histories import CONTACT, detailed
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import (
    DeadlineKind,
    EpisodeFacts,
    EpisodeState,
    Event,
    EventType,
    FileRecord,
    HomeCriterion,
    MessageKind,
    Party,
    TransitionError,
    allowed_events,
    apply,
    deadlines,
    replay,
)

E = EventType
S = EpisodeState
MUN, PC, WARD = Party.MUNICIPALITY, Party.PRIMARY_CARE, Party.INPATIENT_CARE

T0 = datetime(2020, 3, 2, 9, 0, tzinfo=STOCKHOLM)  # a Monday without holidays around it
ESTIMATE = date(2020, 3, 9)

Step = tuple[Event, datetime]


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def admit(at: datetime = T0, *, support_needed: bool = True) -> Step:
    return Event(E.ADMITTED, support_needed=support_needed), at


def notice(at: datetime, *to: Party, estimate: date = ESTIMATE) -> Step:
    return Event(E.ADMISSION_NOTICE_SENT, parties=frozenset(to or (MUN, PC)),
                 estimated_discharge=estimate), at  # fmt: skip


def event(kind: EventType, at: datetime, **payload: Any) -> Step:
    return detailed(Event(kind, **payload), at), at


def consent(at: datetime, party: Party = PC) -> Step:
    return Event(E.CONSENT_RECORDED, party=party), at


def summons(at: datetime, *to: Party) -> Step:
    return event(E.SIP_SUMMONED, at, parties=frozenset(to or (MUN,)))


def ack(at: datetime, party: Party, message: MessageKind) -> Step:
    return Event(E.ACKNOWLEDGED, party=party, message=message), at


def criteria(at: datetime) -> list[Step]:
    return [(Event(E.HEMGANGSKLAR_CHECKED, criterion=c), at) for c in HomeCriterion]


def walk(*steps: Step | list[Step]) -> EpisodeFacts:
    flat: list[Step] = []
    for step in steps:
        flat += step if isinstance(step, list) else [step]
    return replay(flat)


NOTIFIED_PATH: list[Step] = [
    admit(),
    notice(h(1)),
    event(E.NAMED_CONTACT_APPOINTED, h(2)),
    consent(h(2)),
]
READY_PATH = [*NOTIFIED_PATH, event(E.READY_DECLARED, h(4))]
UNNOTIFIED_READY_PATH = [admit(support_needed=False), event(E.READY_DECLARED, h(4))]


def reach(state: EpisodeState | None, *, notified: bool = True) -> EpisodeFacts:
    """The episode walked to `state`; `notified=False` takes the path with no admission notice."""
    start = NOTIFIED_PATH if notified else [admit(support_needed=False)]
    paths: dict[EpisodeState | None, list[Step]] = {
        None: [],
        S.ADMITTED: [admit(support_needed=False)],
        S.NOTIFIED: NOTIFIED_PATH,
        S.AWAITING_COURT_DECISION: [*start, event(E.COORDINATED_CARE_PLAN_RECORDED, h(3))],
        S.READY: [*start, event(E.READY_DECLARED, h(4))],
        S.HOME_READY: [*start, event(E.READY_DECLARED, h(4)), *criteria(h(5))],
        S.DISCHARGE_NOTIFIED: [
            *start, event(E.READY_DECLARED, h(4)), event(E.DISCHARGE_NOTICE_SENT, h(6)),
        ],
        S.DISCHARGED: [*start, event(E.READY_DECLARED, h(4)), event(E.DISCHARGED, h(8))],
        S.CLOSED: [
            *start, event(E.READY_DECLARED, h(4)), event(E.DISCHARGED, h(8)),
            event(E.CLOSED, h(9)),
        ],
    }  # fmt: skip
    facts = walk(paths[state])
    assert facts.state == state
    return facts


# --- The table

KEEPS_STATE_WHILE_OPEN = (
    E.ESTIMATED_DISCHARGE_CHANGED, E.NAMED_CONTACT_APPOINTED, E.CONSENT_RECORDED,
    E.SIP_NEED_ASSESSED, E.SIP_SUMMONED, E.SIP_HELD, E.ACKNOWLEDGED, E.DEVIATION_REPORTED,
)  # fmt: skip


def _stays(state: EpisodeState, *events: EventType) -> dict[EventType, EpisodeState]:
    return dict.fromkeys(events, state)


# Written from the process, not read from the implementation: (state, event) -> new state.
EXPECTED: dict[EpisodeState | None, dict[EventType, EpisodeState]] = {
    None: {E.ADMITTED: S.ADMITTED},
    S.ADMITTED: {
        **_stays(S.ADMITTED, E.SUPPORT_NEED_ASSESSED, E.CONSENT_RECORDED, E.SIP_NEED_ASSESSED,
                 E.HEMGANGSKLAR_CHECKED, E.DEVIATION_REPORTED),
        E.ADMISSION_NOTICE_SENT: S.NOTIFIED,
        E.READY_DECLARED: S.READY,
        E.COORDINATED_CARE_PLAN_RECORDED: S.AWAITING_COURT_DECISION,
        E.DISCHARGED: S.DISCHARGED,
    },
    S.NOTIFIED: {
        **_stays(S.NOTIFIED, *KEEPS_STATE_WHILE_OPEN, E.HEMGANGSKLAR_CHECKED),
        E.READY_DECLARED: S.READY,
        E.COORDINATED_CARE_PLAN_RECORDED: S.AWAITING_COURT_DECISION,
        E.DISCHARGED: S.DISCHARGED,
    },
    S.AWAITING_COURT_DECISION: {
        **_stays(S.AWAITING_COURT_DECISION, *KEEPS_STATE_WHILE_OPEN, E.HEMGANGSKLAR_CHECKED,
                 E.ADMISSION_NOTICE_SENT),
        E.COURT_DECISION_RECORDED: S.NOTIFIED,
    },
    S.READY: {
        **_stays(S.READY, *KEEPS_STATE_WHILE_OPEN, E.HEMGANGSKLAR_CHECKED, E.ADMISSION_NOTICE_SENT),
        E.READY_WITHDRAWN: S.NOTIFIED,
        E.DISCHARGE_NOTICE_SENT: S.DISCHARGE_NOTIFIED,
        E.DISCHARGED: S.DISCHARGED,
    },
    S.HOME_READY: {
        **_stays(S.HOME_READY, *KEEPS_STATE_WHILE_OPEN, E.ADMISSION_NOTICE_SENT),
        E.READY_WITHDRAWN: S.NOTIFIED,
        E.DISCHARGE_NOTICE_SENT: S.DISCHARGE_NOTIFIED,
        E.DISCHARGED: S.DISCHARGED,
    },
    S.DISCHARGE_NOTIFIED: {
        **_stays(S.DISCHARGE_NOTIFIED, *KEEPS_STATE_WHILE_OPEN, E.HEMGANGSKLAR_CHECKED,
                 E.ADMISSION_NOTICE_SENT, E.DISCHARGE_NOTICE_SENT),
        E.READY_WITHDRAWN: S.NOTIFIED,
        E.DISCHARGED: S.DISCHARGED,
    },
    S.DISCHARGED: {
        **_stays(S.DISCHARGED, E.CONSENT_RECORDED, E.SIP_NEED_ASSESSED, E.SIP_SUMMONED,
                 E.SIP_HELD, E.ACKNOWLEDGED, E.DEVIATION_REPORTED, E.NAMED_CONTACT_APPOINTED),
        E.CLOSED: S.CLOSED,
    },
    S.CLOSED: _stays(S.CLOSED, E.ACKNOWLEDGED, E.DEVIATION_REPORTED),
}  # fmt: skip

PAYLOAD = {
    E.ADMITTED: Event(E.ADMITTED),
    E.SUPPORT_NEED_ASSESSED: Event(E.SUPPORT_NEED_ASSESSED),
    E.ADMISSION_NOTICE_SENT: notice(T0)[0],
    E.ESTIMATED_DISCHARGE_CHANGED: Event(
        E.ESTIMATED_DISCHARGE_CHANGED, estimated_discharge=date(2020, 3, 12)
    ),
    E.READY_DECLARED: Event(E.READY_DECLARED),
    E.READY_WITHDRAWN: Event(E.READY_WITHDRAWN),
    E.NAMED_CONTACT_APPOINTED: Event(E.NAMED_CONTACT_APPOINTED, contact=CONTACT),
    E.CONSENT_RECORDED: Event(E.CONSENT_RECORDED, party=MUN),
    E.SIP_NEED_ASSESSED: Event(E.SIP_NEED_ASSESSED, sip_needed=True),
    E.SIP_SUMMONED: summons(T0)[0],
    E.SIP_HELD: Event(E.SIP_HELD, parties=frozenset({MUN, PC})),
    E.HEMGANGSKLAR_CHECKED: Event(
        E.HEMGANGSKLAR_CHECKED, criterion=HomeCriterion.WHAT_HAPPENS_NEXT
    ),
    E.DISCHARGE_NOTICE_SENT: Event(E.DISCHARGE_NOTICE_SENT, planned_discharge=h(24)),
    E.DISCHARGED: Event(E.DISCHARGED),
    E.CLOSED: Event(E.CLOSED),
    E.ACKNOWLEDGED: ack(T0, MUN, MessageKind.ADMISSION_NOTICE)[0],
    E.DEVIATION_REPORTED: Event(E.DEVIATION_REPORTED, party=MUN),
    E.COORDINATED_CARE_PLAN_RECORDED: Event(E.COORDINATED_CARE_PLAN_RECORDED),
    E.COURT_DECISION_RECORDED: Event(E.COURT_DECISION_RECORDED, court_granted=True),
    E.IMPORTED: Event(E.IMPORTED, record=FileRecord()),
    E.EVENT_VOIDED: Event(E.EVENT_VOIDED, voids=1),
    E.PATIENT_DETAILS_CHANGED: Event(E.PATIENT_DETAILS_CHANGED),
    E.NOTE_SENT: Event(E.NOTE_SENT, party=WARD, parties=frozenset({MUN})),
}
STATES: list[EpisodeState | None] = [None, *EpisodeState]
ALLOWED = [(s, e, target) for s in STATES for e, target in EXPECTED[s].items()]
REFUSED = [(s, e) for s in STATES for e in EventType if e not in EXPECTED[s]]


def test_every_event_type_has_a_test_payload() -> None:
    assert set(PAYLOAD) == set(EventType)


@pytest.mark.parametrize("state", STATES)
def test_transition_table_has_exactly_the_process_steps(state: EpisodeState | None) -> None:
    """Issue #3's process list; Dalarna §6–9; Stockholm appendix §1–2."""
    assert allowed_events(state) == set(EXPECTED[state])


@pytest.mark.parametrize(("state", "kind", "target"), ALLOWED)
def test_allowed_step_reaches_its_state(
    state: EpisodeState | None, kind: EventType, target: EpisodeState
) -> None:
    """Issue #3's process list; Dalarna §6–9; Stockholm appendix §1–2."""
    # The late notice is only possible on the path where none was sent.
    facts = reach(state, notified=kind is not E.ADMISSION_NOTICE_SENT)
    if kind is E.SIP_HELD:
        _, facts = apply(facts, *summons(h(10)))
    new_state, new_facts = apply(facts, PAYLOAD[kind], h(12))
    assert new_state == target == new_facts.state


@pytest.mark.parametrize(("state", "kind"), REFUSED)
def test_refused_step_says_why(state: EpisodeState | None, kind: EventType) -> None:
    """Issue #3: a refused step raises with a clear English sentence for the UI to translate."""
    facts = reach(state)
    with pytest.raises(TransitionError) as refused:
        apply(facts, PAYLOAD[kind], h(12))
    assert refused.value.reason.endswith(".")
    assert refused.value.reason != "This step is not allowed in the episode's current state."


def test_refusal_leaves_the_facts_untouched() -> None:
    """The service checks before it writes: a refused step must not change anything."""
    facts = reach(S.NOTIFIED)
    before = facts
    with pytest.raises(TransitionError):
        apply(facts, Event(E.CLOSED), h(12))
    assert facts == before


@pytest.mark.parametrize(
    ("state", "kind", "reason"),
    [
        (S.NOTIFIED, E.CONSENT_RECORDED, "which party"),
        (S.NOTIFIED, E.ACKNOWLEDGED, "which party"),
        (S.NOTIFIED, E.HEMGANGSKLAR_CHECKED, "which home-going criterion"),
        (S.NOTIFIED, E.SIP_NEED_ASSESSED, "whether a SIP is needed"),
        (S.NOTIFIED, E.ESTIMATED_DISCHARGE_CHANGED, "estimated discharge date"),
    ],
)
def test_a_step_without_its_details_is_refused(
    state: EpisodeState, kind: EventType, reason: str
) -> None:
    """Issue #3: "Errors are JSON with a message that names the field"."""
    with pytest.raises(TransitionError, match=reason):
        apply(reach(state), Event(kind), h(12))


def test_naive_times_are_rejected() -> None:
    """Conventions "Time": stored in UTC; a naive time would be read on the wrong clock."""
    with pytest.raises(ValueError, match="timezone-aware"):
        apply(EpisodeFacts(), Event(E.ADMITTED), datetime(2020, 3, 2, 9, 0))  # noqa: DTZ001


def test_no_step_may_precede_the_admission() -> None:
    """Glossary "vårdtillfälle": an episode runs from admission to discharge."""
    with pytest.raises(TransitionError, match="before the admission"):
        apply(reach(S.ADMITTED), Event(E.READY_DECLARED), h(-1))


def test_replay_folds_the_stored_events_in_order() -> None:
    facts = walk(READY_PATH)
    assert facts.state is S.READY
    assert facts.ready_at == h(4)
    assert facts.named_contact_at == h(2)


# --- Admission notice


def test_admission_notice_carries_the_estimated_discharge_date() -> None:
    """Dalarna §6 Inskrivningsmeddelande: "ska innehålla ... beräknad tidpunkt för utskrivning"."""
    with pytest.raises(TransitionError, match="estimated discharge date"):
        apply(reach(S.ADMITTED), Event(E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN})), h(1))


def test_estimated_discharge_date_cannot_precede_the_admission() -> None:
    """Dalarna §6: the estimate is of the discharge, which follows the admission."""
    with pytest.raises(TransitionError, match="before the admission"):
        apply(reach(S.ADMITTED), *notice(h(1), MUN, estimate=date(2020, 3, 1)))


@pytest.mark.parametrize("to", [frozenset(), frozenset({WARD}), frozenset({MUN, WARD})])
def test_admission_notice_goes_to_municipality_or_primary_care(to: frozenset[Party]) -> None:
    """Dalarna §9 Regionens ansvar: "underrätta kommunen och berörda öppenvårdsenheter"."""
    event = Event(E.ADMISSION_NOTICE_SENT, parties=to, estimated_discharge=ESTIMATE)
    with pytest.raises(TransitionError, match="municipality, primary care or both"):
        apply(reach(S.ADMITTED), event, h(1))


def test_municipal_health_care_needs_the_notice_to_primary_care_too() -> None:
    """Stockholm appendix §3 Inskrivningsmeddelande: if the municipality's health care is needed,
    "ska inskrivningsmeddelandet även skickas till den landstingsfinansierade öppna vården"."""
    alone = Event(E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN}),
                  estimated_discharge=ESTIMATE, municipal_health_care=True)  # fmt: skip
    with pytest.raises(TransitionError, match="primary care must get the notice too"):
        apply(reach(S.ADMITTED), alone, h(1))
    both = Event(E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN, PC}),
                 estimated_discharge=ESTIMATE, municipal_health_care=True)  # fmt: skip
    assert apply(reach(S.ADMITTED), both, h(1))[0] is S.NOTIFIED


def test_later_assessment_of_support_need_is_recorded_once() -> None:
    """Dalarna §6: the 24 hours run from when the physician "först senare" judges support needed."""
    facts = walk(admit(support_needed=False), event(E.SUPPORT_NEED_ASSESSED, h(30)))
    assert facts.support_assessed_at == h(30)
    with pytest.raises(TransitionError, match="already assessed"):
        apply(facts, Event(E.SUPPORT_NEED_ASSESSED), h(40))


def test_admission_at_once_judged_in_need_starts_the_notice_clock_at_admission() -> None:
    """Dalarna §6: "inom 24 timmar efter inskrivning"."""
    assert walk(admit()).support_assessed_at == T0
    assert walk(admit(support_needed=False)).support_assessed_at is None


# --- Estimated discharge date


def test_changes_of_the_estimated_discharge_date_are_counted_and_notified() -> None:
    """Dalarna §9: a new estimate goes to "de berörda enheterna"; Västmanland §3.3: the moves of
    the discharge date are measured."""
    facts = walk(
        NOTIFIED_PATH,
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(5), estimated_discharge=date(2020, 3, 11)),
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(6), estimated_discharge=date(2020, 3, 13)),
    )
    assert facts.estimated_discharge == date(2020, 3, 13)
    assert facts.estimated_discharge_changes == 2
    changes = [m for m in facts.messages if m.kind is MessageKind.ESTIMATED_DISCHARGE_CHANGE]
    assert [m.recipients for m in changes] == [frozenset({MUN, PC})] * 2


def test_an_unchanged_estimated_date_is_not_a_change() -> None:
    """Västmanland §3.3 counts real moves only."""
    same = Event(E.ESTIMATED_DISCHARGE_CHANGED, estimated_discharge=ESTIMATE)
    with pytest.raises(TransitionError, match="same as the current one"):
        apply(reach(S.NOTIFIED), same, h(5))


def test_estimated_date_change_before_any_notice_is_refused() -> None:
    """Dalarna §9: changes "efter att inskrivningsmeddelande har skickats" go to its recipients."""
    change = PAYLOAD[E.ESTIMATED_DISCHARGE_CHANGED]
    with pytest.raises(TransitionError, match="Send the admission notice first"):
        apply(reach(S.ADMITTED), change, h(5))
    with pytest.raises(TransitionError, match="Send the admission notice first"):
        apply(reach(S.READY, notified=False), change, h(5))


# --- Readiness


def test_readiness_without_admission_notice_is_allowed_but_flagged() -> None:
    """Dalarna §11 "Kommunens betalningsansvar förutsätter att: Inskrivningsmeddelande har
    lämnats": not a reason to keep the patient, but the liability fails."""
    facts = reach(S.READY, notified=False)
    assert facts.ready_without_admission_notice
    assert facts.messages == ()  # no recipients were known to notify
    assert not reach(S.READY).ready_without_admission_notice


def test_a_notice_sent_after_readiness_keeps_the_flag() -> None:
    """Dalarna §11: the notice is the first condition; sent late, it does not cure readiness."""
    facts = walk(UNNOTIFIED_READY_PATH, notice(h(6)))
    assert facts.state is S.READY
    assert facts.ready_without_admission_notice


def test_withdrawal_returns_to_the_state_before_readiness_and_counts() -> None:
    """Västmanland §3.3: "minska antalet tillfällen en patient förklaras utskrivningsklar"."""
    withdrawn = walk(READY_PATH, event(E.READY_WITHDRAWN, h(6)))
    assert withdrawn.state is S.NOTIFIED
    assert withdrawn.ready_at is None
    redeclared = walk(READY_PATH, event(E.READY_WITHDRAWN, h(6)), event(E.READY_DECLARED, h(30)))
    assert redeclared.state is S.READY
    assert redeclared.ready_at == h(30)
    assert (redeclared.ready_declarations, redeclared.ready_withdrawals) == (2, 1)
    unnotified = walk(UNNOTIFIED_READY_PATH, event(E.READY_WITHDRAWN, h(6)))
    assert unnotified.state is S.ADMITTED


def test_withdrawal_is_notified_and_restarts_the_home_going_planning() -> None:
    """Västmanland §3.3 "Planeringen får starta om": the checklist and discharge notice were for
    a discharge that no longer happens."""
    facts = walk(
        READY_PATH, *criteria(h(5)), event(E.DISCHARGE_NOTICE_SENT, h(6)),
        event(E.READY_WITHDRAWN, h(7)),
    )  # fmt: skip
    assert facts.home_criteria == frozenset()
    assert facts.discharge_notice_at is None
    assert facts.messages[-1].kind is MessageKind.READINESS_WITHDRAWAL
    assert facts.messages[-1].recipients == {MUN, PC}


def test_declaring_ready_twice_without_withdrawal_is_refused() -> None:
    """Västmanland §3.3 counts re-declarations, so each one follows a withdrawal."""
    with pytest.raises(TransitionError, match="withdraw the readiness"):
        apply(reach(S.READY), Event(E.READY_DECLARED), h(6))


def test_readiness_notification_goes_to_the_notice_recipients() -> None:
    """Stockholm appendix §2.1.2: underrätta "de berörda" in primary care and the municipality."""
    readiness = reach(S.READY).messages[-1]
    assert readiness.kind is MessageKind.READINESS_NOTIFICATION
    assert readiness.recipients == {MUN, PC}
    assert readiness.sent_at == h(4)


# --- Hemgångsklar


def test_the_five_home_going_criteria_carry_the_agreements_words() -> None:
    """Dalarna §6 Hemgångsklar, criteria 1–5."""
    labels = [c.label_sv for c in HomeCriterion]
    assert len(labels) == 5
    assert labels[0] == "Vad är viktigt för mig innan jag är klar för hemgång"
    assert labels[2] == "Vad händer härnäst"


def test_home_ready_when_ready_and_the_fifth_criterion_is_checked() -> None:
    """Dalarna §6: "Hemgångsklar betyder att patienten är utskrivningsklar samt nedanstående
    kriterier är uppfyllda"."""
    checks = criteria(h(5))
    four = walk(READY_PATH, *checks[:4])
    assert four.state is S.READY
    assert apply(four, *checks[4])[0] is S.HOME_READY


def test_criteria_checked_before_readiness_make_the_declaration_home_ready() -> None:
    """Dalarna §6: the information can be given during the stay; both conditions decide."""
    facts = walk(NOTIFIED_PATH, *criteria(h(3)))
    assert facts.state is S.NOTIFIED
    assert apply(facts, Event(E.READY_DECLARED), h(4))[0] is S.HOME_READY


def test_a_criterion_is_checked_once() -> None:
    once = walk(READY_PATH, criteria(h(5))[0])
    with pytest.raises(TransitionError, match="already checked"):
        apply(once, *criteria(h(6))[0])


# --- Named care contact, consent, SIP


def test_discharge_without_a_named_contact_is_not_blocked_but_its_deadline_is_missed() -> None:
    """Issue 16 item 7: a step another party has not taken never blocks the discharge. Dalarna §9
    Öppenvård "Fast vårdkontakt ska ha utsetts innan personen skrivs ut" becomes a missed deadline
    (a proposed deviation), and the payment rules draw the consequence."""
    facts = walk(admit(), notice(h(1)), event(E.READY_DECLARED, h(4)))
    state, discharged = apply(facts, Event(E.DISCHARGED), h(8))
    assert state is S.DISCHARGED
    contact = [d for d in deadlines(discharged, h(9)) if d.kind is DeadlineKind.NAMED_CONTACT]
    assert [(d.due_at, d.met_at, d.missed) for d in contact] == [(h(8), None, True)]
    # Appointed late, it is recorded (the payment rules read when) and the SIP can follow.
    _, late = apply(discharged, *event(E.NAMED_CONTACT_APPOINTED, h(10)))
    assert (late.state, late.named_contact_at) == (S.DISCHARGED, h(10))


def test_discharge_without_primary_care_needs_no_named_contact() -> None:
    """Dalarna §9: the duty is on the primary care unit "som mottar ett inskrivningsmeddelande"."""
    facts = walk(admit(), notice(h(1), MUN), event(E.READY_DECLARED, h(4)))
    assert apply(facts, Event(E.DISCHARGED), h(8))[0] is S.DISCHARGED


def test_named_contact_is_appointed_by_notified_primary_care_only() -> None:
    """Dalarna §6 Fast vårdkontakt: the head of unit "som mottar ett inskrivningsmeddelande"."""
    facts = walk(admit(), notice(h(1), MUN))
    with pytest.raises(TransitionError, match="received the admission notice"):
        apply(facts, *event(E.NAMED_CONTACT_APPOINTED, h(2)))


def test_a_replaced_named_contact_keeps_the_first_appointment_time() -> None:
    """Dalarna §11: what counts is that a named contact existed, from when it first did."""
    facts = walk(NOTIFIED_PATH, event(E.NAMED_CONTACT_APPOINTED, h(20)))
    assert facts.named_contact_at == h(2)


def test_discharge_cannot_precede_readiness() -> None:
    with pytest.raises(TransitionError, match="precede the readiness"):
        apply(reach(S.READY), Event(E.DISCHARGED), h(3))


def test_sip_summons_needs_primary_care_consent() -> None:
    """Dalarna §7 "SIP ska upprättas om patienten samtycker"; §11 without consent the named
    contact "kan inte ... kalla"."""
    facts = walk(admit(), notice(h(1)), event(E.NAMED_CONTACT_APPOINTED, h(2)), consent(h(2), MUN))
    with pytest.raises(TransitionError, match="consent"):
        apply(facts, *summons(h(3)))


def test_sip_summons_needs_the_named_contact() -> None:
    """Dalarna §9 Öppenvård: "Den utsedda fasta vårdkontakten ska kalla"."""
    facts = walk(admit(), notice(h(1)), consent(h(2)))
    with pytest.raises(TransitionError, match="appoint one first"):
        apply(facts, *summons(h(3)))


def test_sip_summons_goes_to_the_other_parties() -> None:
    """Stockholm appendix §3 SIP: "skickas till berörda enheter" by primary care itself."""
    with pytest.raises(TransitionError, match="other parties"):
        apply(reach(S.READY), *summons(h(5), PC))
    facts = walk(READY_PATH, summons(h(5), MUN, WARD))
    assert facts.sip_needed is True
    assert facts.messages[-1].kind is MessageKind.SIP_SUMMONS
    assert facts.messages[-1].recipients == {MUN, WARD}


def test_each_party_records_its_own_consent_once() -> None:
    """Stockholm appendix §3 Samtycke: "Respektive part ska hämta sitt eget samtycke"."""
    facts = walk(NOTIFIED_PATH, consent(h(3), MUN))
    assert facts.consents == {PC, MUN}
    with pytest.raises(TransitionError, match="already recorded"):
        apply(facts, *consent(h(4), MUN))


def test_sip_is_held_after_its_summons_and_may_follow_the_discharge() -> None:
    """Stockholm appendix §3 SIP: "SIP ska vanligtvis göras i hemmet"."""
    with pytest.raises(TransitionError, match="after it has been summoned"):
        apply(reach(S.DISCHARGED), PAYLOAD[E.SIP_HELD], h(20))
    facts = walk(
        READY_PATH, event(E.DISCHARGED, h(8)), summons(h(9)),
        event(E.SIP_HELD, h(30), parties=frozenset({MUN, PC})),
    )  # fmt: skip
    assert facts.state is S.DISCHARGED
    assert (facts.sip_held_at, facts.sip_participants) == (h(30), frozenset({MUN, PC}))


def test_sip_held_names_its_participants() -> None:
    """Issue #3 step 6: "SIP held ..., with participants"."""
    with pytest.raises(TransitionError, match="took part"):
        apply(walk(READY_PATH, summons(h(5))), Event(E.SIP_HELD), h(6))


# --- Discharge notice, discharge, closure


def test_discharge_notice_follows_readiness_and_may_be_corrected() -> None:
    """Dalarna §6 Utskrivningsmeddelande: where and when; a corrected one keeps the state."""
    with pytest.raises(TransitionError, match="follows the readiness"):
        apply(reach(S.NOTIFIED), *event(E.DISCHARGE_NOTICE_SENT, h(5)))
    facts = walk(READY_PATH, event(E.DISCHARGE_NOTICE_SENT, h(5)),
                 event(E.DISCHARGE_NOTICE_SENT, h(6)))  # fmt: skip
    assert facts.state is S.DISCHARGE_NOTIFIED
    assert facts.discharge_notice_at == h(6)


def test_a_patient_never_ready_can_still_be_discharged() -> None:
    """Payment engine "no readiness notification: not a ready patient": such episodes exist."""
    assert apply(reach(S.NOTIFIED), Event(E.DISCHARGED), h(20))[0] is S.DISCHARGED


def test_closing_marks_the_contact_done_after_discharge() -> None:
    """Västmanland §3.4 point 3: closed contacts "med status UTFÖRD"."""
    facts = reach(S.CLOSED)
    assert facts.closed_at == h(9)
    with pytest.raises(TransitionError, match="before the discharge"):
        apply(reach(S.DISCHARGED), Event(E.CLOSED), h(7))
    with pytest.raises(TransitionError, match="closed"):
        apply(facts, Event(E.READY_WITHDRAWN), h(10))


# --- Acknowledgements and deviations


def test_a_receipt_covers_every_message_of_its_kind_received_so_far() -> None:
    """Issue #3: "Every recipient acknowledges (kvittens) what it received"."""
    change = MessageKind.ESTIMATED_DISCHARGE_CHANGE
    facts = walk(
        NOTIFIED_PATH,
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(5), estimated_discharge=date(2020, 3, 11)),
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(6), estimated_discharge=date(2020, 3, 13)),
        ack(h(7), MUN, change),
    )
    changes = [m for m in facts.messages if m.kind is change]
    assert [m.acknowledged_at(MUN) for m in changes] == [h(7), h(7)]
    assert [m.acknowledged_at(PC) for m in changes] == [None, None]
    with pytest.raises(TransitionError, match="Nothing to acknowledge"):
        apply(facts, *ack(h(8), MUN, change))


def test_a_receipt_cannot_precede_its_message_or_come_from_a_non_recipient() -> None:
    facts = walk(admit(), notice(h(1), MUN))
    with pytest.raises(TransitionError, match="Nothing to acknowledge"):
        apply(facts, *ack(h(0.5), MUN, MessageKind.ADMISSION_NOTICE))
    with pytest.raises(TransitionError, match="Nothing to acknowledge"):
        apply(facts, *ack(h(2), PC, MessageKind.ADMISSION_NOTICE))


def test_receipts_and_deviations_are_still_recorded_after_closure() -> None:
    """Stockholm §11–12: deviations are followed up afterwards, in aggregate."""
    facts = reach(S.CLOSED)
    assert apply(facts, *ack(h(10), MUN, MessageKind.READINESS_NOTIFICATION))[0] is S.CLOSED
    assert apply(facts, Event(E.DEVIATION_REPORTED, party=PC), h(10))[0] is S.CLOSED


def test_a_deviation_names_its_reporting_party() -> None:
    with pytest.raises(TransitionError, match="which party"):
        apply(reach(S.READY), Event(E.DEVIATION_REPORTED), h(5))


# --- The compulsory psychiatric care path (ÖPT/ÖRV)

AWAITING_PATH = [*NOTIFIED_PATH, event(E.COORDINATED_CARE_PLAN_RECORDED, h(3))]


def test_readiness_on_the_compulsory_path_waits_for_the_court() -> None:
    """Dalarna §9: "Tvångsvården fortgår tills förvaltningsrätten beslutar ... Läkaren bedömer om
    patienten är utskrivningsklar efter beslut från förvaltningsrätten"."""
    facts = walk(AWAITING_PATH)
    assert facts.compulsory_path
    with pytest.raises(TransitionError, match="after förvaltningsrätten's decision"):
        apply(facts, Event(E.READY_DECLARED), h(5))
    with pytest.raises(TransitionError, match="until förvaltningsrätten decides"):
        apply(facts, Event(E.DISCHARGED), h(5))
    decided = walk(AWAITING_PATH, event(E.COURT_DECISION_RECORDED, h(48), court_granted=True))
    assert decided.state is S.NOTIFIED
    assert apply(decided, Event(E.READY_DECLARED), h(50))[0] is S.READY


def test_readiness_cannot_be_backdated_before_the_court_decision() -> None:
    """Dalarna §9: readiness "efter beslut från förvaltningsrätten"."""
    decided = walk(AWAITING_PATH, event(E.COURT_DECISION_RECORDED, h(48), court_granted=True))
    with pytest.raises(TransitionError, match="after förvaltningsrätten's decision"):
        apply(decided, Event(E.READY_DECLARED), h(40))


def test_the_court_decision_records_its_outcome_after_the_plan() -> None:
    """Dalarna §9: "bifall eller avslag"; the plan is attached to the application (LPT 7 a §)."""
    facts = walk(AWAITING_PATH)
    with pytest.raises(TransitionError, match="granted or refused"):
        apply(facts, Event(E.COURT_DECISION_RECORDED), h(48))
    with pytest.raises(TransitionError, match="precede the coordinated care plan"):
        apply(facts, PAYLOAD[E.COURT_DECISION_RECORDED], h(2.5))


def test_a_refused_application_leaves_the_compulsory_path() -> None:
    """Stockholm appendix §3 SIP: the LPT plan replaces the SIP only for those going to ÖPT/ÖRV."""
    refused = walk(AWAITING_PATH, event(E.COURT_DECISION_RECORDED, h(48), court_granted=False))
    assert not refused.compulsory_path
    granted = walk(AWAITING_PATH, event(E.COURT_DECISION_RECORDED, h(48), court_granted=True))
    assert granted.compulsory_path


def test_a_new_care_plan_starts_a_new_application() -> None:
    """Dalarna §9: each application carries its own coordinated care plan."""
    facts = walk(
        AWAITING_PATH, event(E.COURT_DECISION_RECORDED, h(48), court_granted=False),
        event(E.COORDINATED_CARE_PLAN_RECORDED, h(60)),
    )  # fmt: skip
    assert facts.state is S.AWAITING_COURT_DECISION
    assert (facts.court_decision_at, facts.court_granted) == (None, None)


def test_the_care_plan_precedes_readiness() -> None:
    """Dalarna §9: the plan goes with the application, and readiness follows the decision."""
    with pytest.raises(TransitionError, match="before readiness"):
        apply(reach(S.READY), Event(E.COORDINATED_CARE_PLAN_RECORDED), h(6))


def test_times_in_utc_and_local_time_are_the_same_instants() -> None:
    """Conventions "Time": the service stores UTC; the process compares instants."""
    facts = walk(admit(), notice(h(1)))
    utc = h(1.5).astimezone(UTC)
    assert apply(facts, *ack(utc, MUN, MessageKind.ADMISSION_NOTICE))[0] is S.NOTIFIED
