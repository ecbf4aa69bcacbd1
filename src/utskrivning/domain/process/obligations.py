"""What each party still owes on an episode: the worklists' "to do", with the deadline if any.

Sources for who owes what: Dalarna §7–9 (each party's responsibility), Stockholm appendix §2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from utskrivning.domain.process.deadlines import Deadline, DeadlineKind, unmet_deadlines
from utskrivning.domain.process.facts import EpisodeFacts
from utskrivning.domain.process.states import EpisodeState, Party
from utskrivning.domain.process.transitions import BEFORE_DISCHARGE

S = EpisodeState


class Action(StrEnum):
    SEND_ADMISSION_NOTICE = "send_admission_notice"
    RECORD_COURT_DECISION = "record_court_decision"
    DECLARE_READY = "declare_ready"
    COMPLETE_HOME_CHECKLIST = "complete_home_checklist"
    SEND_DISCHARGE_NOTICE = "send_discharge_notice"
    DISCHARGE = "discharge"
    CLOSE = "close"
    APPOINT_NAMED_CONTACT = "appoint_named_contact"
    ASSESS_SIP_NEED = "assess_sip_need"
    RECORD_CONSENT = "record_consent"
    SUMMON_SIP = "summon_sip"
    HOLD_SIP = "hold_sip"
    TAKE_PART_IN_SIP = "take_part_in_sip"
    ACKNOWLEDGE = "acknowledge"


@dataclass(frozen=True)
class Obligation:
    party: Party
    action: Action
    deadline: Deadline | None = None  # for ACKNOWLEDGE, `deadline.message` says which message


_WARD_STEPS = {
    S.ADMITTED: Action.DECLARE_READY,
    S.NOTIFIED: Action.DECLARE_READY,
    S.AWAITING_COURT_DECISION: Action.RECORD_COURT_DECISION,
    S.READY: Action.SEND_DISCHARGE_NOTICE,
    S.HOME_READY: Action.SEND_DISCHARGE_NOTICE,
    S.DISCHARGE_NOTIFIED: Action.DISCHARGE,
    S.DISCHARGED: Action.CLOSE,
}


def _inpatient_care(facts: EpisodeFacts, due: dict[DeadlineKind, Deadline]) -> list[Obligation]:
    owed = []
    if (
        facts.state in BEFORE_DISCHARGE
        and facts.support_assessed_at is not None
        and facts.admission_notice_at is None
    ):
        owed.append(
            Obligation(
                Party.INPATIENT_CARE,
                Action.SEND_ADMISSION_NOTICE,
                due.get(DeadlineKind.ADMISSION_NOTICE),
            )
        )
    if facts.state in _WARD_STEPS:
        owed.append(Obligation(Party.INPATIENT_CARE, _WARD_STEPS[facts.state]))
    # Dalarna §8–9: every party "bidra till att patienten blir hemgångsklar"; the ward records it.
    if facts.state in (S.READY, S.DISCHARGE_NOTIFIED) and not facts.home_ready_criteria_met:
        owed.append(Obligation(Party.INPATIENT_CARE, Action.COMPLETE_HOME_CHECKLIST))
    return owed


def _sip(facts: EpisodeFacts, due: dict[DeadlineKind, Deadline]) -> list[Obligation]:
    """Dalarna §7 and §11: a SIP when support from both is needed and the patient consents."""
    if facts.compulsory_path:  # LPT 7 a § coordinated care plan instead, Stockholm appendix §3
        return []
    owed = []
    both = {Party.MUNICIPALITY, Party.PRIMARY_CARE} <= facts.recipients
    if both and facts.sip_needed is None and facts.sip_summoned_at is None:
        owed.append(Obligation(Party.PRIMARY_CARE, Action.ASSESS_SIP_NEED))
    if facts.sip_needed and facts.sip_held_at is None:
        # Stockholm appendix §3 Samtycke: "Respektive part ska hämta sitt eget samtycke".
        owed += [
            Obligation(party, Action.RECORD_CONSENT)
            for party in sorted(facts.recipients - facts.consents)
        ]
    if facts.sip_summons_owed and facts.sip_summoned_at is None:
        owed.append(
            Obligation(Party.PRIMARY_CARE, Action.SUMMON_SIP, due.get(DeadlineKind.SIP_SUMMONS))
        )
    if facts.sip_summoned_at is not None and facts.sip_held_at is None:
        # Stockholm appendix §2.1.1: the named care contact coordinates the SIP.
        owed.append(Obligation(Party.PRIMARY_CARE, Action.HOLD_SIP))
        # Dalarna §7: "Det är alla parters ansvar att, efter kallelse, delta".
        owed += [Obligation(party, Action.TAKE_PART_IN_SIP) for party in sorted(facts.sip_invited)]
    return owed


def obligations(facts: EpisodeFacts, now: datetime, party: Party | None = None) -> list[Obligation]:
    """The steps still owed, for one party or all; a closed episode owes only receipts, one line
    per party and kind of message (a receipt covers all of that kind received so far)."""
    unmet = unmet_deadlines(facts, now)
    owed = []
    if facts.state in BEFORE_DISCHARGE or facts.state is S.DISCHARGED:
        due: dict[DeadlineKind, Deadline] = {
            d.kind: d for d in unmet if d.kind is not DeadlineKind.ACKNOWLEDGEMENT
        }
        owed += _inpatient_care(facts, due)
        # Still owed after a discharge that did not wait for it (issue 16 item 7).
        if facts.primary_care_involved and facts.named_contact_at is None:
            owed.append(
                Obligation(
                    Party.PRIMARY_CARE,
                    Action.APPOINT_NAMED_CONTACT,
                    due.get(DeadlineKind.NAMED_CONTACT),
                )
            )
        owed += _sip(facts, due)
    owed += [
        Obligation(d.party, Action.ACKNOWLEDGE, d)
        for d in unmet
        if d.kind is DeadlineKind.ACKNOWLEDGEMENT
    ]
    order = list(Party)
    owed.sort(key=lambda o: order.index(o.party))  # stable: each party's steps in process order
    return [o for o in owed if party is None or o.party == party]


# Any instant: which steps are owed follows from the facts; the clock only marks deadlines missed.
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def owes_a_step(facts: EpisodeFacts, party: Party) -> bool:
    """Whether `party` still owes a step: like `next_due`, kept on the episode's row, so
    "needs my action" is a filter and a count in the database."""
    return party in parties_owing(facts)


def parties_owing(facts: EpisodeFacts) -> frozenset[Party]:
    """The parties for which `owes_a_step` holds, the obligations worked out once."""
    return frozenset(o.party for o in obligations(facts, _ANY_TIME))
