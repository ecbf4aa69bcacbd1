"""Writes on closed months: the region's finance approves (fastställer) a municipality's month, or
reopens it with a reason. Both are audited; the approved lines and total are stored as approved.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.refusals import Refusal
from utskrivning.lib.errors import ConflictError, NotVisibleError
from utskrivning.lib.text import checked_text, refused
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.closed_months import carried, month_document
from utskrivning.payment.document import to_json
from utskrivning.payment.models import ApprovedBasis
from utskrivning.payment.selectors import disputed_basis_read
from utskrivning.payment.services import audit_write, checked_month

REASON_LENGTH = 2000


def _checked(membership: Membership, municipality: Organisation, month: str) -> str:
    if not can(membership, Action.APPROVE_INVOICE):
        raise PermissionDenied("Your role may not approve or reopen a month's basis.")
    if (
        municipality.kind != Kind.MUNICIPALITY
        or municipality.parent_id != membership.organisation.pk
    ):
        raise NotVisibleError("No such municipality.")
    return checked_month(month)


def basis_approve(
    *, membership: Membership, municipality: Organisation, month: str, at: datetime
) -> ApprovedBasis:
    """Store the month's document as approved: its lines, the corrections it carries, its total."""
    month = _checked(membership, municipality, month)
    if at.astimezone(STOCKHOLM).strftime("%Y-%m") <= month:
        raise ValidationError({"month": "A month is approved after it has ended."})
    basis = disputed_basis_read(  # the approved lines name the patients: an audited read
        municipality=municipality,
        month=month,
        actor=membership.user,
        organisation=membership.organisation,
        purpose="invoice basis approval",
    )
    with transaction.atomic():
        # The month's lock: a second approval waits here, then finds the first and is refused.
        Organisation.objects.select_for_update().filter(pk=municipality.pk).first()
        shown = month_document(municipality, month, basis)
        if shown.approval is not None:
            raise ConflictError("The month is already approved.")
        document = shown.document
        try:
            with transaction.atomic():
                approval = ApprovedBasis.objects.create(
                    municipality=municipality,
                    month=month,
                    rulebook_id=document.rulebook_id,
                    rulebook_version=document.rulebook_version,
                    total_sek=document.total,
                    document=to_json(document),
                    approved_by=membership.user,
                    approved_at=at,
                )
        except IntegrityError:
            raise ConflictError("The month is already approved.") from None
        why = f"invoice basis {month} approved, total {document.total} SEK"
        audit_write(membership, "approved invoice basis", approval.pk, why)
    return approval


def basis_reopen(
    *, membership: Membership, municipality: Organisation, month: str, reason: str, at: datetime
) -> ApprovedBasis:
    """Reopen an approved month with a reason; refused while a later month carries its correction
    (reopen that month first), since the month's difference would then be billed twice."""
    month = _checked(membership, municipality, month)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the month is reopened."})
    if len(reason) > REASON_LENGTH:
        raise refused("reason", Refusal("At most %(count)s characters.", count=REASON_LENGTH))
    # A NUL is a 500 on PostgreSQL, a direction control turns the audited reason around on screen.
    checked_text(reason, field="reason", max_length=REASON_LENGTH, multiline=True)
    with transaction.atomic():
        approval = (
            ApprovedBasis.objects.select_for_update()
            .filter(municipality=municipality, month=month, reopened_at__isnull=True)
            .first()
        )
        if approval is None:
            raise ConflictError("The month is not approved.")
        if carried(municipality, month):
            raise ConflictError(
                "A later month carries a correction of this month: reopen that month first."
            )
        approval.reopened_by = membership.user
        approval.reopened_at = at
        approval.reopen_reason = reason
        approval.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        why = f"invoice basis {month} reopened: {reason}"
        audit_write(membership, "approved invoice basis", approval.pk, why)
    return approval
