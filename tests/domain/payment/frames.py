"""Episode frames in the reader's normalised shape, written tersely for rule tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

TIMES = ["admitted_at", "admission_notice_at", "ready_at", "named_contact_at",
         "sip_summoned_at", "sip_held_at", "discharged_at"]  # fmt: skip
SCHEMA: dict[str, Any] = {
    "line": pl.Int64, "episode_id": pl.String, "patient_id": pl.String,
    "municipality": pl.String, "placing_municipality": pl.String, "district": pl.String,
    "liable_municipality": pl.String, "liable_district": pl.String, "care_type": pl.String,
    "unit": pl.String, "primary_care_unit": pl.String,
    **{t: pl.Datetime("us") for t in TIMES},
    "ready_declarations": pl.Int64, "sip_needed": pl.Boolean, "status": pl.String,
    "age": pl.Int64,
}  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def episode(ready: str | None, discharged: str | None, **fields: Any) -> dict[str, Any]:
    """A closed episode meeting every precondition unless `fields` says otherwise.

    Admitted, with its admission notice, the day before readiness: a later notice would move
    day 1 (payment-rules.md "Preconditions").
    """
    notified = at(ready) if isinstance(ready, str) else ready
    admitted = notified.date() - timedelta(days=1) if notified else date(2020, 1, 1)
    row: dict[str, Any] = {
        "episode_id": None, "patient_id": "191212121212", "municipality": "2080",
        "placing_municipality": None, "district": None, "care_type": "somatic",
        "unit": "Medicin", "primary_care_unit": None, "admitted_at": f"{admitted} 08:00",
        "admission_notice_at": f"{admitted} 09:00", "ready_at": ready,
        "named_contact_at": None, "sip_summoned_at": None, "sip_held_at": None,
        "discharged_at": discharged, "ready_declarations": 1 if ready else 0,
        "sip_needed": False, "status": "done", "age": None,
    }  # fmt: skip
    row.update(fields)
    for name in TIMES:
        if isinstance(row[name], str):
            row[name] = at(row[name])
    return row


def frame(*episodes: dict[str, Any]) -> pl.DataFrame:
    rows = []
    for number, row in enumerate(episodes, start=2):
        placing = row["placing_municipality"]
        rows.append({
            **row, "line": number, "episode_id": row["episode_id"] or f"E{number}",
            "liable_municipality": placing or row["municipality"],
            "liable_district": None if placing else row["district"],
        })  # fmt: skip
    return pl.DataFrame(rows, schema=SCHEMA)


def stay(ready_days: int, discharged: str, **fields: Any) -> dict[str, Any]:
    """An episode of `ready_days` calendar days: ready 10:00 (before any cut-off), out 12:00.

    `discharged` is a date (`YYYY-MM-DD`); the readiness date is that many days before it.
    """
    out = date.fromisoformat(discharged)
    ready = out - timedelta(days=ready_days)
    admitted = {"admitted_at": f"{ready} 08:00", "admission_notice_at": f"{ready} 09:00"}
    return episode(f"{ready} 10:00", f"{out} 12:00", **{**admitted, **fields})


def invoice_of(result: Any, month: str, **match: Any) -> Any:
    """The one invoice of `month` whose fields equal `match` (municipality=, district=, group=)."""
    found = [
        invoice
        for invoice in result.invoices()
        if invoice.month == month and all(getattr(invoice, k) == v for k, v in match.items())
    ]
    assert len(found) == 1, f"{len(found)} invoices for {month} {match}"
    return found[0]


def line_of(result: Any, episode_id: str) -> dict[str, Any]:
    """The bulk engine's line for one episode, as a dict."""
    rows = result.line_frame.filter(pl.col("episode_id") == episode_id).to_dicts()
    assert len(rows) == 1, f"{len(rows)} lines for {episode_id}"
    return rows[0]
