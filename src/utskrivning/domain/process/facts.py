"""What has happened on an episode so far, and the events that change it.

Times are timezone-aware: the service stores UTC, and the process's deadlines are computed on
Stockholm's local clock from them. Facts are immutable; `apply` returns new ones, so the service
can check a step before it writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from utskrivning.domain.process.details import (
    Appointment,
    CareContact,
    CriterionCheck,
    EstimateEntry,
    Signature,
    SipMeeting,
)
from utskrivning.domain.process.states import (
    EpisodeState,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
)


class TransitionError(Exception):
    """A step the process does not allow now; `reason` is a fixed sentence the UI translates.
    `field` names the step's value at fault when it is a wrong value, not a step out of turn."""

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class FileRecord:
    """An episode as a row of the episode file gives it: what the region recorded, not steps.

    The file has no messages or receipts, so an imported episode has none; its times are taken
    as they are (the file is the region's record), never judged by today's guards.
    """

    recipients: frozenset[Party] = frozenset()
    admission_notice_at: datetime | None = None
    ready_at: datetime | None = None
    ready_declarations: int = 0
    named_contact_at: datetime | None = None
    sip_needed: bool | None = None
    sip_summoned_at: datetime | None = None
    sip_held_at: datetime | None = None
    discharged_at: datetime | None = None
    closed: bool = False


@dataclass(frozen=True)
class Event:
    """One step; only the fields its type uses are read (the guards say which are required).

    `support_needed`: on `admitted`, whether the physician already judges that support may be
    needed (False when that judgement comes later, as `support_need_assessed`).
    `municipal_health_care`: on `admission_notice_sent`, the municipality's health care is needed.
    `parties`: the admission notice's or SIP summons' recipients; the SIP's participants.
    `party`: who records consent, acknowledges or reports a deviation.
    `message`: which kind of message is acknowledged.
    `record`: on `imported`, the file's row. `voids`: on `event_voided`, the voided event's id.
    `estimated_discharge` may come with the admission already, as with the notice or a change.
    `contact`: on `named_contact_appointed`, the person. `meeting`: on `sip_summoned`, when and
    where. `planned_discharge`: on `discharge_notice_sent`, the planned time of discharge.
    `by`: who took the step, set by the service (never by a caller).
    """

    type: EventType
    party: Party | None = None
    parties: frozenset[Party] = frozenset()
    message: MessageKind | None = None
    criterion: HomeCriterion | None = None
    estimated_discharge: date | None = None
    support_needed: bool = True
    municipal_health_care: bool = False
    sip_needed: bool | None = None
    court_granted: bool | None = None
    record: FileRecord | None = None
    voids: int | None = None
    contact: CareContact | None = None
    meeting: SipMeeting | None = None
    planned_discharge: datetime | None = None
    by: Signature | None = None


@dataclass(frozen=True)
class Message:
    kind: MessageKind
    sent_at: datetime
    recipients: frozenset[Party]
    acknowledgements: tuple[tuple[Party, datetime], ...] = ()

    def acknowledged_at(self, party: Party) -> datetime | None:
        return next((at for who, at in self.acknowledgements if who == party), None)

    def awaits(self, party: Party, kind: MessageKind) -> bool:
        """Whether `party` has this message of `kind` and has not acknowledged it."""
        return (
            self.kind == kind and party in self.recipients and self.acknowledged_at(party) is None
        )


@dataclass(frozen=True)
class Awaiting:
    """A party's oldest message of one kind without its receipt: all a write needs of the
    messages (the receipt's deadline runs from the oldest; a receipt covers every one so far)."""

    party: Party
    kind: MessageKind
    since: datetime


@dataclass(frozen=True)
class EpisodeFacts:
    """`state` is None before the admission is recorded."""

    state: EpisodeState | None = None
    admitted_at: datetime | None = None
    # The first judgement that support may be needed after discharge: the notice's 24 h run from it.
    support_assessed_at: datetime | None = None
    admission_notice_at: datetime | None = None
    recipients: frozenset[Party] = frozenset()
    estimated_discharge: date | None = None
    estimated_discharge_changes: int = 0
    ready_at: datetime | None = None  # the readiness in force; None after a withdrawal
    ready_declarations: int = 0
    ready_withdrawals: int = 0
    named_contact_at: datetime | None = None
    consents: frozenset[Party] = frozenset()
    sip_needed: bool | None = None  # None: not assessed
    sip_summoned_at: datetime | None = None
    sip_held_at: datetime | None = None
    sip_participants: frozenset[Party] = frozenset()
    home_criteria: frozenset[HomeCriterion] = frozenset()
    discharge_notice_at: datetime | None = None
    discharged_at: datetime | None = None
    closed_at: datetime | None = None
    care_plan_at: datetime | None = None
    court_decision_at: datetime | None = None
    court_granted: bool | None = None
    # The messages and the estimates grow with the history: the episode's row keeps neither (they
    # are rows of their own), only what a write needs of them, bounded: how many messages were
    # sent, and per party and kind the oldest one awaiting its receipt. Read whole (the page, a
    # rebuild) the facts hold them all; read for a write, only those the step needs (see
    # `episodes.events`). Every rule but a receipt's effect reads `awaiting`, never `messages`.
    messages: tuple[Message, ...] = ()
    messages_sent: int = 0
    awaiting: tuple[Awaiting, ...] = ()  # ordered by party and kind
    # The planning record (issue 11 item 1): what the steps said, for every party to read.
    estimates: tuple[EstimateEntry, ...] = ()  # every date given, the current one last
    care_contact: Appointment | None = None  # the latest appointment
    sip_meeting: SipMeeting | None = None
    sip_invited: frozenset[Party] = frozenset()
    sip_summoned_by: Signature | None = None
    criteria_checks: tuple[CriterionCheck, ...] = ()  # those in force (a withdrawal clears them)
    planned_discharge: datetime | None = None  # the discharge notice's

    def awaiting_receipt(self, party: Party, kind: MessageKind, at: datetime) -> bool:
        """Whether a receipt from `party` for `kind` at `at` covers any message."""
        return any(a.party == party and a.kind == kind and a.since <= at for a in self.awaiting)

    @property
    def primary_care_involved(self) -> bool:
        return Party.PRIMARY_CARE in self.recipients

    @property
    def compulsory_path(self) -> bool:
        """Towards ÖPT/ÖRV: the plan is filed and the court has not refused the application."""
        return self.care_plan_at is not None and self.court_granted is not False

    @property
    def home_ready_criteria_met(self) -> bool:
        return self.home_criteria == frozenset(HomeCriterion)

    @property
    def ready_without_admission_notice(self) -> bool:
        """Allowed, but the municipality's liability then fails (Dalarna §11, first condition)."""
        if self.ready_at is None:
            return False
        return self.admission_notice_at is None or self.admission_notice_at > self.ready_at

    @property
    def sip_summons_owed(self) -> bool:
        """Dalarna §11: no summons without a need for both parties' support and the consent."""
        return (
            bool(self.sip_needed)
            and Party.PRIMARY_CARE in self.consents
            and not self.compulsory_path  # LPT 7 a § plan instead, Stockholm appendix §3 SIP
        )
