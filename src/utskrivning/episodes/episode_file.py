"""Stored episodes as the episode file (docs/episode-file.md): the download, the
engine's input and its explanation all read the service's episodes through this one writer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connections
from django.db.models import BigIntegerField, Case, CharField, Count, F, Func, QuerySet, Value, When

from utskrivning.domain.calendar import STOCKHOLM, to_local_naive
from utskrivning.domain.documents import safe_cell, safe_frame
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


class _Seconds(Func):
    """A time as whole seconds since 1970 (UTC): cheaper to read than its text or a datetime."""

    output_field = BigIntegerField()
    template = "FLOOR(DATE_PART('epoch', %(expressions)s))::bigint"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(STRFTIME('%%%%s', %(expressions)s) AS INTEGER)"
        )


def _yes_no(name: str) -> Case:
    return Case(
        When(**{name: True}, then=Value("true")),
        When(**{name: False}, then=Value("false")),
        output_field=CharField(),
    )


# The episode file's columns as stored, read in one narrow query without model objects: a
# region's year is 100 000 rows, and building each as an Episode with its organisations took
# seconds. Organisations come as ids, named from one small table.
_STORED: dict[str, Any] = {
    "episode_id": F("external_id"),
    "patient_id": F("patient__personal_number"),
    "municipality": F("home_municipality_id"),
    "placing_municipality": F("placing_municipality_id"),
    "district": F("district_id"),
    "care_type": F("care_type"),
    "unit": F("ward_id"),
    "primary_care_unit": F("primary_care_id"),
    "ready_declarations": F("ready_declarations"),
    "sip_needed": _yes_no("sip_needed"),
    "status": F("status"),
    "region": F("region_id"),
    **{name: _Seconds(name) for name in EXPORT_COLUMNS if name.endswith("_at")},
}
_IDS = ("municipality", "placing_municipality", "district", "unit", "primary_care_unit", "region")
_TIMES = tuple(name for name in _STORED if name.endswith("_at"))
_SCHEMA = {
    name: pl.Int64 if name in _IDS or name in _TIMES or name == "ready_declarations" else pl.String
    for name in _STORED
}


def _stored_columns(queryset: QuerySet[Episode]) -> pl.DataFrame:
    """`_STORED`'s columns by `pk`. On PostgreSQL one row of arrays, a column each, which
    psycopg reads in C: no row becomes a Python tuple (a third of the time COPY's rows took)."""
    aliased = {f"stored_{name}": expression for name, expression in _STORED.items()}
    sql, params = (
        queryset.order_by("pk").values(**aliased).query.get_compiler(using=queryset.db).as_sql()
    )
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f'array_agg("{alias}")' for alias in aliased)
            cursor.execute(f"SELECT {arrays} FROM ({sql}) AS stored", params)
            columns = [values or [] for values in cursor.fetchone()]
        else:
            cursor.execute(sql, params)  # with DISTINCT, `pk` comes after the columns
            columns = list(zip(*cursor.fetchall(), strict=True))[: len(aliased)]
            columns = columns or [[] for _ in aliased]
    return pl.DataFrame(
        [
            pl.Series(name, values, dtype=_SCHEMA[name], strict=False)
            for name, values in zip(_STORED, columns, strict=True)
        ]
    )


def _named(ids: pl.Expr, names: dict[int, str]) -> pl.Expr:
    return ids.replace_strict(names, default=None, return_dtype=pl.String)


def export_frame(queryset: QuerySet[Episode]) -> pl.DataFrame:
    """The episodes as the episode file's columns, all text (null: empty), by `pk`. A ward name
    another ward of the region has too is written with its hospital, as the import reads it
    (`export_row` writes one episode the same way)."""
    stored = _stored_columns(queryset)
    organisations = Organisation.objects.filter(
        pk__in=pl.concat([stored[name] for name in _IDS]).drop_nulls().unique().to_list()
    ).select_related("parent")
    codes = {o.pk: o.municipality_code for o in organisations}
    names = {o.pk: o.name for o in organisations}
    wards = [o for o in organisations if o.kind == Kind.WARD]
    shared = set(
        Organisation.objects.filter(kind=Kind.WARD, name__in={ward.name for ward in wards})
        .values("parent__parent", "name")
        .annotate(wards=Count("id"))
        .filter(wards__gt=1)
        .values_list("parent__parent", "name")
    )
    units = {
        ward.pk: qualified_unit(ward)
        if ward.parent and (ward.parent.parent_id, ward.name) in shared
        else ward.name
        for ward in wards
    }
    return stored.with_columns(
        _named(pl.col("municipality"), codes),
        _named(pl.col("placing_municipality"), codes),
        _named(pl.col("district"), names),
        _named(pl.col("unit"), units),
        _named(pl.col("primary_care_unit"), names),
        *(
            pl.from_epoch(name, time_unit="s")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(STOCKHOLM.key)
            .dt.strftime("%Y-%m-%dT%H:%M:%S")
            for name in _TIMES
        ),
        ready_declarations=pl.when(pl.col("ready_declarations") > 0).then(
            pl.col("ready_declarations").cast(pl.String)
        ),
    ).select(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in EXPORT_COLUMNS)


def export_episode_file(*, queryset: QuerySet[Episode]) -> str:
    """The episodes as an episode file (comma separated, UTF-8, local times)."""
    return episode_file_csv(export_frame(queryset))


def episode_file_csv(frame: pl.DataFrame) -> str:
    """`export_frame`'s answer as the file. Ids and names that run as formulas are refused on
    the way in; what got in by another way (a name written straight to the database) still
    leaves as text."""
    return safe_frame(frame).write_csv(line_terminator="\n", null_value="")


def episode_file_text(rows: Iterable[dict[str, str]]) -> str:
    """A few episodes' `export_row`s as the file (`normalised`: the explanation's row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
