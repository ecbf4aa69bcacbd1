"""Reading and validating the episode file (docs/episode-file.md), for a national year at once.

A region's year is about 1.5 million rows, so the good path is vectorised Polars end to end:
Python only formats the messages of bad rows. A file with errors is never half-used: the caller
gets every error, or (`skip_invalid`) the good rows and the list of what was left out.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, NamedTuple

import polars as pl

from utskrivning.domain.calendar import FIRST_YEAR, LAST_YEAR, STOCKHOLM, nonexistent_local
from utskrivning.domain.care import SPELLINGS
from utskrivning.domain.identity import personal_number_errors, with_canonical_personal_number
from utskrivning.domain.municipalities import MUNICIPALITY_CODES
from utskrivning.domain.refusals import Refusal

TIME_COLUMNS = (
    "admitted_at",
    "admission_notice_at",
    "ready_at",
    "named_contact_at",
    "sip_summoned_at",
    "sip_held_at",
    "discharged_at",
)
COLUMNS = (
    "episode_id",
    "patient_id",
    "municipality",
    "placing_municipality",
    "district",
    "care_type",
    "unit",
    "primary_care_unit",
    *TIME_COLUMNS,
    "ready_declarations",
    "sip_needed",
    "status",
    "age",
)
REQUIRED = ("episode_id", "patient_id", "municipality", "care_type", "admitted_at")

_YES_NO = {"true": True, "1": True, "ja": True, "yes": True}
_YES_NO |= {"false": False, "0": False, "nej": False, "no": False}
_DONE = ("UTFÖRD", "UTFORD", "DONE")
_MAX_AGE = 130
# Bounds checked before Polars reads a byte: it sizes its work by the header, and 3 million empty
# columns took gigabytes. A real export has a few dozen columns of short names.
MAX_HEADER_BYTES = 64 * 1024
MAX_COLUMNS = 500
MAX_NAME = 100  # characters of a column name
MAX_CELL = 256  # bytes of a value: ids, names of units; longer is no value of this file
MAX_DECLARATIONS = 1000

_Buffer = bytes | mmap.mmap  # the file's contents

_DATETIME = pl.Datetime("us")
_TEXT_COLUMNS = tuple(name for name in COLUMNS if name not in TIME_COLUMNS)
_ROW = "\x00row"  # Polars' row index while scanning: no header has this name
_SAMPLE = 1000  # rows read first, to pick each time column's layout
_BLOCK = 1 << 22  # bytes counted at a time
# ISO 8601 as spreadsheets and systems write it; `[0-9]`, as `\d` would match other scripts.
_TIME_PATTERN = (
    r"(?i)^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?<hm>[0-9]{2}:[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?"
    r"(?<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$"
)
_LATIN1_HINT = (
    "the file must be UTF-8 (was it saved as Windows-1252/Latin-1? In Excel choose 'CSV UTF-8')"
)


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line in the file; the header is line 1
    column: str | None
    reason: str
    # The reason's template and values, where it has values (domain.refusals): a page says it
    # in its own words from these, the command line and the API print `reason`.
    template: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def refused(cls, line: int, column: str | None, refusal: Refusal) -> RowError:
        return cls(line, column, str(refusal), refusal.template, tuple(refusal.values.items()))

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


class EpisodeFileError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the episode file, the first: {errors[0]}")


@dataclass(frozen=True)
class EpisodeFile:
    frame: pl.DataFrame
    errors: list[RowError]

    @property
    def skipped_rows(self) -> int:
        return len({error.line for error in self.errors})


def read_episodes(
    source: str | Path | bytes | IO[bytes],
    *,
    skip_invalid: bool = False,
    today: date | None = None,
) -> EpisodeFile:
    """Read and validate an episode file; `today` dates the 10-digit personnummer forms."""
    today = today or datetime.now(STOCKHOLM).date()
    if isinstance(source, str | Path):
        path = Path(source)
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                frame, errors = _episodes(b"", b"", today)
            else:
                # Mapped, not read: Polars reads the file itself, the checks only glance at it.
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                    frame, errors = _episodes(data, path, today)
    else:
        contents = source if isinstance(source, bytes) else source.read()
        frame, errors = _episodes(contents, contents, today)
    if errors and not skip_invalid:
        raise EpisodeFileError(errors)
    return EpisodeFile(frame, errors)


def read_episode_texts(texts: pl.DataFrame, *, today: date | None = None) -> EpisodeFile:
    """`read_episodes` of a file's columns already in memory as text (null: empty): the same
    cleaning, parsing and checks, without writing the file and parsing it back (the service's
    stored episodes, a region's year of them: the file's text was a third of the read). An
    invalid row raises as in `read_episodes`; its line is the row's as the file would have it.
    """
    today = today or datetime.now(STOCKHOLM).date()
    rows = texts.lazy().select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias("line"),
        pl.lit(None, dtype=pl.Int64).alias("fields"),
        *(
            pl.col(name).cast(pl.String)
            if name in texts.columns
            else pl.lit(None, dtype=pl.String).alias(name)
            for name in COLUMNS
        ),
    )
    checks = _checks(today)
    fast = _FastPath.of(rows.head(_SAMPLE).collect())
    frame, errors = _validate(_checked(rows, fast, checks, today).collect(), checks)
    if errors:
        raise EpisodeFileError(errors)
    return EpisodeFile(frame, errors)


def _episodes(
    data: _Buffer, source: Path | bytes, today: date
) -> tuple[pl.DataFrame, list[RowError]]:
    separator, header = _header(_first_line(data))
    checks = _checks(today)
    frame = _read(data, source, separator, header, _positions(header), checks, today)
    return _validate(frame, checks)


def _first_line(data: _Buffer) -> bytes:
    """The header line, refused when it is longer than a header can be or ends in a lone CR
    (a classic-Mac file is one long line to every reader)."""
    end = data.find(b"\n", 0, MAX_HEADER_BYTES + 1)
    if end < 0 and len(data) > MAX_HEADER_BYTES:
        reason = f"the header is longer than {MAX_HEADER_BYTES} bytes (or has no line end)"
        raise EpisodeFileError([RowError(1, None, reason)])
    line = bytes(data[: end if end >= 0 else len(data)])
    if b"\r" in line.rstrip(b"\r"):
        reason = "lines end in CR alone (classic Mac): save the file with LF or CRLF line ends"
        raise EpisodeFileError([RowError(1, None, reason)])
    return line


def _header(first_line: bytes) -> tuple[str, list[str]]:
    """The separator (the more frequent of ';' and ',' in the header) and the column names."""
    first = _decode(first_line).rstrip("\r\n")
    separator = ";" if first.count(";") > first.count(",") else ","
    if first.count(separator) >= MAX_COLUMNS:
        raise EpisodeFileError([RowError(1, None, f"more than {MAX_COLUMNS} columns")])
    try:
        names = next(csv.reader([first], delimiter=separator, strict=True), [])
    except csv.Error as error:
        raise EpisodeFileError([RowError(1, None, f"malformed CSV: {error}")]) from None
    errors = [
        RowError(1, f"column {index}", f"a column name longer than {MAX_NAME} characters")
        for index, name in enumerate(names, start=1)
        if len(name) > MAX_NAME
    ]
    if errors:
        raise EpisodeFileError(errors)
    return separator, [name.strip().lower() for name in names]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"byte 0x{data[error.start]:02x} at offset {error.start} is not UTF-8: "
        raise EpisodeFileError([RowError(line, None, reason + _LATIN1_HINT)]) from None


def _positions(header: list[str]) -> dict[str, int]:
    errors = [
        RowError(1, name, f"the column appears {header.count(name)} times")
        for name in COLUMNS
        if header.count(name) > 1
    ]
    errors += [
        RowError(1, name, "missing required column") for name in REQUIRED if name not in header
    ]
    if errors:
        raise EpisodeFileError(errors)
    return {name: header.index(name) for name in COLUMNS if name in header}


def _read(
    data: _Buffer,
    source: Path | bytes,
    separator: str,
    header: list[str],
    positions: dict[str, int],
    checks: list[_Check],
    today: date,
) -> pl.DataFrame:
    """The known columns, cleaned and parsed, with each row's line in the file.

    Polars reads a well-formed file in one pass. What it rejects (too many fields, stray
    quotes, bad UTF-8) goes through Python's more forgiving csv module instead, so the bad rows
    can be reported one by one; that path is slow, but only broken files take it.
    """
    scan = pl.scan_csv(
        source,
        separator=separator,
        infer_schema=False,
        quote_char='"',
        raise_if_empty=False,
        row_index_name=_ROW,
        row_index_offset=2,
    )
    try:
        names = scan.collect_schema().names()[1:]
        if len(names) == len(header):
            rows = scan.select(
                pl.col(_ROW).cast(pl.Int64).alias("line"),
                pl.lit(None, dtype=pl.Int64).alias("fields"),
                *(
                    pl.col(names[positions[name]]).alias(name)
                    if name in positions
                    else pl.lit(None, dtype=pl.String).alias(name)
                    for name in COLUMNS
                ),
            )
            fast = _FastPath.of(rows.head(_SAMPLE).collect())
            frame = _checked(rows, fast, checks, today).collect()
            if b'"' in data and _newlines(data) != frame.height + (data[-1:] == b"\n"):
                # Not one line per record: quoted values span lines.
                frame = frame.with_columns(line=_record_lines(data).gather(frame["line"] - 2))
            return frame
    except pl.exceptions.ComputeError:
        pass
    parsed = _parse_slowly(_decode(data[:]), separator, header, positions)
    return _checked(parsed.lazy(), _FastPath.of(parsed), checks, today).collect()


def _newlines(data: _Buffer) -> int:
    # In blocks: a copy of the whole file at once would hold a byte per byte of it.
    return sum(data[start : start + _BLOCK].count(b"\n") for start in range(0, len(data), _BLOCK))


def _record_lines(data: _Buffer) -> pl.Series:
    """The line each data record starts on, counting the newlines inside quoted values."""
    import numpy as np  # here: only a file with quoted line ends needs it, not every run's start

    # A newline ends a record only outside quotes: after an even number of quote characters.
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(bytes_ == ord("\n"))
    quotes = np.flatnonzero(bytes_ == ord('"'))
    record_ends = np.flatnonzero(np.searchsorted(quotes, newlines) % 2 == 0)
    return pl.Series(record_ends + 2, dtype=pl.Int64)


def _parse_slowly(
    text: str, separator: str, header: list[str], positions: dict[str, int]
) -> pl.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        next(reader, None)
        start = reader.line_num + 1
        for record in reader:
            records.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise EpisodeFileError([RowError(start, None, f"malformed CSV: {error}")]) from None
    width = len(header)
    columns = {
        name: [r[i] if i < len(r) and r[i] != "" else None for r in records]
        if (i := positions.get(name)) is not None
        else [None] * len(records)
        for name in COLUMNS
    }
    return pl.DataFrame(
        {
            "line": lines,
            "fields": [len(r) if len(r) > width else None for r in records],
            **columns,
        },
        schema={"line": pl.Int64, "fields": pl.Int64} | dict.fromkeys(COLUMNS, pl.String),
    )


class _FastPath(NamedTuple):
    """What the first rows say about the file: most rows look like them.

    `layouts`: per time column, the strict format most of its values have; values of another
    shape (offsets, fractions, blanks, garbage) take the general ISO parser. `spellings`: per
    column of a few spellings, what each one seen means; an unseen one takes the general path.
    """

    layouts: dict[str, str | None]
    spellings: dict[str, dict[str, object]]

    @classmethod
    def of(cls, sample: pl.DataFrame) -> _FastPath:
        stripped = sample.select(pl.col(*TIME_COLUMNS, *_SPELLINGS).str.strip_chars())
        return cls(
            {name: _layout(stripped.get_column(name).drop_nulls()) for name in TIME_COLUMNS},
            _spellings(stripped),
        )


def _layout(values: pl.Series) -> str | None:
    layouts = Counter(_layout_of(value) for value in values)
    layouts.pop(None, None)
    return layouts.most_common(1)[0][0] if layouts else None


def _layout_of(value: str) -> str | None:
    separator = value[10:11]
    if len(value) == 10:
        return "%Y-%m-%d"
    if separator in (" ", "T") and len(value) in (16, 19):
        return f"%Y-%m-%d{separator}%H:%M" + (":%S" if len(value) == 19 else "")
    return None


def _checked(
    rows: pl.LazyFrame, fast: _FastPath, checks: list[_Check], today: date
) -> pl.LazyFrame:
    """Every cell cleaned and parsed, and whether the row is `bad`, in one parallel pass.

    Cells become `<name>:raw`: text stripped and null when empty; time cells as written, as the
    fast path reads them so. What the fast path cannot read is `pending` for the general one.
    """
    placing = _raw("placing_municipality")
    cleaned = (
        rows.select(
            "line",
            "fields",
            *(pl.col(name).str.strip_chars().alias(f"{name}:raw") for name in _TEXT_COLUMNS),
            *(pl.col(name).alias(f"{name}:raw") for name in TIME_COLUMNS),
        )
        .with_columns(
            pl.when(_raw(name) != "").then(_raw(name)).name.keep() for name in _TEXT_COLUMNS
        )
        .with_columns(
            *(_fast_time(name, fast.layouts[name]) for name in TIME_COLUMNS),
            *_spelled(fast.spellings),
            pl.coalesce(placing, _raw("municipality")).alias("liable_municipality"),
            # Assumption: a district divides the home municipality (Stockholm's stadsdelsområden),
            # so it says nothing about where a placing municipality is invoiced.
            pl.when(placing.is_null()).then(_raw("district")).alias("liable_district"),
            _raw("ready_declarations").cast(pl.Int64, strict=False).alias("ready_declarations"),
            _raw("age").cast(pl.Int64, strict=False).alias("age"),
            # Across rows, so it waits for the whole file (`_validate`).
            repeated=pl.lit(False),
        )
    )
    unread = [*TIME_COLUMNS, *_SPELLINGS]
    return (
        with_canonical_personal_number(
            cleaned,
            "patient_id:raw",
            today=today,
            alias="patient_id:number",
            invalid="patient_id:invalid",
        )
        .with_columns(
            pending=pl.any_horizontal(
                _raw(name).is_not_null() & pl.col(name).is_null() for name in unread
            ),
        )
        .with_columns(_flagged(checks))
    )


def _flagged(checks: list[_Check]) -> list[pl.Expr]:
    # Spreadsheets leave rows of bare separators behind: they are no episode and no error.
    empty = pl.all_horizontal(_raw(name).is_null() for name in COLUMNS)
    failed = pl.any_horizontal(flag.fill_null(False) for _, flag, _ in checks)
    return [empty.alias("empty"), (failed & ~empty).alias("bad")]


def _fast_time(name: str, layout: str | None) -> pl.Expr:
    if layout is None:
        return pl.lit(None, dtype=_DATETIME).alias(name)
    return _raw(name).str.strptime(_DATETIME, layout, strict=False, cache=False).alias(name)


def _with_slow_paths(frame: pl.DataFrame, checks: list[_Check]) -> pl.DataFrame:
    """The `pending` rows through the general parsers, and checked again."""
    rows = frame.get_column("pending").arg_true()
    if rows.is_empty():
        return frame
    pending = frame[rows]
    for name in TIME_COLUMNS:
        raw, parsed = pending.get_column(f"{name}:raw"), pending.get_column(name)
        unread = (raw.is_not_null() & parsed.is_null()).arg_true()
        text = raw.gather(unread).str.strip_chars()
        pending = pending.with_columns(
            raw.scatter(unread.filter(text == ""), None),
            parsed.scatter(unread, _parse_iso(text)),
        )
    spellings = _spellings(pending.select(_raw(name).alias(name) for name in _SPELLINGS))
    pending = pending.with_columns(_spelled(spellings)).with_columns(_flagged(checks))
    changed = [*(f"{name}:raw" for name in TIME_COLUMNS), *TIME_COLUMNS, *_SPELLINGS]
    return frame.with_columns(
        frame.get_column(name).scatter(rows, pending.get_column(name))
        for name in [*changed, "empty", "bad"]
    )


def _care_type(value: str) -> str | None:
    return SPELLINGS.get(value.lower())


def _yes_no(value: str) -> bool | None:
    return _YES_NO.get(value.lower())


def _status(value: str) -> str:
    # "Ö" may come as O and a combining diaeresis (decomposed, as some exports write it): it looks
    # the same, and unread it excluded every closed contact from Västmanland's count.
    upper = unicodedata.normalize("NFC", value).upper()
    return "done" if upper in _DONE else upper


# Columns of a handful of spellings, read once per spelling instead of once per row.
_SPELLINGS: dict[str, tuple[Callable[[str], object], pl.DataType]] = {
    "care_type": (_care_type, pl.String()),
    "sip_needed": (_yes_no, pl.Boolean()),
    "status": (_status, pl.String()),
}


def _spellings(values: pl.DataFrame) -> dict[str, dict[str, object]]:
    """What each spelling in `values` (stripped cells, a column per name) means."""
    return {
        name: {value: read(value) for value in values.get_column(name).drop_nulls().unique()}
        for name, (read, _) in _SPELLINGS.items()
    }


def _spelled(spellings: dict[str, dict[str, object]]) -> list[pl.Expr]:
    return [
        _raw(name).replace_strict(spellings[name], default=None, return_dtype=dtype).alias(name)
        for name, (_, dtype) in _SPELLINGS.items()
    ]


def _parse_iso(text: pl.Series) -> pl.Series:
    """ISO 8601 with optional seconds, fraction and offset; offsets become Stockholm wall time."""
    parts = text.str.extract_groups(_TIME_PATTERN).struct.unnest()
    offset = pl.col("tz").str.to_uppercase().str.replace(":", "", literal=True)
    hours = offset.str.slice(1, 2).cast(pl.Int64, strict=False)
    minutes = offset.str.slice(3, 2).cast(pl.Int64, strict=False).fill_null(0)
    sign = pl.when(offset.str.starts_with("-")).then(-1).otherwise(1)
    local = (
        pl.concat_str(
            "date",
            pl.lit(" "),
            pl.col("hm").fill_null("00:00"),
            pl.lit(":"),
            pl.col("s").fill_null("00"),
            pl.lit("."),
            pl.col("f").fill_null("").str.pad_end(6, "0").str.slice(0, 6),
        )
        .str.strptime(_DATETIME, "%Y-%m-%d %H:%M:%S%.f", strict=False, cache=False)
        .alias("local")
    )
    utc = pl.col("local") - pl.duration(
        minutes=pl.when(offset == "Z").then(0).otherwise(sign * (hours * 60 + minutes))
    )
    return (
        parts.with_columns(local)
        .select(
            pl.when(offset.is_null())
            .then("local")
            .when((offset == "Z") | ((hours <= 14) & (minutes <= 59)))
            .then(
                utc.dt.replace_time_zone("UTC")
                .dt.convert_time_zone(STOCKHOLM.key)
                .dt.replace_time_zone(None)
            )
        )
        .to_series()
    )


def _validate(frame: pl.DataFrame, checks: list[_Check]) -> tuple[pl.DataFrame, list[RowError]]:
    """The valid rows, and the errors of the others: messages only for the bad rows."""
    frame = _with_slow_paths(frame, checks)
    repeated = _repeated(frame.get_column("episode_id:raw"))
    if repeated.any():
        frame = frame.with_columns(repeated=repeated, bad=pl.col("bad") | repeated)
    if not frame.get_column("bad").any():
        if frame.get_column("empty").any():
            frame = frame.filter(~pl.col("empty"))
        # Lazily: an eager select over the parse's many chunks costs a copy of the frame.
        return frame.lazy().select(_OUTPUT).collect(), []
    bad = frame.filter("bad").with_columns(
        flag.fill_null(False).alias(f"!{i}") for i, (_, flag, _) in enumerate(checks)
    )
    good = frame.select(*_OUTPUT, "bad", "empty").filter(~pl.col("bad") & ~pl.col("empty"))
    return good.drop("bad", "empty"), _errors(bad, frame, checks)


def _repeated(ids: pl.Series) -> pl.Series:
    """The second and later occurrences of each id: the one check across rows.

    Distinct hashes prove there are none at a fifth of the cost of finding them.
    """
    if ids.hash().n_unique() == len(ids):
        return pl.repeat(False, len(ids), eager=True)
    return ids.is_not_null() & ~ids.is_first_distinct()


def _raw(name: str) -> pl.Expr:
    """The cell as written, stripped, null when empty: what messages quote."""
    return pl.col(f"{name}:raw")


_OUTPUT: list[str | pl.Expr] = [
    "line",
    _raw("episode_id").alias("episode_id"),
    pl.coalesce("patient_id:number", _raw("patient_id")).alias("patient_id"),
    *(_raw(name).alias(name) for name in ("municipality", "placing_municipality", "district")),
    "liable_municipality",
    "liable_district",
    "care_type",
    *(_raw(name).alias(name) for name in ("unit", "primary_care_unit")),
    *TIME_COLUMNS,
    pl.coalesce("ready_declarations", pl.col("ready_at").is_not_null().cast(pl.Int64)),
    pl.col("sip_needed").fill_null(False),
    "status",
    "age",
]

_EARLIEST, _AFTER_LATEST = pl.datetime(FIRST_YEAR, 1, 1), pl.datetime(LAST_YEAR + 1, 1, 1)
_Check = tuple[str | None, pl.Expr, pl.Expr]  # column, flag on every row, message for flagged rows


def _checks(today: date) -> list[_Check]:
    """Every check, in the order of the spec's columns; a row may fail several."""
    by_column: dict[str, list[tuple[pl.Expr, pl.Expr]]] = {name: [] for name in COLUMNS}
    for name in REQUIRED:
        by_column[name].append((_raw(name).is_null(), pl.lit("missing required value")))
    for name in _TEXT_COLUMNS:
        by_column[name].append(
            (_raw(name).str.len_bytes() > MAX_CELL, pl.lit(f"longer than {MAX_CELL} bytes"))
        )
    episode_id = _raw("episode_id")
    by_column["episode_id"].append(
        (
            pl.col("repeated"),
            pl.format("duplicate episode_id '{}' (first on line {})", episode_id, "first_line"),
        )
    )
    patient_id = _raw("patient_id")
    by_column["patient_id"].append(
        (
            pl.col("patient_id:invalid"),
            "invalid personnummer or samordningsnummer: "
            + personal_number_errors(patient_id, today),
        )
    )
    for name in ("municipality", "placing_municipality"):
        by_column[name].append(_kommunkod(name))
    by_column["care_type"].append(
        (
            _raw("care_type").is_not_null() & pl.col("care_type").is_null(),
            pl.format(
                "unknown care type '{}' (expected somatic, geriatric or psychiatric)",
                _raw("care_type"),
            ),
        )
    )
    for name in TIME_COLUMNS:
        by_column[name] += [
            (
                _raw(name).is_not_null() & pl.col(name).is_null(),
                pl.format(
                    "unparseable time '{}' (expected YYYY-MM-DD HH:MM)",
                    _raw(name).str.strip_chars(),
                ),
            ),
            (
                (pl.col(name) < _EARLIEST) | (pl.col(name) >= _AFTER_LATEST),
                pl.format(
                    f"a time from {FIRST_YEAR} to {LAST_YEAR}: '{{}}'", _raw(name).str.strip_chars()
                ),
            ),
            (
                nonexistent_local(pl.col(name)),
                pl.format(
                    "time does not exist in Swedish local time (daylight-saving gap): '{}'",
                    _raw(name).str.strip_chars(),
                ),
            ),
        ]
    by_column["ready_at"] += [
        _order("ready_at", "<", "admitted_at", "readiness before admission"),
        _order("ready_at", ">", "discharged_at", "readiness after discharge"),
    ]
    by_column["discharged_at"].append(
        _order("discharged_at", "<", "admitted_at", "discharge before admission")
    )
    declarations = pl.col("ready_declarations")
    by_column["ready_declarations"] += [
        (
            _raw("ready_declarations").is_not_null()
            & (declarations.is_null() | (declarations < 0) | (declarations > MAX_DECLARATIONS)),
            pl.format(
                f"not a whole number from 0 to {MAX_DECLARATIONS}: '{{}}'",
                _raw("ready_declarations"),
            ),
        ),
        (
            pl.col("ready_at").is_not_null() & (declarations == 0),
            pl.lit("must be at least 1 when ready_at is set"),
        ),
    ]
    by_column["sip_needed"].append(
        (
            _raw("sip_needed").is_not_null() & pl.col("sip_needed").is_null(),
            pl.format("not a yes/no value: '{}' (expected true or false)", _raw("sip_needed")),
        )
    )
    age = pl.col("age")
    by_column["age"].append(
        (
            _raw("age").is_not_null() & (age.is_null() | (age < 0) | (age > _MAX_AGE)),
            pl.format(f"not an age (a whole number 0–{_MAX_AGE}): '{{}}'", _raw("age")),
        )
    )
    fields = pl.col("fields")
    ragged = pl.format("{} fields, more than the header has (an unquoted separator?)", fields)
    return [(None, fields.is_not_null(), ragged)] + [
        (column, flag, message) for column, checks in by_column.items() for flag, message in checks
    ]


