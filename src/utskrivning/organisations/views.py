"""Login (rate-limited and audited), logout, and choosing the organisation to act for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.lib.http import client_ip
from utskrivning.organisations.forms import ChooseMembershipForm, PasswordLoginForm
from utskrivning.organisations.models import Membership
from utskrivning.organisations.oidc.provider import oidc_enabled
from utskrivning.organisations.oidc.sessions import provider_session_forget
from utskrivning.organisations.oidc.views import provider_logout_url
from utskrivning.organisations.ratelimit import (
    WINDOW_SECONDS,
    login_blocked,
    login_failure_record,
    login_failures_reset,
    login_name,
)
from utskrivning.organisations.sessions import choose_membership

_LOGIN_TEMPLATE = "registration/login.html"


def _audit_login(
    request: HttpRequest,
    action: AuditAction,
    username: str,
    actor: AbstractBaseUser | None,
    purpose: str = "authentication",
) -> None:
    audit_record(
        actor=actor,
        organisation=None,
        action=action,
        obj_type="user",
        obj_id=login_name(username),
        purpose=purpose,
        request=request,
    )


def _login_context(request: HttpRequest) -> dict[str, Any]:
    """What the login page offers: the identity provider when configured, passwords unless off."""
    return {
        "password_login": settings.PASSWORD_LOGIN,
        "provider_name": settings.OIDC_PROVIDER_NAME if oidc_enabled() else "",
    }


class LoginView(auth_views.LoginView):
    """Django's login with a limit on failed attempts, answered 429 once it is reached; with
    passwords turned off it offers the identity provider alone and refuses a password (403)."""

    template_name = _LOGIN_TEMPLATE
    authentication_form = PasswordLoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_login_context(self.request)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        if not settings.PASSWORD_LOGIN:
            _audit_login(request, AuditAction.LOGIN_FAILED, username, None, "passwords are off")
            context = {**_login_context(request), "next": self.get_redirect_url()}
            return render(request, _LOGIN_TEMPLATE, context, status=403)
        if counter := login_blocked(username=username, ip=client_ip(request)):
            _audit_login(request, AuditAction.LOGIN_BLOCKED, username, None, f"limit {counter}")
            context = {
                "form": PasswordLoginForm(request, initial={"username": username}),
                "blocked_minutes": WINDOW_SECONDS // 60,
                "next": self.get_redirect_url(),
                **_login_context(request),
            }
            return render(request, _LOGIN_TEMPLATE, context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = form.data.get("username", "")[:150]
        reached = login_failure_record(username=username, ip=client_ip(self.request))
        off = form.has_error(NON_FIELD_ERRORS, "passwords_off")
        purpose = "passwords are off for the user's organisation" if off else "authentication"
        _audit_login(self.request, AuditAction.LOGIN_FAILED, username, None, purpose)
        for counter in reached:
            purpose = f"locked out for {WINDOW_SECONDS // 60} minutes: limit {counter}"
            _audit_login(self.request, AuditAction.LOCKED_OUT, username, None, purpose)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        login_failures_reset(username=form.cleaned_data["username"], ip=client_ip(self.request))
        _audit_login(self.request, AuditAction.LOGIN, user.get_username(), user)
        if Membership.objects.filter(user=user).count() > 1:
            query = urlencode({"next": response.url})
            return HttpResponseRedirect(f"{reverse('choose_organisation')}?{query}")
        return response


class LogoutView(auth_views.LogoutView):
    """Ends the session here and, when the identity provider began it, there too: the browser
    goes on to the provider's logout (RP-initiated) and comes back to the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        at_provider = provider_logout_url(request, request.session.get("oidc_id_token"))
        if request.user.is_authenticated:
            _audit_login(request, AuditAction.LOGOUT, request.user.get_username(), request.user)
        provider_session_forget(request)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    form = ChooseMembershipForm(request.POST or None, user=request.user)
    if form.is_valid():
        choose_membership(request, form.cleaned_data["membership"])
        return redirect(next_url)
    return render(request, "organisations/choose.html", {"form": form, "next": next_url})
