"""Invoice basis and disputes over the API: the same services and selectors as the UI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.episodes.models import Episode
from utskrivning.lib.errors import NotVisibleError
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.basis import invoice_lines_audit
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.selectors import (
    DisputedBasis,
    dispute_out,
    disputed_invoice_basis,
    disputes_visible_to,
)
from utskrivning.payment.services import checked_month, dispute_answer, dispute_open

router = Router(tags=["payment"], auth=AUTH)


def _may_see(own: Organisation, municipality: Organisation) -> bool:
    """The region its municipalities' invoices; a municipality (or its district) its own."""
    if own.kind == Kind.REGION:
        return municipality.parent_id == own.pk
    return municipality.pk in (own.pk, own.parent_id)


@router.get("/invoice-basis/{code}/{month}", summary="A municipality's invoice basis for a month")
def invoice_basis(request: HttpRequest, code: str, month: str) -> dict[str, Any]:
    membership = membership_of(request)
    if not can(membership, Action.VIEW_INVOICES):
        raise PermissionDenied("Your role may not view invoices.")
    municipality = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, municipality_code=code
    ).first()
    if municipality is None or not _may_see(membership.organisation, municipality):
        raise NotVisibleError("No such municipality.")
    basis = disputed_invoice_basis(municipality=municipality, month=checked_month(month))
    invoice_lines_audit(
        municipality=municipality,
        month=month,
        external_ids=basis.episode_ids(),
        actor=request.user,
        organisation=membership.organisation,
        purpose="invoice basis (API)",
    )
    return {
        "municipality": code,
        "month": month,
        "rulebook": basis.original.rulebook.id,
        "invoices": basis.original.invoice_frame.to_dicts(),
        "lines": basis.original.line_frame.to_dicts(),
        "corrected": _corrected(basis),
        "disputes": [dispute_out(d) for d in basis.disputes],
    }


def _corrected(basis: DisputedBasis) -> dict[str, Any] | None:
    """The basis the answered corrections give, and the disputes whose corrections it applies."""
    if basis.corrected is None:
        return None
    return {
        "invoices": basis.corrected.invoice_frame.to_dicts(),
        "lines": basis.corrected.line_frame.to_dicts(),
        "corrections": [dispute_out(d) for d in basis.corrections],
    }


@router.get("/disputes", summary="The disputes the caller's organisation sees, open ones first")
def disputes(request: HttpRequest) -> list[dict[str, Any]]:
    membership = membership_of(request)
    if not can(membership, Action.VIEW_INVOICES):
        raise PermissionDenied("Your role may not view invoices.")
    return [dispute_out(d) for d in disputes_visible_to(organisation=membership.organisation)]


class DisputeIn(Schema):
    month: str
    text: str
    episode_id: int | None = None


class AnswerIn(Schema):
    answer: str
    outcome: str
    correction: str = ""  # with outcome "corrected": "exclude" or "ready_at"
    corrected_episode_id: int | None = None  # for a dispute of the whole month
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
