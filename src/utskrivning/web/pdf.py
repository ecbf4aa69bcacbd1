"""The invoice basis as a PDF, for sending, printing and archiving: the municipality's document.

Sender and recipient, period, rulebook and version, whether the month is approved; one line per
patient, the average part, corrections carried from approved months, and a total that is never
alone on its page; the assumptions in a box; the disputes cited; "Sida 1 av 3" on every page.
Every text from outside (names, reasons, answers) goes through `pdf_text`: escaped into
reportlab's mini-markup and cut to what a table cell can hold on a page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from utskrivning.domain.documents import PDF_CELL_LIMIT, PDF_TEXT_LIMIT, pdf_text
from utskrivning.lib.groups import rulebook_name
from utskrivning.lib.numbers import days, kronor
from utskrivning.payment.closed_months import MonthDocument
from utskrivning.payment.document import DocumentLine, InvoiceDocument, LineKind
from utskrivning.payment.export import dispute_row
from utskrivning.payment.selectors import DisputedBasis
from utskrivning.payment.texts import assumption_text, basis_text, line_reason, line_text

_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=7.5, leading=9)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold")
_HEAD_NUMBER = ParagraphStyle("head_number", parent=_HEAD, alignment=TA_RIGHT)
_SMALL = ParagraphStyle("small", parent=_STYLES["Normal"], fontSize=9, leading=11)
# Landscape A4 less 15 mm margins: 267 mm of columns, the reason taking what is left. A column
# is as wide as its heading's longest word ("Utskrivningsklara" 26.4 mm in bold with the cell's
# padding): narrower, reportlab breaks the word wherever it runs out of room.
_WIDTHS = [w * mm for w in (34, 24, 18, 26, 18, 27, 20, 20, 24, 56)]
_NUMBERS_FROM = 5  # ready days onwards are right-aligned (the reason is a paragraph)
_KEEP_WITH_TOTAL = 3  # lines that stay on the total's page


class _NumberedCanvas(Canvas):
    """Draws "Sida n av N" once every page is known (the pages are kept, then numbered)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont("Helvetica", 8)
            text = _("Page %(page)s of %(pages)s") % {
                "page": self._pageNumber,
                "pages": len(self._pages),
            }
            self.drawRightString(self._pagesize[0] - 15 * mm, 8 * mm, text)
            super().showPage()
        super().save()


def _p(text: Any, style: ParagraphStyle = _CELL, limit: int = PDF_TEXT_LIMIT) -> Paragraph:
    return Paragraph(pdf_text(text, limit), style)


