"""The header's counter, the page of what is new (which resets it) and a person's settings."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from utskrivning.notifications.forms import SettingsForm
from utskrivning.notifications.models import NoticeKind
from utskrivning.notifications.selectors import notice_counts, notices_new
from utskrivning.notifications.services import (
    subscription_of,
    subscription_seen,
    subscription_update,
)
from utskrivning.organisations.sessions import membership_required

# htmx listens for this event (`hx-trigger="notices-changed from:body"`) to reload a page's list.
CHANGED = "notices-changed"


@membership_required
@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    """The header's counter, polled by every open page: counts only, no patient data. When the
    newest notice is newer than the one the page knew, the answer tells htmx so (HX-Trigger).
    A poll is not the person at work: it leaves the session's idle timeout running."""
    request.polled = True  # type: ignore[attr-defined]
    subscription = subscription_of(request.membership)  # type: ignore[attr-defined]
    counts = notice_counts(subscription=subscription, now=timezone.now())
    known = request.GET.get("known", "")[:40]
    response = render(
        request,
        "notifications/_counter.html",
        {"counts": counts, "labels": dict(NoticeKind.choices)},
    )
    if known and counts.newest and counts.newest != known:
        response.headers["HX-Trigger"] = json.dumps({CHANGED: True})
    return response


@membership_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """What is new for the organisation since the person last looked; looking resets it."""
    membership = request.membership  # type: ignore[attr-defined]
    subscription = subscription_of(membership)
    now = timezone.now()
    since = subscription.last_seen
    shown = notices_new(subscription=subscription, now=now, actor=request.user)
    subscription_seen(subscription=subscription, now=now)
    context = {"membership": membership, "notices": shown, "since": since}
    return render(request, "notifications/notices.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    subscription = subscription_of(membership)
    initial = {
        "kinds": subscription.kinds,
        "mode": subscription.mode,
        "digest_times": ", ".join(subscription.digest_times),
        "email": subscription.email,
    }
    form = SettingsForm(request.POST or None, initial=initial, membership=membership)
    if form.is_valid():
        subscription_update(subscription=subscription, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    context = {
        "membership": membership,
        "form": form,
        "smtp": bool(settings.EMAIL_HOST),
    }
    return render(request, "notifications/settings.html", context)
