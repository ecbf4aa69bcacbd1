"""Polars frames to an XLSX workbook at the speed of the frames: a national year in seconds.

A cell-by-cell writer (xlsxwriter, openpyxl) spends microseconds of Python per cell, a minute
and a half for 1.5 million lines. Here each sheet's XML is built by Polars expressions and
streamed by Polars' own writer into the zip entry. Text that repeats (a reason, a month) is a
shared string; text that does not (an episode id) is written inline. A frame longer than a
sheet holds goes on over further sheets ("Rader", "Rader 2", …) and the first sheet says so:
the workbook never drops a row. Data cells carry no reference (`r`), which SpreadsheetML leaves
optional; they follow one another, a space between them (whitespace between elements means
nothing in XML): Polars' writer puts its separator there and each row's tags as its line end,
where joining the cells into one text per row copied every row once more.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polars as pl
from isal import isal_zlib

from utskrivning.domain.texts import RowTexts, Shown

SHEET_ROWS = 1_048_576  # Excel's sheet, the header row being one of them
_CHUNK_ROWS = 200_000  # rows built at a time: bounds the memory of the XML text
_INLINE_OVER = 100_000  # a column with more distinct values is written inline

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Excel's escapes for what XML 1.0 cannot hold (`_xHHHH_`); a literal `_x…_` is kept literal.
_CONTROL = [*range(0x00, 0x09), *range(0x0B, 0x20)]
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{chr(c): f"_x{c:04X}_" for c in _CONTROL}}
_LITERAL = r"(_x[0-9a-fA-F]{4}_)"
# A number format is a style of its own: cellXfs 0 plain, 1 bold, then one per format used
# (custom numFmt ids start at 164; the built-in ones below that are Excel's).
_FIRST_FORMAT_ID = 164


def _attribute(value: str) -> str:
    """An XML attribute's quoted value. xml.sax.saxutils is imported here, not at the top: it
    imports urllib.request, 30 ms of the start of every payment command, most writing no XLSX."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(value)


def _styles(formats: list[str]) -> str:
    number_formats = "".join(
        f"<numFmt numFmtId={_attribute(str(_FIRST_FORMAT_ID + n))} formatCode={_attribute(code)}/>"
        for n, code in enumerate(formats)
    )
    xfs = "".join(
        f'<xf numFmtId="{_FIRST_FORMAT_ID + n}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for n in range(len(formats))
    )
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="{len(formats)}">{number_formats}'
        '</numFmts><fonts count="2"><font><sz val="11"/>'
        '<name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
        '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
        f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count='
        f'"{2 + len(formats)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f'{xfs}</cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


def _formats(sheets: list[Sheet]) -> list[str]:
    """Every number format of the workbook, once, in the order first used."""
    return list(dict.fromkeys(code for sheet in sheets for code in sheet.numbers.values()))


_BOLD = ' s="1"'


_TRANSLATION = str.maketrans(_ESCAPES)


def escape_text(text: str) -> str:
    """A text as a cell holds it, escaped as xlsxwriter escapes it: by `str.translate`, where a
    character at a time in Python took 0.05 s over a national year's shared strings."""
    return re.sub(_LITERAL, r"_x005F\1", text).translate(_TRANSLATION)


_ESCAPED = r"[&<>\x00-\x08\x0b-\x1f]"  # what `_escaped` changes, besides a literal `_x…_`
_SPACE_AT_AN_END = r"^\s|\s$"  # whitespace that is the text's own only where it says so
# Whatever an inline text may need, found in one pass: a national year's 1.5 million ids need
# none of it, and asking each question of them in turn took three passes.
_NEEDS_ANYTHING = f"{_SPACE_AT_AN_END}|_x|{_ESCAPED}"


def _escaped(column: pl.Series, text: pl.Expr) -> pl.Expr:
    """`text`, whose values are `column`'s, escaped; as it is when none needs it (two quick passes
    to find out, where the escapes cost several)."""
    literal = column.str.contains("_x", literal=True).any()
    if not literal and not column.str.contains(_ESCAPED).any():
        return text
    return text.str.replace_all(_LITERAL, "_x005F$1").str.replace_many(_ESCAPES)


