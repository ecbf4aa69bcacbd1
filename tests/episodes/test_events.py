"""The Event as stored: every field survives the payload, defaults are left out, and the API's
schema takes every field the Event has."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from utskrivning.domain.process import Event, EventType, HomeCriterion, MessageKind, Party
from utskrivning.episodes.api import EventIn
from utskrivning.episodes.events import CALLER_FIELDS, event_from_payload, event_to_payload

events = st.builds(
    Event,
    type=st.sampled_from(EventType),
    party=st.none() | st.sampled_from(Party),
    parties=st.frozensets(st.sampled_from(Party)),
    message=st.none() | st.sampled_from(MessageKind),
    criterion=st.none() | st.sampled_from(HomeCriterion),
    estimated_discharge=st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    support_needed=st.booleans(),
    municipal_health_care=st.booleans(),
    sip_needed=st.none() | st.booleans(),
    court_granted=st.none() | st.booleans(),
    voids=st.none() | st.integers(1, 2**63 - 1),
)


@given(events)
def test_every_field_reads_back_as_it_was_stored(event):
    assert event_from_payload(event.type.value, event_to_payload(event)) == event


def test_a_field_at_its_default_is_left_out():
    assert event_to_payload(Event(EventType.ADMITTED)) == {}
    assert event_to_payload(Event(EventType.ADMITTED, support_needed=False)) == {
        "support_needed": False
    }


def test_the_api_schema_takes_every_field_a_caller_gives():
    assert set(CALLER_FIELDS) <= set(EventIn.model_fields)
