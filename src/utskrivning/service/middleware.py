"""Content-Security-Policy: Django 5.2 has no CSP of its own, and one header needs no package."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from utskrivning.api.auth import acting_membership
from utskrivning.api.errors import error_response
from utskrivning.audit import context
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.permissions import READ, Data, may_read
from utskrivning.service.errors import bad_request
from utskrivning.service.routes import route_data
from utskrivning.web.start import has_worklist


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` unless a view has set a stricter one itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", _policy())
        return response


def _policy() -> str:
    """The policy, letting a form's redirect go on to the identity provider's origin: the logout
    form ends at its end-session endpoint, and browsers hold redirects to form-action."""
    policy: str = settings.CONTENT_SECURITY_POLICY
    if not settings.OIDC_ISSUER:
        return policy
    issuer = urlsplit(settings.OIDC_ISSUER)
    return policy.replace(
        "form-action 'self'", f"form-action 'self' {issuer.scheme}://{issuer.netloc}"
    )


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a request a page makes by itself (the header's counter, polled every
    few seconds) does not extend the session: 30 minutes without a person's own request still
    ends it on an unattended screen (SESSION_SAVE_EVERY_REQUEST would save it on every poll)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "polled", False) and not request.session.modified:
            return response
        return super().process_response(request, response)


class SwedishFirstMiddleware:
    """The UI is Swedish unless the user chose English (the language cookie), whatever the
    browser asks for: the staff of Swedish regions and municipalities share screens and terms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and its older spellings) on every answer the service renders:
    patient pages, API answers and downloads must not stay in a browser's or a proxy's cache on a
    shared ward computer. Static files are answered before this (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class DataAccessMiddleware:
    """Before any view: the route's kind of data (`service.routes`) and whether the caller's role
    may read it (`organisations.permissions.READ`). Which patients it then sees is the view's and
    the selectors' concern; a caller not yet known is left to the view (login, 401, choosing an
    organisation). An unknown route is refused: a new route must be placed in the table."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        data = route_data(match.route) if match is not None else None
        if data is not None and READ[data] is None:
            return None
        membership = acting_membership(request)
        if membership is not None:
            request.membership = membership  # type: ignore[attr-defined]
        if match is not None and match.route == "" and membership and not has_worklist(membership):
            # "/" (the header's name, a bookmark) is the parties' worklist; a role without one
            # is sent on to its own start page, not refused nor shown an empty list.
            return redirect("web:start")
        if data is not None and (membership is None or may_read(membership, data)):
            return None
        reason = f"Your role may not read {data}." if data else "This route has no access rule."
        if request.path.startswith("/api/"):
            return error_response(request, 403, reason)
        raise PermissionDenied(reason)


_DENIED = frozenset({401, 403, 404})


class AuditMiddleware:
    """One audit entry per request, written when it ends (audit.context): the patients its reads
    noted; else a denial (401, 403 or 404: an enumeration of ids leaves a trace); else, for a
    signed-in caller on a route with data, that it was there, unless its services wrote their
    own entries. A route without data (health, login page, schema) is not logged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with context.request_audit(request) as ongoing:
            response = self.get_response(request)
        action = _request_action(request, response, ongoing)
        if action is not None:
            membership = getattr(request, "membership", None)
            AuditEntry.objects.create(
                user=request.user if request.user.is_authenticated else None,
                organisation=membership.organisation if membership is not None else None,
                action=action,
                obj_type="request",
                obj_id=_route(request),
                patients=" ".join(ongoing.patients),
                purpose="; ".join(ongoing.purposes) or _route(request),
                status=response.status_code,
                **ongoing.where(request),
            )
        return response


def _route(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.route[:150] if match is not None else ""


def _request_action(
    request: HttpRequest, response: HttpResponse, ongoing: context.RequestAudit
) -> AuditAction | None:
    if ongoing.patients:
        return AuditAction.READ
    match = request.resolver_match
    signed_in = request.user.is_authenticated
    if response.status_code in _DENIED and (signed_in or match is not None):
        return AuditAction.DENIED
    data = route_data(match.route) if match is not None else None
    if signed_in and data not in (None, Data.NONE) and not ongoing.entries:
        return AuditAction.ACCESS
    return None


class BadRequestPageMiddleware:
    """A request a view refuses with `BadRequest` (a hand-made page number, month or filter) gets
    the Swedish 400 page also with DEBUG on, as in the demo: Django's own answer to it there is
    its debug page, a traceback with the settings, to anyone who types a wrong address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return bad_request(request, exception) if isinstance(exception, BadRequest) else None
