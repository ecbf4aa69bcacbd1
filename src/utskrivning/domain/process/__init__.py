"""The discharge process of Lag 2017:612 as plain Python: states, transitions, deadlines, duties.

The Django service keeps the events; this package decides which may happen and what they imply.
"""

from utskrivning.domain.process.clock import (
    SERVICE_TIMED,
    readable,
    step_time,
    stored_faults,
    without_faults,
)
from utskrivning.domain.process.deadlines import (
    Deadline,
    DeadlineKind,
    abridged_deadlines,
    acknowledgement_due,
    admission_notice_due,
    deadlines,
    named_contact_due,
    next_due,
    next_due_by_party,
    sip_summons_due,
    step_deadline_count,
    unmet_deadlines,
)
from utskrivning.domain.process.details import CareContact, Signature, SipMeeting
from utskrivning.domain.process.facts import (
    Awaiting,
    EpisodeFacts,
    Event,
    FileRecord,
    Message,
    TransitionError,
)
from utskrivning.domain.process.obligations import (
    Action,
    Obligation,
    obligations,
    owes_a_step,
    parties_owing,
)
from utskrivning.domain.process.snapshot import facts_from_json, facts_to_json, row_facts
from utskrivning.domain.process.states import (
    EpisodeState,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
)
from utskrivning.domain.process.transitions import (
    allowed_events,
    apply,
    awaiting_of,
    fold,
    judge,
    open_steps,
    replay,
    state_of,
)

__all__ = [
    "SERVICE_TIMED",
    "Action",
    "Awaiting",
    "CareContact",
    "Deadline",
    "DeadlineKind",
    "EpisodeFacts",
    "EpisodeState",
    "Event",
    "EventType",
    "FileRecord",
    "HomeCriterion",
    "Message",
    "MessageKind",
    "Obligation",
    "Party",
    "Signature",
    "SipMeeting",
    "TransitionError",
    "abridged_deadlines",
    "acknowledgement_due",
    "admission_notice_due",
    "allowed_events",
    "apply",
    "awaiting_of",
    "deadlines",
    "facts_from_json",
    "facts_to_json",
    "fold",
    "judge",
    "named_contact_due",
    "next_due",
    "next_due_by_party",
    "obligations",
    "open_steps",
    "owes_a_step",
    "parties_owing",
    "readable",
    "replay",
    "row_facts",
    "sip_summons_due",
    "state_of",
    "step_deadline_count",
    "step_time",
    "stored_faults",
    "unmet_deadlines",
    "without_faults",
]