def _date(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _row(line: DocumentLine) -> list[Any]:
    if line.kind is not LineKind.PATIENT:
        basis = {LineKind.AVERAGE: _("average"), LineKind.CORRECTION: _("correction")}
        ready = "" if line.kind is not LineKind.AVERAGE else str(line.ready_days)
        return [_p(line_text(line)), "", "", "", "", ready, basis.get(line.kind, ""),
                days(line.billable_days), kronor(line.amount), ""]  # fmt: skip
    basis = basis_text(line.basis)
    return [
        Paragraph(
            f"{pdf_text(line.name)}<br/>{pdf_text(line.episode_id)}" if line.name
            else pdf_text(line.episode_id),
            _CELL,
        ),
        line.personal_number, _date(line.admitted), _date(line.ready) or "–",
        _date(line.discharged), str(line.ready_days), basis, days(line.billable_days),
        kronor(line.amount), _p(line_reason(line.reason, line.moved_by, line.moved_days)),
    ]  # fmt: skip


def _lines_table(document: InvoiceDocument) -> Table:
    header = [_("Patient"), _("Personnummer"), _("Admitted"), _("Ready"), _("Discharged"),
              _("Ready days"), _("Basis"), _("Billable days"), _("Amount"),
              _("Reason")]  # fmt: skip
    lines = [*document.lines, *document.left_out, *document.corrections]
    total = [_("Total"), "", "", "", "", "", "", days(document.billable_days),
             kronor(document.total), ""]  # fmt: skip
    heads = [_p(h, _HEAD_NUMBER if _NUMBERS_FROM <= n < len(header) - 1 else _HEAD)
             for n, h in enumerate(header)]  # fmt: skip
    rows = [heads, *map(_row, lines), total]
    last = len(rows) - 1
    style = [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTNAME", (0, last), (-1, last), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEABOVE", (0, last), (-1, last), 1, colors.black),
        ("ALIGN", (_NUMBERS_FROM, 0), (-2, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # The total keeps its last lines with it: never a total alone on a page.
        ("NOSPLIT", (0, max(1, last - _KEEP_WITH_TOTAL)), (-1, last)),
    ]
    for n, line in enumerate(lines, start=1):
        if line.kind is not LineKind.PATIENT:  # its text across the patient's columns
            style += [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#f0f0ec")),
                      ("SPAN", (0, n), (_NUMBERS_FROM - 1, n))]  # fmt: skip
    table = Table(rows, colWidths=_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _header(document: InvoiceDocument, shown: MonthDocument, printed: datetime) -> Table:
    approval = shown.approval
    status = (
        _("Approved %(at)s by %(who)s")
        % {
            # Stockholm's time, as the page and the workbook say it: date_format does not convert.
            "at": date_format(timezone.localtime(approval.approved_at), "Y-m-d H:i"),
            "who": approval.approved_by.get_full_name() or approval.approved_by.get_username(),
        }
        if approval is not None
        else _("Not approved (preliminary)")
    )
    rows = [
        (_("From"), document.sender),
        (_("To"), f"{document.recipient} ({document.code})"),
        (_("Period"), f"{document.first_day.isoformat()} – {document.last_day.isoformat()}"),
        (_("Rulebook"), f"{rulebook_name(document.rulebook_title)} ({document.rulebook_id}, "
                        f"{_('version')} {document.rulebook_version})"),
        (_("Status"), status),
        (_("Printed"), f"{printed:%Y-%m-%d %H:%M}"),
    ]  # fmt: skip
    table = Table([[_p(k, _SMALL), _p(v, _SMALL)] for k, v in rows], colWidths=[30 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _assumptions(document: InvoiceDocument) -> list[Any]:
    if not document.assumptions:
        return []
    cells = [
        [Paragraph(_("Assumptions this basis rests on"), _STYLES["Heading4"])],
        [_p(_("No agreement states these values; check them before the invoice is sent."))],
        *([_p(f"• {assumption_text(text)}")] for text in document.assumptions),
    ]
    box = Table(cells, colWidths=[sum(_WIDTHS)])
    box.setStyle(
        TableStyle(
            [("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#8a5a00")),
             ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#faf6ec"))]
        )
    )  # fmt: skip
    return [Spacer(1, 6), box]


def _disputes(disputes: Sequence[Any]) -> list[Any]:
    if not disputes:
        return []
    header = [_("Dispute"), _("Month"), _("Episode"), _("Question"), _("Status"), _("Outcome"),
              _("Answer"), _("Correction"), _("Corrected episode"),
              _("Corrected readiness time")]  # fmt: skip
    cells = ([_p(v, limit=PDF_CELL_LIMIT) for v in dispute_row(d, labels=True)] for d in disputes)
    rows = [[_p(h) for h in header], *cells]
    # Fixed widths: measured, one long word in a dispute leaves the other columns no room at all.
    table = Table(rows, colWidths=[sum(_WIDTHS) / len(header)] * len(header), repeatRows=1)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    return [Spacer(1, 12), Paragraph(_("Disputes"), _STYLES["Heading2"]), table]


def invoice_pdf(
    title: str, shown: MonthDocument, basis: DisputedBasis, *, printed: datetime
) -> bytes:
    """The month's document as the page shows it, the disputes cited at the end."""
    document = shown.document
    story: list[Any] = [
        Paragraph(pdf_text(title), _STYLES["Title"]),
        _header(document, shown, printed),
        *_assumptions(document),
        Spacer(1, 10),
    ]
    if shown.changed_since_approval:
        story.append(
            _p(
                _(
                    "The month comes to %(now)s now. The approved basis stands; the difference, "
                    "%(difference)s, is a correction on the next open month."
                )
                % {
                    "now": kronor(shown.current.basis_amount),
                    "difference": kronor(shown.changed_since_approval),
                },
                _SMALL,
            )
        )
    has_lines = document.lines or document.corrections or document.left_out
    story.append(
        _lines_table(document)
        if has_lines
        else Paragraph(_("No discharged episodes this month."), _SMALL)
    )
    cited = {d.pk: d for d in [*basis.disputes, *basis.corrections]}
    story += _disputes(list(cited.values()))
    out = io.BytesIO()
    margins = {name: 15 * mm for name in ("leftMargin", "rightMargin", "topMargin")}
    SimpleDocTemplate(
        out, pagesize=landscape(A4), title=title, bottomMargin=15 * mm, **margins
    ).build(story, canvasmaker=_NumberedCanvas)
    return out.getvalue()
