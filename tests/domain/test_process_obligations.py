"""What each party still owes, as the worklists show it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.test_process import (
    AWAITING_PATH,
    MUN,
    NOTIFIED_PATH,
    PC,
    READY_PATH,
    WARD,
    E,
    ack,
    admit,
    consent,
    criteria,
    event,
    h,
    notice,
    reach,
    summons,
    walk,
)
from utskrivning.domain.process import (
    Action,
    DeadlineKind,
    EpisodeFacts,
    EpisodeState,
    EventType,
    MessageKind,
    Party,
    allowed_events,
    obligations,
)

A = Action


NOW = h(6)


def owed(
    facts: EpisodeFacts, now: datetime = NOW, party: Party | None = None
) -> set[tuple[Party, Action]]:
    return {(o.party, o.action) for o in obligations(facts, now, party)}


def test_a_fresh_admission_owes_the_ward_its_notice_with_the_24_hour_deadline() -> None:
    """Dalarna §9 Regionens ansvar: the notice "inom 24 timmar efter inskrivning"."""
    (notice_due, next_step) = obligations(walk(admit()), h(1))
    assert (notice_due.party, notice_due.action) == (WARD, A.SEND_ADMISSION_NOTICE)
    assert notice_due.deadline is not None
    assert notice_due.deadline.kind is DeadlineKind.ADMISSION_NOTICE
    assert (next_step.party, next_step.action) == (WARD, A.DECLARE_READY)


def test_no_notice_is_owed_before_support_is_judged_needed() -> None:
    """Dalarna §6: the notice is for a patient who "kan komma att behöva fortsatta insatser"."""
    assert owed(walk(admit(support_needed=False))) == {(WARD, A.DECLARE_READY)}


def test_a_notice_to_both_asks_primary_care_for_a_contact_and_everyone_for_receipts() -> None:
    """Dalarna §9 Öppenvård: the head of unit "ska utse en fast vårdkontakt"; Dalarna §7 and
    Stockholm appendix §3 SIP: support from both calls for assessing a SIP."""
    facts = walk(admit(), notice(h(1)))
    assert owed(facts) == {
        (WARD, A.DECLARE_READY),
        (PC, A.APPOINT_NAMED_CONTACT),
        (PC, A.ASSESS_SIP_NEED),
        (PC, A.ACKNOWLEDGE),
        (MUN, A.ACKNOWLEDGE),
    }


def test_a_notice_to_the_municipality_alone_owes_no_contact_and_no_sip() -> None:
    """Dalarna §11: without a need for both parties' support there is no SIP to summon."""
    assert owed(walk(admit(), notice(h(1), MUN))) == {
        (WARD, A.DECLARE_READY),
        (MUN, A.ACKNOWLEDGE),
    }


def test_a_needed_sip_asks_each_notified_party_for_its_consent() -> None:
    """Stockholm appendix §3 Samtycke: "Respektive part ska hämta sitt eget samtycke"."""
    facts = walk(admit(), notice(h(1)), event(E.SIP_NEED_ASSESSED, h(2), sip_needed=True))
    assert {(PC, A.RECORD_CONSENT), (MUN, A.RECORD_CONSENT)} <= owed(facts)
    assert (PC, A.SUMMON_SIP) not in owed(facts)


def test_with_consent_primary_care_owes_the_summons_with_its_deadline_after_readiness() -> None:
    """Dalarna §9 Öppenvård: summons "senast tre dagar efter" the readiness notification."""
    before = walk(NOTIFIED_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True))
    (summon,) = [o for o in obligations(before, h(3)) if o.action is A.SUMMON_SIP]
    assert summon.deadline is None
    ready = walk(NOTIFIED_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True),
                 event(E.READY_DECLARED, h(4)))  # fmt: skip
    (summon,) = [o for o in obligations(ready, h(5)) if o.action is A.SUMMON_SIP]
    assert summon.deadline is not None
    assert summon.deadline.kind is DeadlineKind.SIP_SUMMONS


def test_after_the_summons_the_summoned_take_part_and_primary_care_holds_it() -> None:
    """Dalarna §7: "Det är alla parters ansvar att, efter kallelse, delta"; Stockholm appendix
    §2.1.1: the named care contact coordinates."""
    facts = walk(READY_PATH, summons(h(5), MUN, WARD))
    assert {
        (PC, A.HOLD_SIP),
        (MUN, A.TAKE_PART_IN_SIP),
        (WARD, A.TAKE_PART_IN_SIP),
        (WARD, A.ACKNOWLEDGE),
    } <= owed(facts)
    held = walk(READY_PATH, summons(h(5)), event(E.SIP_HELD, h(6), parties=frozenset({MUN, PC})))
    assert not {A.HOLD_SIP, A.TAKE_PART_IN_SIP} & {action for _, action in owed(held)}


def test_a_ready_patient_owes_the_ward_the_discharge_notice_and_the_checklist() -> None:
    """Dalarna §6 Utskrivningsmeddelande and Hemgångsklar; §9 the ward "bidra till att patienten
    blir hemgångsklar"."""
    assert {(WARD, A.SEND_DISCHARGE_NOTICE), (WARD, A.COMPLETE_HOME_CHECKLIST)} <= owed(
        reach(EpisodeState.READY)
    )
    home_ready = owed(walk(READY_PATH, *criteria(h(5))))
    assert (WARD, A.SEND_DISCHARGE_NOTICE) in home_ready
    assert (WARD, A.COMPLETE_HOME_CHECKLIST) not in home_ready


