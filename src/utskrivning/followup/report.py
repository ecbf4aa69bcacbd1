"""The steering group's monthly report: a year's trend, the month's indicators and charts, the
payment summary under the region's rulebook, and what the other shipped rulebooks would charge.

One frame is read (and audited) for all parts, so the parts agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from django.http import Http404

from utskrivning.domain.payment import Invoice, PaymentError, PaymentResult, compute_payment
from utskrivning.domain.payment.stages import month_start
from utskrivning.domain.rulebooks import Rulebook, available_rulebooks
from utskrivning.followup import months as month_texts
from utskrivning.followup.figures import IndicatorRow, indicator_rows
from utskrivning.followup.filters import Care, Filters
from utskrivning.followup.report_pdf import report_pdf
from utskrivning.followup.report_xlsx import report_xlsx
from utskrivning.followup.selectors import Scope, followup_frame, followup_scope
from utskrivning.followup.services import Dashboard, dashboard_of
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.tables import compare_frame

TREND_MONTHS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_FORMATS = {"pdf": "application/pdf", "xlsx": XLSX}


@dataclass(frozen=True)
class RulebookRun:
    """One rulebook's what-if run: in force that month or not, or why it could not run."""

    rulebook: Rulebook
    in_force: bool
    error: str | None = None


@dataclass(frozen=True)
class MonthlyReport:
    organisation: Organisation
    month: str
    printed: datetime
    dashboard: Dashboard
    indicators: dict[Care, list[IndicatorRow]]
    invoices: list[Invoice]
    comparison: pl.DataFrame  # `tables.compare_frame`: municipality, month, an id's column each
    runs: list[RulebookRun]

    @property
    def rulebook(self) -> Rulebook | None:
        return self.dashboard.rulebook


def _codes(scope: Scope) -> set[str]:
    """The municipalities the report answers for: the region's own, or the one in scope."""
    target = scope.target
    if target.kind == Kind.REGION:
        return set(
            Organisation.objects.filter(kind=Kind.MUNICIPALITY, parent=target).values_list(
                "municipality_code", flat=True
            )
        )
    municipality = target if target.kind == Kind.MUNICIPALITY else target.parent
    return {municipality.municipality_code} if municipality else set()


def _only(result: PaymentResult, codes: set[str]) -> PaymentResult:
    keep = pl.col("liable_municipality").is_in(sorted(codes))
    return PaymentResult(
        rulebook=result.rulebook,
        invoice_frame=result.invoice_frame.filter(keep),
        line_frame=result.line_frame.filter(keep),
    )


def _what_if(
    frame: pl.DataFrame, own: Rulebook, month: str, codes: set[str]
) -> tuple[dict[str, PaymentResult], list[RulebookRun]]:
    """The region's rulebook first, then every other available one, as `payment compare` does."""
    others = [r for r in available_rulebooks() if r.id != own.id]
    results, runs = {}, []
    for rulebook in [own, *others]:
        in_force = rulebook.in_force(month_start(month))
        try:
            result = compute_payment(frame, rulebook, months=[month])
        except PaymentError as error:
            runs.append(RulebookRun(rulebook, in_force, str(error)))
            continue
        results[rulebook.id] = _only(result, codes)
        runs.append(RulebookRun(rulebook, in_force))
    return results, runs


def monthly_report(
    frame: pl.DataFrame, *, scope: Scope, month: str, english: bool, printed: datetime
) -> MonthlyReport:
    trend_months = month_texts.months_between(month_texts.shift(month, 1 - TREND_MONTHS), month)
    board = dashboard_of(
        frame,
        scope=scope,
        filters=Filters(month, month),
        english=english,
        trend_months=trend_months,
    )
    indicators = {care: indicator_rows(board.table, care=care, english=english) for care in Care}
    invoices: list[Invoice] = []
    comparison = pl.DataFrame()
    runs: list[RulebookRun] = []
    if board.rulebook is not None:
        codes = _codes(scope)
        results, runs = _what_if(frame, board.rulebook, month, codes)
        if board.rulebook.id in results:
            invoices = results[board.rulebook.id].invoices()
        if results:
            comparison = compare_frame(results)
    return MonthlyReport(
        organisation=scope.target,
        month=month,
        printed=printed,
        dashboard=board,
        indicators=indicators,
        invoices=invoices,
        comparison=comparison,
        runs=runs,
    )


def monthly_report_for(
    *,
    membership: Membership | None,
    organisation_id: int,
    month: str,
    fmt: str,
    actor: Any,
    english: bool,
    printed: datetime,
) -> bytes:
    """The report of a region or municipality in the membership's scope, as PDF or XLSX."""
    scope = followup_scope(membership=membership, organisation_id=organisation_id)
    if scope.target.kind == Kind.HOSPITAL:
        raise Http404  # a hospital has no payment part: the report is a party's
    first = month_texts.shift(month, 1 - TREND_MONTHS)
    frame = followup_frame(
        scope=scope, first=first, last=month, actor=actor, purpose="follow-up monthly report"
    )
    report = monthly_report(frame, scope=scope, month=month, english=english, printed=printed)
    return report_pdf(report) if fmt == "pdf" else report_xlsx(report)
