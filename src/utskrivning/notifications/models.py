"""What is new for an organisation (`Notice`), who hears of it and how (`Subscription`), and the
two ways out of the service: e-mails (`OutgoingEmail`) and webhooks (`Webhook`, `WebhookDelivery`).

Notices are written by the worker from the episodes' outbox (`services.notices_from_events`), so
the header counter and the e-mails count rows of one indexed table, never an episode's history.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.organisations.models import Membership, Organisation


class NoticeKind(models.TextChoices):
    """What a person may choose to hear about (the settings page lists them in this order)."""

    ADMISSION = "admission", _("New admissions")
    READINESS = "readiness", _("Readiness")
    MESSAGE = "message", _("Messages")
    SIP_SUMMONS = "sip_summons", _("SIP summons")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgements")
    DEADLINE = "deadline", _("Deadlines due today")
    INVOICE = "invoice", _("Invoices ready to approve")


class Notice(models.Model):
    """One thing that concerns one organisation: a message addressed to it, an acknowledgement
    of its own, a deadline of its own falling due, an invoice basis to approve."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        EpisodeEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=40, blank=True)  # the step, for webhooks
    # The deadline's kind and due time (kind DEADLINE), or the invoice's month (kind INVOICE).
    subject = models.CharField(max_length=40, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    met = models.BooleanField(default=False)
    at = models.DateTimeField()  # when the step happened
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created", "-id")
        indexes = (
            # The header counter: an organisation's notices since a person last looked.
            models.Index(fields=["organisation", "created"], name="notice_new"),
            # Deadlines due today.
            models.Index(fields=["organisation", "kind", "due_at"], name="notice_due"),
        )
        constraints = (
            # One notice per event and organisation and kind: a rerun of the outbox adds nothing.
            models.UniqueConstraint(
                fields=["event", "organisation", "kind"],
                condition=Q(event__isnull=False),
                name="one_notice_per_event",
            ),
            # One notice per deadline (or month) and organisation, however often it is looked at.
            models.UniqueConstraint(
                fields=["organisation", "kind", "episode", "subject", "due_at"],
                condition=Q(event__isnull=True),
                name="one_notice_per_due",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} → {self.organisation_id}"


class EmailMode(models.TextChoices):
    OFF = "off", _("No e-mail")
    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("A digest at chosen times")


class Subscription(models.Model):
    """Who hears of an organisation's notices: a person (a membership: what they chose, and
    when they last looked), or the organisation's own mailbox (set by its administrator)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notice_subscriptions"
    )
    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notice_subscription",
    )
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    kinds = models.JSONField(default=list)  # NoticeKind values
    mode = models.CharField(
        _("e-mail"), max_length=16, choices=EmailMode.choices, default=EmailMode.OFF
    )
    digest_times = models.JSONField(default=list)  # local "HH:MM"
    last_seen = models.DateTimeField(default=timezone.now)  # the counter counts from here
    mailed_until = models.DateTimeField(default=timezone.now)  # notices up to here are mailed
    last_mailed = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(membership__isnull=False) | ~Q(email=""),
                name="subscription_person_or_mailbox",
            ),
        )
        indexes = (models.Index(fields=["mode"], name="subscription_mailed"),)

    def __str__(self) -> str:
        return self.email or str(self.membership_id)


class OutgoingEmail(models.Model):
    """The worker's outbox of e-mails: sent with retries and growing pauses, never patient data
    (the text says how many and where, and links to the service)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(default=timezone.now)
    sent = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)  # given up after the last attempt
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("-created", "-id")
        indexes = (
            models.Index(
                fields=["next_attempt"],
                condition=Q(sent__isnull=True, failed=False),
                name="email_pending",
            ),
        )


MAX_URL = 500  # webhooks.checked_url's refusal says "500"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A system's address that hears of its organisation's notices, signed with `secret`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("address"), max_length=MAX_URL)
    secret = models.CharField(max_length=64, default=new_secret)
    # Patient name and personnummer in the body: only if chosen, and only over HTTPS.
    patient_data = models.BooleanField(_("include patient data"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return self.url

    @property
    def sends_patient_data(self) -> bool:
        return self.patient_data and self.url.lower().startswith("https://")


class WebhookDelivery(models.Model):
    """One notice to one webhook: posted until the receiver answers 2xx, with growing pauses;
    the notice's id is the event id a receiver deduplicates on."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(default=timezone.now)
    delivered = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("-created", "-id")
        constraints = (
            models.UniqueConstraint(fields=["webhook", "notice"], name="one_delivery_per_notice"),
        )
        indexes = (
            models.Index(
                fields=["next_attempt"],
                condition=Q(delivered__isnull=True, failed=False),
                name="delivery_pending",
            ),
        )
