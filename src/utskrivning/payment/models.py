"""Disputes of an invoice basis: the municipality questions, the region answers (Dalarna §11).

An answer `corrected` states its correction of one episode (left out of the basis, or a corrected
readiness time); the invoice basis applies it to the episodes before the engine runs, so the
corrected amounts come from the same rules as the original ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.organisations.models import Organisation


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class DisputeOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    CORRECTED = "corrected", _("Corrected")


class Correction(models.TextChoices):
    EXCLUDE = "exclude", _("Episode left out of the basis")
    READY_AT = "ready_at", _("Corrected readiness time")


class InvoiceDispute(models.Model):
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoice_disputes"
    )
    month = models.CharField(_("month"), max_length=7)  # YYYY-MM
    rulebook_id = models.CharField(_("rulebook"), max_length=64)
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("question"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(max_length=16, choices=DisputeOutcome.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The correction of an answer `corrected`: which episode, and how (see the module docstring).
    correction = models.CharField(
        _("correction"), max_length=16, choices=Correction.choices, blank=True
    )
    corrected_episode = models.ForeignKey(
        "episodes.Episode",
        verbose_name=_("corrected episode"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_ready_at = models.DateTimeField(_("corrected readiness time"), null=True, blank=True)

    class Meta:
        ordering = ("-opened_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=Q(correction="", corrected_episode__isnull=True)
                | (
                    Q(outcome=DisputeOutcome.CORRECTED, corrected_episode__isnull=False)
                    & ~Q(correction="")
                ),
                name="correction_only_when_corrected",
            ),
            models.CheckConstraint(
                condition=Q(correction=Correction.READY_AT, corrected_ready_at__isnull=False)
                | (~Q(correction=Correction.READY_AT) & Q(corrected_ready_at__isnull=True)),
                name="ready_at_iff_corrected_readiness",
            ),
        )

    def __str__(self) -> str:
        return f"{self.municipality} {self.month}"
