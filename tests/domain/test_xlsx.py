"""The frame-to-XLSX writer: text escaped as Excel and xlsxwriter escape it, on both paths
(shared strings built in Python, inline strings built by Polars), and workbooks that open."""

from __future__ import annotations

import io
import zipfile
import zlib

import openpyxl
import polars as pl
import pytest
from isal import isal_zlib
from xlsxwriter.xmlwriter import XMLwriter

from utskrivning.domain import xlsx
from utskrivning.domain.xlsx import Lead, Sheet, escape_text, write_workbook

NASTY = ["plain", "a&b<c>d", "ctl\x01\x1fx", "tab\tand\nnewline", "cr\rhere", "x_x0041_y",
         "_x005F_", "ünïcödé 漢字", '"quoted"', "", "\ufffe"]  # fmt: skip


def _xlsxwriter(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return XMLwriter._escape_control_characters(escaped)


@pytest.mark.parametrize("text", NASTY[:-1])
def test_text_is_escaped_as_xlsxwriter_escapes_it(text: str) -> None:
    assert escape_text(text) == _xlsxwriter(text)


@pytest.mark.parametrize("text", [*NASTY[:-1], "plain"])
def test_polars_escapes_as_python_does(text: str) -> None:
    """Each text alone beside a plain one: the column is escaped whenever one of them needs it."""
    frame = pl.DataFrame({"text": [text, "plain", None]})
    assert frame.select(xlsx._escaped(frame["text"], pl.col("text"))).to_series().to_list() == [
        escape_text(text),
        "plain",
        None,
    ]


def _values(data: bytes, name: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(c.value for c in row) for row in book[name].iter_rows()]


def _book(monkeypatch: pytest.MonkeyPatch, *, inline: bool) -> bytes:
    if inline:
        monkeypatch.setattr(xlsx, "_INLINE_OVER", 0)
    frame = pl.DataFrame(
        {"text": ["a&b<c>", None, "tab\tin", "kr"], "n": [1, None, -3, 2**40],
         "flag": [True, False, None, True], "money": ["8200", "8200.50", None, "0"]}
    )  # fmt: skip
    out = io.BytesIO()
    write_workbook(out, [Sheet("Blad", frame, numbers={"money": '#,##0.00 "kr"', "n": "0"})])
    return out.getvalue()


@pytest.mark.parametrize("inline", [False, True], ids=["shared", "inline"])
def test_cells_have_their_types(monkeypatch: pytest.MonkeyPatch, inline: bool) -> None:
    assert _values(_book(monkeypatch, inline=inline), "Blad") == [
        ("text", "n", "flag", "money"),
        ("a&b<c>", 1, True, 8200),
        (None, None, False, 8200.5),
        ("tab\tin", -3, None, None),
        ("kr", 2**40, True, 0),
    ]


def test_sheet_names_are_escaped_and_a_long_frame_is_cut_in_order() -> None:
    frame = pl.DataFrame({"n": range(10)})
    out = io.BytesIO()
    names = write_workbook(out, [Sheet("A & <B>", frame)], sheet_rows=4)
    assert names == ["A & <B>", "A & <B> 2", "A & <B> 3", "A & <B> 4"]
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == names
    values = [row[0] for name in names for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert values == list(range(10))
    assert book[names[0]]["C1"].value == (
        "10 rader på 4 blad (A & <B> rad 1–3, A & <B> 2 rad 4–6, A & <B> 3 rad 7–9, "
        "A & <B> 4 rad 10–10): ett blad rymmer 3 rader."
    )


def test_numbers_carry_their_formats_and_headers_their_names() -> None:
    """A person's workbook: every number formatted as its column says, text left as text, the
    header row in the reader's words while the frame keeps its names."""
    frame = pl.DataFrame(
        {"n": [1, 2], "days": ["2.45", "-0.50"], "kr": ["8200", "not a number"], "t": ["x", "9"]}
    )
    out = io.BytesIO()
    formats = {"n": "0", "days": "0.00", "kr": '#,##0.00 "kr"'}
    headers = {"n": "Antal", "days": "Dagar", "kr": "Belopp (kr)"}
    write_workbook(out, [Sheet("Blad", frame, numbers=formats, headers=headers)])
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Blad"]
    assert [c.value for c in sheet[1]] == ["Antal", "Dagar", "Belopp (kr)", "t"]
    assert [(c.value, c.number_format) for c in sheet[2]] == [
        (1, "0"),
        (2.45, "0.00"),
        (8200, '#,##0.00 "kr"'),
        ("x", "General"),
    ]
    assert [(c.value, c.number_format) for c in sheet[3]] == [
        (2, "0"),
        (-0.5, "0.00"),
        ("not a number", "General"),
        ("9", "General"),
    ]


def test_sheets_are_deflated_by_isal_and_read_back_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """ISA-L's deflate and CRC-32 in zipfile's entry: every sheet, over several chunks, and the
    workbook's checksums and rows read back as zlib and openpyxl read them."""
    made, isal_compressobj = [], isal_zlib.compressobj

    def compressobj(*args: int) -> object:
        made.append(args)
        return isal_compressobj(*args)

    monkeypatch.setattr(xlsx.isal_zlib, "compressobj", compressobj)
    monkeypatch.setattr(xlsx, "_CHUNK_ROWS", 7)
    frame = pl.DataFrame({"id": [f"id-{n}" for n in range(50)], "n": list(range(50))})
    out = io.BytesIO()
    write_workbook(out, [Sheet("Blad", frame)], sheet_rows=31)
    assert len(made) == 2  # "Blad" and "Blad 2"
    assert zipfile.ZipFile(out).testzip() is None
    with zipfile.ZipFile(out) as entries:  # zipfile's checksum is now ISA-L's: zlib's own too
        assert all(zlib.crc32(entries.read(e)) == e.CRC for e in entries.infolist())
    book = openpyxl.load_workbook(out)
    rows = [row for name in ("Blad", "Blad 2") for row in book[name].iter_rows(min_row=2)]
    assert [(row[0].value, row[1].value) for row in rows] == frame.rows()


@pytest.mark.parametrize("texts", [["a", "b"], ["a", " lead", "trail\n"]], ids=["none", "ends"])
def test_inline_text_says_preserve_only_where_a_text_has_space_at_an_end(
    monkeypatch: pytest.MonkeyPatch, texts: list[str]
) -> None:
    """Excel keeps a text's own spaces at its ends only where the element says so (as
    xlsxwriter writes it); a column of ids without any is written without it."""
    monkeypatch.setattr(xlsx, "_INLINE_OVER", 0)
    out = io.BytesIO()
    write_workbook(out, [Sheet("Blad", pl.DataFrame({"id": texts}))])
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert ("xml:space" in sheet) is (texts[1] == " lead")
    assert _values(out.getvalue(), "Blad")[1:] == [(text,) for text in texts]


@pytest.mark.parametrize("inline", [False, True], ids=["shared", "inline"])
def test_a_column_s_words_are_what_a_person_reads(
    monkeypatch: pytest.MonkeyPatch, inline: bool
) -> None:
    """`words` shows a code in its words, through the shared strings or inline; a value it lacks,
    and a null, as they are; the header and other columns untouched."""
    if inline:
        monkeypatch.setattr(xlsx, "_INLINE_OVER", 0)
    frame = pl.DataFrame({"basis": ["average", "excluded", None, "x&y"], "n": [1, 2, 3, 4]})
    words = {"basis": {"average": "medelvärde", "excluded": "utesluten"}}
    out = io.BytesIO()
    write_workbook(out, [Sheet("Blad", frame, words=words)])
    assert _values(out.getvalue(), "Blad") == [
        ("basis", "n"), ("medelvärde", 1), ("utesluten", 2), (None, 3), ("x&y", 4)
    ]  # fmt: skip


def test_a_group_s_lead_cells_go_before_each_of_its_rows_over_chunks_and_sheets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Lead`: the cells made once per group stand before each row of it, in the written order,
    across chunks (7 rows) and continued sheets (30 rows a sheet)."""
    monkeypatch.setattr(xlsx, "_CHUNK_ROWS", 7)
    groups = pl.DataFrame({"kommun": ["Falun", "Borlänge", None], "n": [1, 2, 3]})
    frame = pl.DataFrame({"id": [f"id-{n}" for n in range(50)], "x": list(range(50))})
    order = pl.Series(list(range(49, -1, -1)), dtype=pl.UInt32)  # written last row first
    group = pl.Series([n % 3 for n in range(50)], dtype=pl.UInt32)  # each written row's
    sheet = Sheet("Blad", frame, order=order, lead=Lead(groups, group))
    out = io.BytesIO()
    assert write_workbook(out, [sheet], sheet_rows=31) == ["Blad", "Blad 2"]
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["Blad"][1]][:4] == ["kommun", "n", "id", "x"]
    rows = [
        tuple(cell.value for cell in row)
        for name in ("Blad", "Blad 2")
        for row in book[name].iter_rows(min_row=2, max_col=4)
    ]
    expected = [
        (*groups.row(group[written]), f"id-{order[written]}", order[written])
        for written in range(50)
    ]
    assert rows == expected
