"""What each indicator counts: the text a reader checks against the agreements (docs/indicators.md).

The order of `INDICATORS` is the report's order: the seven national ones (Västmanland §3.2 1–7),
the local a–g (§3.2), then the process ones (§3.3, Stockholm's goals, the law's deadlines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "share", "days", "mean"]
Scope = Literal["national", "local", "process"]
Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Indicator:
    """One indicator; `value` is the numerator for count and days, numerator/denominator else."""

    id: str
    title_sv: str
    title_en: str
    numerator: str
    denominator: str | None
    source_columns: tuple[str, ...]
    unit: Unit
    scope: Scope
    better: Better | None = None  # which way is an improvement, for the baseline comparison


CLOSED = "closed episodes (discharged_at set) of the month"
READY = "closed episodes with ready_at set"

_DEFINITIONS = (
    Indicator(
        "episodes", "Antal vårdtillfällen", "Episodes",
        CLOSED, None, ("discharged_at",), "count", "national",
    ),
    Indicator(
        "care_days", "Summa vårddagar", "Care days",
        "sum of care days: discharge date − admission date (midnights in hospital)", None,
        ("admitted_at", "discharged_at"), "days", "national",
    ),
    Indicator(
        "ready_bed_day_share", "Andel vårdplatser belagda av utskrivningsklara",
        "Share of occupied bed days taken by ready patients",
        "sum of ready days", "sum of care days",
        ("admitted_at", "ready_at", "discharged_at"), "share", "national", "lower",
    ),
    Indicator(
        "same_day_discharges", "Gått hem samma dag som utskrivningsklar",
        "Discharged the day they became ready",
        "ready episodes discharged on the date of ready_at (day zero, 0 ready days)", None,
        ("ready_at", "discharged_at"), "count", "national", "higher",
    ),
    Indicator(
        "ready_one_day_or_more", "Utskrivningsklar minst 1 dag", "Ready at least one day",
        "ready episodes with 1 or more ready days", None,
        ("ready_at", "discharged_at"), "count", "national", "lower",
    ),
    Indicator(
        "ready_days", "Summa utskrivningsklara dagar", "Sum of ready days",
        "sum of ready days: calendar days from the date of ready_at up to, not including, "
        "the discharge date", None,
        ("ready_at", "discharged_at"), "days", "national", "lower",
    ),
    Indicator(
        "mean_ready_days", "Medelvårdtid som utskrivningsklar", "Mean ready days",
        "sum of ready days", READY + " (day zero included)",
        ("ready_at", "discharged_at"), "mean", "national", "lower",
    ),
    Indicator(
        "admission_notices", "a) Inskrivningsmeddelande skickat", "a) Admission notice sent",
        "closed episodes with admission_notice_at set", CLOSED,
        ("admission_notice_at",), "share", "local", "higher",
    ),
    Indicator(
        "unique_closed_episodes", "b) Unika avslutade vårdtillfällen (per patient)",
        "b) Unique closed episodes (one per patient)",
        "distinct patients among the closed episodes", CLOSED,
        ("patient_id", "discharged_at"), "share", "local",
    ),
    Indicator(
        "over_three_ready_days", "c) Kvar mer än 3 dagar efter utskrivningsklar",
        "c) Still in hospital more than 3 days after ready",
        "ready episodes with more than 3 ready days", READY,
        ("ready_at", "discharged_at"), "share", "local", "lower",
    ),
    Indicator(
        "sip_not_within_30_days", "d) SIP ej upprättad inom 30 dagar efter kallelse",
        "d) SIP not established within 30 days of the summons",
        "summoned episodes whose sip_held_at is empty or more than 30 days after the "
        "summons date", "closed episodes with sip_summoned_at set",
        ("sip_summoned_at", "sip_held_at"), "share", "local", "lower",
    ),
    Indicator(
        "sip_summoned", "d) Andel kallade till SIP", "d) Share summoned to a SIP",
        "closed episodes with sip_summoned_at set", CLOSED,
        ("sip_summoned_at",), "share", "local",
    ),
    Indicator(
        "sip_held_during_stay", "e) SIP genomförd under vårdtiden", "e) SIP held during the stay",
        "episodes whose sip_held_at is between admitted_at and discharged_at",
        "closed episodes with sip_held_at set",
        ("sip_held_at", "admitted_at", "discharged_at"), "share", "local",
    ),
    Indicator(
        "kept_over_major_holiday", "f) Utskrivningsklar kvar över storhelg",
        "f) Ready patients kept in hospital over a major holiday",
        "ready episodes with a storhelg date among their ready days", READY,
        ("ready_at", "discharged_at"), "share", "local", "lower",
    ),
    Indicator(
        "discharged_over_major_holiday", "g) Utskrivningsklar hem under storhelg",
        "g) Ready patients discharged home during a major holiday",
        "ready episodes discharged on a storhelg date", READY,
        ("ready_at", "discharged_at"), "share", "local", "higher",
    ),
    Indicator(
        "ready_date_moved", "Utskrivningsklar-datum flyttat", "Readiness date moved",
        "ready episodes with ready_declarations > 1", CLOSED,
        ("ready_declarations", "ready_at"), "share", "process", "lower",
    ),
    Indicator(
        "ready_moves_per_patient", "Flyttar av utskrivningsklar per patient",
        "Readiness moves per patient",
        "sum of ready_declarations − 1 over ready episodes",
        "distinct patients among the closed episodes",
        ("ready_declarations", "patient_id"), "mean", "process", "lower",
    ),
    Indicator(
        "readmissions_65", "Återinskrivning inom 30 dagar, 65 år och äldre",
        "Readmissions within 30 days, 65 and older",
        "closed episodes of patients 65+ at admission followed by the same patient's next "
        "admission 0–30 days after the discharge date",
        "closed episodes of patients 65+ at admission",
        ("patient_id", "age", "admitted_at", "discharged_at"), "share", "process", "lower",
    ),
    Indicator(
        "notice_within_24h", "Inskrivningsmeddelande inom 24 timmar",
        "Admission notice within 24 hours",
        "closed episodes with admission_notice_at at most 24 elapsed hours after admitted_at",
        CLOSED, ("admitted_at", "admission_notice_at"), "share", "process", "higher",
    ),
    Indicator(
        "summons_within_3_days", "SIP-kallelse inom 3 dagar", "SIP summons within 3 days",
        "of the denominator, summoned by the end of the third day after the date of ready_at",
        "ready episodes with sip_needed true or sip_summoned_at set",
        ("ready_at", "sip_needed", "sip_summoned_at"), "share", "process", "higher",
    ),
    Indicator(
        "named_contact_before_discharge", "Fast vårdkontakt före utskrivning",
        "Named care contact before discharge",
        "of the denominator, named_contact_at set and not after discharged_at",
        "closed episodes with primary_care_unit set",
        ("primary_care_unit", "named_contact_at", "discharged_at"), "share", "process", "higher",
    ),
)  # fmt: skip

INDICATORS: dict[str, Indicator] = {indicator.id: indicator for indicator in _DEFINITIONS}
