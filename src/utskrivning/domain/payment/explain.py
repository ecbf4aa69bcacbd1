"""One episode's ready days and basis, told step by step by the rules the bulk engine applies.

This is what a case officer reads on an episode page ("why these days, why this basis"). It must
agree with `lines.py`; the property tests compare the two on generated episodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from utskrivning.domain.calendar import count_ready_days, is_working_day, ready_day_one
from utskrivning.domain.payment import reasons
from utskrivning.domain.payment.reasons import Basis
from utskrivning.domain.payment.stages import MonthStage, month_start, resolve_day_rate
from utskrivning.domain.rulebooks import Counting, Model, Precondition, Rulebook, Stage


@dataclass(frozen=True)
class Explanation:
    group: str
    month: str | None
    stage: str | None
    day_one: date | None
    ready_days: int
    basis: Basis | None  # None while the patient is still in hospital
    billable_days: int
    amount_sek: Decimal
    reason: str
    steps: list[str] = field(default_factory=list)


def _failed_preconditions(episode: Mapping[str, Any], stage: Stage) -> list[str]:
    checks = {
        Precondition.ADMISSION_NOTICE: (
            episode.get("admission_notice_at") is None,
            reasons.MISSING_ADMISSION_NOTICE,
        ),
        Precondition.READINESS_NOTIFICATION: (
            episode.get("ready_at") is None,
            reasons.MISSING_READINESS,
        ),
        Precondition.NAMED_CONTACT: (
            episode.get("primary_care_unit") is not None
            and episode.get("named_contact_at") is None,
            reasons.MISSING_NAMED_CONTACT,
        ),
        Precondition.SIP_SUMMONED: (
            bool(episode.get("sip_needed")) and episode.get("sip_summoned_at") is None,
            reasons.MISSING_SIP_SUMMONS,
        ),
    }
    return [
        text for check, (failed, text) in checks.items() if check in stage.preconditions and failed
    ]


def _last_grace_day(day_one: date, grace_days: int) -> date:
    day, counted = day_one, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == grace_days:
                return day
        day += timedelta(days=1)


def _grace_billable(stage: Stage, day_one: date, end: date, ready_days: int) -> int:
    """Stockholm 2018 §10: after the last grace (week)day, every calendar day until discharge."""
    grace = stage.grace_days or 0
    calendar_days = max(0, (end - day_one).days)
    if ready_days <= grace:
        return 0
    if grace == 0:
        return calendar_days
    if stage.counting == "weekdays":
        return (end - _last_grace_day(day_one, grace)).days - 1
    return calendar_days - grace


def _rule(
    episode: Mapping[str, Any], stage: Stage | None, month: str, ready_days: int, billable: int
) -> tuple[Basis, str, int]:
    """The first rule that decides the episode's basis, in the bulk engine's order."""
    if stage is None:
        return Basis.EXCLUDED, reasons.NOT_IN_FORCE, 0
    if episode.get("ready_at") is None and (
        Precondition.READINESS_NOTIFICATION not in stage.preconditions
    ):
        return Basis.EXCLUDED, reasons.NEVER_READY, 0
    if stage.status_filter == "done" and episode.get("status") != "done":
        return Basis.EXCLUDED, reasons.NOT_DONE, 0
    failed = _failed_preconditions(episode, stage)
    if failed:
        return Basis.NOT_LIABLE, reasons.PRECONDITIONS_FAILED.format(", ".join(failed)), 0
    if stage.zero_days == "exclude" and ready_days == 0:
        return Basis.EXCLUDED, reasons.ZERO_DAY, 0
    rule = stage.individual
    if rule is not None and ready_days > rule.over_ready_days:
        text = reasons.INDIVIDUAL_OVER.format(rule.over_ready_days, rule.pay_beyond)
        return Basis.INDIVIDUAL, text, ready_days - rule.pay_beyond
    if stage.model in (Model.GRACE_DAYS, Model.LAW_DEFAULT):
        return Basis.INDIVIDUAL, reasons.GRACE.format(stage.grace_days), billable
    return Basis.AVERAGE, reasons.COUNTED, 0


def explain_episode(
    episode: Mapping[str, Any],
    rulebook: Rulebook,
    *,
    now: datetime | None = None,
    day_rate: Decimal | None = None,
) -> Explanation:
    """`episode` has the normalised columns of `read_episodes`; `now` counts a running stay."""
    group = rulebook.group_of(episode["care_type"])
    ready_at: datetime | None = episode.get("ready_at")
    discharged_at: datetime | None = episode.get("discharged_at")
    end_at = discharged_at or now
    month = discharged_at.strftime("%Y-%m") if discharged_at else None
    stage_month = month or (now.strftime("%Y-%m") if now else None)
    stage = None
    if stage_month and rulebook.in_force(month_start(stage_month)):
        stage = group.stage_for(month_start(stage_month))
    steps = [f"Care type {episode['care_type']}: rulebook group '{group.name}'"]
    steps.append(f"Stage '{stage.name}'" if stage else f"{rulebook.id} not in force")
    day_one, ready_days, billable = None, 0, 0
    if ready_at is not None and end_at is not None and stage is not None:
        day_one = ready_day_one(ready_at, stage.cutoff, day_after=stage.day_after)
        ready_days = count_ready_days(
            ready_at, end_at, cutoff=stage.cutoff, day_after=stage.day_after,
            counting="weekdays" if stage.counting is Counting.WEEKDAYS else "calendar",
        )  # fmt: skip
        cutoff = f" (cut-off {stage.cutoff:%H:%M})" if stage.cutoff else ""
        steps.append(f"Notified ready {ready_at:%Y-%m-%d %H:%M}{cutoff}: day 1 is {day_one}")
        steps.append(f"{ready_days} {stage.counting} ready day(s) before {end_at:%Y-%m-%d}")
        if stage.model is not Model.AVERAGE:
            billable = _grace_billable(stage, day_one, end_at.date(), ready_days)
    if discharged_at is None or month is None:
        steps.append("Still in hospital: in no month's invoice yet")
        return Explanation(group.name, None, stage.name if stage else None, day_one,
                           ready_days, None, 0, Decimal(0), "running", steps)  # fmt: skip
    basis, reason, billable = _rule(episode, stage, month, ready_days, billable)
    amount = Decimal(0)
    if stage is not None and billable > 0:
        if stage.invoicing:
            rate = resolve_day_rate(MonthStage(group.name, month, stage), day_rate)
            amount = billable * rate
        else:
            reason, billable = reasons.NO_INVOICING.format(stage.name), 0
    steps.append(f"Basis {basis}: {reason}")
    return Explanation(group.name, month, stage.name if stage else None, day_one, ready_days,
                       basis, billable, amount, reason, steps)  # fmt: skip
