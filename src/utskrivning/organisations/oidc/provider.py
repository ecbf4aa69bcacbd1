"""The identity provider's endpoints, read from its discovery document and kept an hour.

mozilla-django-oidc reads each endpoint from a setting; `oidc_setting` answers those from the
discovery document, so a region configures the issuer alone (docs/operations.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The provider did not answer, or its discovery document is not the configured issuer's."""


@dataclass(frozen=True)
class Endpoints:
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str  # "" when the provider has no RP-initiated logout


_found: dict[str, tuple[float, Endpoints]] = {}


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def endpoints() -> Endpoints:
    issuer: str = settings.OIDC_ISSUER
    kept = _found.get(issuer)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery at {url}: {error}") from error
    # OpenID Connect Discovery §4.3: the document's issuer must be exactly the one configured.
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(f"discovery at {url} names issuer {document.get('issuer')!r}")
    try:
        found = Endpoints(
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            userinfo_endpoint=str(document["userinfo_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            end_session_endpoint=str(document.get("end_session_endpoint") or ""),
        )
    except KeyError as error:
        raise ProviderUnavailable(f"discovery at {url} has no {error}") from None
    _found[issuer] = (time.monotonic() + DISCOVERY_SECONDS, found)
    return found


_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_setting(name: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, the endpoints among them from the discovery document."""
    if name in _DISCOVERED:
        return getattr(endpoints(), _DISCOVERED[name])
    return import_from_settings(name, *default)
