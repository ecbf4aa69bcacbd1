"""The invoice basis as CSV, JSON and XLSX, written from the engine's frames.

A national year has 1.5 million lines, so every file is built by Polars from `PaymentResult`'s
frames, never as one Python object per line. The shapes are the command line's contract
(issue #2): decimals are strings with two decimals (never floats), whole kronor are numbers and
öre the two-decimal string "8200.50", exact from the engine's integers. Text that a spreadsheet
would run as a formula is neutralised in CSV and XLSX. Each invoice lists its assumptions
(payment-rules.md): a JSON list, one cell of sentences joined by ASSUMPTION_SEPARATOR in CSV and
XLSX; the document lists every one of them once.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import polars as pl

from utskrivning.domain.documents import NUMBER_FORMATS, safe_cell, safe_frame
from utskrivning.domain.payment import Invoice, PaymentResult
from utskrivning.domain.payment.invoices import UNIT
from utskrivning.domain.texts import row_pieces
from utskrivning.domain.xlsx import SHEET_ROWS, Lead, Sheet, write_workbook

INVOICE_COLUMNS = [
    "municipality", "district", "month", "group", "model", "stage", "counted_episodes",
    "ready_days", "average_days", "threshold_days", "liable", "reason", "billable_days",
    "day_rate_sek", "amount_sek", "excluded_episodes", "not_liable_episodes", "missing_ready_at",
    "assumptions",
]  # fmt: skip
LINE_COLUMNS = ["episode_id", "line", "care_type", "ready_days", "basis", "billable_days",
                "amount_sek", "reason", "day_one_moved_by", "day_one_moved_days"]  # fmt: skip
# The columns' names in the XLSX, for the people who open it (the CSV's and JSON's names are the
# contract other systems read); the service's workbook (payment/export.py) names its alike.
HEADERS = {
    "municipality": "Kommun", "district": "Stadsdel", "month": "Månad", "group": "Grupp",
    "model": "Modell", "stage": "Etapp", "counted_episodes": "Räknade vårdtillfällen",
    "ready_days": "Utskrivningsklara dagar", "average_days": "Medelvärde (dagar)",
    "threshold_days": "Gräns (dagar)", "liable": "Betalningsansvar", "reason": "Skäl",
    "billable_days": "Fakturerbara dagar", "day_rate_sek": "Dygnskostnad (kr)",
    "amount_sek": "Belopp (kr)", "excluded_episodes": "Uteslutna vårdtillfällen",
    "not_liable_episodes": "Vårdtillfällen utan betalningsansvar",
    "missing_ready_at": "Saknar tid för utskrivningsklar", "assumptions": "Antaganden",
    "episode_id": "Vårdtillfälle", "line": "Rad i episodfilen", "care_type": "Vårdform",
    "basis": "Grund", "day_one_moved_by": "Dag 1 flyttad av",
    "day_one_moved_days": "Dag 1 flyttad (dagar)",
}  # fmt: skip
# Each numeric column's format: a municipality sums and filters the cells (issue #16).
_NUMBERS = {
    **dict.fromkeys(["counted_episodes", "ready_days", "excluded_episodes",
                     "not_liable_episodes", "missing_ready_at", "line",
                     "day_one_moved_days"], NUMBER_FORMATS["int"]),
    **dict.fromkeys(["average_days", "threshold_days", "billable_days"], NUMBER_FORMATS["days"]),
    **dict.fromkeys(["day_rate_sek", "amount_sek"], NUMBER_FORMATS["kr"]),
}  # fmt: skip
ASSUMPTION_SEPARATOR = " | "
_CSV_QUOTED = r'^$|[,"\r\n]'  # a text that is empty or holds one of these is quoted
_JSON_ESCAPED = r'[\x00-\x1f"\\]'  # a text holding one of these is escaped
KEY_COLUMNS = ["municipality", "district", "month", "group"]
# Kronor: a number when whole, the two-decimal string when it has öre.
_MONEY = {"day_rate_sek", "amount_sek"}
# The line columns a person typed (the episode file's id and district); the others are validated
# codes (municipality, care type), the rulebook's names and the engine's own words and numbers,
# none of which can start a formula (tests/domain/payment/test_export.py holds every cell to
# `safe_cell`).
TYPED_LINE_COLUMNS = ("episode_id", "district")
# The line columns that repeat from line to line (some three thousand combinations in a national
# year): their text is made once per combination (texts.py). The id and line number do not.
REPEATED_LINE_COLUMNS = ("care_type", "ready_days", "basis", "billable_days", "amount_sek",
                         "reason", "day_one_moved_by", "day_one_moved_days")  # fmt: skip


def _two_places(hundredths: pl.Expr) -> pl.Expr:
    """123 → "1.23", exact: the engine keeps days and averages in hundredths."""
    sign = pl.when(hundredths < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    cents = (hundredths.abs() % 100).cast(pl.String).str.zfill(2)
    return pl.format("{}{}.{}", sign, hundredths.abs() // 100, cents)


def _kronor(ore: pl.Expr) -> pl.Expr:
    return pl.when(ore % 100 == 0).then((ore // 100).cast(pl.String)).otherwise(_two_places(ore))


# The invoice's keys (KEY_COLUMNS) from the engine's columns: they lead each invoice's row and,
# in the XLSX, each of its lines'.
_KEYS_SHOWN = [
    pl.col("liable_municipality").alias("municipality"),
    pl.col("liable_district").alias("district"),
    pl.col("month"),
    pl.col("rule_group").alias("group"),
]


def invoice_rows(result: PaymentResult) -> pl.DataFrame:
    """One row per invoice in INVOICE_COLUMNS, each value as the files show it."""
    counted = pl.col("counted_episodes").cast(pl.Int64)
    days = pl.col("ready_days").fill_null(0)
    # Half up, once, from the exact sum (payment-rules.md "average"); never negative.
    average = pl.when(counted > 0).then((days * 200 + counted) // (2 * counted))
    return result.invoice_frame.select(
        *_KEYS_SHOWN, "model", "stage", "counted_episodes", "ready_days",
        average_days=_two_places(average),
        threshold_days=_two_places(pl.col("threshold_c")),
        liable=pl.col("liable"),
        reason=pl.Series(result.reasons(), dtype=pl.String),
        billable_days=_two_places(pl.col("billable_c")),
        day_rate_sek=_kronor(pl.col("rate_ore")),
        amount_sek=pl.col("amount_sek"),
        excluded_episodes=pl.col("excluded_episodes"),
        not_liable_episodes=pl.col("not_liable_episodes"),
        missing_ready_at=pl.col("missing_ready_at"),
        assumptions=pl.col("assumptions"),
    )  # fmt: skip


@dataclass(frozen=True)
class _Order:
    """The lines as written: in the invoices' order, by id within. `rows` are their rows of
    `line_frame` and `invoices` their invoices' rows of `invoice_frame`, in that order."""

    rows: pl.Series
    invoices: pl.Series

    @property
    def first(self) -> pl.Series:
        """Whether each line, in that order, is its invoice's first."""
        return (self.invoices != self.invoices.shift(1)).fill_null(True)


