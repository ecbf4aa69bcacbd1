"""The payment engine's input from the service's episodes: a municipality's month as the engine's
frame, its invoice basis, and the month's episode file, each read of a patient audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from django.db.models import Q, QuerySet

from utskrivning.audit.services import audit_patients_read
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.rulebooks import CountyAverage
from utskrivning.episodes.episode_file import episode_file_csv, export_frame
from utskrivning.episodes.models import Episode
from utskrivning.episodes.selectors import audit_reads, episode_frame, rulebook_for
from utskrivning.lib import months
from utskrivning.organisations.models import Kind, Organisation


def _liable_episodes(municipality: Organisation, month: str) -> QuerySet[Episode]:
    start, end = months.bounds(month, month)
    # Dalarna's rule looks back two months, so three months before are given to the engine too.
    back = (start.replace(day=1) - timedelta(days=95)).replace(day=1)
    liable = Q(placing_municipality=municipality) | Q(
        placing_municipality__isnull=True, home_municipality=municipality
    )
    if municipality.kind == Kind.DISTRICT:
        liable = Q(district=municipality)
    return Episode.objects.filter(liable, discharged_at__gte=back, discharged_at__lt=end)


def _county_window(rulebook: Any, month: str) -> tuple[datetime, datetime] | None:
    """The discharge window of a county-average threshold in force in `month`, if one is."""
    start, _end = months.bounds(month, month)
    if rulebook is None or not rulebook.in_force(start.date()):
        return None
    rules = [
        stage.threshold
        for group in rulebook.groups
        if (stage := group.stage_for(start.date())) is not None
        and isinstance(stage.threshold, CountyAverage)
    ]
    if not rules:
        return None
    first = min(rule.county_average_from for rule in rules)
    last = max(rule.county_average_to for rule in rules)
    return (
        datetime(first.year, first.month, first.day, tzinfo=STOCKHOLM),
        datetime(last.year, last.month, last.day, tzinfo=STOCKHOLM) + timedelta(days=1),
    )


def invoice_episodes(*, municipality: Organisation, month: str) -> pl.DataFrame:
    """The engine's input for a municipality's month: its liable episodes, history months too.

    A county-average threshold (Stockholm 2020, stage 2) is the whole county's figure, so the
    region's episodes of its window go in as well; `invoice_basis` keeps only this unit's lines.
    """
    queryset = _liable_episodes(municipality, month)
    region = municipality.region
    window = _county_window(rulebook_for(municipality), month)
    if window is not None and region is not None:
        county = Q(placing_municipality__parent=region) | Q(
            placing_municipality__isnull=True, home_municipality__parent=region
        )
        queryset = queryset | Episode.objects.filter(
            county, discharged_at__gte=window[0], discharged_at__lt=window[1]
        )
    return episode_frame(queryset=queryset.distinct())


def invoice_basis(
    *, municipality: Organisation, month: str, frame: pl.DataFrame | None = None
) -> PaymentResult:
    """The engine's invoice basis for one municipality and month from the service's episodes.

    `frame` is `invoice_episodes`' answer, perhaps corrected by a dispute (payment.corrections).
    """
    rulebook = rulebook_for(municipality)
    if frame is None:
        frame = invoice_episodes(municipality=municipality, month=month)
    result = compute_payment(frame, rulebook, months=[month], status_known=True)
    code = municipality.municipality_code or (
        municipality.parent.municipality_code if municipality.parent else ""
    )
    mine = pl.col("liable_municipality") == code
    if municipality.kind == Kind.DISTRICT:
        mine &= pl.col("liable_district") == municipality.name
    # `replace`, not a new result: the notes (the assumptions' codes) stay with the frames.
    return replace(
        result,
        invoice_frame=result.invoice_frame.filter(mine),
        line_frame=result.line_frame.filter(mine),
    )


def invoice_lines_audit(
    *,
    municipality: Organisation,
    month: str,
    external_ids: list[str],
    actor: Any,
    organisation: Organisation,
    purpose: str,
) -> list[Episode]:
    """Each episode line of a basis is a patient's data: its read is audited, in one query.

    Returns the episodes, which the invoice document names its patients from."""
    episodes = list(
        _liable_episodes(municipality, month)
        .filter(external_id__in=external_ids)
        .select_related("patient")
    )
    audit_reads(episodes, actor=actor, organisation=organisation, purpose=purpose)
    return episodes


def episodes_csv(
    *, municipality: Organisation, month: str, actor: Any, organisation: Organisation
) -> str:
    """The month's episode file: every patient in it is read, so each is audited (from the
    file's own column: one narrow query, no model objects)."""
    start, _end = months.bounds(month, month)
    frame = export_frame(_liable_episodes(municipality, month).filter(discharged_at__gte=start))
    audit_patients_read(
        frame["patient_id"], actor=actor, organisation=organisation, purpose="episode file download"
    )
    return episode_file_csv(frame)
