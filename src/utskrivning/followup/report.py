"""The steering group's monthly report: a year's trend, the month's indicators and charts, the
payment summary under the region's rulebook, what the other shipped rulebooks would charge, and,
when a baseline year is chosen, the year to date beside the same months of the baseline year.

One frame is read (and audited) for all parts, so the parts agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import polars as pl
from django.http import Http404
from django.utils.translation import gettext as _

from utskrivning.domain.payment import Invoice, PaymentError, PaymentResult, compute_payment
from utskrivning.domain.payment.stages import month_start
from utskrivning.domain.rulebooks import Rulebook, available_rulebooks
from utskrivning.followup.baseline import Baseline, baseline_of
from utskrivning.followup.figures import IndicatorRow, indicator_rows
from utskrivning.followup.filters import Care, Filters
from utskrivning.followup.selectors import Scope, followup_frame, followup_scope
from utskrivning.followup.services import (
    Dashboard,
    baseline_year_frame,
    county_frame,
    dashboard_of,
)
from utskrivning.lib import months as month_texts
from utskrivning.lib.groups import rulebook_name
from utskrivning.lib.payment_words import missing_value
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.tables import compare_frame

TREND_MONTHS = 12


@dataclass(frozen=True)
class RulebookRun:
    """One rulebook's what-if run: in force that month or not, or why it could not run."""

    rulebook: Rulebook
    in_force: bool
    error: PaymentError | None = None

    def note(self) -> str:
        """Why the run gives no amounts, in the reader's words ("" when it gives them): the
        engine's message is the command line's, in English and naming `--set`, which nobody
        reading the report can use; the value the rulebook lacks is said by what it is."""
        if self.error is not None:
            return _("cannot be computed this month: the rulebook lacks %(what)s") % {
                "what": missing_value(self.rulebook, self.error.parameter, _)
            }
        return "" if self.in_force else _("not in force this month")


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
    baseline: Baseline | None = None  # the year to date beside the baseline year's months

    @property
    def rulebook(self) -> Rulebook | None:
        return self.dashboard.rulebook

    @property
    def rulebook_names(self) -> dict[str, str]:
        """Each compared rulebook's name (its title, in the reader's language) by its id."""
        return {run.rulebook.id: rulebook_name(run.rulebook.title) for run in self.runs}


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
    # `replace`, not a new result: the notes (the assumptions' codes) stay with the frames.
    return replace(
        result,
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
            result = compute_payment(frame, rulebook, months=[month], status_known=True)
        except PaymentError as error:
            runs.append(RulebookRun(rulebook, in_force, error))
            continue
        results[rulebook.id] = _only(result, codes)
        runs.append(RulebookRun(rulebook, in_force))
    return results, runs


def year_to_date(month: str) -> list[str]:
    """January to `month`: the steadier figure to set beside a baseline than one month alone."""
    return month_texts.months_between(f"{month[:4]}-01", month)


def trend_months(month: str) -> list[str]:
    return month_texts.months_between(month_texts.shift(month, 1 - TREND_MONTHS), month)


def monthly_report(
    frame: pl.DataFrame,
    *,
    scope: Scope,
    month: str,
    english: bool,
    printed: datetime,
    baseline_frame: pl.DataFrame | None = None,
    baseline_year: int | None = None,
    county: pl.DataFrame | None = None,
) -> MonthlyReport:
    """`frame` covers the trend's year; `baseline_frame` the baseline year's, when one is asked;
    `county` the region's episodes of a county-average threshold's window (`county_frame`)."""
    board = dashboard_of(
        frame,
        scope=scope,
        filters=Filters(month, month),
        english=english,
        trend_months=trend_months(month),
        county=county,
    )
    indicators = {care: indicator_rows(board.table, care=care, english=english) for care in Care}
    invoices: list[Invoice] = []
    comparison = pl.DataFrame()
    runs: list[RulebookRun] = []
    if board.rulebook is not None:
        codes = _codes(scope)
        results, runs = _what_if(frame, board.rulebook, month, codes)
        if board.rulebook.id in results:
            # Per municipality and group; the report shows no episode's line.
            invoices = results[board.rulebook.id].invoices(lines=False)
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
        baseline=(
            baseline_of(
                frame,
                baseline_frame,
                months=year_to_date(month),
                year=baseline_year,
                care=Care.ALL,
                english=english,
            )
            if baseline_year is not None and baseline_frame is not None
            else None
        ),
    )


def monthly_report_for(
    *,
    membership: Membership | None,
    organisation_id: int,
    month: str,
    baseline: int | None,
    actor: Any,
    english: bool,
    printed: datetime,
) -> MonthlyReport:
    """The report of a region or municipality in the membership's scope (`followup.views`
    writes it as PDF or XLSX)."""
    scope = followup_scope(membership=membership, organisation_id=organisation_id)
    if scope.target.kind == Kind.HOSPITAL:
        raise Http404  # a hospital has no payment part: the report is a party's
    first = month_texts.shift(month, 1 - TREND_MONTHS)
    frame = followup_frame(
        scope=scope, first=first, last=month, actor=actor, purpose="follow-up monthly report"
    )
    return monthly_report(
        frame,
        scope=scope,
        month=month,
        english=english,
        printed=printed,
        baseline_frame=baseline_year_frame(scope=scope, year=baseline, actor=actor),
        baseline_year=baseline,
        county=county_frame(scope=scope, months=trend_months(month), care=Care.ALL, actor=actor),
    )
