"""The person behind a sign-in at the identity provider, found by HSA-id; and the provider's
signed tokens checked in full (signature by its keys, issuer, audience, times)."""

from __future__ import annotations

import enum
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from utskrivning.lib.text import printable
from utskrivning.organisations.models import normalise_hsa_id
from utskrivning.organisations.oidc.provider import oidc_enabled, oidc_setting

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LEEWAY_SECONDS = 60  # clocks of the provider and the service may differ this much
LOGOUT_TOKEN_AGE = 300  # a logout token is posted as it is issued; older is refused


class Refusal(enum.StrEnum):
    """Why a sign-in that the provider vouched for still gets no session here."""

    NO_HSA_ID = "no_hsa_id"
    UNKNOWN_HSA_ID = "unknown_hsa_id"
    INACTIVE = "inactive"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"


@dataclass
class Identity:
    """What the provider said of the person; the backend leaves it on the request."""

    sub: str
    sid: str
    hsa_id: str
    refusal: Refusal | None = None
    detail: str = ""


class ProviderBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are looked up when a sign-in comes back, not for every request's user.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None
        OIDCAuthenticationBackend.__init__(self)
        user: AbstractBaseUser | None = super().authenticate(request, **kwargs)
        return user

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        # Django's, which refuses an inactive user; mozilla-django-oidc's does not.
        return ModelBackend.get_user(self, user_id)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        return self.verified(payload, key, require=["exp", "iat", "sub"])

    def verified(self, token: str, key: Any, *, require: list[str]) -> dict[str, Any]:
        """The token's claims once its signature, algorithm, issuer, audience and times hold."""
        algorithm = self.get_settings("OIDC_RP_SIGN_ALGO")
        try:
            if jwt.get_unverified_header(token).get("alg") != algorithm:
                raise SuspiciousOperation(f"the token is not signed with {algorithm}")
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.get_settings("OIDC_RP_CLIENT_ID"),
                issuer=settings.OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "iat", *require]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"token refused: {error}") from error
        # OpenID Connect Core §3.1.3.7: a token for several audiences names us as its party.
        several = isinstance(claims["aud"], list) and len(claims["aud"]) > 1
        if several and claims.get("azp") != self.get_settings("OIDC_RP_CLIENT_ID"):
            raise SuspiciousOperation("token refused: for several audiences, azp not ours")
        return claims

    def verify_logout_token(self, token: str) -> dict[str, Any]:
        """OpenID Connect Back-Channel Logout §2.6: signed by the provider's key, for us, with
        the logout event, naming a session or a subject, and no nonce."""
        OIDCAuthenticationBackend.__init__(self)
        try:
            key = self.retrieve_matching_jwk(token)
        except (jwt.InvalidTokenError, KeyError) as error:
            raise SuspiciousOperation(f"logout token refused: {error}") from error
        claims = self.verified(token, key, require=["jti", "events"])
        events = claims["events"]
        if not isinstance(events, dict) or not isinstance(
            events.get(BACKCHANNEL_LOGOUT_EVENT), dict
        ):
            raise SuspiciousOperation("logout token without the back-channel logout event")
        if "nonce" in claims:
            raise SuspiciousOperation("logout token with a nonce")
        if not (isinstance(claims.get("sid"), str) or isinstance(claims.get("sub"), str)):
            raise SuspiciousOperation("logout token names neither sid nor sub")
        # §2.6 leaves both to us: an old token, or one seen before, is a replay.
        if not isinstance(claims["iat"], int) or claims["iat"] < time.time() - LOGOUT_TOKEN_AGE:
            raise SuspiciousOperation("logout token issued too long ago")
        seen = f"oidc-logout-jti:{hashlib.sha256(str(claims['jti']).encode()).hexdigest()}"
        if not cache.add(seen, 1, timeout=LOGOUT_TOKEN_AGE + 2 * LEEWAY_SECONDS):
            raise SuspiciousOperation("logout token replayed (its jti was seen)")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # the HSA-id is checked where the person is looked up

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> AbstractBaseUser | None:
        """The user whose HSA-id the provider gave, never a new one; the reason on the request
        (`oidc_identity`) when there is none."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        identity = Identity(sub=str(payload["sub"]), sid=str(payload.get("sid") or ""), hsa_id="")
        self.request.oidc_identity = identity  # type: ignore[attr-defined]
        # OpenID Connect Core §5.3.2: the userinfo's sub must be the ID token's.
        if userinfo.get("sub") != payload["sub"]:
            identity.refusal, identity.detail = Refusal.FAILED, "userinfo sub differs"
            return None
        claims = {**payload, **userinfo}
        claimed = claims.get(settings.OIDC_HSA_ID_CLAIM)
        hsa_id = normalise_hsa_id(claimed) if isinstance(claimed, str) else None
        if hsa_id is None:
            identity.refusal = Refusal.NO_HSA_ID
            identity.detail = f"claim {settings.OIDC_HSA_ID_CLAIM!r}: {str(claimed)[:40]!r}"
            return None
        identity.hsa_id = hsa_id
        user = self.UserModel.objects.filter(identity__hsa_id=hsa_id).first()
        if user is None:
            identity.refusal = Refusal.UNKNOWN_HSA_ID
            return None
        if not user.is_active:
            identity.refusal = Refusal.INACTIVE
            return None
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """The name as the provider has it, whole (names do not split reliably into two)."""
        claimed = claims.get(settings.OIDC_NAME_CLAIM)
        name = printable(claimed, max_length=150).strip() if isinstance(claimed, str) else ""
        if name and name != user.get_full_name():
            user.first_name, user.last_name = name, ""
            user.save(update_fields=["first_name", "last_name"])
        return user
