"""The discharge process of Lag 2017:612 as plain Python: states, transitions, deadlines, duties.

The Django service keeps the events; this package decides which may happen and what they imply.
"""

from utskrivning.domain.process.deadlines import (
    Deadline,
    DeadlineKind,
    acknowledgement_due,
    admission_notice_due,
    deadlines,
    named_contact_due,
    sip_summons_due,
)
from utskrivning.domain.process.facts import EpisodeFacts, Event, Message, TransitionError
from utskrivning.domain.process.obligations import Action, Obligation, obligations
from utskrivning.domain.process.states import (
    EpisodeState,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
)
from utskrivning.domain.process.transitions import allowed_events, apply, replay

__all__ = [
    "Action",
    "Deadline",
    "DeadlineKind",
    "EpisodeFacts",
    "EpisodeState",
    "Event",
    "EventType",
    "HomeCriterion",
    "Message",
    "MessageKind",
    "Obligation",
    "Party",
    "TransitionError",
    "acknowledgement_due",
    "admission_notice_due",
    "allowed_events",
    "apply",
    "deadlines",
    "named_contact_due",
    "obligations",
    "replay",
    "sip_summons_due",
]
