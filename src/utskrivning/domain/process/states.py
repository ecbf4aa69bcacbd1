"""The discharge process's vocabulary: the parties, the episode's states, its events and messages.

Values are stable English identifiers (stored in the database and the API); the UI translates them.
Sources: Dalarna 2020 §6–11, Stockholm 2018 appendix "Sammanfattning av planeringsprocess",
Västmanland 2019 §3.3.
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    INPATIENT_CARE = "inpatient_care"
    PRIMARY_CARE = "primary_care"
    MUNICIPALITY = "municipality"


class EpisodeState(StrEnum):
    ADMITTED = "admitted"
    NOTIFIED = "notified"  # admission notice sent
    AWAITING_COURT_DECISION = "awaiting_court_decision"  # ÖPT/ÖRV applied for, Dalarna §9
    READY = "ready"  # utskrivningsklar
    HOME_READY = "home_ready"  # hemgångsklar: ready and the five criteria met, Dalarna §6
    DISCHARGE_NOTIFIED = "discharge_notified"
    DISCHARGED = "discharged"
    CLOSED = "closed"  # status UTFÖRD, Västmanland §3.4 point 3


class EventType(StrEnum):
    ADMITTED = "admitted"
    SUPPORT_NEED_ASSESSED = "support_need_assessed"
    ADMISSION_NOTICE_SENT = "admission_notice_sent"
    ESTIMATED_DISCHARGE_CHANGED = "estimated_discharge_changed"
    READY_DECLARED = "ready_declared"
    READY_WITHDRAWN = "ready_withdrawn"
    NAMED_CONTACT_APPOINTED = "named_contact_appointed"
    CONSENT_RECORDED = "consent_recorded"
    SIP_NEED_ASSESSED = "sip_need_assessed"
    SIP_SUMMONED = "sip_summoned"
    SIP_HELD = "sip_held"
    HEMGANGSKLAR_CHECKED = "hemgangsklar_checked"
    DISCHARGE_NOTICE_SENT = "discharge_notice_sent"
    DISCHARGED = "discharged"
    CLOSED = "closed"
    ACKNOWLEDGED = "acknowledged"
    DEVIATION_REPORTED = "deviation_reported"
    COORDINATED_CARE_PLAN_RECORDED = "coordinated_care_plan_recorded"
    COURT_DECISION_RECORDED = "court_decision_recorded"
    # The episode as an episode file states it (the region's record), folded as it is.
    IMPORTED = "imported"
    # An administrator's compensating event: the event it names no longer counts.
    EVENT_VOIDED = "event_voided"
    # The patient's name or address corrected by the ward (a personnummer is one patient; a later
    # admission never overwrites them): shown in the timeline, changes no fact of the process.
    PATIENT_DETAILS_CHANGED = "patient_details_changed"
    # A note from one party to others (`episodes.notes`): shown in the timeline, no fact changes.
    NOTE_SENT = "note_sent"


class MessageKind(StrEnum):
    """What one party sends another; each recipient acknowledges it (issue #3, kvittens)."""

    ADMISSION_NOTICE = "admission_notice"
    ESTIMATED_DISCHARGE_CHANGE = "estimated_discharge_change"
    READINESS_NOTIFICATION = "readiness_notification"
    READINESS_WITHDRAWAL = "readiness_withdrawal"
    SIP_SUMMONS = "sip_summons"
    DISCHARGE_NOTICE = "discharge_notice"


class HomeCriterion(StrEnum):
    """Dalarna §6 "Hemgångsklar": the written information the patient has been given."""

    WHAT_MATTERS_BEFORE_GOING_HOME = "what_matters_before_going_home"
    WHAT_HAPPENED_DURING_THE_STAY = "what_happened_during_the_stay"
    WHAT_HAPPENS_NEXT = "what_happens_next"
    WHERE_TO_TURN = "where_to_turn"
    UNBROKEN_MEDICATION_AND_REHABILITATION = "unbroken_medication_and_rehabilitation"

    @property
    def label_sv(self) -> str:
        return _HOME_CRITERIA_SV[self]


# The agreement's own words, from the patient's perspective.
_HOME_CRITERIA_SV = {
    HomeCriterion.WHAT_MATTERS_BEFORE_GOING_HOME: (
        "Vad är viktigt för mig innan jag är klar för hemgång"
    ),
    HomeCriterion.WHAT_HAPPENED_DURING_THE_STAY: "Vad har hänt under vårdtiden",
    HomeCriterion.WHAT_HAPPENS_NEXT: "Vad händer härnäst",
    HomeCriterion.WHERE_TO_TURN: (
        "Om jag har några frågor eller om något inte fungerar – vart vänder jag mig"
    ),
    HomeCriterion.UNBROKEN_MEDICATION_AND_REHABILITATION: (
        "Säkerställa obruten läkemedels- samt rehabkedja inklusive hjälpmedel"
    ),
}
