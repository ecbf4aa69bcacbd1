"""Invoice basis and disputes over the API: the same services and selectors as the UI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.api.fields import DbId, PathKommunkod
from utskrivning.episodes.models import Episode
from utskrivning.lib.errors import NotVisibleError
from utskrivning.lib.paging import page_of
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.approvals import basis_approve, basis_reopen
from utskrivning.payment.closed_months import month_document
from utskrivning.payment.document import to_json
from utskrivning.payment.models import ApprovedBasis, InvoiceDispute
from utskrivning.payment.selectors import (
    DisputedBasis,
    dispute_out,
    disputed_basis_read,
    disputes_read,
)
from utskrivning.payment.services import checked_month, dispute_answer, dispute_open

router = Router(tags=["payment"], auth=AUTH)


def _may_see(own: Organisation, municipality: Organisation) -> bool:
    """The region its municipalities' invoices; a municipality (or its district) its own."""
    if own.kind == Kind.REGION:
        return municipality.parent_id == own.pk
    return municipality.pk in (own.pk, own.parent_id)


@router.get("/invoice-basis/{code}/{month}", summary="A municipality's invoice basis for a month")
def invoice_basis(request: HttpRequest, code: PathKommunkod, month: str) -> dict[str, Any]:
    membership = membership_of(request)
    if not can(membership, Action.VIEW_INVOICES):
        raise PermissionDenied("Your role may not view invoices.")
    municipality = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, municipality_code=code
    ).first()
    if municipality is None or not _may_see(membership.organisation, municipality):
        raise NotVisibleError("No such municipality.")
    basis = disputed_basis_read(
        municipality=municipality,
        month=checked_month(month),
        actor=request.user,
        organisation=membership.organisation,
        purpose="invoice basis (API)",
    )
    shown = month_document(municipality, month, basis)
    return {
        "municipality": code,
        "month": month,
        "rulebook": basis.original.rulebook.id,
        "invoices": basis.original.invoice_frame.to_dicts(),
        "lines": basis.original.line_frame.to_dicts(),
        "document": to_json(shown.document),
        "approval": _approval_out(shown.approval),
        "changed_since_approval": str(shown.changed_since_approval),
        "corrected": _corrected(basis),
        "disputes": [dispute_out(d) for d in basis.disputes],
    }


def _approval_out(approval: ApprovedBasis | None) -> dict[str, Any] | None:
    if approval is None:
        return None
    return {
        "id": approval.pk,
        "month": approval.month,
        "total_sek": f"{approval.total_sek:.2f}",
        "rulebook_id": approval.rulebook_id,
        "rulebook_version": approval.rulebook_version,
        "approved_by": approval.approved_by.get_username(),
        "approved_at": approval.approved_at,
        "reopened_at": approval.reopened_at,
        "reopen_reason": approval.reopen_reason,
    }


def _region_municipality(
    request: HttpRequest, code: PathKommunkod
) -> tuple[Membership, Organisation]:
    membership = membership_of(request)
    if not can(membership, Action.APPROVE_INVOICE):
        raise PermissionDenied("Your role may not approve or reopen a month's basis.")
    municipality = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, municipality_code=code, parent=membership.organisation
    ).first()
    if municipality is None:
        raise NotVisibleError("No such municipality.")
    return membership, municipality


@router.post(
    "/invoice-basis/{code}/{month}/approval",
    response={201: dict},
    summary="The region's finance approves (fastställer) the month's basis",
)
def approve(request: HttpRequest, code: PathKommunkod, month: str) -> Status:
    membership, municipality = _region_municipality(request, code)
    approval = basis_approve(
        membership=membership, municipality=municipality, month=month, at=timezone.now()
    )
    return Status(201, _approval_out(approval))


class ReopenIn(Schema):
    reason: str


@router.post(
    "/invoice-basis/{code}/{month}/reopen",
    summary="The region's finance reopens an approved month, with a reason (audited)",
)
def reopen(request: HttpRequest, code: PathKommunkod, month: str, body: ReopenIn) -> dict[str, Any]:
    membership, municipality = _region_municipality(request, code)
    approval = basis_reopen(
        membership=membership,
        municipality=municipality,
        month=month,
        reason=body.reason,
        at=timezone.now(),
    )
    return _approval_out(approval) or {}


def _corrected(basis: DisputedBasis) -> dict[str, Any] | None:
    """The basis the answered corrections give, and the disputes whose corrections it applies."""
    if basis.corrected is None:
        return None
    return {
        "invoices": basis.corrected.invoice_frame.to_dicts(),
        "lines": basis.corrected.line_frame.to_dicts(),
        "corrections": [dispute_out(d) for d in basis.corrections],
    }


@router.get("/disputes", summary="The disputes the caller's organisation sees, open first, a page")
def disputes(
    request: HttpRequest, response: HttpResponse, page: str | None = None, limit: str | None = None
) -> list[dict[str, Any]]:
    """`limit` disputes (1–500, default 50) of page `page` (from 1); `X-Total-Count` counts them
    all, `Link` names the next and previous pages."""
    membership = membership_of(request)
    if not can(membership, Action.VIEW_INVOICES):
        raise PermissionDenied("Your role may not view invoices.")
    found, paged = disputes_read(
        organisation=membership.organisation,
        actor=membership.user,
        page=page_of(page=page, limit=limit),
    )
    response["X-Total-Count"] = str(paged.total)
    if links := paged.link_header(request.path):
        response["Link"] = links
    return [dispute_out(d) for d in found]


class DisputeIn(Schema):
    month: str
    text: str
    episode_id: DbId | None = None


class AnswerIn(Schema):
    answer: str
    outcome: str
    correction: str = ""  # with outcome "corrected": "exclude" or "ready_at"
    corrected_episode_id: DbId | None = None  # for a dispute of the whole month
    corrected_ready_at: datetime | None = None


def _episode(pk: int | None, field: str) -> Episode | None:
    if pk is None:
        return None
    episode = Episode.objects.select_related("patient").filter(pk=pk).first()
    if episode is None:
        raise ValidationError({field: "No such episode."})
    return episode


@router.post("/disputes", response={201: dict}, summary="Question an invoice or an episode on it")
def open_dispute(request: HttpRequest, body: DisputeIn) -> Status:
    dispute = dispute_open(
        membership=membership_of(request),
        month=body.month,
        text=body.text,
        episode=_episode(body.episode_id, "episode_id"),
    )
    return Status(201, dispute_out(dispute))


@router.post("/disputes/{int:pk}/answer", summary="The region answers a dispute")
def answer_dispute(request: HttpRequest, pk: int, body: AnswerIn) -> dict[str, Any]:
    membership = membership_of(request)
    dispute = InvoiceDispute.objects.select_related("municipality").filter(pk=pk).first()
    if dispute is None:
        raise NotVisibleError("No such dispute.")
    answered = dispute_answer(
        membership=membership,
        dispute=dispute,
        answer=body.answer,
        outcome=body.outcome,
        at=timezone.now(),
        correction=body.correction,
        corrected_episode=_episode(body.corrected_episode_id, "corrected_episode_id"),
        corrected_ready_at=body.corrected_ready_at,
    )
    return dispute_out(answered)
