"""The payment command past one Excel sheet: the XLSX holds every line the CSV holds.

The issue's national year lost 420 782 lines when the "Rader" sheet stopped at Excel's
1 048 576 rows. Here a real file of 1.08 million episodes, run as users run the command, in a
process of its own, with no limit injected (tests/payment/test_export.py injects a small one).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from utskrivning.domain.demo import generate_episodes, write_episodes_csv
from utskrivning.domain.xlsx import SHEET_ROWS

EPISODES = 1_080_000  # about 1 060 000 discharged in the year: more lines than a sheet holds


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "episodes.csv"
    write_episodes_csv(generate_episodes(EPISODES, 2020, seed=11), path)
    return path


def _payment(episodes: Path, format: str, output: Path) -> None:
    executable = Path(sys.executable).with_name("utskrivning")
    subprocess.run(
        [str(executable), "payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
         "--format", format, "--output", str(output)],
        check=True, capture_output=True,
    )  # fmt: skip


def _rows(book: zipfile.ZipFile, part: str) -> int:
    """The rows of one sheet's XML, read as a stream: a million rows through openpyxl take
    minutes."""
    count, tail = 0, b""
    with book.open(part) as sheet:
        while chunk := sheet.read(1 << 24):
            count += (tail + chunk).count(b"<row")
            tail = chunk[-4:]
            count -= tail.count(b"<row")  # counted again with the next chunk
    return count + tail.count(b"<row")


def test_the_xlsx_holds_every_line_the_csv_holds(national: Path, tmp_path: Path) -> None:
    _payment(national, "csv", tmp_path / "basis.csv")
    _payment(national, "xlsx", tmp_path / "basis.xlsx")
    lines = pl.scan_csv(tmp_path / "basis.csv").select(pl.len()).collect().item()
    assert lines > SHEET_ROWS

    workbook = openpyxl.load_workbook(tmp_path / "basis.xlsx", read_only=True)
    assert workbook.sheetnames == ["Fakturaunderlag", "Rader", "Rader 2"]
    note = next(workbook["Fakturaunderlag"].iter_rows(max_row=1, values_only=True))[-1]
    assert "Rader 2 rad 1 048 576–" in note
    with zipfile.ZipFile(tmp_path / "basis.xlsx") as book:
        first, second = (_rows(book, f"xl/worksheets/sheet{n}.xml") - 1 for n in (2, 3))
    assert first == SHEET_ROWS - 1
    assert first + second == lines
