"""Webhooks over the API: an organisation's administrator registers, lists and turns them off,
and reads each one's delivery log (the screen's, from the same services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.lib.errors import NotVisibleError
from utskrivning.notifications.models import MAX_URL, Webhook
from utskrivning.notifications.webhooks import (
    webhook_deactivate,
    webhook_register,
    webhooks_of,
)
from utskrivning.organisations.models import Membership
from utskrivning.organisations.permissions import Action, can

router = Router(tags=["webhooks"], auth=AUTH)
LOG = 200


class WebhookIn(Schema):
    url: str = Field(max_length=MAX_URL, description="http:// or https://")
    patient_data: bool = Field(False, description="name and personnummer, over HTTPS only")


class WebhookOut(Schema):
    id: int
    url: str
    patient_data: bool  # as chosen
    sends_patient_data: bool  # chosen and HTTPS
    active: bool
    created: datetime


class RegisteredOut(WebhookOut):
    secret: str  # shown only in this answer


class DeliveryOut(Schema):
    event_id: str
    type: str
    created: datetime
    attempts: int
    next_attempt: datetime | None
    delivered: datetime | None
    failed: bool
    last_status: int | None
    last_error: str


def _administrator(request: HttpRequest) -> Membership:
    membership = membership_of(request)
    if not can(membership, Action.MANAGE_WEBHOOKS):
        raise PermissionDenied("Your role may not manage webhooks.")
    return membership


def _out(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.pk,
        "url": hook.url,
        "patient_data": hook.patient_data,
        "sends_patient_data": hook.sends_patient_data,
        "active": hook.active,
        "created": hook.created,
    }


def _hook(membership: Membership, pk: int) -> Webhook:
    hook = webhooks_of(membership).filter(pk=pk).first()
    if hook is None:
        raise NotVisibleError("No such webhook.")
    return hook


@router.get("/", response=list[WebhookOut], summary="The organisation's webhooks")
def webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(hook) for hook in webhooks_of(_administrator(request))]


@router.post("/", response={201: RegisteredOut}, summary="Register a webhook (its secret once)")
def register(request: HttpRequest, body: WebhookIn) -> Status:
    hook = webhook_register(
        membership=_administrator(request), url=body.url, patient_data=body.patient_data
    )
    return Status(201, _out(hook) | {"secret": hook.secret})


@router.delete("/{int:pk}", response={204: None}, summary="Turn a webhook off (its log stays)")
def turn_off(request: HttpRequest, pk: int) -> Status:
    membership = _administrator(request)
    hook = _hook(membership, pk)
    if hook.active:
        webhook_deactivate(membership=membership, webhook=hook)
    return Status(204, None)


@router.get("/{int:pk}/deliveries", response=list[DeliveryOut], summary="A webhook's delivery log")
def deliveries(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    hook = _hook(_administrator(request), pk)
    return [
        {
            "event_id": str(d.notice_id),
            "type": d.notice.kind,
            "created": d.created,
            "attempts": d.attempts,
            "next_attempt": None if d.delivered or d.failed else d.next_attempt,
            "delivered": d.delivered,
            "failed": d.failed,
            "last_status": d.last_status,
            "last_error": d.last_error,
        }
        for d in hook.deliveries.select_related("notice").order_by("-created", "-id")[:LOG]
    ]
