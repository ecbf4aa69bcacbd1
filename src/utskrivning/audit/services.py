"""Writing the audit log: other apps call `audit_record` in the transaction of the access."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from utskrivning.audit import context
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.domain.identity import PersonalNumber
from utskrivning.lib.http import client_ip

if TYPE_CHECKING:  # audit lies below organisations: its entries name them, never import them
    from utskrivning.organisations.models import Organisation

_PATIENT_KEY_SALT = "utskrivning.audit.patient_reference"


def patient_reference(number: PersonalNumber) -> str:
    """HMAC-SHA256 of the canonical number under a key derived from SECRET_KEY.

    Keyed, because a plain hash of a personnummer is reversed by hashing every valid number. The
    same patient gets the same reference, so the log stays searchable, for as long as SECRET_KEY
    stays the same: rotating the key cuts the older entries off from a search by patient.
    """
    return patient_references([number.canonical])[0]


# References already worked out, by number, under the key they were made with: the follow-up
# reads the same region's patients at every request (70 000 HMACs, half a second). Bounded like
# episodes.normalised's rows; personnummer held in the process's memory, as there.
MAX_KEPT_REFERENCES = 200_000
_kept: dict[bytes, dict[str, str]] = {}
_kept_lock = threading.Lock()


def patient_references(numbers: Iterable[str]) -> list[str]:
    """`patient_reference` of each distinct canonical number, in order: Django's `salted_hmac`
    with its key derived once and each HMAC one C call, kept for the next request."""
    key = hashlib.sha256((_PATIENT_KEY_SALT + settings.SECRET_KEY).encode()).digest()
    with _kept_lock:
        kept = _kept.get(key)
        if kept is None or len(kept) > MAX_KEPT_REFERENCES:
            _kept.clear()
            kept = _kept[key] = {}
    references = []
    for number in dict.fromkeys(numbers):
        reference = kept.get(number)
        if reference is None:
            reference = kept[number] = hmac.digest(key, number.encode(), "sha256").hex()
        references.append(reference)
    return references


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    organisation: Organisation | None,
    action: AuditAction,
    obj_type: str,
    obj_id: str | int,
    patient_id: PersonalNumber | None = None,
    patients: list[str] | None = None,
    purpose: str,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """One entry now; within a request it carries the request's path, address and API key.
    `patients` are references (`patient_reference`) of every patient the act touched."""
    ongoing = context.current()
    if ongoing is not None:
        ongoing.entries += 1
        where = ongoing.where(request)
    else:
        where = {
            "path": request.path[:2000] if request is not None else "",
            "method": request.method or "" if request is not None else "",
            "ip": client_ip(request) if request is not None else None,
        }
    return AuditEntry.objects.create(
        user=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        obj_type=obj_type,
        obj_id=str(obj_id)[:150],
        patient_ref=patient_reference(patient_id) if patient_id is not None else "",
        patients=" ".join(patients or ()),
        purpose=purpose,
        **where,
    )


def audit_patients_read(
    numbers: Iterable[str], *, actor: Any, organisation: Organisation | None, purpose: str
) -> None:
    """The patients (canonical personnummer) a read showed: noted on the request's one entry,
    or outside a request written as one entry now."""
    references = patient_references(numbers)
    if context.note_patients(references, purpose):
        return
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.READ,
        obj_type="patients",
        obj_id=len(references),
        patients=references,
        purpose=purpose,
    )


def entries_naming(number: PersonalNumber) -> QuerySet[AuditEntry]:
    """Every entry about this patient: one patient's act (`patient_ref`), or a request's reads."""
    reference = patient_reference(number)
    return AuditEntry.objects.filter(Q(patient_ref=reference) | Q(patients__contains=reference))
