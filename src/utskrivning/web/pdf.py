"""The invoice basis as a PDF, for printing and archiving: the lines with, when the region's answers
correct the basis, the corrected amounts beside the original ones, and the disputes cited."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from utskrivning.payment.export import dispute_row
from utskrivning.payment.selectors import DisputedBasis, InvoiceView


def _days(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cited(disputes: Sequence[Any]) -> str:
    return ", ".join(f"#{d.pk}" for d in disputes)


def _rows(views: Sequence[InvoiceView], corrected: bool) -> list[list[str]]:
    """One row per episode line and a total per invoice; the corrected columns beside them."""
    rows = []
    for view in views:
        invoice, twin = view.original, view.corrected
        for line in view.lines:
            after = line.corrected
            rows.append(
                [invoice.group, line.original.episode_id, line.original.care_type,
                 str(line.original.ready_days), str(line.original.basis),
                 _days(line.original.billable_days), _days(line.original.amount_sek)]
                + ([_days(after.billable_days) if after else _("left out"),
                    _days(after.amount_sek) if after else "0.00", _cited(line.disputes)]
                   if corrected else [])
            )  # fmt: skip
        rows.append(
            [invoice.group, _("Total"), "", str(invoice.ready_days), invoice.stage or "",
             _days(invoice.billable_days), f"{invoice.amount_sek:.2f}"]
            + ([_days(twin.billable_days if twin else Decimal(0)),
                f"{twin.amount_sek if twin else 0:.2f}", ""] if corrected else [])
        )  # fmt: skip
    return rows


def _table(rows: list[list[str]], *, numbers_from: int) -> Table:
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (numbers_from, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def invoice_pdf(title: str, basis: DisputedBasis, *, printed: datetime) -> bytes:
    """The basis, its corrected amounts beside the original ones, and the disputes cited."""
    styles = getSampleStyleSheet()
    corrected = basis.is_corrected
    header = [
        _("Group"), _("Episode"), _("Care type"), _("Ready days"), _("Basis"),
        _("Billable days"), _("Amount (SEK)"),
    ] + ([_("Corrected billable days"), _("Corrected amount (SEK)"), _("Disputes")]
         if corrected else [])  # fmt: skip
    rows = [header, *_rows(basis.invoices(), corrected)]
    story: list[Any] = [
        Paragraph(title, styles["Title"]),
        Paragraph(_("Printed %(at)s") % {"at": f"{printed:%Y-%m-%d %H:%M}"}, styles["Normal"]),
        Spacer(1, 12),
        _table(rows, numbers_from=3)
        if len(rows) > 1
        else Paragraph(_("No discharged episodes this month."), styles["Normal"]),
    ]
    cited = {d.pk: d for d in [*basis.disputes, *basis.corrections]}
    if cited:
        cell = styles["BodyText"]
        cell.fontSize = 8
        disputes = [
            [_("Dispute"), _("Month"), _("Episode"), _("Question"), _("Status"), _("Outcome"),
             _("Answer"), _("Correction"), _("Corrected episode"), _("Corrected readiness time")],
            *([Paragraph(escape(str(value)), cell) for value in dispute_row(d, labels=True)]
              for d in cited.values()),
        ]  # fmt: skip
        story += [Spacer(1, 12), Paragraph(_("Disputes"), styles["Heading2"])]
        story.append(_table(disputes, numbers_from=len(disputes[0])))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), title=title).build(story)
    return out.getvalue()