def test_the_ward_then_discharges_and_closes() -> None:
    """Västmanland §3.4 point 3: the contact is closed with status UTFÖRD."""
    assert (WARD, A.DISCHARGE) in owed(reach(EpisodeState.DISCHARGE_NOTIFIED))
    assert (WARD, A.CLOSE) in owed(reach(EpisodeState.DISCHARGED))


def test_a_closed_episode_owes_only_receipts() -> None:
    """Issue #3: "unacknowledged messages surface" even after the episode is done."""
    facts = reach(EpisodeState.CLOSED)
    assert {action for _, action in owed(facts, h(10))} == {A.ACKNOWLEDGE}


def test_the_compulsory_path_owes_the_court_decision_and_no_sip() -> None:
    """Dalarna §9 ÖPT/ÖRV; Stockholm appendix §3 SIP: the LPT 7 a § plan "i stället"."""
    facts = walk(AWAITING_PATH, event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True))
    duties = owed(facts)
    assert (WARD, A.RECORD_COURT_DECISION) in duties
    assert not {A.SUMMON_SIP, A.ASSESS_SIP_NEED, A.RECORD_CONSENT} & {a for _, a in duties}


def test_one_receipt_line_per_kind_of_message_with_the_earliest_deadline() -> None:
    """A receipt covers every message of its kind, so the worklist shows one line for them."""
    facts = walk(
        NOTIFIED_PATH,
        ack(h(2), MUN, MessageKind.ADMISSION_NOTICE),
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(3), estimated_discharge=date(2020, 3, 11)),
        event(E.ESTIMATED_DISCHARGE_CHANGED, h(50), estimated_discharge=date(2020, 3, 13)),
    )
    receipts = [o for o in obligations(facts, h(51), MUN) if o.action is A.ACKNOWLEDGE]
    assert len(receipts) == 1
    (receipt,) = receipts
    assert receipt.deadline is not None
    assert receipt.deadline.message is MessageKind.ESTIMATED_DISCHARGE_CHANGE
    assert receipt.deadline.due_at.date() == date(2020, 3, 3)  # the first change's


def test_obligations_can_be_read_for_one_party() -> None:
    facts = walk(admit(), notice(h(1)), consent(h(2)))
    assert owed(facts, party=MUN) == {(MUN, A.ACKNOWLEDGE)}
    assert {party for party, _ in owed(facts)} == {WARD, PC, MUN}


def test_obligations_are_listed_ward_first_then_primary_care_then_municipality() -> None:
    parties = [o.party for o in obligations(walk(admit(), notice(h(1))), h(2))]
    assert parties == sorted(parties, key=list(Party).index)


# The step that discharges each duty; taking part in a SIP is recorded when it is held.
DISCHARGED_BY = {
    A.SEND_ADMISSION_NOTICE: E.ADMISSION_NOTICE_SENT,
    A.RECORD_COURT_DECISION: E.COURT_DECISION_RECORDED,
    A.DECLARE_READY: E.READY_DECLARED,
    A.COMPLETE_HOME_CHECKLIST: E.HEMGANGSKLAR_CHECKED,
    A.SEND_DISCHARGE_NOTICE: E.DISCHARGE_NOTICE_SENT,
    A.DISCHARGE: E.DISCHARGED,
    A.CLOSE: E.CLOSED,
    A.APPOINT_NAMED_CONTACT: E.NAMED_CONTACT_APPOINTED,
    A.ASSESS_SIP_NEED: E.SIP_NEED_ASSESSED,
    A.RECORD_CONSENT: E.CONSENT_RECORDED,
    A.SUMMON_SIP: E.SIP_SUMMONED,
    A.HOLD_SIP: E.SIP_HELD,
    A.TAKE_PART_IN_SIP: E.SIP_HELD,
    A.ACKNOWLEDGE: E.ACKNOWLEDGED,
}
EPISODES = [
    *(reach(state) for state in EpisodeState),
    *(reach(state, notified=False) for state in EpisodeState if state is not EpisodeState.NOTIFIED),
    walk(admit(), event(E.READY_DECLARED, h(4))),
    walk(admit(), event(E.DISCHARGED, h(3))),  # the unsent notice is past sending
    walk(NOTIFIED_PATH, event(E.SIP_NEED_ASSESSED, h(2), sip_needed=True),
         event(E.DISCHARGED, h(3))),  # SIP at home
    walk(READY_PATH, summons(h(5), MUN, WARD), event(E.DISCHARGED, h(8))),
]  # fmt: skip


def test_every_action_maps_to_a_step() -> None:
    assert set(DISCHARGED_BY) == set(Action)


@pytest.mark.parametrize("facts", EPISODES)
def test_every_duty_owed_is_a_step_the_table_allows_now(facts: EpisodeFacts) -> None:
    """A worklist line must lead to a step the service accepts in the episode's state."""
    steps: set[EventType] = set(allowed_events(facts.state))
    for duty in obligations(facts, h(20)):
        assert DISCHARGED_BY[duty.action] in steps, duty