@dataclass(frozen=True)
class Lead:
    """Cells that lead each row of a sheet and repeat by group (a line's invoice's keys): made
    once per group, where found among the rows they took a pass over a national year's 1.5
    million lines of four texts each. `frame` holds a group a row; `group`, each written row's
    group (its row of `frame`), in the order the sheet writes its rows."""

    frame: pl.DataFrame
    group: pl.Series


@dataclass(frozen=True)
class Sheet:
    """A frame as one or more sheets: a bold header row, then one row per frame row.

    String columns are text, integers numbers, booleans TRUE/FALSE, nulls empty cells.
    `numbers` gives a column its number format (Excel's code, "0.00"): an integer column's cells,
    and a String column's decimal texts ("8200.50", exact as the engine wrote them), are numbers
    in that format; a String column's other texts stay text. `headers` names a column for the
    people who open the file (the frame's own name otherwise). `words` shows a text column's
    values as a person reads them (a code, or the engine's English, in Swedish): folded into the
    shared strings, made once per distinct value. `repeated` (texts.py) changes only how fast
    the XML is made; `shown` (texts.py) makes the repeated columns' values from the frame's.
    `lead` puts a group's cells before each of its rows (`Lead`).
    """

    name: str
    frame: pl.DataFrame
    numbers: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Columns whose values repeat from row to row: adjacent ones are made once per combination.
    repeated: Collection[str] = ()
    shown: Shown | None = None
    # The frame's rows in the order to write them (a gather index), when not the frame's own:
    # sorting the rows' texts as they are made costs less than sorting the frame's columns.
    order: pl.Series | None = None
    lead: Lead | None = None

    @property
    def height(self) -> int:
        return self.frame.height if self.order is None else self.order.len()

    @property
    def columns(self) -> list[str]:
        return [*(self.lead.frame.columns if self.lead else []), *self.frame.columns]


@dataclass
class _Strings:
    """The workbook's shared string table."""

    index: dict[str, int] = field(default_factory=dict)

    def cell(self, text: str, attributes: str = "") -> str:
        number = self.index.setdefault(text, len(self.index))
        return f'<c t="s"{attributes}><v>{number}</v></c>'

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{escape_text(text)}</t></si>' for text in self.index
        )
        return f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(self.index)}">{items}</sst>'


