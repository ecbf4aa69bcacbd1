"""Who calls the API: a system with `Authorization: Bearer <key>` or a user's session.

Either way the caller acts as one membership, set as `request.membership`; a key also sets
`request.api_key`, which the audit log and idempotency name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from utskrivning.organisations.api_keys import api_key_authenticate
from utskrivning.organisations.models import ApiKey, Membership
from utskrivning.organisations.sessions import current_membership

_BEARER = "bearer "


def request_api_key(request: HttpRequest) -> ApiKey | None:
    """The valid key the request carries, looked up once per request; sets user and membership."""
    if not hasattr(request, "api_key"):
        header = request.headers.get("Authorization", "")
        found = None
        if header[: len(_BEARER)].lower() == _BEARER and len(header) <= 512:
            found = api_key_authenticate(header[len(_BEARER) :].strip(), now=timezone.now())
        request.api_key = found  # type: ignore[attr-defined]
        if found is not None:
            request.user = found.membership.user
            request.membership = found.membership  # type: ignore[attr-defined]
    key: ApiKey | None = request.api_key  # type: ignore[attr-defined]
    return key


def acting_membership(request: HttpRequest) -> Membership | None:
    """The membership a request acts as: its API key's, else its session's (None until known)."""
    api_key = request_api_key(request) if request.path.startswith("/api/") else None
    return api_key.membership if api_key is not None else current_membership(request)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for systems; the key's membership acts."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        found = request_api_key(request)
        return found.membership if found is not None else None


class MembershipSessionAuth(SessionAuth):
    """The UI's session (CSRF-checked by ninja), acting in the session's chosen membership."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if super().authenticate(request, key) is None:
            return None
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        return membership


AUTH: list[Any] = [TokenAuth(), MembershipSessionAuth()]


def membership_of(request: HttpRequest) -> Membership:
    """The membership the authenticated caller acts as (403 until a session has chosen one)."""
    membership = getattr(request, "membership", None) or getattr(request, "auth", None)
    if not isinstance(membership, Membership):
        raise PermissionDenied("Choose the organisation you act for.")
    return membership
