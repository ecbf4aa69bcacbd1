"""The agreement's threshold for mean ready days, drawn into the trend, from the region's rulebook.

Only the average model has one (Dalarna §11: two calendar days). A county-average threshold
(Stockholm 2020 etapp 2: "länsgenomsnittet per 31 oktober 2020, kan inte överstiga 2,0") is the
engine's own figure, `payment.invoices.county_average`, computed from the county's episodes of
its window; without them (none given, or the engine cannot run) the trend falls back on the cap,
the most the agreement allows, and says so. A month outside the rulebook's period takes the
nearest stage's threshold, and says so too: follow-up goes on against the agreed level after the
payment period ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

import polars as pl
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from utskrivning.domain.care import CareType
from utskrivning.domain.payment import PaymentError, compute_payment
from utskrivning.domain.payment.invoices import county_average
from utskrivning.domain.payment.stages import month_start
from utskrivning.domain.rulebooks import CountyAverage, Group, Model, Rulebook, Stage
from utskrivning.followup.filters import Care

# agreed: a number in the rulebook; county_average: computed by the engine; cap: not computed.
Basis = Literal["agreed", "county_average", "cap"]


@dataclass(frozen=True)
class Threshold:
    month: str
    days: Decimal
    in_force: bool
    basis: Basis = "agreed"


def _group(rulebook: Rulebook, care: Care) -> Group:
    """All care types together are measured against the somatic group's threshold, the one
    most episodes are counted under."""
    return rulebook.group_of(CareType.PSYCHIATRIC if care is Care.PSYCHIATRIC else CareType.SOMATIC)


def _stage(rulebook: Rulebook, group: Group, month: str) -> tuple[Stage, bool]:
    """The month's stage and whether it is in force; else the nearest stage before (or the
    first)."""
    start = month_start(month)
    stage = group.stage_for(start) if rulebook.in_force(start) else None
    if stage is not None:
        return stage, True
    stages = sorted(group.stages, key=lambda s: s.valid_from)
    before = [s for s in stages if s.valid_from <= start]
    return (before[-1] if before else stages[0]), False


def county_window(
    rulebook: Rulebook | None, months: list[str], care: Care
) -> tuple[date, date] | None:
    """The days whose discharges the months' county-average thresholds are computed from."""
    if rulebook is None:
        return None
    group = _group(rulebook, care)
    rules = [
        stage.threshold
        for stage, _ in (_stage(rulebook, group, month) for month in months)
        if stage.model is Model.AVERAGE and isinstance(stage.threshold, CountyAverage)
    ]
    if not rules:
        return None
    return min(r.county_average_from for r in rules), max(r.county_average_to for r in rules)


def _county_lines(rulebook: Rulebook, county: pl.DataFrame) -> pl.DataFrame | None:
    """The engine's episode lines of the county: what its county average is taken over."""
    try:
        # The day rate plays no part in a threshold; a fixed one spares a year without a rate.
        return compute_payment(county, rulebook, day_rate=Decimal(0), status_known=True).line_frame
    except PaymentError:
        return None


def _value(stage: Stage, group: Group, lines: pl.DataFrame | None) -> tuple[Decimal, Basis] | None:
    if stage.model is not Model.AVERAGE or stage.threshold is None:
        return None
    if not isinstance(stage.threshold, CountyAverage):
        return stage.threshold, "agreed"
    if stage.threshold.value is not None:
        return min(stage.threshold.cap, stage.threshold.value), "agreed"
    try:
        if lines is not None:
            return county_average(lines, group.name, stage.threshold).days, "county_average"
    except PaymentError:
        pass  # the episodes at hand do not cover the window: the cap, and the note says so
    return stage.threshold.cap, "cap"


def month_thresholds(
    rulebook: Rulebook | None,
    months: list[str],
    care: Care,
    *,
    county: pl.DataFrame | None = None,
) -> list[Threshold]:
    """One threshold per month where the rulebook's group for `care` has an average model.

    `county` is the county's episode frame over `county_window`, for a county-average stage.
    """
    if rulebook is None:
        return []
    group = _group(rulebook, care)
    lines = _county_lines(rulebook, county) if county is not None else None
    out = []
    for month in months:
        stage, in_force = _stage(rulebook, group, month)
        found = _value(stage, group, lines)
        if found is not None:
            out.append(Threshold(month=month, days=found[0], in_force=in_force, basis=found[1]))
    return out


def county_note(thresholds: list[Threshold]) -> str | None:
    """What the trend's county-average line is: the engine's figure, or only the cap."""
    first = next((t for t in thresholds if t.basis != "agreed"), None)
    if first is None:
        return None
    values = {"month": first.month, "days": number_format(first.days, 2)}
    if first.basis == "county_average":
        return (
            _(
                "From %(month)s the threshold is the county's average ready days, %(days)s, "
                "computed by the payment engine from the region's episodes."
            )
            % values
        )
    return (
        _(
            "From %(month)s the threshold is the county's average ready days, which the episodes "
            "at hand cannot give: the agreement's cap, %(days)s, is drawn."
        )
        % values
    )
