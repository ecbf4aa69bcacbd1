"""The planning record in the facts (issue 11 item 1): the estimated date's history with who
moved it (Västmanland §3.3), the named care contact as a person, the SIP's time and place, who
ticked each home-going criterion, the discharge notice's planned time; steps refused without
them, naming the field; events stored before them still fold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.test_process import ESTIMATE, MUN, PC, T0, admit, consent, event, h, notice, walk
from process_histories import CONTACT
from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    Signature,
    SipMeeting,
    TransitionError,
    apply,
    facts_from_json,
    facts_to_json,
    replay,
    row_facts,
)

E = EventType
WARD_NURSE = Signature("Anna Ek", "Avdelning 12")
PHYSICIAN = Signature("Per Lind", "Avdelning 12")
HEAD = Signature("Eva Berg", "Vårdcentral C")
NEXT = HomeCriterion.WHAT_HAPPENS_NEXT


def signed(step, by):
    e, at = step
    return replace(e, by=by), at


def moved(at, estimate):
    return event(E.ESTIMATED_DISCHARGE_CHANGED, at, estimated_discharge=estimate)


def test_the_estimate_s_history_says_who_moved_it_when_and_how_often():
    first = Event(E.ADMITTED, estimated_discharge=date(2020, 3, 6), by=WARD_NURSE)
    facts = walk(
        (first, T0),
        signed(notice(h(1), estimate=date(2020, 3, 6)), WARD_NURSE),  # the same date: no line
        signed(moved(h(30), ESTIMATE), PHYSICIAN),
        signed(moved(h(50), date(2020, 3, 12)), WARD_NURSE),
    )
    assert [(e.estimate, e.at, e.by) for e in facts.estimates] == [
        (date(2020, 3, 6), T0, WARD_NURSE),
        (ESTIMATE, h(30), PHYSICIAN),
        (date(2020, 3, 12), h(50), WARD_NURSE),
    ]
    assert facts.estimated_discharge == date(2020, 3, 12)
    assert facts.estimated_discharge_changes == 2


def test_the_admission_s_estimate_serves_the_notice_which_may_give_another():
    admitted = Event(E.ADMITTED, estimated_discharge=ESTIMATE)
    _, facts = apply(
        replay([(admitted, T0)]), Event(E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN})), h(1)
    )
    assert facts.estimated_discharge == ESTIMATE and len(facts.estimates) == 1
    other = Event(
        E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN}), estimated_discharge=date(2020, 3, 10)
    )
    _, facts = apply(replay([(admitted, T0)]), other, h(1))
    assert [e.estimate for e in facts.estimates] == [ESTIMATE, date(2020, 3, 10)]
    with pytest.raises(TransitionError, match="estimated discharge date"):
        apply(replay([admit()]), Event(E.ADMISSION_NOTICE_SENT, parties=frozenset({MUN})), h(1))
    with pytest.raises(TransitionError, match="before the admission"):
        apply(EpisodeFacts(), Event(E.ADMITTED, estimated_discharge=date(2020, 3, 1)), T0)


def test_contact_sip_criteria_and_planned_discharge_are_kept_with_who():
    meeting = SipMeeting(h(48), "Vårdcentral C, rum 3", "https://möte.example/sip")
    facts = walk(
        admit(), notice(h(1)),
        signed(event(E.NAMED_CONTACT_APPOINTED, h(2), contact=CONTACT), HEAD),
        consent(h(3), PC),
        event(E.SIP_NEED_ASSESSED, h(3), sip_needed=True),
        event(E.READY_DECLARED, h(4)),
        signed(event(E.SIP_SUMMONED, h(5), parties=frozenset({MUN}), meeting=meeting), HEAD),
        signed(event(E.HEMGANGSKLAR_CHECKED, h(6), criterion=NEXT), PHYSICIAN),
        event(E.DISCHARGE_NOTICE_SENT, h(7), planned_discharge=h(26)),
    )  # fmt: skip
    assert facts.care_contact is not None
    assert (facts.care_contact.contact, facts.care_contact.at, facts.care_contact.by) == (
        CONTACT, h(2), HEAD,
    )  # fmt: skip
    assert (facts.sip_meeting, facts.sip_invited, facts.sip_summoned_by) == (
        meeting, frozenset({MUN}), HEAD,
    )  # fmt: skip
    assert [(c.criterion, c.by) for c in facts.criteria_checks] == [(NEXT, PHYSICIAN)]
    assert facts.planned_discharge == h(26)
    assert facts_from_json(facts_to_json(facts)) == row_facts(facts)
    withdrawn = walk(
        admit(), notice(h(1)), event(E.READY_DECLARED, h(4)),
        event(E.HEMGANGSKLAR_CHECKED, h(6), criterion=NEXT),
        event(E.DISCHARGE_NOTICE_SENT, h(7)), event(E.READY_WITHDRAWN, h(8)),
    )  # fmt: skip
    assert (withdrawn.criteria_checks, withdrawn.planned_discharge) == ((), None)


def test_a_step_stored_before_its_details_still_folds():
    facts = walk(
        admit(), notice(h(1)),
        (Event(E.NAMED_CONTACT_APPOINTED), h(2)),
        (Event(E.DISCHARGE_NOTICE_SENT), h(3)),
    )  # fmt: skip
    assert facts.named_contact_at == h(2) and facts.care_contact is None
    assert facts.planned_discharge is None


@pytest.mark.parametrize(
    ("steps", "refused", "field"),
    [
        ([], Event(E.NAMED_CONTACT_APPOINTED), "contact"),
        ([event(E.NAMED_CONTACT_APPOINTED, h(2)), consent(h(2), PC)],
         Event(E.SIP_SUMMONED, parties=frozenset({MUN})), "meeting"),
        ([event(E.NAMED_CONTACT_APPOINTED, h(2)), consent(h(2), PC)],
         Event(E.SIP_SUMMONED, parties=frozenset({MUN}), meeting=SipMeeting(h(30))), "meeting"),
        ([event(E.NAMED_CONTACT_APPOINTED, h(2)), consent(h(2), PC)],
         Event(E.SIP_SUMMONED, parties=frozenset({MUN}), meeting=SipMeeting(h(1), "Rum 3")),
         "meeting.starts_at"),
        ([event(E.NAMED_CONTACT_APPOINTED, h(2)), consent(h(2), PC)],
         Event(E.SIP_SUMMONED, parties=frozenset({MUN}),
               meeting=SipMeeting(h(24 * 400), "Rum 3")), "meeting.starts_at"),
        ([event(E.READY_DECLARED, h(3))], Event(E.DISCHARGE_NOTICE_SENT), "planned_discharge"),
        ([event(E.READY_DECLARED, h(3))],
         Event(E.DISCHARGE_NOTICE_SENT, planned_discharge=h(2)), "planned_discharge"),
        ([event(E.READY_DECLARED, h(3))],
         Event(E.DISCHARGE_NOTICE_SENT, planned_discharge=h(30).replace(tzinfo=None)),
         "planned_discharge"),
    ],
)  # fmt: skip
def test_a_step_without_its_details_is_refused_naming_the_field(steps, refused, field):
    facts = walk(admit(), notice(h(1)), *steps)
    with pytest.raises(TransitionError) as error:
        apply(facts, refused, h(4) + timedelta(minutes=1))
    assert error.value.field == field