# The invoice's keys in `invoice_frame`'s order (KEYS): the month as the engine's integer, which
# sorts as its "YYYY-MM" does and costs nothing to rank.
_ORDER_KEYS = [*UNIT, "month_key"]
# Up to this many distinct values a key is ranked by a binary search among them, above it by a
# hash (a cast to Enum): on a national year's lines, the search took a third of the hash's time for
# a month or a district, the hash half the search's for some three hundred municipalities.
_SEARCHED_VALUES = 64


def _rank(name: str, known: pl.Series, dtype: type[pl.DataType]) -> pl.Expr:
    """A key's rank among the invoices' values of it, from 1; null (no district) is 0."""
    column = pl.col(name)
    if known.dtype == pl.String and known.len() > _SEARCHED_VALUES:
        return (column.cast(pl.Enum(known)).to_physical().cast(dtype) + 1).fill_null(0)
    found = pl.lit(known).search_sorted(column).cast(dtype) + 1
    return pl.when(column.is_null()).then(pl.lit(0, dtype)).otherwise(found)


def _invoice_key(frame: pl.DataFrame, invoices: pl.DataFrame) -> pl.Series:
    """Each row's invoice as one integer that sorts as `invoice_frame` is sorted (KEYS, nulls
    first): each key's rank among the invoices' values, in mixed radix. Joining a national
    year's 1.5 million lines to the invoices on the four texts cost twice this and the sort."""
    values = [invoices.get_column(name).drop_nulls().unique().sort() for name in _ORDER_KEYS]
    # Four ranks each below 2**31 always fit in 128 bits; in practice they fit in 64.
    dtype = pl.UInt64 if math.prod(len(v) + 1 for v in values) < 2**64 else pl.Int128
    key = pl.lit(0, dtype)
    for name, known in zip(_ORDER_KEYS, values, strict=True):
        key = key * (len(known) + 1) + _rank(name, known, dtype)
    return frame.select(key).to_series()


