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
from utskrivning.domain.payment.reasons import Basis, Reason, ReasonCode, preconditions_failed
from utskrivning.domain.payment.stages import (
    MonthStage,
    PaymentError,
    month_start,
    resolve_day_rate,
    stage_in,
)
from utskrivning.domain.rulebooks import Counting, Model, Precondition, Rulebook, Stage


class Step(str):
    """One step of an explanation: the English sentence (the API's and the CLI's), which also
    keeps its template and values, so a screen can say it in the reader's language."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Step:
        step = super().__new__(cls, template % values)
        step.template, step.values = template, values
        return step


# The steps' templates: each a msgid of the web's catalogue (locale/sv), like `reasons`.
GROUP = "Care type %(care_type)s: rulebook group '%(group)s'"
STAGE = "Stage '%(stage)s'"
NOT_IN_FORCE = "%(rulebook)s not in force"
NOTIFIED = "Notified ready %(at)s: day 1 is %(day_one)s"
NOTIFIED_CUTOFF = "Notified ready %(at)s (cut-off %(cutoff)s): day 1 is %(day_one)s"
MOVED = (
    "Day 1 moved %(days)s day(s) to %(day_one)s: the %(step)s came at %(at)s "
    "(a precondition for counting, Lag 2017:612 5 kap.)"
)
COUNTED_DAYS = "%(days)s %(counting)s ready day(s) before %(end)s"
RUNNING = "Still in hospital: in no month's invoice yet"
BASIS = "Basis %(basis)s: %(reason)s"
TEMPLATES = (GROUP, STAGE, NOT_IN_FORCE, NOTIFIED, NOTIFIED_CUTOFF, MOVED, COUNTED_DAYS, RUNNING,
             BASIS)  # fmt: skip


@dataclass(frozen=True)
class Explanation:
    group: str
    month: str | None
    stage: str | None
    day_one: date | None
    ready_days: int
    basis: Basis | None  # None while the patient is still in hospital
    billable_days: int
    # None when the month's day rate is not known (no published figure for the year): the
    # days are told all the same, and the amount is never guessed (payment-rules.md).
    amount_sek: Decimal | None
    reason: Reason
    steps: list[Step] = field(default_factory=list)
    day_one_moved_by: str | None = None
    day_one_moved_days: int = 0


def _after_discharge(episode: Mapping[str, Any], field: str) -> bool:
    """A step first taken after discharge, which counts as not taken (payment-rules.md)."""
    at, discharged = episode.get(field), episode.get("discharged_at")
    return at is not None and discharged is not None and at > discharged


def _failed_preconditions(episode: Mapping[str, Any], stage: Stage) -> list[str]:
    """The failed preconditions' codes, in the order of the bulk engine's bits (lines.py)."""
    sip_needed = bool(episode.get("sip_needed"))
    checks = [
        (
            Precondition.ADMISSION_NOTICE,
            episode.get("admission_notice_at") is None,
            "missing_admission_notice",
        ),
        (
            Precondition.READINESS_NOTIFICATION,
            episode.get("ready_at") is None,
            "missing_readiness",
        ),
        (
            Precondition.NAMED_CONTACT,
            (
                episode.get("primary_care_unit") is not None
                and episode.get("named_contact_at") is None
            )
            or _after_discharge(episode, "named_contact_at"),
            "missing_named_contact",
        ),
        (
            Precondition.SIP_SUMMONED,
            sip_needed and episode.get("sip_summoned_at") is None,
            "missing_sip_summons",
        ),
        (
            Precondition.ADMISSION_NOTICE,
            _after_discharge(episode, "admission_notice_at"),
            "late_admission_notice",
        ),
        (
            Precondition.SIP_SUMMONED,
            sip_needed and _after_discharge(episode, "sip_summoned_at"),
            "late_sip_summons",
        ),
    ]
    return [code for check, failed, code in checks if check in stage.preconditions and failed]


def _last_grace_day(day_one: date, grace_days: int) -> date:
    day, counted = day_one, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == grace_days:
                return day
        day += timedelta(days=1)


def _grace_billable(stage: Stage, grace: int, day_one: date, end: date) -> int:
    """Stockholm 2018 §10: after the last grace (week)day, every calendar day until discharge,
    weekends and holidays included even when no weekday follows."""
    calendar_days = max(0, (end - day_one).days)
    if grace == 0:
        return calendar_days
    if stage.counting == "weekdays":
        return max(0, (end - _last_grace_day(day_one, grace)).days - 1)
    return max(0, calendar_days - grace)


def _start(episode: Mapping[str, Any], stage: Stage) -> tuple[datetime, str | None]:
    """The latest of readiness and the checked preconditions that move day 1, and which."""
    ready_at: datetime = episode["ready_at"]
    candidates: list[tuple[datetime, str | None]] = [(ready_at, None)]
    notice = episode.get("admission_notice_at")
    if Precondition.ADMISSION_NOTICE in stage.preconditions and notice is not None:
        candidates.append((notice, reasons.MOVED_BY_ADMISSION_NOTICE))
    summons = episode.get("sip_summoned_at")
    if (
        Precondition.SIP_SUMMONED in stage.preconditions
        and episode.get("sip_needed")
        and summons is not None
    ):
        candidates.append((summons, reasons.MOVED_BY_SIP_SUMMONS))
    latest = max(at for at, _ in candidates)
    # The summons wins a tie, as in the bulk engine.
    return latest, next(step for at, step in reversed(candidates) if at == latest)


def _notified_grace(rulebook: Rulebook, group: str, stage: Stage, ready_at: datetime) -> int:
    """The law's grace days in force on the notification date (payment-rules.md law_default)."""
    grace = stage.grace_days or 0
    if stage.model is not Model.LAW_DEFAULT:
        return grace
    notified = stage_in(rulebook, group, ready_at.strftime("%Y-%m"))
    if notified is None or notified.model is not Model.LAW_DEFAULT or notified.grace_days is None:
        return grace
    return notified.grace_days


