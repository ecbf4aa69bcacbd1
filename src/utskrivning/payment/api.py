"""Invoice basis and disputes over the API."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from utskrivning.episodes.api import AUTH, membership_of
from utskrivning.episodes.services import NotVisibleError, dispute_answer, dispute_open
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.models import InvoiceDispute

router = Router(tags=["payment"], auth=AUTH)
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month(month: str) -> str:
    if not _MONTH.fullmatch(month):
        raise ValidationError({"month": "A month is YYYY-MM."})
    return month


def _dispute_out(d: InvoiceDispute) -> dict[str, Any]:
    return {
        "id": d.pk,
        "municipality": d.municipality.municipality_code,
        "month": d.month,
        "rulebook_id": d.rulebook_id,
        "episode_id": d.episode_id,
        "text": d.text,
        "status": d.status,
        "answer": d.answer,
        "outcome": d.outcome,
        "answered_at": d.answered_at,
    }


def _may_see(own: Organisation, municipality: Organisation) -> bool:
    """The region its municipalities' invoices; a municipality (or its district) its own."""
    if own.kind == Kind.REGION:
        return municipality.parent_id == own.pk
    return municipality.pk in (own.pk, own.parent_id)


@router.get("/invoice-basis/{code}/{month}", summary="A municipality's invoice basis for a month")
def invoice_basis(request: HttpRequest, code: str, month: str) -> dict[str, Any]:
    from utskrivning.episodes.selectors import invoice_basis as basis

    membership = membership_of(request)
    if not can(membership, Action.VIEW_INVOICES):
        raise PermissionDenied("Your role may not view invoices.")
    municipality = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, municipality_code=code
    ).first()
    if municipality is None or not _may_see(membership.organisation, municipality):
        raise NotVisibleError("No such municipality.")
    result = basis(municipality=municipality, month=_month(month))
    disputes = InvoiceDispute.objects.filter(municipality=municipality, month=month)
    return {
        "municipality": code,
        "month": month,
        "rulebook": result.rulebook.id,
        "invoices": result.invoice_frame.to_dicts(),
        "lines": result.line_frame.to_dicts(),
        "disputes": [_dispute_out(d) for d in disputes.select_related("municipality")],
    }


class DisputeIn(Schema):
    month: str
    text: str
    episode_id: int | None = None


class AnswerIn(Schema):
    answer: str
    outcome: str


@router.post("/disputes", response={201: dict}, summary="Question an invoice or an episode on it")
def open_dispute(request: HttpRequest, body: DisputeIn) -> Status:
    from utskrivning.episodes.models import Episode

    membership = membership_of(request)
    episode = None
    if body.episode_id is not None:
        episode = Episode.objects.filter(pk=body.episode_id).first()
        if episode is None:
            raise ValidationError({"episode_id": "No such episode."})
    dispute = dispute_open(
        membership=membership, month=_month(body.month), text=body.text, episode=episode
    )
    return Status(201, _dispute_out(dispute))


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
    )
    return _dispute_out(answered)