def _line_order(result: PaymentResult) -> _Order:
    """One sort of the invoice's key when the ids already rise in the file's order (a national
    file's do), else of the key and the id."""
    lines, invoices = result.line_frame, result.invoice_frame
    keys = _invoice_key(lines, invoices)
    by = pl.DataFrame([keys.alias("invoice"), lines.get_column("episode_id")])
    if lines.get_column("episode_id").is_sorted():
        by = by.drop("episode_id")
    rows = by.select(pl.arg_sort_by(by.columns, maintain_order=True)).to_series()
    return _Order(rows, _invoice_key(invoices, invoices).search_sorted(keys.gather(rows)))


def _line_fields(result: PaymentResult) -> pl.DataFrame:
    """LINE_COLUMNS in `line_frame`'s order: judged there, in the order the file was read, and
    only then put in order (1.5 million ids scattered by the sort took four times as long to
    judge). The days and the amount are as the engine holds them, whole days and öre, until
    `_line_shown` makes their text once per combination of the repeated columns."""
    return result.line_frame.select(
        "episode_id", "line", "care_type", "ready_days", "basis", "billable_days",
        amount_sek=pl.col("amount_ore").fill_null(0),
        reason=pl.col("reason"),
        day_one_moved_by=pl.col("day_one_moved_by"),
        day_one_moved_days=pl.col("day_one_moved_days"),
    )  # fmt: skip


def _line_shown(fields: pl.DataFrame) -> pl.DataFrame:
    """`_line_fields`' days and amount as the files show them: "3", "8200" or "8200.50". Made for
    a national year's three thousand combinations, not its 1.5 million lines: made per line, and
    the combinations then found on those strings, it cost the XLSX a tenth of a second more."""
    return fields.with_columns(
        billable_days=pl.col("billable_days").cast(pl.String),
        amount_sek=_kronor(pl.col("amount_sek")),
    )


def _invoice_keys(result: PaymentResult) -> pl.DataFrame:
    """Each invoice's keys (KEY_COLUMNS) as spreadsheet cells: they lead its lines' rows."""
    return _cells(result.invoice_frame.select(_KEYS_SHOWN), TYPED_LINE_COLUMNS)


# A reader's words for the engine's codes and sentences, by column (`lib.payment_words`): a
# workbook is for a person, whose language the files other systems read need not be.
Words = Mapping[str, Mapping[str, str]]


