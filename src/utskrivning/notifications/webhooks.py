"""Webhooks: an organisation's administrator registers a system's address; the worker posts each
of the organisation's notices to it, signed, retried with growing pauses until it answers 2xx.

The signature (docs/operations.md, *Webhooks*): `Utskrivning-Signature: v1=<hex>` where hex is
HMAC-SHA256 under the webhook's secret of `<Utskrivning-Timestamp>.<body>`. The notice's id is
`Utskrivning-Event-Id` and the body's `id`: a receiver that saw it already answers 2xx and does
nothing, so a retry after a lost answer is never a second event.

Addresses are an administrator's input, so the service is told where to post by someone inside
it (SSRF): http or https only, at most `MAX_URL` characters, no credentials in them, and no
loopback, private or link-local address unless `WEBHOOK_PRIVATE_ADDRESSES` allows it (an explicit
setting, off by default). An address written as one is refused when registered, in any spelling
the resolver reads (`127.1`, `2130706433`, `[::ffff:127.0.0.1]`, `localhost`); a name is judged by
what it resolves to when the worker connects, and the connection goes to the address judged, so a
name that changes its answer in between (DNS rebinding) cannot slip past. Redirects are not
followed, nor environment proxies. Patient data goes only over HTTPS, and only if chosen.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record, patient_reference
from utskrivning.domain.identity import PersonalNumber
from utskrivning.notifications.models import MAX_URL, Notice, Webhook, WebhookDelivery
from utskrivning.organisations.models import Membership

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
TIMEOUT = 10  # seconds a receiver has to answer
LEASE = timedelta(minutes=2)  # a claimed delivery is another worker's again after this
SEND_BATCH = 100
MAX_PER_ORGANISATION = 10  # the refusal says "ten"


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 … minutes after each failure, at most six hours (twelve attempts: a day)."""
    return min(timedelta(seconds=30 * 2 ** (attempts - 1)), timedelta(hours=6))


