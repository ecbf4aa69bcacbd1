"""Reads of closed months: the document a month shows, and the corrections an open month carries.

An approved month shows what was approved. What the same month comes to now may differ (a late
import, a late event, a dispute's correction); the difference not yet carried is a correction line
on the next open month, i.e. on an open month for each approved month in the unbroken run of
approved months just before it. Once that open month is approved, it has carried the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from utskrivning.lib import months
from utskrivning.organisations.models import Organisation
from utskrivning.payment.document import (
    DocumentLine,
    InvoiceDocument,
    LineKind,
    from_json,
    left_out_line,
    rulebook_version,
    section,
)
from utskrivning.payment.models import ApprovedBasis
from utskrivning.payment.selectors import DisputedBasis, disputed_invoice_basis


@dataclass(frozen=True)
class MonthDocument:
    """The document a month shows: approved (with its approval) or as it comes to now."""

    document: InvoiceDocument
    approval: ApprovedBasis | None
    current: InvoiceDocument  # the month as it comes to now, corrections carried included

    @property
    def changed_since_approval(self) -> Decimal:
        """What the month's basis comes to now beyond what was approved (0 when open)."""
        if self.approval is None:
            return Decimal(0)
        return self.current.basis_amount - self.document.basis_amount


def live_document(municipality: Organisation, month: str, basis: DisputedBasis) -> InvoiceDocument:
    """The month's basis as it comes to now, with the patients `basis.episodes` names."""
    result = basis.effective
    region = municipality.region
    kept = set(result.line_frame["episode_id"].to_list())
    left_out = [
        left_out_line(line, invoice.group, basis.episodes.get(line.episode_id))
        for invoice in (basis.original.invoices() if basis.is_corrected else [])
        for line in invoice.lines
        if line.episode_id not in kept
    ]
    return InvoiceDocument(
        sender=region.name if region else "",
        recipient=municipality.name,
        code=municipality.municipality_code,
        month=month,
        rulebook_id=result.rulebook.id,
        rulebook_title=result.rulebook.title,
        rulebook_version=rulebook_version(result.rulebook),
        sections=tuple(section(invoice, basis.episodes) for invoice in result.invoices()),
        assumptions=tuple(result.assumption_notes()),
        left_out=tuple(left_out),
    )


def active_approval(municipality: Organisation, month: str) -> ApprovedBasis | None:
    return (
        ApprovedBasis.objects.select_related("approved_by")
        .filter(municipality=municipality, month=month, reopened_at__isnull=True)
        .first()
    )


def _approved_run(municipality: Organisation, month: str) -> list[ApprovedBasis]:
    """The approved months just before `month`, nearest first, up to the first open one."""
    approvals = {
        a.month: a
        for a in ApprovedBasis.objects.filter(
            municipality=municipality, month__lt=month, reopened_at__isnull=True
        )
    }
    run, before = [], months.shift(month, -1)
    while before in approvals:
        run.append(approvals[before])
        before = months.shift(before, -1)
    return run


def carried(municipality: Organisation, month: str) -> Decimal:
    """What later approved months have already carried as corrections of `month`."""
    later = ApprovedBasis.objects.filter(
        municipality=municipality, month__gt=month, reopened_at__isnull=True
    ).values_list("document", flat=True)
    return sum(
        (
            Decimal(c["amount"])
            for document in later
            for c in document["corrections"]
            if c["month"] == month
        ),
        Decimal(0),
    )


def month_amount_now(municipality: Organisation, month: str) -> Decimal:
    """The month's basis as the engine and the answered disputes give it now (no patient read)."""
    basis = disputed_invoice_basis(municipality=municipality, month=month)
    return sum((Decimal(i.amount_sek) for i in basis.effective.invoices()), Decimal(0))


def outstanding_corrections(municipality: Organisation, month: str) -> list[DocumentLine]:
    """The corrections the open `month` carries: each approved month's difference not carried."""
    lines = []
    for approval in reversed(_approved_run(municipality, month)):
        approved = from_json(approval.document).basis_amount
        now = month_amount_now(municipality, approval.month)
        difference = now - approved - carried(municipality, approval.month)
        if difference:
            lines.append(
                DocumentLine(
                    kind=LineKind.CORRECTION,
                    month=approval.month,
                    approved_amount=approved,
                    current_amount=now,
                    amount=difference,
                )
            )
    return lines


def month_document(municipality: Organisation, month: str, basis: DisputedBasis) -> MonthDocument:
    """The approved copy of an approved month; an open month as now, with its corrections."""
    live = live_document(municipality, month, basis)
    approval = active_approval(municipality, month)
    if approval is not None:
        return MonthDocument(from_json(approval.document), approval, live)
    current = live.with_corrections(outstanding_corrections(municipality, month))
    return MonthDocument(current, None, current)
