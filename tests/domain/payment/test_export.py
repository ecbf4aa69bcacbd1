"""The files written from the frames say what the invoice objects say, byte for byte.

The reference is the object path the files were written from before (one `Invoice` and one
`InvoiceLine` per line, `json.dumps`, the `csv` module), kept here as the oracle: a demo year
with Stockholm's districts, a day rate with öre, and episode ids that quote, escape, run as a
formula or hold a control character (Excel's own escapes: tests/lib/test_xlsx.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import polars as pl
import pytest

from utskrivning.domain.demo import generate_episodes
from utskrivning.domain.documents import safe_cell
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.municipalities import municipality_name
from utskrivning.domain.payment import PaymentResult, compute_payment, export
from utskrivning.domain.payment.export import (
    HEADERS,
    INVOICE_COLUMNS,
    LINE_COLUMNS,
    _invoice_key,
    invoice_cells,
    invoice_dict,
    to_csv,
    write_json,
    write_xlsx,
)
from utskrivning.domain.payment.invoices import UNIT
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.lib.payment_words import workbook_words
from utskrivning.lib.swedish import swedish

ODD_IDS = ['=HYPERLINK("x")', "+1", "-2", "@S", "a,b", 'q"uote', "ünïcödé", "back\\slash",
           "tab\tin", "lt<gt>&amp", "ctl\x01x", "new\nline", "[bold]id[/]"]  # fmt: skip
DISTRICTS = ["", "Norrmalm", "=1+2", "@x"]  # a person types a district too
_HEADER = "episode_id,patient_id,municipality,district,care_type,admitted_at,ready_at,discharged_at,status\n"  # noqa: E501


def _odd_file() -> bytes:
    rows = [
        '"{}",19121212-1212,0180,{},somatic,2020-03-01 10:00,2020-03-02 10:00,2020-03-{:02} 10:00,'
        "done".format(episode_id.replace('"', '""'), DISTRICTS[n % 4], 3 + n % 9)
        for n, episode_id in enumerate(ODD_IDS)
    ]
    return (_HEADER + "\n".join(rows) + "\n").encode()


def _demo_file() -> bytes:
    municipalities = ["0180", "2080", "2081", "1980"]
    return generate_episodes(2000, 2020, seed=4, municipalities=municipalities).write_csv().encode()


CASES = {
    "dalarna": (_demo_file, "dalarna-2020", None),
    "stockholm-ore": (_demo_file, "stockholm-2020", Decimal("8200.50")),
    "vastmanland": (_demo_file, "vastmanland-2019", None),
    "odd-ids": (_odd_file, "stockholm-2020", Decimal("7777.77")),
}


@pytest.fixture(scope="module", params=list(CASES))
def result(request: pytest.FixtureRequest) -> PaymentResult:
    make, rulebook, rate = CASES[request.param]
    episodes = read_episodes(make(), skip_invalid=True)
    return compute_payment(
        episodes.frame, load_rulebook(rulebook), day_rate=rate, skipped_rows=episodes.skipped_rows
    )


def _reference(result: PaymentResult) -> dict[str, Any]:
    """The document as the object path built it; an invoice's lines last, after its
    assumptions."""
    invoices = []
    for invoice in result.invoices():
        data = invoice_dict(invoice)
        data["lines"] = data.pop("lines")
        invoices.append(data)
    return {"rulebook": result.rulebook.id, "invoices": invoices,
            "skipped_rows": result.skipped_rows, "assumptions": result.assumptions()}  # fmt: skip


def _number(name: str, value: Any) -> Any:
    """A cell of a numeric column as a spreadsheet reads it: the JSON's decimal strings
    ("2.45", öre "8200.50") are numbers there, not text."""
    if name in export._NUMBERS and isinstance(value, str) and re.fullmatch(r"-?[0-9.]+", value):
        return float(value) if "." in value else int(value)
    return value


def _reference_rows(result: PaymentResult) -> tuple[list[list[Any]], list[list[Any]]]:
    """Invoice rows and line rows (led by their invoice's keys), formula-safe."""
    invoices, lines = [], []
    for invoice in _reference(result)["invoices"]:
        cells = zip(INVOICE_COLUMNS, invoice_cells(invoice), strict=True)
        invoices.append([None if cell == "" else _number(name, cell) for name, cell in cells])
        keys = [safe_cell(invoice[k]) for k in ("municipality", "district", "month", "group")]
        lines += [
            [*keys, *(_number(c, safe_cell(line[c])) for c in LINE_COLUMNS)]
            for line in invoice["lines"]
        ]
    return invoices, lines


def test_there_is_something_to_compare(result: PaymentResult) -> None:
    assert result.line_frame.height > 10
    assert result.invoice_frame.height > 1


def test_json_is_what_json_dumps_wrote_from_the_objects(result: PaymentResult) -> None:
    out = io.BytesIO()
    write_json(result, out)
    expected = json.dumps(_reference(result), ensure_ascii=False, indent=1) + "\n"
    assert out.getvalue().decode() == expected


def test_csv_is_what_the_csv_module_wrote_from_the_objects(result: PaymentResult) -> None:
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow([*INVOICE_COLUMNS, *(f"line_{c}" for c in LINE_COLUMNS)])
    assert INVOICE_COLUMNS[-1] == "assumptions"
    for invoice in _reference(result)["invoices"]:
        head = invoice_cells(invoice)
        for n, line in enumerate(invoice["lines"]):
            # The assumptions once per invoice, on its first line (not 1.5 million times).
            cells = head if n == 0 else [*head[:-1], None]
            writer.writerow([*cells, *(safe_cell(line[c]) for c in LINE_COLUMNS)])
    assert to_csv(result) == expected.getvalue()


def _excel(value: Any) -> Any:
    """A cell's text as Excel reads it: `_xHHHH_` is the character (openpyxl leaves it)."""
    if not isinstance(value, str):
        return value
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _sheet_values(sheet: Any, columns: int | None = None) -> list[list[Any]]:
    rows = sheet.iter_rows(min_row=2, max_col=columns)
    return [[_excel(cell.value) for cell in row] for row in rows]


def test_xlsx_cells_are_the_objects_values(result: PaymentResult) -> None:
    out = io.BytesIO()
    assert write_xlsx(result, out) == ["Fakturaunderlag", "Rader"]
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    invoices, lines = _reference_rows(result)
    assert _sheet_values(book["Fakturaunderlag"]) == invoices
    assert _sheet_values(book["Rader"]) == lines
    header = [cell.value for cell in book["Rader"][1]]
    assert header == [HEADERS[c] for c in ["municipality", "district", "month", "group",
                                           *LINE_COLUMNS]]  # fmt: skip
    assert book["Rader"].freeze_panes == "A2"
    assert book["Rader"]["A1"].font.b


def test_xlsx_is_for_a_person_swedish_headers_and_formatted_numbers(
    result: PaymentResult,
) -> None:
    """Issue #16: "XLSX: numbers as numeric cells with formats, Swedish headers". Every numeric
    cell has a number format (kronor with "kr", days with two decimals), no decimal is left as
    text, and no header is a column name of the CSV's contract."""
    out = io.BytesIO()
    write_xlsx(result, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    for sheet, columns in (("Fakturaunderlag", INVOICE_COLUMNS),
                           ("Rader", [*export.KEY_COLUMNS, *LINE_COLUMNS])):  # fmt: skip
        header = [cell.value for cell in book[sheet][1]]
        assert not set(header) & {*INVOICE_COLUMNS, *LINE_COLUMNS}
        assert "Belopp (kr)" in header and "Utskrivningsklara dagar" in header
        for row in book[sheet].iter_rows(min_row=2):
            for name, cell in zip(columns, row, strict=True):
                if isinstance(cell.value, bool):
                    continue
                if isinstance(cell.value, int | float):
                    assert cell.number_format != "General", (sheet, name, cell.value)
                    assert ("kr" in cell.number_format) == name.endswith("_sek")
                elif name in export._NUMBERS:
                    assert cell.value is None, (sheet, name, cell.value)


def test_with_the_command_s_words_a_municipality_is_named_and_liability_is_ja_or_nej(
    result: PaymentResult,
) -> None:
    """The command's workbook is for a person: Kommun reads "Västerås (1980)" on both sheets and
    Betalningsansvar "ja" or "nej" (as the service's workbook), where they read 1980 and
    TRUE/FALSE (SANT/FALSKT in a Swedish Excel). Each name is one shared string, made once for
    all the lines that have it."""
    out = io.BytesIO()
    write_xlsx(result, out, words=workbook_words(result, swedish))
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    invoices, lines = _reference_rows(result)

    def named(code: str) -> str:
        return f"{municipality_name(code)} ({code})"

    kommun, liable = INVOICE_COLUMNS.index("municipality"), INVOICE_COLUMNS.index("liable")
    rows = _sheet_values(book["Fakturaunderlag"])
    assert [row[kommun] for row in rows] == [named(invoice[kommun]) for invoice in invoices]
    assert [row[liable] for row in rows] == ["ja" if i[liable] else "nej" for i in invoices]
    assert [row[0] for row in _sheet_values(book["Rader"])] == [named(line[0]) for line in lines]
    strings = zipfile.ZipFile(out).read("xl/sharedStrings.xml").decode()
    assert all(strings.count(f">{named(code)}<") == 1 for code in {line[0] for line in lines})


def test_an_xlsx_longer_than_a_sheet_goes_on_over_further_sheets(result: PaymentResult) -> None:
    """With room for a few lines a sheet, every line is still there, in order, and the first
    sheet says on which sheets they are. The room is a third of the invoices (four lines at
    least): both tables go on over several sheets, a few dozen rather than the five hundred
    that four lines a sheet made of a demo year, each of which openpyxl reads slowly."""
    invoices, lines = _reference_rows(result)
    sheet_rows = max(5, len(invoices) // 3 + 1)  # a header and the lines
    out = io.BytesIO()
    names = write_xlsx(result, out, sheet_rows=sheet_rows)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == names
    line_sheets = [n for n in names if n == "Rader" or n.startswith("Rader ")]
    assert line_sheets == ["Rader", *(f"Rader {n}" for n in range(2, len(line_sheets) + 1))]
    assert len(line_sheets) == -(-len(lines) // (sheet_rows - 1)) > 2
    assert all(book[name].max_row <= sheet_rows for name in names)
    assert [row for name in line_sheets for row in _sheet_values(book[name])] == lines
    invoice_sheets = [n for n in names if n.startswith("Fakturaunderlag")]
    width = len(INVOICE_COLUMNS)  # the first sheet's note stands beside the table
    assert [row for n in invoice_sheets for row in _sheet_values(book[n], width)] == invoices
    first = book[names[0]]
    note = first.cell(1, len(INVOICE_COLUMNS) + 2).value
    count = f"{len(lines):,}".replace(",", " ")  # Swedish: 1 234
    assert f"{count} rader på {len(line_sheets)} blad" in note
    assert f"{line_sheets[-1]} rad" in note


def test_a_short_basis_has_no_note(result: PaymentResult) -> None:
    out = io.BytesIO()
    write_xlsx(result, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book["Fakturaunderlag"].max_column == len(INVOICE_COLUMNS)


def test_an_empty_basis_writes_every_format() -> None:
    result = compute_payment(
        read_episodes(_odd_file()).frame, load_rulebook("dalarna-2020"), months=["2021-01"]
    )
    out = io.BytesIO()
    write_json(result, out)
    assert json.loads(out.getvalue()) == {"rulebook": "dalarna-2020", "invoices": [],
                                          "skipped_rows": 0, "assumptions": []}  # fmt: skip
    assert to_csv(result).count("\n") == 1
    out = io.BytesIO()
    write_xlsx(result, out)
    with zipfile.ZipFile(out) as book:
        assert book.testzip() is None
    assert openpyxl.load_workbook(out)["Rader"].max_row == 1


@pytest.mark.parametrize("distinct", [3, 70_000], ids=["64 bits", "128 bits"])
def test_the_invoice_key_sorts_as_the_invoices_do(distinct: int) -> None:
    """Four keys of 70 000 values each overflow 64 bits: then the key is computed in 128. Three
    values are ranked by a search, 70 000 texts by a hash; the month, a number, always searched."""
    values = pl.Series([f"v{n:06d}" for n in range(distinct)])
    invoices = pl.DataFrame({name: values.shuffle(seed=n) for n, name in enumerate(UNIT)})
    invoices = invoices.with_columns(
        month_key=pl.int_range(202_001, 202_001 + distinct, dtype=pl.Int32).shuffle(seed=9)
    )
    # a district's nulls come first
    first = pl.int_range(pl.len()) == 0
    invoices = invoices.with_columns(pl.when(~first).then(pl.col(UNIT[1])).alias(UNIT[1]))
    invoices = invoices.sort([*UNIT, "month_key"], nulls_last=False)
    key = _invoice_key(invoices, invoices)
    assert key.is_sorted() and key.n_unique() == distinct
    assert key.dtype == (pl.UInt64 if distinct < 1000 else pl.Int128)
    assert _invoice_key(invoices.reverse(), invoices).to_list() == key.reverse().to_list()