def checked_url(url: str) -> str:
    """The address as a webhook may have it, or a ValidationError naming the field."""
    url = url.strip()
    if len(url) > MAX_URL:
        raise ValidationError({"url": _("At most 500 characters.")})
    if not url.isascii() or not url.isprintable() or " " in url:
        raise ValidationError(
            {"url": _("Printable ASCII without spaces (punycode for a name with å, ä, ö).")}
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("An http:// or https:// address with a host.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("No user name or password in the address.")})
    try:
        parts.port  # noqa: B018 - urllib checks the port only when asked
    except ValueError:
        raise ValidationError({"url": _("The port is not a number from 0 to 65535.")}) from None
    if not settings.WEBHOOK_PRIVATE_ADDRESSES and _internal_host(parts.hostname):
        raise ValidationError(
            {"url": _("Not a loopback, private or link-local address: the system's public one.")}
        )
    return url


def _internal(address: str) -> bool:
    return not ipaddress.ip_address(address.split("%")[0]).is_global


def _internal_host(host: str) -> bool:
    """The host names this machine or a private network as written: a literal address in any
    form the C resolver reads (`127.1`, `0x7f.0.0.1`, `2130706433`), or `localhost` (RFC 6761)."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return _internal(name)
    except ValueError:
        pass
    try:
        return _internal(socket.inet_ntoa(socket.inet_aton(name)))
    except OSError:
        return False  # a name: judged by what it resolves to when posting


def webhook_register(*, membership: Membership, url: str, patient_data: bool) -> Webhook:
    """A new webhook for the administrator's organisation; its secret is shown once, to them."""
    url = checked_url(url)
    organisation = membership.organisation
    with transaction.atomic():
        active = Webhook.objects.select_for_update().filter(organisation=organisation, active=True)
        if active.count() >= MAX_PER_ORGANISATION:
            raise ValidationError({"url": _("At most ten webhooks per organisation.")})
        webhook = Webhook.objects.create(
            organisation=organisation, url=url, patient_data=patient_data
        )
        audit_record(
            actor=membership.user,
            organisation=organisation,
            action=AuditAction.ADMIN_CHANGE,
            obj_type="webhook",
            obj_id=webhook.pk,
            purpose=f"webhook registered: {url}" + (" with patient data" if patient_data else ""),
        )
    return webhook


def webhook_deactivate(*, membership: Membership, webhook: Webhook) -> None:
    """No more deliveries to it; what is waiting is given up, and its log stays."""
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(active=False)
        webhook.deliveries.filter(delivered__isnull=True, failed=False).update(
            failed=True, last_error="The webhook was turned off."
        )
        audit_record(
            actor=membership.user,
            organisation=membership.organisation,
            action=AuditAction.ADMIN_CHANGE,
            obj_type="webhook",
            obj_id=webhook.pk,
            purpose=f"webhook turned off: {webhook.url}",
        )


def webhooks_of(membership: Membership) -> QuerySet[Webhook]:
    return Webhook.objects.filter(organisation=membership.organisation)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """What `Utskrivning-Signature` carries: v1=HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def payload(notice: Notice, *, patient_data: bool) -> dict[str, Any]:
    """The event as a receiver gets it: type, episode reference, times; the patient only if
    the webhook sends patient data (chosen, and over HTTPS)."""
    body: dict[str, Any] = {
        "id": str(notice.pk),
        "type": notice.kind,
        "event": notice.event_type or None,
        "organisation": notice.organisation.name,
        "episode": notice.episode_id,
        "url": f"{settings.BASE_URL}/episodes/{notice.episode_id}/" if notice.episode_id else None,
        "at": notice.at.isoformat(),
        "created": notice.created.isoformat(),
    }
    if notice.kind == "deadline":
        body |= {"deadline": notice.subject, "due_at": notice.due_at.isoformat()}
    if notice.kind == "invoice":
        body["month"] = notice.subject
    if patient_data and notice.episode is not None:
        patient = notice.episode.patient
        body["patient"] = {"personal_number": patient.personal_number, "name": patient.name}
    return body


def _judged(host: str, port: int | None) -> list[str]:
    """The addresses `host` resolves to; OSError if one is internal and that is not allowed."""
    found = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    if not settings.WEBHOOK_PRIVATE_ADDRESSES and any(_internal(a) for a in found):
        raise OSError(f"{host} resolves to a private, loopback or link-local address")
    return found


def _connect(
    address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT, *args: Any
) -> socket.socket:
    """`socket.create_connection` to an address judged public, unless private ones are allowed:
    the one resolution is both the one checked and the one connected to."""
    host, port = address
    error: OSError | None = None
    for resolved in _judged(host, port):
        try:
            return socket.create_connection((resolved, port), timeout, *args)
        except OSError as refused:
            error = refused
    raise error or OSError(f"{host} has no address")


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPSConnection(http.client.HTTPSConnection):
    """TLS still checks the certificate against the host name (SNI), not the address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is the receiver's answer, not an address to follow


# No proxy from the environment: the address judged must be the one connected to.
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirects
)


def post(webhook: Webhook, notice: Notice, now: datetime) -> int:
    """Post one notice; returns the HTTP status, or raises OSError when none came."""
    sends_patient = webhook.sends_patient_data
    body = json.dumps(payload(notice, patient_data=sends_patient), ensure_ascii=False).encode()
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "utskrivning-webhook/1",
            "Utskrivning-Event-Id": str(notice.pk),
            "Utskrivning-Timestamp": timestamp,
            "Utskrivning-Signature": sign(webhook.secret, timestamp, body),
        },
    )
    if sends_patient and notice.episode is not None:
        _judged(urlsplit(webhook.url).hostname or "", None)  # refused: nothing was sent
        _audit_sent(webhook, notice)
    try:
        with _opener.open(request, timeout=TIMEOUT) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _audit_sent(webhook: Webhook, notice: Notice) -> None:
    number = PersonalNumber(notice.episode.patient.personal_number)  # type: ignore[union-attr]
    audit_record(
        actor=None,
        organisation=webhook.organisation,
        action=AuditAction.EXPORT,
        obj_type="webhook",
        obj_id=webhook.pk,
        patients=[patient_reference(number)],
        purpose=f"patient data posted to {webhook.url}",
    )


def _claim(now: datetime, batch: int) -> list[WebhookDelivery]:
    due = WebhookDelivery.objects.filter(
        delivered__isnull=True, failed=False, next_attempt__lte=now
    )
    if not due.exists():  # seen without a transaction: an idle pass takes no write lock
        return []
    with transaction.atomic():
        taken = list(due.order_by("next_attempt", "pk").select_for_update(skip_locked=True)[:batch])
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in taken]).update(
            next_attempt=now + LEASE
        )
    return taken


def deliveries_send(*, now: datetime | None = None, batch: int = SEND_BATCH) -> tuple[int, int]:
    """Post the deliveries due, oldest first; returns (delivered, failed this time). Each is
    claimed for `LEASE` first, so two workers never post the same one at once."""
    now = now or timezone.now()
    taken = _claim(now, batch)
    if not taken:
        return 0, 0
    deliveries = WebhookDelivery.objects.filter(pk__in=[d.pk for d in taken]).select_related(
        "webhook__organisation", "notice__organisation", "notice__episode__patient"
    )
    delivered = failed = 0
    for delivery in deliveries.order_by("next_attempt", "pk"):
        try:
            status = post(delivery.webhook, delivery.notice, now)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except OSError as refused:  # refused, timed out, unknown name, TLS
            status, error = 0, f"{type(refused).__name__}: {refused}"
        attempts = delivery.attempts + 1
        if not error:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                attempts=attempts, delivered=now, last_status=status, last_error=""
            )
            delivered += 1
            continue
        log.warning("webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            next_attempt=now + backoff(attempts),
            failed=attempts >= MAX_ATTEMPTS,
            last_status=status or None,
            last_error=error[:500],
        )
        failed += 1
    return delivered, failed
