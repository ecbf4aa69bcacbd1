"""The monthly report as PDF: the parts in order, charts drawn from the same geometry as the
page's SVG (`followup.charts`), so paper and screen show the same picture."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from utskrivning.domain.documents import pdf_text
from utskrivning.domain.municipalities import municipality_name
from utskrivning.followup.charts import Chart
from utskrivning.followup.filters import CARE_LABELS, Care
from utskrivning.followup.formatting import change, difference, shown
from utskrivning.followup.report import MonthlyReport
from utskrivning.lib.groups import group_text, rulebook_name
from utskrivning.tables import days, sek

BLUE, RED, GREY = colors.HexColor("#1f4e79"), colors.HexColor("#b00020"), colors.HexColor("#666666")
TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
    ]
)


def drawing(chart: Chart) -> Drawing:
    """The chart in reportlab's coordinates (y upwards): each SVG y becomes height − y."""
    h = chart.height
    d = Drawing(chart.width, h)
    d.add(Line(chart.left, h - chart.bottom, chart.right, h - chart.bottom, strokeColor=GREY))
    horizontal = chart.id != "trend"
    for tick in chart.ticks:
        if horizontal:
            d.add(String(tick.at, h - chart.bottom - 12, tick.label, fontSize=7,
                         textAnchor="middle"))  # fmt: skip
        else:
            d.add(Line(chart.left, h - tick.at, chart.right, h - tick.at,
                       strokeColor=colors.lightgrey, strokeWidth=0.3))  # fmt: skip
            d.add(String(chart.left - 4, h - tick.at - 3, tick.label, fontSize=7,
                         textAnchor="end"))  # fmt: skip
    for label in chart.labels:
        if horizontal:
            d.add(String(chart.left - 4, h - label.at - 3, label.label, fontSize=7,
                         textAnchor="end"))  # fmt: skip
        else:
            d.add(String(label.at, h - chart.bottom - 12, label.label, fontSize=7,
                         textAnchor="middle"))  # fmt: skip
    if chart.id == "trend":
        _legend(d, chart)
    if chart.threshold:
        d.add(PolyLine([c for x, y in chart.threshold for c in (x, h - y)], strokeColor=RED,
                       strokeDashArray=[4, 3]))  # fmt: skip
    for line in chart.lines:
        d.add(PolyLine([c for x, y in line for c in (x, h - y)], strokeColor=BLUE))
    for mark in chart.marks:
        if horizontal:
            d.add(Rect(mark.x, h - mark.y - mark.height, mark.width, mark.height,
                       fillColor=BLUE, strokeColor=None))  # fmt: skip
        else:
            d.add(Circle(mark.x, h - mark.y, 2.5, fillColor=BLUE, strokeColor=None))
    return d


def _legend(d: Drawing, chart: Chart) -> None:
    """As on the page: the mean, and the agreement's threshold when the rulebook has one."""
    items = [(BLUE, None, _("Mean ready days"))]
    if chart.threshold:
        items.append((RED, [4, 3], _("Agreed threshold")))
    y = chart.height - 6
    for i, (colour, dashes, text) in enumerate(items):
        x = chart.right - 300 + 170 * i
        d.add(Line(x, y, x + 24, y, strokeColor=colour, strokeDashArray=dashes))
        d.add(String(x + 30, y - 3, text, fontSize=8))


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def _indicators(report: MonthlyReport) -> Table:
    rows = [[_("Indicator"), *(str(CARE_LABELS[c]) for c in Care)]]
    for cells in zip(*(report.indicators[c] for c in Care), strict=True):
        rows.append([cells[0].title, *(shown(r.value, r.unit) for r in cells)])
    return _table(rows)


def _payment(report: MonthlyReport) -> Flowable:
    if not report.invoices:
        return Paragraph(_("No invoice basis this month."), getSampleStyleSheet()["Normal"])
    rows = [[pgettext("ranking", "Municipality"), _("Group"), _("Counted episodes"),
             _("Ready days"), _("Average"), _("Threshold"), _("Liable"), _("Billable days"),
             _("Amount (SEK)")]]  # fmt: skip
    for i in report.invoices:
        rows.append(
            [municipality_name(i.municipality), group_text(i.group), str(i.counted_episodes),
             str(i.ready_days),
             days(i.average_days), days(i.threshold_days), _("yes") if i.liable else _("no"),
             days(i.billable_days), sek(i.amount_sek)]
        )  # fmt: skip
    total = sum(i.amount_sek for i in report.invoices)
    rows.append([_("Total"), "", "", "", "", "", "", "", sek(total)])
    return _table(rows)


