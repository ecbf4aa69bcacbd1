"""The payment command past one Excel sheet: the XLSX holds every line the CSV holds.

The issue's national year lost 420 782 lines when the "Rader" sheet stopped at Excel's
1 048 576 rows. The suite runs the command on a year of 3 000 episodes with a sheet of 2 000 rows
put into its XLSX writer: the same cut, at a thousandth of the cost (a national year took a
minute of the suite's time). `make national` runs it on a national year, 1.08 million episodes
against Excel's own sheet (UTSKRIVNING_NATIONAL_EPISODES). That the command writes Excel's sheet
when not told otherwise is checked on its own, below.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import zipfile
from functools import partial
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from utskrivning import cli
from utskrivning.domain.demo import generate_episodes, write_episodes_csv
from utskrivning.domain.payment.export import write_xlsx
from utskrivning.domain.xlsx import SHEET_ROWS, write_workbook

# A national year is 1 080 000: about 1 060 000 discharged in the year, more than a sheet holds.
EPISODES = int(os.environ.get("UTSKRIVNING_NATIONAL_EPISODES", "3000"))
SHEET = SHEET_ROWS if EPISODES > SHEET_ROWS else 2_000  # the header row being one of them


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "episodes.csv"
    write_episodes_csv(generate_episodes(EPISODES, 2020, seed=11), path)
    return path


def _payment(episodes: Path, format: str, output: Path) -> None:
    result = CliRunner().invoke(
        cli.app,
        ["payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
         "--format", format, "--output", str(output)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


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


def test_the_command_writes_excel_s_own_sheet_unless_told() -> None:
    """The command calls `write_xlsx` with no sheet (below, a sheet it were given would undo the
    injected one and the test would find one "Rader"), so the default is what users get."""
    assert SHEET_ROWS == 1_048_576
    for writer in (write_xlsx, write_workbook):
        assert inspect.signature(writer).parameters["sheet_rows"].default == SHEET_ROWS


def test_the_xlsx_holds_every_line_the_csv_holds(
    national: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "write_xlsx", partial(write_xlsx, sheet_rows=SHEET))
    _payment(national, "csv", tmp_path / "basis.csv")
    _payment(national, "xlsx", tmp_path / "basis.xlsx")
    lines = pl.scan_csv(tmp_path / "basis.csv").select(pl.len()).collect().item()
    assert SHEET < lines <= 2 * (SHEET - 1)

    workbook = openpyxl.load_workbook(tmp_path / "basis.xlsx", read_only=True)
    assert workbook.sheetnames == ["Fakturaunderlag", "Rader", "Rader 2"]
    note = next(workbook["Fakturaunderlag"].iter_rows(max_row=1, values_only=True))[-1]
    assert f"Rader 2 rad {SHEET:,}–".replace(",", " ") in note
    with zipfile.ZipFile(tmp_path / "basis.xlsx") as book:
        first, second = (_rows(book, f"xl/worksheets/sheet{n}.xml") - 1 for n in (2, 3))
    assert first == SHEET - 1
    assert first + second == lines


# What the payment command's start leaves out: modules only other commands, formats or the
# service use. Each is tens of milliseconds of every run (benchmarks/command.py times them).
NOT_AT_THE_START = ("rich", "xlsxwriter", "openpyxl", "reportlab", "urllib.request", "numpy",
                    "django")  # fmt: skip


def test_the_command_starts_without_what_only_other_commands_need() -> None:
    code = "import sys, utskrivning.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [name for name in NOT_AT_THE_START if name in loaded] == []
