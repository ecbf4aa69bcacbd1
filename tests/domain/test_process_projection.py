"""The projection (issue 13): folding a stored history gives what judging each step gave, and
the facts survive their JSON row exactly."""

from __future__ import annotations

import os

from hypothesis import given, settings

from process_histories import accepted, steps
from utskrivning.domain.process import (
    Event,
    EventType,
    FileRecord,
    Party,
    apply,
    awaiting_of,
    facts_from_json,
    facts_to_json,
    fold,
    replay,
    row_facts,
    state_of,
)
from utskrivning.domain.process.facts import EpisodeFacts

# Hypothesis's default hundred histories in the suite; `make fuzz` (PROPERTY_EXAMPLES) many more.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "100"))


@settings(max_examples=EXAMPLES, deadline=None)
@given(steps)
def test_replaying_a_history_folds_what_apply_judged(offered) -> None:
    history, facts = accepted(offered)
    assert replay(history) == facts
    assert state_of(facts) == facts.state


@settings(max_examples=EXAMPLES, deadline=None)
@given(steps)
def test_the_facts_survive_their_json_row(offered) -> None:
    """The row keeps all but the messages and estimates, and of the messages what a write needs."""
    _, facts = accepted(offered)
    assert facts_from_json(facts_to_json(facts)) == row_facts(facts)
    assert facts.awaiting == awaiting_of(facts.messages)
    assert facts.messages_sent == len(facts.messages)


def test_a_stored_step_is_folded_even_if_todays_guards_would_refuse_it() -> None:
    """Replay never re-judges: a discharge stored without a contact, or a consent stored without
    its party, folds as it was accepted then."""
    history, _ = accepted([])
    admitted = replay(history)
    at = history[0][1]
    assert fold(admitted, Event(EventType.CONSENT_RECORDED), at).consents == frozenset()
    closed = fold(fold(admitted, Event(EventType.DISCHARGED), at), Event(EventType.CLOSED), at)
    assert closed.state.value == "closed"


def test_an_imported_record_folds_to_its_own_times() -> None:
    """Issue 13: a discharged file row with primary care and no named contact stays discharged."""
    history, _ = accepted([])
    at = history[0][1]
    record = FileRecord(recipients=frozenset(Party), ready_at=at, discharged_at=at, closed=False)
    facts = fold(EpisodeFacts(), Event(EventType.IMPORTED, record=record), at)
    assert (facts.state.value, facts.ready_at, facts.discharged_at) == ("discharged", at, at)
    state, after = apply(facts, Event(EventType.DEVIATION_REPORTED, party=Party.MUNICIPALITY), at)
    assert (state.value, after.ready_at, after.discharged_at) == ("discharged", at, at)
