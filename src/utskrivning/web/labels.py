"""The UI's words for the process's stable identifiers (English msgids, Swedish in locale/sv)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from utskrivning.domain.payment.reasons import Basis
from utskrivning.domain.process import (
    Action,
    DeadlineKind,
    EpisodeState,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
)
from utskrivning.lib.payment_words import BASES


def k(member: StrEnum) -> tuple[type[StrEnum], str]:
    # StrEnum members equal their values, and "admitted" is a state and an event: key by type.
    return (type(member), member.value)


LABELS: dict[tuple[type[StrEnum], str], Promise] = {
    # A line's basis, left out ones included, from the one table of its words.
    **{(Basis, str(code)): _(msgid) for code, msgid in BASES.items()},
    k(Party.INPATIENT_CARE): _("Inpatient care"),
    k(Party.PRIMARY_CARE): _("Primary care"),
    k(Party.MUNICIPALITY): _("Municipality"),
    k(EpisodeState.ADMITTED): _("Admitted"),
    k(EpisodeState.NOTIFIED): _("Admission notice sent"),
    k(EpisodeState.AWAITING_COURT_DECISION): _("Awaiting the court's decision"),
    k(EpisodeState.READY): _("Ready for discharge"),
    k(EpisodeState.HOME_READY): _("Ready to go home"),
    k(EpisodeState.DISCHARGE_NOTIFIED): _("Discharge notice sent"),
    k(EpisodeState.DISCHARGED): _("Discharged"),
    k(EpisodeState.CLOSED): _("Closed (done)"),
    k(EventType.ADMITTED): _("Admission"),
    k(EventType.SUPPORT_NEED_ASSESSED): _("Need of support assessed"),
    k(EventType.ADMISSION_NOTICE_SENT): _("Admission notice"),
    k(EventType.ESTIMATED_DISCHARGE_CHANGED): _("Estimated discharge date changed"),
    k(EventType.READY_DECLARED): _("Readiness notification"),
    k(EventType.READY_WITHDRAWN): _("Readiness withdrawn"),
    k(EventType.NAMED_CONTACT_APPOINTED): _("Named care contact appointed"),
    k(EventType.CONSENT_RECORDED): _("Consent recorded"),
    k(EventType.SIP_NEED_ASSESSED): _("Need of a SIP assessed"),
    k(EventType.SIP_SUMMONED): _("SIP summoned"),
    k(EventType.SIP_HELD): _("SIP held"),
    k(EventType.HEMGANGSKLAR_CHECKED): _("Home-going criterion checked"),
    k(EventType.DISCHARGE_NOTICE_SENT): _("Discharge notice"),
    k(EventType.DISCHARGED): _("Discharge"),
    k(EventType.CLOSED): _("Closure"),
    k(EventType.ACKNOWLEDGED): _("Acknowledgement"),
    k(EventType.DEVIATION_REPORTED): _("Deviation reported"),
    k(EventType.COORDINATED_CARE_PLAN_RECORDED): _("Coordinated care plan"),
    k(EventType.COURT_DECISION_RECORDED): _("Court decision"),
    k(EventType.IMPORTED): _("Imported from an episode file"),
    k(EventType.EVENT_VOIDED): _("Event voided by the administrator"),
    k(EventType.PATIENT_DETAILS_CHANGED): _("Patient's name or address changed"),
    k(EventType.NOTE_SENT): _("Note"),
    k(Action.SEND_ADMISSION_NOTICE): _("Send the admission notice"),
    k(Action.RECORD_COURT_DECISION): _("Record the court's decision"),
    k(Action.DECLARE_READY): _("Declare ready for discharge"),
    k(Action.COMPLETE_HOME_CHECKLIST): _("Complete the home-going checklist"),
    k(Action.SEND_DISCHARGE_NOTICE): _("Send the discharge notice"),
    k(Action.DISCHARGE): _("Discharge"),
    k(Action.CLOSE): _("Close"),
    k(Action.APPOINT_NAMED_CONTACT): _("Appoint a named care contact"),
    k(Action.ASSESS_SIP_NEED): _("Assess the need of a SIP"),
    k(Action.RECORD_CONSENT): _("Record consent"),
    k(Action.SUMMON_SIP): _("Summon to SIP"),
    k(Action.HOLD_SIP): _("Hold the SIP"),
    k(Action.TAKE_PART_IN_SIP): _("Take part in the SIP"),
    k(Action.ACKNOWLEDGE): _("Acknowledge"),
    k(DeadlineKind.ADMISSION_NOTICE): _("Admission notice within 24 hours"),
    k(DeadlineKind.NAMED_CONTACT): _("Named care contact before discharge"),
    k(DeadlineKind.SIP_SUMMONS): _("SIP summons within 3 days"),
    k(DeadlineKind.ACKNOWLEDGEMENT): _("Acknowledgement"),
    k(MessageKind.ADMISSION_NOTICE): _("Admission notice"),
    k(MessageKind.ESTIMATED_DISCHARGE_CHANGE): _("Changed estimated discharge date"),
    k(MessageKind.READINESS_NOTIFICATION): _("Readiness notification"),
    k(MessageKind.READINESS_WITHDRAWAL): _("Readiness withdrawal"),
    k(MessageKind.SIP_SUMMONS): _("SIP summons"),
    k(MessageKind.DISCHARGE_NOTICE): _("Discharge notice"),
    k(HomeCriterion.WHAT_MATTERS_BEFORE_GOING_HOME): _("What matters to me before going home"),
    k(HomeCriterion.WHAT_HAPPENED_DURING_THE_STAY): _("What happened during the stay"),
    k(HomeCriterion.WHAT_HAPPENS_NEXT): _("What happens next"),
    k(HomeCriterion.WHERE_TO_TURN): _("Where to turn with questions"),
    k(HomeCriterion.UNBROKEN_MEDICATION_AND_REHABILITATION): _(
        "Unbroken medication and rehabilitation chain"
    ),
}


# What a step's button says it does (the timeline names the event after it happened).
STEPS: dict[EventType, Promise] = {
    EventType.SUPPORT_NEED_ASSESSED: _("Record the need of support"),
    EventType.ADMISSION_NOTICE_SENT: _("Send the admission notice"),
    EventType.ESTIMATED_DISCHARGE_CHANGED: _("Change the estimated discharge date"),
    EventType.READY_DECLARED: _("Declare ready for discharge"),
    EventType.READY_WITHDRAWN: _("Withdraw the readiness"),
    EventType.NAMED_CONTACT_APPOINTED: _("Appoint a named care contact"),
    EventType.CONSENT_RECORDED: _("Record consent"),
    EventType.SIP_NEED_ASSESSED: _("Record the need of a SIP"),
    EventType.SIP_SUMMONED: _("Summon to SIP"),
    EventType.SIP_HELD: _("Record the SIP as held"),
    EventType.HEMGANGSKLAR_CHECKED: _("Check the criterion"),
    EventType.DISCHARGE_NOTICE_SENT: _("Send the discharge notice"),
    EventType.DISCHARGED: _("Discharge the patient"),
    EventType.CLOSED: _("Close the episode"),
    EventType.ACKNOWLEDGED: _("Acknowledge"),
    EventType.COORDINATED_CARE_PLAN_RECORDED: _("Record the coordinated care plan"),
    EventType.COURT_DECISION_RECORDED: _("Record the court's decision"),
}

# What a confirmation says happened, with the time ("Admission notice sent 14:32").
DONE: dict[EventType, Promise] = {
    EventType.SUPPORT_NEED_ASSESSED: _("Need of support recorded %(time)s"),
    EventType.ADMISSION_NOTICE_SENT: _("Admission notice sent %(time)s"),
    EventType.ESTIMATED_DISCHARGE_CHANGED: _("Estimated discharge date changed %(time)s"),
    EventType.READY_DECLARED: _("Readiness notification sent %(time)s"),
    EventType.READY_WITHDRAWN: _("Readiness withdrawn %(time)s"),
    EventType.NAMED_CONTACT_APPOINTED: _("Named care contact appointed %(time)s"),
    EventType.CONSENT_RECORDED: _("Consent recorded %(time)s"),
    EventType.SIP_NEED_ASSESSED: _("Need of a SIP recorded %(time)s"),
    EventType.SIP_SUMMONED: _("SIP summons sent %(time)s"),
    EventType.SIP_HELD: _("SIP recorded as held %(time)s"),
    EventType.HEMGANGSKLAR_CHECKED: _("Criterion checked %(time)s"),
    EventType.DISCHARGE_NOTICE_SENT: _("Discharge notice sent %(time)s"),
    EventType.DISCHARGED: _("Patient discharged %(time)s"),
    EventType.CLOSED: _("Episode closed %(time)s"),
    EventType.ACKNOWLEDGED: _("Acknowledged %(time)s"),
    EventType.DEVIATION_REPORTED: _("Deviation reported %(time)s"),
    EventType.COORDINATED_CARE_PLAN_RECORDED: _("Coordinated care plan recorded %(time)s"),
    EventType.COURT_DECISION_RECORDED: _("Court decision recorded %(time)s"),
}

# The step's fields, as a refusal names them (`TransitionError.field`, `FormError.field`).
FIELDS: dict[str, Promise] = {
    "at": _("Time"),
    "confirm": _("Confirmation"),
    "criterion": _("Criterion"),
    "estimated_discharge": _("Estimated discharge date"),
    "event": _("Step"),
    "message": _("Message"),
    "parties": _("Parties"),
    "party": _("Party"),
    "sip_needed": _("Need of a SIP"),
    "court_granted": _("Court decision"),
    # The planning record's details (episodes.details, the process's guards).
    "contact": _("Named care contact"),
    "contact.name": _("Name"),
    "contact.phone": _("Phone"),
    "contact.title": _("Title"),
    "contact.unit": _("Unit"),
    "meeting": _("SIP"),
    "meeting.starts_at": _("Date and time of the SIP"),
    "meeting.place": _("Place"),
    "meeting.video_link": _("Video link"),
    "planned_discharge": _("Planned time of discharge"),
}


KINDS: dict[str, type[StrEnum]] = {
    "party": Party,
    "state": EpisodeState,
    "event": EventType,
    "action": Action,
    "deadline": DeadlineKind,
    "message": MessageKind,
    "criterion": HomeCriterion,
    "basis": Basis,
}


def label(value: object, kind: str | None = None) -> object:
    """The label of an enum member, or of a stored value given its kind; else the value."""
    if isinstance(value, StrEnum):
        return LABELS.get((type(value), value.value), value)
    if kind in KINDS and isinstance(value, str):
        return LABELS.get((KINDS[kind], value), value)
    return value
