"""The dashboard (a page, or its figures alone for htmx), each chart's data, the monthly report."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from utskrivning.followup import downloads
from utskrivning.followup.filters import CARE_LABELS, parse_baseline, parse_filters
from utskrivning.followup.report import MonthlyReport, monthly_report_for
from utskrivning.followup.report_pdf import report_pdf
from utskrivning.followup.report_xlsx import report_xlsx
from utskrivning.followup.selectors import narrowing_choices
from utskrivning.followup.services import Dashboard, dashboard_for
from utskrivning.lib import months
from utskrivning.lib.http import XLSX, attachment
from utskrivning.organisations.sessions import membership_required


def _english() -> bool:
    return translation.get_language() == "en"


def _dashboard(request: HttpRequest) -> Dashboard:
    filters = parse_filters(request.GET, today=timezone.localdate())
    return dashboard_for(
        membership=request.membership,  # type: ignore[attr-defined]
        filters=filters,
        actor=request.user,
        english=_english(),
    )


@membership_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = _dashboard(request)
    context = {
        "membership": request.membership,  # type: ignore[attr-defined]
        "dashboard": board,
        "filters": board.filters,
        "cares": CARE_LABELS.items(),
        "choices": narrowing_choices(board.scope.organisation),
    }
    # htmx swaps in the figures alone; restoring history it wants the whole page again.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render(
        request, "followup/_figures.html" if partial else "followup/dashboard.html", context
    )
    patch_vary_headers(response, ["HX-Request"])  # one URL, two bodies: caches must tell them apart
    return response


@membership_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in downloads.NAMES:
        raise Http404  # before reading any patient's episodes
    board = _dashboard(request)
    text = downloads.dashboard_csv(board, chart)
    name = f"{chart}-{board.scope.target.pk}-{board.filters.first}-{board.filters.last}.csv"
    return attachment(text, "text/csv; charset=utf-8", name)


# The monthly report's formats: each writer and its content type.
REPORT_FORMATS: dict[str, Callable[[MonthlyReport], tuple[bytes, str]]] = {
    "pdf": lambda report: (report_pdf(report), "application/pdf"),
    "xlsx": lambda report: (report_xlsx(report), XLSX),
}


@membership_required
def report(request: HttpRequest, pk: int, month: str, fmt: str) -> HttpResponse:
    if fmt not in REPORT_FORMATS or not months.is_month(month):
        raise Http404
    report = monthly_report_for(
        membership=request.membership,  # type: ignore[attr-defined]
        organisation_id=pk,
        month=month,
        baseline=parse_baseline(request.GET),
        actor=request.user,
        english=_english(),
        printed=timezone.localtime(),
    )
    content, content_type = REPORT_FORMATS[fmt](report)
    return attachment(content, content_type, f"uppfoljning-{pk}-{month}.{fmt}")
