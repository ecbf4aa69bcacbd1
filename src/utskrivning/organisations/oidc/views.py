"""The sign-in's pages: off to the provider, back from it, its refusals in Swedish, the logout
at the provider (RP-initiated) and the provider's own logout reaching us (back-channel)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode as query_string
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.organisations.models import Membership
from utskrivning.organisations.oidc.backend import Identity, ProviderBackend, Refusal
from utskrivning.organisations.oidc.provider import (
    ProviderUnavailable,
    endpoints,
    oidc_enabled,
    oidc_setting,
)
from utskrivning.organisations.oidc.sessions import provider_session_record, provider_sessions_end

# A person refused (no or an unknown HSA-id) gets the page as a wrong password does (200); the
# provider's trouble is the service's (503), a broken exchange the request's (400).
_STATUS = {Refusal.UNAVAILABLE: 503, Refusal.FAILED: 400}


def _audit(
    request: HttpRequest,
    action: AuditAction,
    *,
    actor: AbstractBaseUser | None,
    obj_type: str,
    obj_id: str,
    purpose: str,
) -> None:
    audit_record(
        actor=actor,
        organisation=None,
        action=action,
        obj_type=obj_type,
        obj_id=obj_id,
        purpose=f"identity provider {settings.OIDC_ISSUER}: {purpose}"[:2000],
        request=request,
    )


def _refused(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The Swedish page for a sign-in that gets no session, and its line in the audit log."""
    assert identity.refusal is not None
    detail = f" ({identity.detail})" if identity.detail else ""
    _audit(
        request,
        AuditAction.LOGIN_FAILED,
        actor=None,
        obj_type="hsa_id" if identity.hsa_id else "oidc_sub",
        obj_id=identity.hsa_id or identity.sub,
        purpose=f"{identity.refusal}, sub {identity.sub or '-'}{detail}",
    )
    context = {"refusal": str(identity.refusal), "hsa_id": identity.hsa_id}
    return render(
        request,
        "organisations/oidc_refused.html",
        {**context, "provider_name": settings.OIDC_PROVIDER_NAME},
        status=_STATUS.get(identity.refusal, 200),
    )


def _trouble(request: HttpRequest, refusal: Refusal, error: Exception) -> HttpResponse:
    return _refused(
        request, Identity(sub="", sid="", hsa_id="", refusal=refusal, detail=str(error))
    )


class ProviderLoginView(OIDCAuthenticationRequestView):
    """Off to the provider with state, nonce and PKCE kept in the session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is looked up per request, not per process

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoints().authorization_endpoint
        except ProviderUnavailable as error:
            return _trouble(request, Refusal.UNAVAILABLE, error)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: the code exchanged, the ID token checked, the person found by
    HSA-id; signed in, or the reason on a Swedish page. Both in the audit log with the `sub`."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except ProviderUnavailable as error:
            return _trouble(request, Refusal.UNAVAILABLE, error)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            return _trouble(request, Refusal.FAILED, error)
        return response

    def login_failure(self) -> HttpResponse:
        identity = getattr(self.request, "oidc_identity", None)
        if identity is None or identity.refusal is None:
            error = self.request.GET.get("error", "")[:100]
            detail = f"the provider answered {error}" if error else "no sign-in under way"
            identity = Identity(sub="", sid="", hsa_id="", refusal=Refusal.FAILED, detail=detail)
        return _refused(self.request, identity)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        identity: Identity = self.request.oidc_identity  # type: ignore[attr-defined]
        provider_session_record(self.request, user=self.user, sub=identity.sub, sid=identity.sid)
        _audit(
            self.request,
            AuditAction.LOGIN,
            actor=self.user,
            obj_type="user",
            obj_id=self.user.get_username(),
            purpose=f"sub {identity.sub}, sid {identity.sid or '-'}, HSA-id {identity.hsa_id}",
        )
        if Membership.objects.filter(user=self.user).count() > 1:
            query = query_string({"next": response["Location"]})
            return HttpResponseRedirect(f"{reverse('choose_organisation')}?{query}")
        return response


def provider_logout_url(request: HttpRequest, id_token: str | None) -> str | None:
    """Where the browser goes to end the sign-in at the provider too (RP-initiated logout),
    coming back to our login page; None when the session was not the provider's."""
    if not id_token or not oidc_enabled():
        return None
    try:
        end_session = endpoints().end_session_endpoint
    except ProviderUnavailable:
        return None
    if not end_session:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{end_session}?{query}"


@csrf_exempt  # the provider posts it, server to server, with a token signed by its key
@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    """OpenID Connect Back-Channel Logout: the provider says a sign-in ended; every session of
    ours it began ends now (200), or the token is refused (400), either way in the audit log."""
    if not oidc_enabled():
        raise Http404
    token = request.POST.get("logout_token", "")[:20_000]
    try:
        claims = ProviderBackend().verify_logout_token(token)
    except (SuspiciousOperation, ProviderUnavailable, requests.RequestException) as error:
        _audit(
            request,
            AuditAction.DENIED,
            actor=None,
            obj_type="logout_token",
            obj_id="",
            purpose=f"back-channel logout refused: {error}",
        )
        return JsonResponse(
            {"error": "invalid_request", "error_description": str(error)}, status=400
        )
    sub, sid = claims.get("sub"), claims.get("sid")
    ended = provider_sessions_end(sub=sub, sid=sid)
    for session in ended:
        _audit(
            request,
            AuditAction.LOGOUT,
            actor=session.user,
            obj_type="user",
            obj_id=session.user.get_username(),
            purpose=f"back-channel logout: sub {session.sub}, sid {session.sid or '-'}",
        )
    if not ended:
        _audit(
            request,
            AuditAction.LOGOUT,
            actor=None,
            obj_type="oidc_sub",
            obj_id=str(sub or ""),
            purpose=f"back-channel logout: sub {sub or '-'}, sid {sid or '-'}: no session here",
        )
    return HttpResponse(status=200)
