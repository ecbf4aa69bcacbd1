"""Writing the audit log: other apps call `audit_record` in the transaction of the access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

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
    return salted_hmac(_PATIENT_KEY_SALT, number.canonical, algorithm="sha256").hexdigest()


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    organisation: Organisation | None,
    action: AuditAction,
    obj_type: str,
    obj_id: str | int,
    patient_id: PersonalNumber | None = None,
    purpose: str,
    request: HttpRequest | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        obj_type=obj_type,
        obj_id=str(obj_id)[:150],
        patient_ref=patient_reference(patient_id) if patient_id is not None else "",
        purpose=purpose,
        # The path only: a query string may carry a personnummer typed into a search.
        path=request.path[:2000] if request is not None else "",
        ip=client_ip(request) if request is not None else None,
    )