def _rule(
    episode: Mapping[str, Any],
    stage: Stage | None,
    ready_days: int,
    billable: int,
    grace_reason: Reason,
) -> tuple[Basis, Reason, int]:
    """The first rule that decides the episode's basis, in the bulk engine's order."""
    if stage is None:
        return Basis.EXCLUDED, Reason(ReasonCode.NOT_IN_FORCE), 0
    if episode.get("ready_at") is None and (
        Precondition.READINESS_NOTIFICATION not in stage.preconditions
    ):
        return Basis.EXCLUDED, Reason(ReasonCode.NEVER_READY), 0
    if stage.status_filter == "done" and episode.get("status") != "done":
        return Basis.EXCLUDED, Reason(ReasonCode.NOT_DONE), 0
    failed = _failed_preconditions(episode, stage)
    if failed:
        return Basis.NOT_LIABLE, preconditions_failed(failed), 0
    if stage.zero_days == "exclude" and ready_days == 0:
        return Basis.EXCLUDED, Reason(ReasonCode.ZERO_DAY), 0
    rule = stage.individual
    if rule is not None and ready_days > rule.over_ready_days:
        reason = Reason(
            ReasonCode.INDIVIDUAL_OVER, over=rule.over_ready_days, beyond=rule.pay_beyond
        )
        return Basis.INDIVIDUAL, reason, ready_days - rule.pay_beyond
    if stage.model in (Model.GRACE_DAYS, Model.LAW_DEFAULT):
        return Basis.INDIVIDUAL, grace_reason, billable
    return Basis.AVERAGE, Reason(ReasonCode.COUNTED), 0


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
    steps = [Step(GROUP, care_type=episode["care_type"], group=group.name)]
    steps.append(
        Step(STAGE, stage=stage.name) if stage else Step(NOT_IN_FORCE, rulebook=rulebook.id)
    )
    day_one, ready_days, billable, moved_by, moved_days = None, 0, 0, None, 0
    grace_reason = Reason(ReasonCode.GRACE, days=stage.grace_days if stage else None)
    if ready_at is not None and end_at is not None and stage is not None:
        start, step = _start(episode, stage)
        own_day_one = ready_day_one(ready_at, stage.cutoff, day_after=stage.day_after)
        day_one = ready_day_one(start, stage.cutoff, day_after=stage.day_after)
        ready_days = count_ready_days(
            start,
            end_at,
            cutoff=stage.cutoff,
            day_after=stage.day_after,
            counting="weekdays" if stage.counting is Counting.WEEKDAYS else "calendar",
        )
        at = f"{ready_at:%Y-%m-%d %H:%M}"
        steps.append(
            Step(NOTIFIED_CUTOFF, at=at, cutoff=f"{stage.cutoff:%H:%M}", day_one=own_day_one)
            if stage.cutoff
            else Step(NOTIFIED, at=at, day_one=own_day_one)
        )
        if day_one > own_day_one:
            moved_by, moved_days = step, (day_one - own_day_one).days
            steps.append(
                Step(
                    MOVED, days=moved_days, day_one=day_one, step=step, at=f"{start:%Y-%m-%d %H:%M}"
                )
            )
        steps.append(
            Step(COUNTED_DAYS, days=ready_days, counting=stage.counting, end=f"{end_at:%Y-%m-%d}")
        )
        if stage.model is not Model.AVERAGE:
            grace = _notified_grace(rulebook, group.name, stage, ready_at)
            if grace != stage.grace_days:
                grace_reason = Reason(ReasonCode.GRACE_NOTIFIED, days=grace)
            billable = _grace_billable(stage, grace, day_one, end_at.date())
    if discharged_at is None or month is None:
        steps.append(Step(RUNNING))
        return Explanation(group.name, None, stage.name if stage else None, day_one,
                           ready_days, None, 0, Decimal(0), Reason(ReasonCode.RUNNING),
                           steps)  # fmt: skip
    basis, reason, billable = _rule(episode, stage, ready_days, billable, grace_reason)
    amount: Decimal | None = Decimal(0)
    if stage is not None and billable > 0:
        if stage.invoicing:
            try:
                rate = resolve_day_rate(rulebook, MonthStage(group.name, month, stage), day_rate)
            except PaymentError:  # an episode page or worklist row, not an invoice: say so
                amount = None
            else:
                amount = billable * rate
        else:
            reason, billable = Reason(ReasonCode.NO_INVOICING, stage=stage.name), 0
    steps.append(Step(BASIS, basis=basis, reason=reason))
    return Explanation(group.name, month, stage.name if stage else None, day_one, ready_days,
                       basis, billable, amount, reason, steps, moved_by, moved_days)  # fmt: skip
