"""The invoice basis as a PDF: a title and one simple table, for printing and archiving."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from utskrivning.domain.payment import Invoice


def invoice_pdf(title: str, invoices: Sequence[Invoice], *, printed: datetime) -> bytes:
    styles = getSampleStyleSheet()
    header = [
        _("Group"), _("Episode"), _("Care type"), _("Ready days"), _("Basis"),
        _("Billable days"), _("Amount (SEK)"),
    ]  # fmt: skip
    rows: list[list[str]] = [header]
    for invoice in invoices:
        for line in invoice.lines:
            rows.append(
                [
                    invoice.group,
                    line.episode_id,
                    line.care_type,
                    str(line.ready_days),
                    str(line.basis),
                    f"{line.billable_days:.2f}",
                    f"{line.amount_sek:.2f}",
                ]
            )
        rows.append(
            [invoice.group, _("Total"), "", str(invoice.ready_days), invoice.stage or "",
             f"{invoice.billable_days:.2f}", f"{invoice.amount_sek:.2f}"]
        )  # fmt: skip
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), title=title)
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(_("Printed %(at)s") % {"at": f"{printed:%Y-%m-%d %H:%M}"}, styles["Normal"]),
        Spacer(1, 12),
        table
        if len(rows) > 1
        else Paragraph(_("No discharged episodes this month."), styles["Normal"]),
    ]
    document.build(story)
    return out.getvalue()