def _worded(frame: pl.DataFrame, words: Words) -> pl.DataFrame:
    """`frame` with each column's codes and sentences in `words` (a text it lacks stays as it
    is): one replace over a column, from a few hundred texts, not a Python call per line. A
    yes-or-no column's words are those of "true" and "false", as the JSON writes it; worded, it
    is text ("ja"), no longer the spreadsheet's TRUE/FALSE."""

    def worded(name: str, mapping: Mapping[str, str]) -> pl.Expr:
        column, dtype = pl.col(name), frame.schema[name]
        if dtype == pl.List(pl.String):
            return column.list.eval(pl.element().replace(mapping))
        if dtype == pl.Boolean:
            return column.replace_strict(
                {True: mapping["true"], False: mapping["false"]}, return_dtype=pl.String
            )
        return column.replace(mapping)

    return frame.with_columns(
        worded(name, mapping) for name, mapping in words.items() if name in frame.columns
    )


def _cells(frame: pl.DataFrame, typed: Iterable[str] | None = None) -> pl.DataFrame:
    """The frame as spreadsheet cells: lists joined into one text, formula-safe: every text, or
    the `typed` columns (a person's text) where the others are the engine's words and codes."""
    return safe_frame(
        frame.with_columns(
            pl.when(pl.col(name).list.len() > 0).then(pl.col(name).list.join(ASSUMPTION_SEPARATOR))
            for name, dtype in frame.schema.items()
            if dtype == pl.List(pl.String)
        ),
        typed,
    )


