"""The membership a user acts in: chosen once per session when the user has several."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from utskrivning.organisations.models import Membership

MEMBERSHIP_SESSION_KEY = "utskrivning_membership"

View = Callable[..., HttpResponse]


def current_membership(request: HttpRequest) -> Membership | None:
    """The chosen membership, or the only one; None until a user with several has chosen."""
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    chosen = request.session.get(MEMBERSHIP_SESSION_KEY)
    if chosen is not None:
        # Filtered by user as well: a membership removed or moved since is no longer valid.
        return memberships.filter(pk=chosen).first()
    first_two = list(memberships[:2])
    return first_two[0] if len(first_two) == 1 else None


def choose_membership(request: HttpRequest, membership: Membership) -> None:
    if membership.user_id != request.user.pk:
        raise PermissionDenied
    request.session[MEMBERSHIP_SESSION_KEY] = membership.pk


def membership_required(view: View) -> View:
    """Login, then the organisation the user acts for; `request.membership` is set for the view."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = current_membership(request)
        if membership is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('choose_organisation')}?{query}")
        request.membership = membership  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
