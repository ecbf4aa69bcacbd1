"""The planning record (issue 11 item 1): what every party of an episode needs to plan, from the
episode's row and its facts alone (the projection), never from its history. The episode page
shows it and the API returns it (`to_plain`), so both say the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.process import EpisodeFacts, without_faults
from utskrivning.episodes.models import Episode


def _name(organisation: Any) -> str | None:
    return None if organisation is None else organisation.name


def planning_record(*, episode: Episode, facts: EpisodeFacts, today: date) -> dict[str, Any]:
    """Read with the row's related organisations (`episodes_visible_to` selects them)."""
    facts = without_faults(facts)
    number = PersonalNumber(episode.patient.personal_number)
    return {
        "patient": {
            "name": episode.patient.name,
            "personal_number": number.written,
            "age": number.age_on(today),
        },
        "home_municipality": episode.home_municipality.name,
        "placing_municipality": _name(episode.placing_municipality),
        "ward": episode.ward.name,
        "primary_care": _name(episode.primary_care),
        "admitted_at": episode.admitted_at,
        "care_type": episode.care_type,
        "state": facts.state,
        "estimated_discharge": facts.estimated_discharge,
        # Västmanland §3.3: how often, when and by whom the date was moved.
        "estimated_discharge_changes": facts.estimated_discharge_changes,
        "estimates": facts.estimates,
        "ready_at": facts.ready_at,
        "ready_declarations": facts.ready_declarations,
        "ready_withdrawals": facts.ready_withdrawals,
        "named_contact_at": facts.named_contact_at,
        "care_contact": facts.care_contact,
        "sip_needed": facts.sip_needed,
        "sip_summoned_at": facts.sip_summoned_at,
        "sip_meeting": facts.sip_meeting,
        "sip_invited": facts.sip_invited,
        "sip_summoned_by": facts.sip_summoned_by,
        "sip_held_at": facts.sip_held_at,
        "sip_participants": facts.sip_participants,
        "criteria_checks": facts.criteria_checks,
        "discharge_notice_at": facts.discharge_notice_at,
        "planned_discharge": facts.planned_discharge,
        "discharged_at": facts.discharged_at,
    }
