"""An organisation's administrator: its webhooks (registered, their delivery log, turned off)
and its shared mailboxes. The route's data kind gates the pages (`service.routes`); each view
checks the role too, since a page must not rely on its URL alone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from utskrivning.notifications.forms import SettingsForm, WebhookForm
from utskrivning.notifications.models import NoticeKind, Subscription
from utskrivning.notifications.services import mailbox_add, mailbox_remove
from utskrivning.notifications.webhooks import (
    webhook_deactivate,
    webhook_register,
    webhooks_of,
)
from utskrivning.organisations.models import Membership
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required

LOG = 200  # the newest deliveries shown


def _administrator(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    if not can(membership, Action.MANAGE_WEBHOOKS):
        raise PermissionDenied
    return membership


@membership_required
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest) -> HttpResponse:
    membership = _administrator(request)
    hook_form = WebhookForm(request.POST if "url" in request.POST else None)
    mailbox_form = SettingsForm(
        request.POST if "mailbox-mode" in request.POST else None,
        kinds=list(NoticeKind),
        prefix="mailbox",
    )
    registered = None
    if hook_form.is_valid():
        try:
            registered = webhook_register(membership=membership, **hook_form.cleaned_data)
        except ValidationError as refused:
            hook_form.add_error(None, refused)
    if mailbox_form.is_valid():
        mailbox_add(organisation=membership.organisation, **mailbox_form.cleaned_data)
        return redirect("notifications:organisation")
    context = {
        "membership": membership,
        "webhooks": webhooks_of(membership),
        "registered": registered,
        "form": WebhookForm() if registered else hook_form,
        "mailboxes": Subscription.objects.filter(
            organisation=membership.organisation, membership__isnull=True
        ),
        "mailbox_form": mailbox_form,
    }
    return render(request, "notifications/organisation.html", context)


@membership_required
@require_http_methods(["GET"])
def webhook_log(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _administrator(request)
    webhook = get_object_or_404(webhooks_of(membership), pk=pk)
    deliveries = webhook.deliveries.select_related("notice").order_by("-created", "-id")[:LOG]
    context = {"membership": membership, "webhook": webhook, "deliveries": deliveries}
    return render(request, "notifications/webhook.html", context)


@membership_required
@require_POST
def webhook_off(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _administrator(request)
    webhook = get_object_or_404(webhooks_of(membership), pk=pk, active=True)
    webhook_deactivate(membership=membership, webhook=webhook)
    return redirect("notifications:webhook", pk=pk)


@membership_required
@require_POST
def mailbox_off(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _administrator(request)
    mailbox = get_object_or_404(
        Subscription, pk=pk, organisation=membership.organisation, membership__isnull=True
    )
    mailbox_remove(mailbox=mailbox)
    return redirect("notifications:organisation")
