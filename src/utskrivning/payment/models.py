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


class ApprovedBasis(models.Model):
    """A municipality's month as the region's finance approved (fastställde) it.

    The document holds the lines and total as approved (`payment.document`), so an import, a late
    event or a dispute's correction afterwards changes what the month comes to now, never what was
    approved: the difference is carried as a correction line to the next open month. Reopening
    keeps the row, with who, when and why; the month's next approval is a new row.
    """

    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("month"), max_length=7)  # YYYY-MM
    rulebook_id = models.CharField(_("rulebook"), max_length=64)
    rulebook_version = models.CharField(_("rulebook version"), max_length=64)
    total_sek = models.DecimalField(_("total (SEK)"), max_digits=14, decimal_places=2)
    document = models.JSONField()  # payment.document.to_json
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ("municipality", "month", "approved_at")
        constraints = (
            models.UniqueConstraint(
                fields=["municipality", "month"],
                condition=Q(reopened_at__isnull=True),
                name="one_approval_per_open_month",
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True, reopen_reason="")
                | (Q(reopened_at__isnull=False) & ~Q(reopen_reason="")),
                name="reopened_with_a_reason",
            ),
        )

    def __str__(self) -> str:
        return f"{self.municipality} {self.month}"