def _kommunkod(name: str) -> tuple[pl.Expr, pl.Expr]:
    code = _raw(name)
    codes = sorted(MUNICIPALITY_CODES)
    # Excel turns 0180 into 180: say so, rather than guess.
    hint = (
        pl.when(("0" + code).is_in(codes))
        .then(pl.format(" (the leading zero lost? '0{}')", code))
        .otherwise(pl.lit(" (not one of the 290 municipality codes)"))
    )
    return code.is_not_null() & ~code.is_in(codes), pl.format("invalid kommunkod '{}'", code) + hint


def _order(name: str, wrong: str, other: str, reason: str) -> tuple[pl.Expr, pl.Expr]:
    left, right = pl.col(name), pl.col(other)
    flag = left < right if wrong == "<" else left > right
    return flag, pl.format(
        f"{reason} ({{}} {wrong} {other} {{}})",
        left.dt.to_string("%Y-%m-%d %H:%M"),
        right.dt.to_string("%Y-%m-%d %H:%M"),
    )


def _errors(bad: pl.DataFrame, frame: pl.DataFrame, checks: list[_Check]) -> list[RowError]:
    duplicated = bad.get_column("episode_id:raw").drop_nulls().unique()
    first_lines = (
        frame.filter(_raw("episode_id").is_in(duplicated.implode()))
        .group_by("episode_id:raw")
        .agg(first_line=pl.col("line").min())
    )
    bad = bad.join(first_lines, on="episode_id:raw", how="left")
    found: list[tuple[int, int, RowError]] = []
    for order, (column, _, message) in enumerate(checks):
        rows = bad.filter(pl.col(f"!{order}")).select("line", message)
        found += [(line, order, RowError(line, column, text)) for line, text in rows.iter_rows()]
    return [error for _, _, error in sorted(found, key=lambda item: item[:2])]
