"""E-mail: what is new for an organisation, counted, never who (issue 12: no patient data in an
e-mail; e-mail is not a secure channel for it). The worker composes one e-mail per subscription
whose time has come (at once: every pass; a digest: at the chosen times) into the outbox
(`OutgoingEmail`), then sends what is due through the SMTP server of `settings.EMAIL_*`, with
growing pauses after a failure.

The text is built from counts, the organisation's name and the service's address alone: nothing of
a notice but its kind and its episode's id (to count patients) is read here.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.notifications.models import (
    EmailMode,
    Notice,
    NoticeKind,
    OutgoingEmail,
    Subscription,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)  # a claimed e-mail is another worker's again after this
SEND_BATCH = 50


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours: ten attempts span about a day."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def last_slot(times: list[str], now: datetime) -> datetime | None:
    """The latest of today's or yesterday's digest times (Stockholm) not after `now`."""
    local = now.astimezone(STOCKHOLM)
    slots = [
        datetime.combine(day, time.fromisoformat(t), tzinfo=STOCKHOLM)
        for day in (local.date() - timedelta(days=1), local.date())
        for t in times
    ]
    return max((s for s in slots if s <= now), default=None)


def _due(subscription: Subscription, now: datetime) -> bool:
    if subscription.mode == EmailMode.IMMEDIATE:
        return True
    slot = last_slot(subscription.digest_times, now)
    return slot is not None and slot > subscription.mailed_until


def subject_and_body(
    *, organisation: str, counts: dict[str, int], patients: int
) -> tuple[str, str]:
    """The e-mail in Swedish: how many, of what, where, and the link; no patient data."""
    with translation.override("sv"):
        if patients:
            subject = ngettext(
                "%(n)d new patient needs action at %(place)s – log in",
                "%(n)d new patients need action at %(place)s – log in",
                patients,
            ) % {"n": patients, "place": organisation}
        else:
            subject = _("New at %(place)s – log in") % {"place": organisation}
        labels = dict(NoticeKind.choices)
        lines = [f"- {labels[kind]}: {n}" for kind, n in counts.items()]
        body = "\n".join(
            [
                _("New in the discharge coordination service for %(place)s:")
                % {"place": organisation},
                "",
                *lines,
                "",
                _("Log in to see what: %(url)s") % {"url": f"{settings.BASE_URL}/notifications/"},
                "",
                _("E-mail from the service never holds patient data."),
                _("Choose what you are e-mailed about: %(url)s")
                % {"url": f"{settings.BASE_URL}/notifications/settings/"},
            ]
        )
    return subject[:200], body


def emails_compose(*, now: datetime) -> int:
    """An e-mail into the outbox for each subscription whose time has come and which has news
    since its last one; returns how many. Nothing without an SMTP server."""
    if not settings.EMAIL_HOST:
        return 0
    made = 0
    for subscription in (
        Subscription.objects.exclude(mode=EmailMode.OFF)
        .exclude(email="")
        .select_related("organisation")
    ):
        if _due(subscription, now) and _compose(subscription, now):
            made += 1
    return made


def _compose(subscription: Subscription, now: datetime) -> bool:
    new = Notice.objects.filter(
        organisation_id=subscription.organisation_id,
        kind__in=subscription.kinds,
        created__gt=subscription.mailed_until,
        created__lte=now,
    )
    by_kind = dict(new.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    if not by_kind and subscription.mode == EmailMode.IMMEDIATE:
        return False  # nothing new: no write either
    patients = new.exclude(episode=None).values("episode").distinct().count()
    with transaction.atomic():
        # Taken once: a second worker at the same time finds it moved on and sends nothing.
        moved = Subscription.objects.filter(
            pk=subscription.pk, mailed_until=subscription.mailed_until
        ).update(mailed_until=now, last_mailed=now if by_kind else subscription.last_mailed)
        if not moved or not by_kind:
            return False
        counts = {kind.value: by_kind[kind] for kind in NoticeKind if kind in by_kind}
        subject, body = subject_and_body(
            organisation=subscription.organisation.name, counts=counts, patients=patients
        )
        OutgoingEmail.objects.create(
            subscription=subscription,
            to=subscription.email,
            subject=subject,
            body=body,
            created=now,
            next_attempt=now,
        )
    return True


def _claim(now: datetime, batch: int) -> list[OutgoingEmail]:
    """The e-mails due, taken for LEASE so a second worker leaves them alone."""
    due = OutgoingEmail.objects.filter(sent__isnull=True, failed=False, next_attempt__lte=now)
    if not due.exists():  # seen without a transaction: an idle pass takes no write lock
        return []
    with transaction.atomic():
        taken = list(due.order_by("next_attempt", "pk").select_for_update(skip_locked=True)[:batch])
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in taken]).update(next_attempt=now + LEASE)
    return taken


def emails_send(*, now: datetime, batch: int = SEND_BATCH) -> tuple[int, int]:
    """Send the e-mails due over one SMTP connection; returns (sent, failed this time)."""
    if not settings.EMAIL_HOST:
        return 0, 0
    taken = _claim(now, batch)
    if not taken:
        return 0, 0
    sent = failed = 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except OSError as error:
        for email in taken:
            _failed(email, now, error)
        return 0, len(taken)
    try:
        for email in taken:
            try:
                EmailMessage(
                    email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to],
                    connection=connection,
                ).send()  # fmt: skip
            except Exception as error:  # an SMTP refusal or a broken connection: retried later
                _failed(email, now, error)
                failed += 1
            else:
                OutgoingEmail.objects.filter(pk=email.pk).update(sent=now, last_error="")
                sent += 1
    finally:
        connection.close()
    return sent, failed


def _failed(email: OutgoingEmail, now: datetime, error: BaseException) -> None:
    attempts = email.attempts + 1
    log.warning("e-mail %s not sent (attempt %s): %s", email.pk, attempts, error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=attempts,
        next_attempt=now + backoff(attempts),
        failed=attempts >= MAX_ATTEMPTS,
        last_error=f"{type(error).__name__}: {error}"[:500],
    )
