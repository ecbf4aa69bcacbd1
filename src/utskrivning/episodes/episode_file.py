"""Stored episodes as the episode file (docs/episode-file.md): the download, the
engine's input and its explanation all read the service's episodes through this one writer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, QuerySet

from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.documents import safe_cell
from utskrivning.domain.episodes import COLUMNS
from utskrivning.episodes.models import Episode
from utskrivning.organisations.models import Kind, Organisation, qualified_unit

EXPORT_COLUMNS = tuple(c for c in COLUMNS if c != "age")


def _time(value: datetime | None) -> str:
    return "" if value is None else to_local_naive(value).strftime("%Y-%m-%dT%H:%M:%S")


EXPORT_RELATED = (
    "patient", "ward__parent", "home_municipality", "placing_municipality", "district",
    "primary_care",
)  # fmt: skip
SharedNames = frozenset[tuple[int, str]]  # (region, ward name) that several wards have


def export_row(e: Episode, shared: SharedNames = frozenset()) -> dict[str, str]:
    """One episode as the episode file's row; its organisations loaded (`EXPORT_RELATED`). A ward
    name another ward of the region has too is written with its hospital, as the import reads it.
    """
    return {
        "episode_id": e.external_id,
        "patient_id": e.patient.personal_number,
        "municipality": e.home_municipality.municipality_code,
        "placing_municipality": (
            e.placing_municipality.municipality_code if e.placing_municipality else ""
        ),
        "district": e.district.name if e.district else "",
        "care_type": e.care_type,
        "unit": qualified_unit(e.ward) if (e.region_id, e.ward.name) in shared else e.ward.name,
        "primary_care_unit": e.primary_care.name if e.primary_care else "",
        "admitted_at": _time(e.admitted_at),
        "admission_notice_at": _time(e.admission_notice_at),
        "ready_at": _time(e.ready_at),
        "named_contact_at": _time(e.named_contact_at),
        "sip_summoned_at": _time(e.sip_summoned_at),
        "sip_held_at": _time(e.sip_held_at),
        "discharged_at": _time(e.discharged_at),
        "ready_declarations": str(e.ready_declarations or ""),
        "sip_needed": "" if e.sip_needed is None else str(e.sip_needed).lower(),
        "status": e.status,
    }


def export_rows(episodes: QuerySet[Episode]) -> list[dict[str, str]]:
    loaded = list(episodes.select_related(*EXPORT_RELATED))
    shared = frozenset(
        Organisation.objects.filter(kind=Kind.WARD, name__in={e.ward.name for e in loaded})
        .values("parent__parent", "name")
        .annotate(wards=Count("id"))
        .filter(wards__gt=1)
        .values_list("parent__parent", "name")
    )
    return [export_row(e, shared) for e in loaded]


def export_episode_file(*, queryset: QuerySet[Episode]) -> str:
    """The episodes as an episode file (comma separated, UTF-8, local times)."""
    return episode_file_text(export_rows(queryset))


def episode_file_text(rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    # Ids and names that run as formulas are refused on the way in; what got in by another way
    # (a name written straight to the database) still leaves as text.
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
