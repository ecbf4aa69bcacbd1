"""API keys: issued to a system by an organisation's administrator (or the command line), shown
once, kept as a hash, valid until they expire or are revoked; each use is noted."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.lib.kept import Kept
from utskrivning.organisations.models import ApiKey, Membership, Organisation

DEFAULT_VALIDITY = timedelta(days=365)
MAX_VALIDITY = timedelta(days=2 * 365)
# How often `last_used` is written: once a minute, not a write on every request.
LAST_USE_RESOLUTION = timedelta(minutes=1)
# A key's row with its membership, user and organisation, as read, kept per process for at most
# KEPT_FOR seconds: every API request authenticates, and reading and building those four rows was
# a quarter of a worklist request's CPU (issue 15). Any change to a key, membership, user or
# organisation in this process forgets them at once (`forget_api_keys`, on their saves and
# deletes); another process sees a revocation within KEPT_FOR.
KEPT_FOR = 2.0
_kept: Kept[str, ApiKey] = Kept(most=1000, seconds=KEPT_FOR)


class ApiKeyError(ValueError):
    def __init__(self, reason: str, *, field: str) -> None:
        super().__init__(reason)
        self.field = field


def key_hash(key: str) -> str:
    """A key is long and random, so a plain SHA-256 suffices (no password stretching)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_key_issue(
    *,
    membership: Membership,
    name: str,
    issued_by: Membership | None,
    valid_for: timedelta = DEFAULT_VALIDITY,
) -> tuple[ApiKey, str]:
    """A new key for a system acting as `membership`; returns it with the key, shown once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ApiKeyError("A key has a name of 1–100 characters.", field="name")
    if not timedelta(days=1) <= valid_for <= MAX_VALIDITY:
        raise ApiKeyError("A key is valid for 1 to 730 days.", field="valid_for")
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    stored = ApiKey.objects.create(
        membership=membership, name=name, key_hash=key_hash(key), expires=now + valid_for
    )
    audit_record(
        actor=issued_by.user if issued_by else None,
        organisation=membership.organisation,
        action=AuditAction.KEY_ISSUED,
        obj_type="api_key",
        obj_id=stored.pk,
        purpose=f"API key {name!r} for {membership.user.get_username()}",
    )
    return stored, key


def api_key_revoke(*, api_key: ApiKey, revoked_by: Membership | None) -> ApiKey:
    if api_key.revoked is None:
        api_key.revoked = timezone.now()
        api_key.save(update_fields=["revoked"])
        audit_record(
            actor=revoked_by.user if revoked_by else None,
            organisation=api_key.membership.organisation,
            action=AuditAction.KEY_REVOKED,
            obj_type="api_key",
            obj_id=api_key.pk,
            purpose=f"API key {api_key.name!r} revoked",
        )
    return api_key


def api_key_authenticate(key: str, *, now: datetime) -> ApiKey | None:
    """The valid key's row, its membership and user loaded; its last use noted (once a minute)."""
    found = _read(key_hash(key))
    if found is None or not found.valid_at(now) or not found.membership.user.is_active:
        return None
    if found.last_used is None or now - found.last_used >= LAST_USE_RESOLUTION:
        ApiKey.objects.filter(pk=found.pk).update(last_used=now)
        found.last_used = now
    return found


def _read(hashed: str) -> ApiKey | None:
    if (found := _kept.get(hashed)) is not None:
        return found
    found = (
        ApiKey.objects.select_related("membership__user", "membership__organisation")
        .filter(key_hash=hashed)
        .first()
    )
    if found is not None:
        _kept.put(hashed, found)
    return found


def forget_api_keys(**_: Any) -> None:
    """A key, membership, user or organisation changed: read the keys anew."""
    _kept.clear()


def api_keys_of(*, organisation: Organisation) -> QuerySet[ApiKey]:
    """The organisation's keys for its administrator: never the key, only name, holder, use."""
    return ApiKey.objects.filter(membership__organisation=organisation).select_related(
        "membership__user"
    )
