"""The agreement's threshold for mean ready days, drawn into the trend, from the region's rulebook.

Only the average model has one (Dalarna §11: two calendar days). A county-average threshold
(Stockholm 2020 stage 2) is known only when the engine invoices, so the trend shows its cap, the
most the agreement allows. A month outside the rulebook's period takes the nearest stage's
threshold, and says so: follow-up goes on against the agreed level after the payment period ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from utskrivning.domain.payment.stages import month_start
from utskrivning.domain.rulebooks import CountyAverage, Model, Rulebook, Stage
from utskrivning.followup.filters import Care


@dataclass(frozen=True)
class Threshold:
    month: str
    days: Decimal
    in_force: bool


def _stage_value(stage: Stage) -> Decimal | None:
    if stage.model is not Model.AVERAGE or stage.threshold is None:
        return None
    if isinstance(stage.threshold, CountyAverage):
        return stage.threshold.cap
    return stage.threshold


def month_thresholds(rulebook: Rulebook | None, months: list[str], care: Care) -> list[Threshold]:
    """One threshold per month where the rulebook's group for `care` has an average model.

    All care types together are measured against the somatic group's threshold, the one most
    episodes are counted under.
    """
    if rulebook is None:
        return []
    group = rulebook.group_of("psychiatric" if care is Care.PSYCHIATRIC else "somatic")
    stages = sorted(group.stages, key=lambda s: s.valid_from)
    out = []
    for month in months:
        start = month_start(month)
        stage = group.stage_for(start) if rulebook.in_force(start) else None
        in_force = stage is not None
        if stage is None:
            before = [s for s in stages if s.valid_from <= start]
            stage = before[-1] if before else stages[0]
        value = _stage_value(stage)
        if value is not None:
            out.append(Threshold(month=month, days=value, in_force=in_force))
    return out
