"""Synthetic episode files: the engine, indicators and benchmarks run without patient data.

Everything is drawn column-wise with numpy, and strings come from gathering small lookup tables:
a national year (1.5 million episodes) must generate in seconds. The shapes (day-zero share, long
tail of ready days, missing preconditions, withdrawn readiness) are chosen to exercise every rule,
not to mirror any region.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from utskrivning.domain.care import CARE_TYPES
from utskrivning.domain.demo_regions import DemoRegion

COLUMNS = (
    "episode_id",
    "patient_id",
    "municipality",
    "placing_municipality",
    "district",
    "care_type",
    "unit",
    "primary_care_unit",
    "admitted_at",
    "admission_notice_at",
    "ready_at",
    "ready_declarations",
    "named_contact_at",
    "sip_needed",
    "sip_summoned_at",
    "sip_held_at",
    "discharged_at",
    "status",
    "age",
)
TIME_COLUMNS = tuple(name for name in COLUMNS if name.endswith("_at"))

SOMATIC, GERIATRIC, PSYCHIATRIC = 0, 1, 2

# Stockholm's 13 stadsdelsområden (from 2020), weighted by rough population in thousands.
STOCKHOLM_DISTRICTS = {
    "Rinkeby-Kista": 49,
    "Spånga-Tensta": 40,
    "Hässelby-Vällingby": 77,
    "Bromma": 80,
    "Kungsholmen": 73,
    "Norrmalm": 70,
    "Östermalm": 73,
    "Södermalm": 132,
    "Enskede-Årsta-Vantör": 107,
    "Skarpnäck": 48,
    "Farsta": 60,
    "Skärholmen": 38,
    "Hägersten-Älvsjö": 137,
}

# One main hospital per county (länskod), so units look like a real export.
HOSPITALS = {
    "01": "Karolinska Universitetssjukhuset",
    "03": "Akademiska sjukhuset",
    "04": "Mälarsjukhuset",
    "05": "Universitetssjukhuset i Linköping",
    "06": "Länssjukhuset Ryhov",
    "07": "Centrallasarettet Växjö",
    "08": "Länssjukhuset i Kalmar",
    "09": "Visby lasarett",
    "10": "Blekingesjukhuset",
    "12": "Skånes universitetssjukhus",
    "13": "Hallands sjukhus",
    "14": "Sahlgrenska Universitetssjukhuset",
    "17": "Centralsjukhuset i Karlstad",
    "18": "Universitetssjukhuset Örebro",
    "19": "Västmanlands sjukhus Västerås",
    "20": "Falu lasarett",
    "21": "Gävle sjukhus",
    "22": "Sundsvalls sjukhus",
    "23": "Östersunds sjukhus",
    "24": "Norrlands universitetssjukhus",
    "25": "Sunderby sjukhus",
}

CLINICS = (
    ("Medicinkliniken", "Kirurgkliniken", "Ortopedkliniken", "Kardiologiska kliniken",
     "Infektionskliniken", "Neurologiska kliniken", "Strokeenheten"),
    ("Geriatriska kliniken", "Akutgeriatriken", "Geriatrisk rehabilitering"),
    ("Allmänpsykiatriska kliniken", "Psykiatrisk akutvårdsavdelning", "Beroendepsykiatrin"),
)  # fmt: skip

VARDCENTRAL_SUFFIXES = ("", " Centrum", " Norra", " Södra", " Väster", " Öster")

MINUTES_PER_DAY = 1440
LEAD_IN_DAYS = 14  # admissions from late December of the year before, so January has open episodes
ABSENT = -1  # index of a value that is not in the file

Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


def _municipality_table() -> pl.DataFrame:
    """The 290 kommuner with county and population; codes stay strings for their leading zeros."""
    raw = files("utskrivning.domain").joinpath("data", "municipalities.csv").read_bytes()
    frame = pl.read_csv(io.BytesIO(raw), infer_schema=False)
    return frame.with_columns(pl.col("population").cast(pl.Int64))


def generate_episodes(
    n: int, year: int, *, seed: int = 0, municipalities: Sequence[str] | None = None
) -> pl.DataFrame:
    """A synthetic episode file for `year`: the contract's columns as strings, null when empty.

    The file is an export taken at midnight on New Year's Eve: later events have not happened yet,
    so late-December episodes are still admitted. Municipalities are weighted by population and may
    be restricted to `municipalities` (e.g. one county's codes).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rng = np.random.default_rng(seed)
    places = _places(municipalities)
    people = _patients(rng, max(1, round(n * 0.75)), places, year)  # some patients come back

    who = rng.integers(0, len(people.home), n)
    home = people.home[who]
    care = np.where(
        people.psychiatric[who],
        PSYCHIATRIC,
        np.where(people.elderly[who] & (rng.random(n) < 0.23), GERIATRIC, SOMATIC),
    )
    admitted = _admissions(rng, n, _day(date(year, 1, 1)) - LEAD_IN_DAYS, _day(date(year, 12, 31)))
    to_ready = rng.geometric(np.array([0.25, 0.15, 0.08])[care]) - 1
    ready = np.maximum(
        (admitted // MINUTES_PER_DAY + to_ready) * MINUTES_PER_DAY
        + _clock(rng, n, [(0.6, 11.0, 2.0), (0.4, 15.5, 2.0)], flat=0.05),
        admitted + 30,
    )
    discharged = _discharges(rng, ready, care)
    summoned = np.maximum(admitted + 60, ready + rng.normal(12 * 60, 24 * 60, n).astype(np.int64))
    sip_needed = rng.random(n) < np.array([0.25, 0.45, 0.35])[care]
    has_primary_care = rng.random(n) < 0.85
    summons_sent = sip_needed & (rng.random(n) >= 0.05)
    export = _day(date(year + 1, 1, 1)) * MINUTES_PER_DAY
    dst = _dst_changes(year)

    def time(values: Ints, happened: Mask | None = None) -> Ints:
        known = values < export if happened is None else happened & (values < export)
        return np.where(known, _clamp_dst(values, dst), ABSENT)

    placing = _placing(rng, n, home, places)
    liable = np.where(placing == ABSENT, home, placing)
    stockholm = np.flatnonzero(places["code"].to_numpy() == "0180")
    clinic_offset = np.cumsum([0, *(len(c) for c in CLINICS)])[care]
    clinic_count = np.array([len(c) for c in CLINICS])[care]
    raw = pl.DataFrame(
        {
            "patient_id": who,
            "municipality": home,
            "placing_municipality": placing,
            "district": np.where(
                np.isin(liable, stockholm),
                rng.choice(
                    len(STOCKHOLM_DISTRICTS), n, p=_weights([*STOCKHOLM_DISTRICTS.values()])
                ),
                ABSENT,
            ),
            "care_type": care,
            "unit": home * sum(len(c) for c in CLINICS)
            + clinic_offset
            + (rng.random(n) * clinic_count).astype(np.int64),
            "primary_care_unit": np.where(
                has_primary_care,
                home * (len(VARDCENTRAL_SUFFIXES) + 1)
                + np.where(care == PSYCHIATRIC, len(VARDCENTRAL_SUFFIXES), people.vardcentral[who]),
                ABSENT,
            ),
            "admitted_at": time(admitted),
            "admission_notice_at": time(
                np.minimum(admitted + _notice_delay(rng, n), discharged), rng.random(n) >= 0.03
            ),
            "ready_at": time(ready),
            "ready_declarations": rng.choice(4, n, p=[0.93, 0.02, 0.04, 0.01]) - 1,
            "named_contact_at": time(
                np.minimum(admitted + rng.exponential(18 * 60, n).astype(np.int64), discharged),
                has_primary_care & (rng.random(n) >= 0.03),
            ),
            "sip_needed": sip_needed.astype(np.int64),
            "sip_summoned_at": time(summoned, summons_sent),
            "sip_held_at": time(
                summoned + rng.integers(MINUTES_PER_DAY, 14 * MINUTES_PER_DAY, n),
                summons_sent & (rng.random(n) < 0.85),
            ),
            "discharged_at": time(discharged),
            "status": np.where((discharged < export) & (rng.random(n) >= 0.01), 0, ABSENT),
        }
    ).sort("admitted_at", maintain_order=True)
    return _format(raw, year, places, people.patient_id)


def in_region(frame: pl.DataFrame, region: DemoRegion, *, seed: int = 0) -> pl.DataFrame:
    """`frame` (generated for the region's municipalities) on the region's own wards and
    vårdcentraler, as its organisations are named: psychiatric care on its psychiatric wards,
    the rest on the others; an episode without a primary-care unit keeps none."""
    rng = np.random.default_rng(seed)
    n = frame.height
    psychiatric = (frame["care_type"] == "psychiatric").to_numpy()
    wards = np.where(
        psychiatric,
        rng.choice(region.wards(psychiatric=True), n),
        rng.choice(region.wards(psychiatric=False), n),
    )
    units = pl.Series(rng.choice(region.primary_care, n), dtype=pl.String)
    return frame.with_columns(
        unit=pl.Series(wards, dtype=pl.String),
        primary_care_unit=pl.when(pl.col("primary_care_unit").is_null())
        .then(None)
        .otherwise(pl.lit(units)),
    )


def region_codes(region: DemoRegion) -> list[str]:
    """The region's municipalities: every kommunkod of its county (län)."""
    codes = _municipality_table()["code"]
    return sorted(code for code in codes if code.startswith(region.county))


def write_episodes_csv(frame: pl.DataFrame, path: str | Path) -> None:
    """Write the file as a region's export would look: UTF-8, comma separated, empty for unknown."""
    frame.write_csv(path)


@dataclass(frozen=True)
class _Patients:
    home: Ints  # row in the municipality table
    psychiatric: Mask
    elderly: Mask
    patient_id: pl.Series
    vardcentral: Ints  # which of the home municipality's vårdcentraler the patient is listed at


def _patients(rng: np.random.Generator, count: int, places: pl.DataFrame, year: int) -> _Patients:
    """Patients are mostly old, psychiatric patients younger; about 1% have a samordningsnummer."""
    home = rng.choice(places.height, count, p=_weights(places["population"].to_numpy()))
    psychiatric = rng.random(count) < 0.12
    elderly = ~psychiatric & (rng.random(count) < 0.75)
    age = np.where(
        psychiatric,
        np.clip(rng.normal(45, 17, count), 18, 95),
        np.where(elderly, np.clip(rng.normal(79, 8, count), 65, 103), rng.uniform(18, 65, count)),
    )
    birth = (
        _day(date(year, 1, 1))
        - np.floor(age * 365.25).astype(np.int64)
        - rng.integers(0, 365, count)
    )
    return _Patients(
        home=home,
        psychiatric=psychiatric,
        elderly=elderly,
        patient_id=_personal_numbers(birth, rng.random(count) < 0.01),
        vardcentral=rng.integers(0, len(VARDCENTRAL_SUFFIXES), count),
    )


def _places(codes: Sequence[str] | None) -> pl.DataFrame:
    table = _municipality_table()
    if codes is None:
        return table
    if not codes:
        raise ValueError("municipalities must not be empty")
    unknown = sorted(set(codes) - set(table["code"]))
    if unknown:
        raise ValueError(f"unknown kommunkod: {', '.join(unknown)}")
    return table.filter(pl.col("code").is_in(list(codes)))


def _weights(values: Sequence[int] | Ints) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    return np.asarray(array / array.sum(), dtype=np.float64)


def _day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _clock(
    rng: np.random.Generator, n: int, peaks: list[tuple[float, float, float]], *, flat: float
) -> Ints:
    """Minute of the day from (weight, mean hour, sd hours) peaks over a flat share of the day."""
    weights = np.array([w for w, _, _ in peaks] + [flat])
    component = rng.choice(len(weights), n, p=weights / weights.sum())
    hours = rng.normal(
        np.array([m for _, m, _ in peaks] + [12.0])[component],
        np.array([s for _, _, s in peaks] + [1.0])[component],
    )
    spread = (component == len(peaks)) | (hours < 0) | (hours >= 24)
    hours[spread] = rng.uniform(0, 24, int(spread.sum()))
    return np.floor(hours * 60).astype(np.int64)


def _admissions(rng: np.random.Generator, n: int, first: int, last: int) -> Ints:
    """Admissions over the period, busier in winter, round the clock with a daytime peak."""
    days = np.arange(first, last + 1)
    season = 1 + 0.15 * np.cos(2 * np.pi * (days - _day(date(1970, 1, 15))) / 365.25)
    day = rng.choice(days, n, p=season / season.sum())
    return day * MINUTES_PER_DAY + _clock(rng, n, [(1.0, 13.0, 4.0)], flat=0.3)


def _discharges(rng: np.random.Generator, ready: Ints, care: Ints) -> Ints:
    """Discharge after readiness: many on day zero, a geometric body, a long tail beyond 7 days."""
    n = len(ready)
    zero = rng.random(n) < np.array([0.38, 0.30, 0.25])[care]
    long = ~zero & (rng.random(n) < np.array([0.04, 0.07, 0.15])[care])
    ready_days = np.where(long, 7 + rng.geometric(1 / 20, n), rng.geometric(0.45, n))
    ready_day, ready_clock = np.divmod(ready, MINUTES_PER_DAY)
    same_day = ready + (rng.random(n) ** 2 * (MINUTES_PER_DAY - 1 - ready_clock)).astype(np.int64)
    later = (ready_day + ready_days) * MINUTES_PER_DAY + _clock(
        rng, n, [(1.0, 13.0, 2.5)], flat=0.05
    )
    return np.where(zero, same_day, later)


def _notice_delay(rng: np.random.Generator, n: int) -> Ints:
    """Most admission notices go within hours; a few miss the 24-hour limit."""
    kind = rng.choice(3, n, p=[0.85, 0.12, 0.03])
    delay = np.where(
        kind == 0,
        rng.exponential(120, n),
        np.where(kind == 1, rng.uniform(120, 1440, n), rng.uniform(1440, 4320, n)),
    )
    return delay.astype(np.int64)


def _dst_changes(year: int) -> Ints:
    """The last Sundays of March and October, when 02:00-03:00 local time is missing or doubled."""
    days = []
    for y in range(year - 1, year + 3):
        for month in (3, 10):
            last = date(y, month, 31)
            days.append(_day(last - timedelta(days=(last.weekday() + 1) % 7)))
    return np.array(days, dtype=np.int64)


def _clamp_dst(minutes: Ints, dst_days: Ints) -> Ints:
    """Move 02:xx on a clock-change day to 03:00, so every local time is unambiguous.

    Clamping (not shifting) keeps the order between the times of an episode.
    """
    day, clock = np.divmod(minutes, MINUTES_PER_DAY)
    hit = np.isin(day, dst_days) & (clock >= 120) & (clock < 180)
    return np.where(hit, day * MINUTES_PER_DAY + 180, minutes)


def _placing(rng: np.random.Generator, n: int, home: Ints, places: pl.DataFrame) -> Ints:
    """About 2% placed by another municipality of the same selection."""
    if places.height < 2:
        return np.full(n, ABSENT, dtype=np.int64)
    other = rng.choice(places.height, n, p=_weights(places["population"].to_numpy()))
    other = np.where(other == home, (other + 1) % places.height, other)
    return np.where(rng.random(n) < 0.02, other, ABSENT)


def _personal_numbers(birth: Ints, coordination: Mask) -> pl.Series:
    """12-digit personnummer (samordningsnummer: day + 60), valid Luhn digit, unique per patient.

    Serial numbers are ranks within a birth date spread by a step coprime to 1000, so they stay
    unique while fewer than 1000 patients share a birth date (about ten million patients).
    """
    dates = birth.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1 + 60 * coordination

    key = birth * 2 + coordination
    order = np.argsort(key, kind="stable")
    rank = np.empty_like(key)
    rank[order] = np.arange(len(key)) - np.searchsorted(key[order], key[order])
    serial = (rank * 389 + key * 131) % 1000

    ten = ((years % 100) * 10000 + months * 100 + days) * 1000 + serial  # YYMMDDNNN
    total = np.zeros_like(ten)
    for position in range(9):
        product = (ten // 10 ** (8 - position) % 10) * (2 - position % 2)
        total += product - 9 * (product > 9)
    check = (10 - total % 10) % 10
    full = (years * 10000 + months * 100 + days) * 10000 + serial * 10 + check
    return pl.Series(full).cast(pl.String)


def _format(
    raw: pl.DataFrame, year: int, places: pl.DataFrame, patient_id: pl.Series
) -> pl.DataFrame:
    """Turn the index columns into strings by gathering from lookup tables (null stays null)."""
    known = pl.col(TIME_COLUMNS).filter(pl.col(TIME_COLUMNS) >= 0)
    first = raw.select(pl.min_horizontal(known.min())).item() or 0
    last = raw.select(pl.max_horizontal(known.max())).item() or 0
    minutes = (
        pl.Series(np.arange(first, last + 1) * 60_000)
        .cast(pl.Datetime("ms"))
        .dt.strftime("%Y-%m-%d %H:%M")
    )
    names = places["name"].to_list()
    hospitals = [HOSPITALS[county] for county in places["county"]]
    tables: dict[str, Sequence[str] | pl.Series] = {
        "patient_id": patient_id,
        "municipality": places["code"],
        "placing_municipality": places["code"],
        "district": list(STOCKHOLM_DISTRICTS),
        "care_type": CARE_TYPES,
        "unit": [f"{h}, {c}" for h in hospitals for clinics in CLINICS for c in clinics],
        "primary_care_unit": [
            unit
            for name in names
            for unit in (
                *(f"Vårdcentralen {name}{suffix}" for suffix in VARDCENTRAL_SUFFIXES),
                f"Psykiatrimottagningen {name}",
            )
        ],
        "ready_declarations": ("1", "2", "3"),
        "sip_needed": ("false", "true"),
        "status": ("UTFÖRD",),
    }
    tables.update(dict.fromkeys(TIME_COLUMNS, minutes))
    offsets = dict.fromkeys(TIME_COLUMNS, first)

    def column(name: str) -> pl.Expr:
        index = pl.col(name)
        lookup = pl.lit(pl.Series(tables[name], dtype=pl.String))
        return lookup.gather(pl.when(index >= 0).then(index - offsets.get(name, 0))).alias(name)

    return raw.select(
        pl.concat_str(
            pl.lit(f"VT{year}-"), pl.int_range(1, raw.height + 1).cast(pl.String).str.zfill(7)
        ).alias("episode_id"),
        *(column(name) for name in COLUMNS if name in tables),
        pl.lit(None, dtype=pl.String).alias("age"),
    ).select(COLUMNS)
