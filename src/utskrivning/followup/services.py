"""The dashboard's figures for a membership and its filters: read, audit, compute, lay out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from utskrivning.domain.indicators import episode_measures, measures_table
from utskrivning.domain.rulebooks import Rulebook, load_rulebook
from utskrivning.followup import charts as geometry
from utskrivning.followup.baseline import Baseline, baseline_of
from utskrivning.followup.figures import (
    Figure,
    IndicatorRow,
    distribution,
    indicator_rows,
    ranking,
    trend,
)
from utskrivning.followup.filters import Care, Filters
from utskrivning.followup.selectors import Scope, followup_frame, followup_scope
from utskrivning.followup.thresholds import (
    Threshold,
    county_note,
    county_window,
    month_thresholds,
)
from utskrivning.organisations.models import Membership

CHARTS = ("trend", "ranking", "distribution")


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    filters: Filters
    rulebook: Rulebook | None
    figures: dict[str, list[Figure]]  # per chart id
    indicators: list[IndicatorRow]
    table: pl.DataFrame  # `indicator_table` of the filters' months, for the report's parts
    baseline: Baseline | None = None  # the period beside the baseline year, when one is chosen
    thresholds: tuple[Threshold, ...] = ()  # the trend's, per month

    @cached_property
    def charts(self) -> dict[str, geometry.Chart]:
        return {
            "trend": geometry.trend_chart(self.figures["trend"]),
            "ranking": geometry.bar_chart("ranking", self.figures["ranking"]),
            "distribution": geometry.bar_chart(
                "distribution", self.figures["distribution"], whole=True
            ),
        }

    @property
    def county_note(self) -> str | None:
        return county_note(list(self.thresholds))

    @property
    def outside_agreement(self) -> list[str]:
        """Months whose threshold is the nearest stage's: the rulebook is not in force then."""
        return [f.key for f in self.figures["trend"] if f.threshold and not f.threshold_in_force]


def region_rulebook(scope: Scope) -> Rulebook | None:
    region = scope.region
    return load_rulebook(region.rulebook_id) if region is not None else None


def dashboard_of(
    frame: pl.DataFrame,
    *,
    scope: Scope,
    filters: Filters,
    english: bool,
    trend_months: list[str] | None = None,
    baseline_frame: pl.DataFrame | None = None,
    county: pl.DataFrame | None = None,
) -> Dashboard:
    """The figures of an already read frame; the trend may look further back than the rest
    (the monthly report: one month's ranking, a year's trend). `baseline_frame` holds the
    scope's episodes of `filters.baseline`'s year, `county` the region's of a county-average
    threshold's window (`county_frame`)."""
    months = filters.months
    trend_months = trend_months or months
    measures = episode_measures(frame)  # the costliest step (readmissions): once, for both
    wide = measures_table(measures, by="municipality", months=sorted({*trend_months, *months}))
    table = wide.filter(pl.col("month").is_in(months))
    rulebook = region_rulebook(scope)
    thresholds = month_thresholds(rulebook, trend_months, filters.care, county=county)
    care = filters.care
    baseline = None
    if filters.baseline is not None and baseline_frame is not None:
        baseline = baseline_of(frame, baseline_frame, months=months, year=filters.baseline,
                               care=care, english=english)  # fmt: skip
    return Dashboard(
        scope=scope,
        filters=filters,
        rulebook=rulebook,
        figures={
            "trend": trend(wide, months=trend_months, care=care, thresholds=thresholds),
            "ranking": ranking(table, care=care),
            "distribution": distribution(measures, months=months, care=care),
        },
        indicators=indicator_rows(table, care=care, english=english),
        table=table,
        baseline=baseline,
        thresholds=tuple(thresholds),
    )


def dashboard_for(
    *, membership: Membership | None, filters: Filters, actor: Any, english: bool
) -> Dashboard:
    """The membership's dashboard; PermissionDenied if it may not see follow-up or the filter."""
    scope = followup_scope(membership=membership, organisation_id=filters.organisation)
    frame = followup_frame(
        scope=scope,
        first=filters.first,
        last=filters.last,
        actor=actor,
        purpose="follow-up dashboard (aggregated indicators)",
    )
    return dashboard_of(
        frame,
        scope=scope,
        filters=filters,
        english=english,
        baseline_frame=baseline_year_frame(scope=scope, year=filters.baseline, actor=actor),
        county=county_frame(scope=scope, months=filters.months, care=filters.care, actor=actor),
    )


def county_frame(*, scope: Scope, months: list[str], care: Care, actor: Any) -> pl.DataFrame | None:
    """The whole region's episodes of a county-average threshold's window, when the trend has
    one: the threshold is the county's figure whoever looks, and only it is shown."""
    window = county_window(region_rulebook(scope), months, care)
    region = scope.region
    if window is None or region is None:
        return None
    return followup_frame(
        scope=Scope(organisation=scope.organisation, target=region),
        first=f"{window[0]:%Y-%m}",
        last=f"{window[1]:%Y-%m}",
        actor=actor,
        purpose="follow-up county average threshold (aggregated)",
    )


def baseline_year_frame(*, scope: Scope, year: int | None, actor: Any) -> pl.DataFrame | None:
    """The scope's episodes of the baseline year, read and audited apart: another year's
    patients, for another purpose than the period's figures."""
    if year is None:
        return None
    return followup_frame(
        scope=scope,
        first=f"{year}-01",
        last=f"{year}-12",
        actor=actor,
        purpose="follow-up baseline year (aggregated indicators)",
    )
