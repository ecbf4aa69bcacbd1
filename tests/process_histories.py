"""Random histories of the discharge process, for the property tests of the projection: any step
with any details at any time, offered to `apply` one by one; the accepted ones are the history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import strategies as st

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import (
    CareContact,
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    Signature,
    SipMeeting,
    TransitionError,
    apply,
)

T0 = datetime(2020, 3, 2, 9, 0, tzinfo=STOCKHOLM)
# Steps that end or divert the process come rarely, so a history gets far before they do.
RARE = (EventType.DISCHARGED, EventType.CLOSED, EventType.COORDINATED_CARE_PLAN_RECORDED)
NOT_STEPS = (
    EventType.IMPORTED,
    EventType.EVENT_VOIDED,
    EventType.PATIENT_DETAILS_CHANGED,
    EventType.NOTE_SENT,
)
STEP_TYPES = [t for t in EventType if t not in (*RARE, *NOT_STEPS)]
MUN, PC, WARD = Party.MUNICIPALITY, Party.PRIMARY_CARE, Party.INPATIENT_CARE


def mostly(values: list, *rare: object) -> st.SearchStrategy:
    """Each of `values` often, each of `rare` (a missing or wrong detail) now and then."""
    return st.sampled_from([*values, *values, *values, *rare])


CONTACT = CareContact("Karin Lind", "023-49 00 00", "Distriktssköterska", "Vårdcentral C")
CONTACT_JSON = {"contact": {"name": CONTACT.name, "phone": CONTACT.phone}}  # an API body's


def detailed(event: Event, at: datetime) -> Event:
    """`event` with the details its step must give (issue 11 item 1), where it lacks them: the
    named care contact, the SIP's time and place, the planned discharge a day after `at`."""
    tomorrow = at + timedelta(days=1)
    if event.type is EventType.NAMED_CONTACT_APPOINTED and event.contact is None:
        return replace(event, contact=CONTACT)
    if event.type is EventType.SIP_SUMMONED and event.meeting is None:
        return replace(event, meeting=SipMeeting(tomorrow, "Vårdcentral C, rum 3"))
    if event.type is EventType.DISCHARGE_NOTICE_SENT and event.planned_discharge is None:
        return replace(event, planned_discharge=tomorrow)
    return event


events = st.builds(
    Event,
    type=mostly(STEP_TYPES, *RARE),
    party=mostly(list(Party), None),
    parties=mostly(
        [frozenset({MUN, PC}), frozenset({MUN}), frozenset({PC}), frozenset({WARD, MUN})],
        frozenset(),
    ),
    message=mostly(list(MessageKind), None),
    criterion=mostly(list(HomeCriterion), None),
    estimated_discharge=st.one_of(st.dates(date(2020, 3, 1), date(2020, 4, 30)), st.none()),
    support_needed=st.booleans(),
    municipal_health_care=st.booleans(),
    sip_needed=mostly([True, False], None),
    court_granted=mostly([True, False], None),
    contact=mostly([CONTACT, CareContact("Per Ek", "+46 70 123 45 67")]),
    by=mostly([Signature("Anna Ek", "Avdelning 12"), Signature("Per Ek", "Falu kommun")], None),
)
# Mostly forward in time; sometimes a little back (a receipt recorded late claims its own time).
steps = st.lists(st.tuples(events, st.integers(-120, 48 * 60)), min_size=10, max_size=60)


def accepted(offered: list[tuple[Event, int]]) -> tuple[list[tuple[Event, datetime]], EpisodeFacts]:
    """The steps `apply` accepted, in order, and the facts it left: what the service writes."""
    facts = EpisodeFacts()
    history: list[tuple[Event, datetime]] = []
    at = T0
    for event, minutes in [(Event(EventType.ADMITTED), 0), *offered]:
        at = max(T0, at + timedelta(minutes=minutes))
        event = detailed(event, at)
        try:
            _, facts = apply(facts, event, at)
        except TransitionError:
            continue
        history.append((event, at))
    return history, facts