def _csv_field(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A column's cells as Polars' CSV writer writes them, for that writer to put out unquoted: a
    text in quotes, inner quotes doubled, when it holds a separator, a quote or a line end; the
    empty text as "", null as nothing. Judging every cell is what made the writer slow; a column
    needing none of it (on a national file, every one) is left as it is, after one pass."""
    column = pl.col(name)
    if frame.schema[name] != pl.String:  # a number: the writer's own, unless null
        return (
            column
            if frame.get_column(name).null_count() == 0
            else column.cast(pl.String).fill_null("")
        )
    if not frame.get_column(name).str.contains(_CSV_QUOTED).any():
        return column.fill_null("")
    quoted = pl.format('"{}"', column.str.replace_all('"', '""', literal=True))
    return pl.when(column.str.contains(_CSV_QUOTED)).then(quoted).otherwise(column).fill_null("")


def _csv_heads(result: PaymentResult) -> pl.Series:
    """Each invoice's fields as the text that leads its lines: first the text of every invoice's
    first line, then of its other lines, which leave the assumptions out (repeated on each of a
    national year's 1.5 million lines they tripled the file)."""
    # `liable` as Python's csv module wrote it (True/False), not Polars' true/false.
    invoices = _cells(invoice_rows(result)).with_columns(
        liable=pl.col("liable").replace_strict(
            {True: "True", False: "False"}, return_dtype=pl.String
        )
    )
    fields = invoices.select(_csv_field(invoices, name) for name in INVOICE_COLUMNS)
    first = fields.select(pl.concat_str(INVOICE_COLUMNS, separator=","))
    others = fields.select(pl.concat_str([*INVOICE_COLUMNS[:-1], pl.lit("")], separator=","))
    return pl.concat([first, others], rechunk=True).to_series()  # gathered from one chunk: fast


def write_csv(result: PaymentResult, target: Path | IO[bytes]) -> None:
    """One row per invoice line, led by its invoice's columns: the basis a spreadsheet sorts.

    Byte for byte what Polars' writer made of one frame of all the columns; but the invoice's
    fields are made into text once per invoice, not once per line, and the writer copies the
    texts, quoted where needed, without judging each again.
    """
    fields = _cells(_line_fields(result), TYPED_LINE_COLUMNS)
    pieces = row_pieces(fields, _csv_field, REPEATED_LINE_COLUMNS, ",", _line_shown)
    order = _line_order(result)
    lines = fields.select(pieces)[order.rows]
    number = order.invoices
    later = (~order.first).cast(pl.UInt32)
    heads = _csv_heads(result).gather(number + later * result.invoice_frame.height)
    header = ",".join([*INVOICE_COLUMNS, *(f"line_{c}" for c in LINE_COLUMNS)])
    with _binary(target) as out:
        out.write(f"{header}\n".encode())
        lines.insert_column(0, heads.alias("head")).write_csv(
            out, include_header=False, quote_style="never"
        )


def to_csv(result: PaymentResult) -> str:
    out = io.BytesIO()
    write_csv(result, out)
    return out.getvalue().decode()


def _json_escaped(text: pl.Expr) -> pl.Expr:
    """As `json.dumps(..., ensure_ascii=False)` writes a string's inside."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
               "\f": "\\f"}  # fmt: skip
    escapes |= {chr(c): f"\\u{c:04x}" for c in range(0x20) if chr(c) not in escapes}
    return text.str.replace_many(escapes)


def _json_string(text: pl.Expr, escaped: bool = True) -> pl.Expr:
    return pl.format('"{}"', _json_escaped(text) if escaped else text)


def _json_value(frame: pl.DataFrame, name: str, depth: int) -> pl.Expr:
    column, dtype = pl.col(name), frame.schema[name]
    if dtype == pl.List(pl.String):  # one string a line, one level in
        inner = f",\n{' ' * (depth + 1)}"
        items = column.list.eval(_json_string(pl.element())).list.join(inner)
        text = (
            pl.when(column.list.len() == 0)
            .then(pl.lit("[]"))
            .otherwise(pl.format(f"[\n{' ' * (depth + 1)}{{}}\n{' ' * depth}]", items))
        )
    elif dtype == pl.String:
        # Escaping costs a pass per text; a national year's 1.5 million ids need none.
        escaped = frame.get_column(name).str.contains(_JSON_ESCAPED).any()
        text = _json_string(column, escaped)
        if name in _MONEY:
            text = pl.when(column.str.contains("^[0-9]+$")).then(column).otherwise(text)
    elif dtype == pl.Boolean:
        text = pl.when(column).then(pl.lit("true")).when(~column).then(pl.lit("false"))
    else:
        text = column.cast(pl.String)
    return text.fill_null(pl.lit("null"))


def _json_member(frame: pl.DataFrame, name: str, depth: int) -> pl.Expr:
    """A column as one JSON object's member, indented as `json.dumps(indent=1)` indents it."""
    separator = "," if frame.columns.index(name) else ""
    return pl.concat_str(
        pl.lit(f"{separator}\n{' ' * depth}{json.dumps(name)}: "), _json_value(frame, name, depth)
    )


@contextmanager
def _binary(target: Path | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(target, Path):
        with target.open("wb") as handle:
            yield handle
    else:
        yield target


def _json_line_member(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A line's member on a line of its own, as `json.dumps(indent=1)` indents it five deep, with
    the comma that follows it (none after the last)."""
    comma = "" if name == LINE_COLUMNS[-1] else ","
    return pl.concat_str(
        pl.lit(f"{' ' * 5}{json.dumps(name)}: "), _json_value(frame, name, 5), pl.lit(comma)
    ).alias(name)


def write_json(result: PaymentResult, target: Path | IO[bytes]) -> None:
    """The invoices with their lines, byte for byte as `json.dumps(document, indent=1)` would.

    Polars' CSV writer writes the lines, a row per line and a column per run of its members,
    unquoted, with a line end as the separator: every member starts a line of its own, so that
    separator is the one the document has there. A line's members are made in the order the
    engine holds the lines and only then put in order, and the whole line is never joined into
    one text (building each national line's 300 characters at once, over ids scattered by the
    sort, took half a second). Its invoice's opening goes before its first line, the invoice's
    closing after its last: the 1.5 million lines never become Python objects.
    """
    document = {
        "rulebook": result.rulebook.id,
        "invoices": [],
        "skipped_rows": result.skipped_rows,
        "assumptions": result.assumptions(),
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    invoices = invoice_rows(result)
    with _binary(target) as out:
        if invoices.height == 0:
            out.write(f"{text}\n".encode())
            return
        head, _, tail = text.partition('"invoices": []')
        members = [_json_member(invoices, name, 3) for name in invoices.columns]
        opening = [pl.lit("  {"), *members, pl.lit(',\n   "lines": [\n')]
        openings = invoices.select(pl.concat_str(opening)).to_series()
        fields = _line_fields(result)
        pieces = row_pieces(fields, _json_line_member, REPEATED_LINE_COLUMNS, "\n", _line_shown)
        order = _line_order(result)
        number = order.invoices
        first, final = order.first, (number != number.shift(-1)).fill_null(True)
        # Each line opens and closes with one of a few texts, gathered, never built per line: its
        # invoice's opening before its first line (the document's head before the very first).
        opens = pl.concat(
            [
                pl.Series(["    {"]),
                (openings + "    {").scatter(0, f'{head}"invoices": [\n{openings[0]}    {{'),
            ]
        )
        closes = pl.Series(["    },", "    }\n   ]\n  },", f"    }}\n   ]\n  }}\n ]{tail}"])
        last = number == invoices.height - 1
        edges = pl.select(
            opening=pl.lit(opens).gather(pl.when(first).then(number + 1).otherwise(0)),
            closing=pl.lit(closes).gather(pl.when(~final).then(0).when(last).then(2).otherwise(1)),
        )
        lines = fields.select(pieces)[order.rows]
        lines.insert_column(0, edges.get_column("opening"))
        lines.insert_column(lines.width, edges.get_column("closing"))
        lines.write_csv(out, include_header=False, quote_style="never", separator="\n")


def to_json_dict(result: PaymentResult) -> dict[str, Any]:
    """The JSON document read back: for tests and small results."""
    out = io.BytesIO()
    write_json(result, out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def write_xlsx(
    result: PaymentResult,
    target: Path | IO[bytes],
    *,
    sheet_rows: int = SHEET_ROWS,
    words: Words | None = None,
) -> list[str]:
    """The invoices (Fakturaunderlag) and one row per episode line (Rader, continued on "Rader 2"
    and on when a sheet is full), the engine's codes and sentences in `words` where it has them.
    Returns the names of the sheets."""
    words = words or {}
    order = _line_order(result)
    return write_workbook(
        target,
        [
            Sheet(
                "Fakturaunderlag", _cells(_worded(invoice_rows(result), words)), _NUMBERS, HEADERS
            ),
            # The lines' words are the sheet's shared strings, made once per distinct text: a
            # replace over a national year's 1.5 million lines cost a fifth of a second. Each
            # line's invoice's keys lead its row, made once per invoice.
            Sheet(
                "Rader",
                _cells(_line_fields(result), TYPED_LINE_COLUMNS),
                _NUMBERS,
                HEADERS,
                words,
                repeated=REPEATED_LINE_COLUMNS,
                shown=_line_shown,
                order=order.rows,
                lead=Lead(_invoice_keys(result), order.invoices),
            ),
        ],
        sheet_rows=sheet_rows,
    )


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _money(value: Decimal | None) -> int | str | None:
    """Whole kronor as a JSON number (the contract's `8200`), öre as a two-decimal string."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else f"{value:.2f}"


def invoice_dict(invoice: Invoice) -> dict[str, Any]:
    """One invoice object as the JSON has it: for the documents people read, a few invoices."""
    data = asdict(invoice)
    for name in ("average_days", "threshold_days", "billable_days"):
        data[name] = _decimal(data[name])
    data["day_rate_sek"] = _money(invoice.day_rate_sek)
    data["assumptions"] = list(invoice.assumptions)
    data["lines"] = [
        {
            **asdict(line),
            "basis": str(line.basis),
            "billable_days": str(line.billable_days),
            "amount_sek": _money(line.amount_sek),
        }
        for line in invoice.lines
    ]
    return data


def invoice_cells(invoice: dict[str, Any]) -> list[Any]:
    """An `invoice_dict` as spreadsheet cells: safe text, the assumptions in one cell."""
    cells = [invoice[c] for c in INVOICE_COLUMNS]
    return [safe_cell(ASSUMPTION_SEPARATOR.join(v) if isinstance(v, list) else v) for v in cells]