def _text_cell(
    frame: pl.DataFrame, name: str, strings: _Strings, words: Mapping[str, str]
) -> pl.Expr:
    column = frame.get_column(name)
    # A sample first: counting a national year's distinct ids costs as much as writing them.
    sample = column.head(_INLINE_OVER // 10)
    if sample.n_unique() > _INLINE_OVER // 20 or column.n_unique() > _INLINE_OVER:
        shown, text = column.replace(words), pl.col(name).replace(words)
        if not shown.str.contains(_NEEDS_ANYTHING).any():
            return pl.format('<c t="inlineStr"><is><t>{}</t></is></c>', text)
        # Whitespace at either end is the text's own only where the element says so; a national
        # year's ids have none, and saying it on each of them was 31 MB of XML to make and deflate.
        space = ' xml:space="preserve"' if shown.str.contains(_SPACE_AT_AN_END).any() else ""
        inline = f'<c t="inlineStr"><is><t{space}>{{}}</t></is></c>'
        return pl.format(inline, _escaped(shown, text))
    # A value's words are its shared string: the column is never replaced row by row.
    shared = {
        value: strings.cell(words.get(value, value))
        for value in column.drop_nulls().unique().sort()
    }
    return pl.col(name).replace_strict(shared, default=None, return_dtype=pl.String)


_DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$"  # what a String column in `numbers` writes as a number


def _cell(
    frame: pl.DataFrame, name: str, sheet: Sheet, strings: _Strings, styles: Mapping[str, int]
) -> pl.Expr:
    column, dtype = pl.col(name), frame.schema[name]
    style = f' s="{styles[sheet.numbers[name]]}"' if name in sheet.numbers else ""
    number = pl.format(f"<c{style}><v>{{}}</v></c>", column)
    if dtype == pl.String and name in sheet.numbers:
        text = _text_cell(frame, name, strings, sheet.words.get(name, {}))
        return pl.when(column.str.contains(_DECIMAL)).then(number).otherwise(text)
    if dtype == pl.String:
        return _text_cell(frame, name, strings, sheet.words.get(name, {}))
    if dtype == pl.Boolean:
        true, false = '<c t="b"><v>1</v></c>', '<c t="b"><v>0</v></c>'
        return pl.when(column).then(pl.lit(true)).when(~column).then(pl.lit(false))
    if dtype.is_integer():
        return number
    raise TypeError(f"{sheet.name}.{name}: no cell for {dtype}")


@dataclass(frozen=True)
class _Texts:
    """A sheet's rows as XML: its frame's, its repeated runs made once for all its parts, and
    each group's leading cells, joined."""

    rows: RowTexts
    lead: pl.Series | None


def _texts(sheet: Sheet, strings: _Strings, styles: Mapping[str, int]) -> _Texts:
    def cell(frame: pl.DataFrame, name: str) -> pl.Expr:
        return _cell(frame, name, sheet, strings, styles).fill_null(pl.lit("<c/>"))

    lead = None
    if sheet.lead is not None:
        groups = sheet.lead.frame
        joined = pl.concat_str([cell(groups, name) for name in groups.columns])
        lead = groups.select(joined).to_series().rechunk()  # gathered from one chunk: fast
    return _Texts(RowTexts(sheet.frame, cell, sheet.repeated, shown=sheet.shown), lead)


def _row_chunks(part: _Part, texts: _Texts) -> Iterator[pl.DataFrame]:
    """The part's rows, `_CHUNK_ROWS` at a time: a column that opens the row, the leading cells,
    then a column a cell or run of cells."""
    sheet = part.sheet
    chunks = texts.rows.chunks(_CHUNK_ROWS, start=part.start, length=part.length, order=sheet.order)
    offset = part.start
    for chunk, cells in chunks:
        lead = []
        if texts.lead is not None and sheet.lead is not None:
            groups = sheet.lead.group.slice(offset, chunk.height)
            lead = [pl.lit(texts.lead.gather(groups)).alias("lead")]
        offset += chunk.height
        yield chunk.select(
            pl.lit("<row>").alias("row"), *lead, *(c.alias(str(n)) for n, c in enumerate(cells))
        )


def _write_rows(handle: IO[bytes], rows: pl.DataFrame) -> None:
    """Polars' writer puts a space between the cells and closes each row as its line end,
    straight into the zip entry. A chunk's 70 MB of XML made first as one Python buffer was fresh
    memory each chunk, faulted in page by page: a national year's command took 150 000 more page
    faults and a second more CPU."""
    rows.write_csv(
        handle, include_header=False, quote_style="never", separator=" ", line_terminator="</row>\n"
    )


def _column_letters(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class _Part:
    """One sheet of the workbook: `length` rows of `sheet.frame` from `start`."""

    name: str
    sheet: Sheet
    start: int
    length: int
    note: str | None = None  # on the first sheet: where the rows of a continued sheet went


def _write_sheet(
    handle: IO[bytes], part: _Part, strings: _Strings, texts: _Texts, *, first: bool
) -> None:
    columns, headers = part.sheet.columns, part.sheet.headers
    header = "".join(strings.cell(headers.get(name, name), _BOLD) for name in columns)
    if part.note:  # in the header row after one empty column: seen as the file opens
        where = f' r="{_column_letters(len(columns) + 2)}1"'
        header += strings.cell(part.note, where + _BOLD)
    selected = ' tabSelected="1"' if first else ""
    handle.write(
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView '
        f'workbookViewId="0"{selected}><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        f'state="frozen"/></sheetView></sheetViews><sheetData><row>{header}</row>\n'.encode()
    )
    for rows in _row_chunks(part, texts):
        _write_rows(handle, rows)
    handle.write(b"</sheetData></worksheet>")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _parts(sheets: list[Sheet], sheet_rows: int) -> list[_Part]:
    """Each sheet cut to what a sheet holds; the first part notes every cut, in Swedish."""
    per_sheet = sheet_rows - 1
    parts: list[_Part] = []
    notes = []
    for sheet in sheets:
        height = sheet.height
        starts = range(0, max(height, 1), per_sheet)
        names = [sheet.name, *(f"{sheet.name} {n}" for n in range(2, len(starts) + 1))]
        parts += [
            _Part(name, sheet, start, min(per_sheet, height - start))
            for name, start in zip(names, starts, strict=True)
        ]
        if len(starts) > 1:
            where = ", ".join(
                f"{name} rad {_number(start + 1)}–{_number(min(start + per_sheet, height))}"
                for name, start in zip(names, starts, strict=True)
            )
            notes.append(
                f"{_number(height)} rader på {len(starts)} blad ({where}): "
                f"ett blad rymmer {_number(per_sheet)} rader."
            )
    if notes and parts:
        first = parts[0]
        parts[0] = _Part(first.name, first.sheet, first.start, first.length, " ".join(notes))
    return parts


def _package(parts: list[_Part]) -> dict[str, str]:
    """The workbook's files other than its sheets and shared strings."""
    count = len(parts)
    sheets = "".join(
        f'<sheet name={_attribute(p.name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, p in enumerate(parts, start=1)
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return {
        "[Content_Types].xml": f'{_XML}<Types xmlns="{_PKG}/content-types"><Default '
        'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
        f'"/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/><Override PartName='
        f'"/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/><Override PartName='
        f'"/xl/sharedStrings.xml" ContentType="{_OFFICE}.sharedStrings+xml"/>{overrides}</Types>',
        "_rels/.rels": f'{_XML}<Relationships xmlns="{_PKG}/relationships"><Relationship '
        f'Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
        f'{relations}<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    }


def _deflate_with_isal(entry: IO[bytes]) -> None:
    """The sheet entry deflated and checksummed by ISA-L (the same deflate format, level 1 of its
    0–3, and the same CRC-32), not zlib: a national year's 515 MB of sheet XML took 0.16 s of CPU
    where zlib's level 1 took 0.75 s or more (and 2 % less space), and its CRC 0.05 s where zlib's
    took 0.25 s, on the same two cores that build the XML.
    zipfile has no hook for either: the entry's compressor is replaced before anything is written
    to it, and the checksum zipfile takes from its module's `crc32` is ISA-L's (the same function
    of the same bytes, for every zip the process reads or writes). A zipfile that names either
    otherwise fails here rather than quietly use zlib's."""
    if not hasattr(entry, "_compressor") or not hasattr(zipfile, "crc32"):
        raise RuntimeError("zipfile has no entry _compressor or module crc32 to replace")
    entry._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)  # raw deflate, as zip
    zipfile.crc32 = isal_zlib.crc32


def write_workbook(
    target: Path | IO[bytes], sheets: list[Sheet], *, sheet_rows: int = SHEET_ROWS
) -> list[str]:
    """The sheets in order, each continued on further sheets when longer than `sheet_rows`
    (its header row included); the first sheet then says where the rows went. Returns the
    names of the sheets written."""
    parts = _parts(sheets, sheet_rows)
    strings = _Strings()
    formats = _formats(sheets)
    styles = {code: 2 + n for n, code in enumerate(formats)}  # after plain and bold
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _package(parts).items():
            book.writestr(name, text)
        book.writestr("xl/styles.xml", _styles(formats))
        texts: _Texts | None = None
        for number, part in enumerate(parts, start=1):
            if texts is None or part.start == 0:  # a sheet's first part
                texts = _texts(part.sheet, strings, styles)
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as handle:
                _deflate_with_isal(handle)
                _write_sheet(handle, part, strings, texts, first=number == 1)
        book.writestr("xl/sharedStrings.xml", strings.xml())
    return [part.name for part in parts]
