"""Which steps a screen offers (`open_steps`): every step the process would take now, and no step
it would then refuse for what the episode already is ("already assessed", "already held")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.test_process import PAYLOAD, STATES, E, admit, h, reach, walk
from utskrivning.domain.process import (
    EpisodeState,
    Party,
    TransitionError,
    allowed_events,
    judge,
    open_steps,
)

AT = h(10)
CASES = [
    (state, notified, party)
    for state in STATES
    if state is not None
    for notified in (True, False)
    for party in Party
]


def _refusal(facts, event, party) -> TransitionError | None:
    step = replace(PAYLOAD[event], party=party) if PAYLOAD[event].party else PAYLOAD[event]
    try:
        judge(facts, step, AT, recorded_at=AT)
    except TransitionError as refused:
        return refused
    return None


@pytest.mark.parametrize(("state", "notified", "party"), CASES)
def test_a_step_is_offered_exactly_when_only_its_form_could_refuse_it(
    state: EpisodeState, notified: bool, party: Party
) -> None:
    facts = reach(state, notified=notified)
    offered = open_steps(facts, party=party, at=AT)
    assert offered <= allowed_events(state)
    for event in allowed_events(state):
        refused = _refusal(facts, event, party)
        if event in offered:
            # What the test's payload says may not suit this episode (which message is awaited):
            # then the refusal names the field, and the form is where it is put right.
            assert refused is None or refused.field is not None, (event, refused)
        else:
            assert refused is not None and refused.field is None, event


def test_an_assessment_already_made_at_the_admission_is_not_offered_again() -> None:
    assessed = walk([admit(support_needed=True)])
    not_yet = walk([admit(support_needed=False)])
    assert E.SUPPORT_NEED_ASSESSED not in open_steps(assessed, party=None, at=AT)
    assert E.SUPPORT_NEED_ASSESSED in open_steps(not_yet, party=None, at=AT)


def test_consent_is_offered_to_a_party_until_it_has_recorded_its_own() -> None:
    facts = reach(EpisodeState.NOTIFIED)  # primary care's consent is on the path
    assert E.CONSENT_RECORDED not in open_steps(facts, party=Party.PRIMARY_CARE, at=AT)
    assert E.CONSENT_RECORDED in open_steps(facts, party=Party.MUNICIPALITY, at=AT)
