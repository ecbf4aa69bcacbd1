"""What the audit log says was read: the patients named by the matching entries."""

from __future__ import annotations

from collections.abc import Iterable

from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.audit.services import patient_reference
from utskrivning.domain.identity import PersonalNumber


def patients_read(**filters: object) -> set[str]:
    """The references of every patient the matching read entries name."""
    named: set[str] = set()
    entries = AuditEntry.objects.filter(action=AuditAction.READ, **filters)
    for patients, single in entries.values_list("patients", "patient_ref"):
        named.update(patients.split())
        named.update([single] if single else [])
    return named


def references(episodes: Iterable) -> set[str]:
    return {patient_reference(PersonalNumber(e.patient.personal_number)) for e in episodes}