def _comparison(report: MonthlyReport) -> Flowable:
    frame = report.comparison
    ids = [c for c in frame.columns if c not in ("municipality", "month")]
    small = getSampleStyleSheet()["Normal"].clone("rulebook", fontSize=7, leading=8)
    names = report.rulebook_names
    # A rulebook's name is long: its cell wraps (a Paragraph), the figures stay on one line.
    rows: list[list[object]] = [
        [pgettext("ranking", "Municipality"), *(Paragraph(pdf_text(names[i]), small) for i in ids)]
    ]
    for row in frame.iter_rows(named=True):
        code = row["municipality"]
        name = _("Total") if code == "total" else municipality_name(code)
        rows.append([name, *(sek(row[i]) for i in ids)])
    return _table(rows)


def _baseline(report: MonthlyReport) -> list[Flowable]:
    """The year to date beside the baseline year's months: every indicator, then the mean per
    municipality (Stockholm: "i samtliga kommuner")."""
    baseline = report.baseline
    if baseline is None:
        return []
    styles = getSampleStyleSheet()
    heading = _("Compared with the baseline year %(year)s") % {"year": baseline.year}
    note = _("%(period)s beside the same months of %(year)s, all care types.") % {
        "period": baseline.period,
        "year": baseline.year,
    }
    parts: list[Flowable] = [
        Paragraph(heading, styles["Heading2"]),
        Paragraph(note, styles["Normal"]),
    ]
    header = [baseline.period, str(baseline.year), _("Difference"), pgettext("baseline", "Change")]
    tables = ((_("Indicator"), baseline.indicators),
              (pgettext("ranking", "Municipality"), baseline.municipalities))  # fmt: skip
    for first, rows in tables:
        table = [[first, *header]]
        table += [
            [r.label, shown(r.value, r.unit), shown(r.baseline, r.unit),
             difference(r.difference, r.unit), change(r.change)]
            for r in rows
        ]  # fmt: skip
        parts += [_table(table), Spacer(1, 8)]
    return parts


def _chart_titles() -> list[tuple[str, str]]:
    return [
        ("trend", _("Mean ready days per month")),
        ("ranking", _("Mean ready days per municipality")),
        ("distribution", _("Ready days per episode")),
    ]


def _outside_note(report: MonthlyReport) -> list[Flowable]:
    """Under the trend, as on the page: which threshold the dashed line is, where not plain."""
    board, notes = report.dashboard, []
    if board.outside_agreement:
        notes.append(
            _(
                "The rulebook is not in force in %(months)s: the threshold shown is the nearest "
                "period's."
            )
            % {"months": ", ".join(board.outside_agreement)}
        )
    if board.county_note:
        notes.append(board.county_note)
    return [Paragraph(pdf_text(text), getSampleStyleSheet()["Normal"]) for text in notes]


def report_pdf(report: MonthlyReport) -> bytes:
    styles = getSampleStyleSheet()
    # Paragraphs read a mini-markup: names and the engine's messages are escaped into it.
    title = _("Monthly follow-up report %(organisation)s %(month)s") % {
        "organisation": pdf_text(report.organisation.name),
        "month": report.month,
    }
    board = report.dashboard
    rulebook = pdf_text(rulebook_name(report.rulebook.title)) if report.rulebook else "–"
    story: list[Flowable] = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            _("Printed %(at)s") % {"at": f"{report.printed:%Y-%m-%d %H:%M}"}, styles["Normal"]
        ),
        Paragraph(_("Rulebook: %(rulebook)s") % {"rulebook": rulebook}, styles["Normal"]),
        Spacer(1, 8),
        Paragraph(_("Indicators"), styles["Heading2"]),
        _indicators(report),
        *_baseline(report),
        *(
            KeepTogether([Paragraph(heading, styles["Heading2"]), drawing(board.charts[chart])])
            for chart, heading in _chart_titles()
        ),
        *_outside_note(report),
        Paragraph(_("Payment liability per municipality"), styles["Heading2"]),
        _payment(report),
        Paragraph(_("The same month under the other rulebooks (SEK)"), styles["Heading2"]),
        _comparison(report),
    ]
    for run in report.runs:
        if note := run.note():
            name = report.rulebook_names[run.rulebook.id]
            story.append(Paragraph(pdf_text(f"{name}: {note}"), styles["Normal"]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), title=title).build(story)
    return out.getvalue()
