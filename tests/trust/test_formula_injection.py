"""Cells a spreadsheet would run as a formula (=, +, -, @, and the same behind a tab or CR) come
out of every export as text: the invoice basis as CSV and XLSX, and the episode file. In the
invoice basis the texts a person typed are the episode id and the district (each episode here
carries a payload in both); the writers judge only those columns."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from utskrivning.domain.episodes import EpisodeFileError, read_episodes
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.payment.export import to_csv, write_xlsx
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.episodes.episode_file import export_episode_file
from utskrivning.episodes.models import Episode
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Organisation

PAYLOADS = [
    '=HYPERLINK("http://x.invalid","a")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=2+2",
    "\r=3+3",
]
HEADER = (
    "episode_id,patient_id,municipality,district,care_type,unit,admitted_at,ready_at,"
    "discharged_at,status\n"
)


def _file(ids: list[str]) -> bytes:
    rows = [
        f'"{quoted}",19121212-1212,2080,"{quoted}",somatic,Avdelning 12,2020-03-01 10:00,'
        "2020-03-02 10:00,2020-03-20 10:00,done"
        for quoted in (episode_id.replace('"', '""') for episode_id in ids)
    ]
    return (HEADER + "\n".join(rows) + "\n").encode()


def _dangerous(cell: object) -> bool:
    return isinstance(cell, str) and cell.lstrip("\t\r ").startswith(("=", "+", "-", "@"))


@pytest.fixture(scope="module")
def result():
    frame = read_episodes(_file(PAYLOADS)).frame
    assert frame.height == len(PAYLOADS)  # they got in (a leading tab or CR is trimmed)
    return compute_payment(frame, load_rulebook("dalarna-2020"), months=["2020-03"])


def test_the_invoice_csv_neutralises_every_formula_prefix(result):
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert {row["district"] for row in rows} >= {"'@SUM(A1:A2)", "'-2+3"}
    cells = [cell for row in rows for cell in row.values()]
    assert any("HYPERLINK" in cell for cell in cells)
    assert [cell for cell in cells if _dangerous(cell)] == []


def test_the_invoice_xlsx_neutralises_every_formula_prefix(result):
    out = io.BytesIO()
    write_xlsx(result, out)
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert any("HYPERLINK" in cell.value for cell in cells)
    districts = {row[1].value for row in workbook["Rader"].iter_rows(min_row=2)}
    assert districts >= {"'@SUM(A1:A2)", "'-2+3"}
    assert [c.coordinate for c in cells if c.data_type == "f" or _dangerous(c.value)] == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_service_refuses_an_episode_id_that_runs_as_a_formula(cast, payload):
    """Refused on the way in, it can never come out of a download."""
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=_file([payload]), region=cast.region)
    assert [(e.line, e.column) for e in error.value.errors] == [(2, "episode_id")]
    assert not Episode.objects.exists()


def test_an_organisation_name_that_runs_as_a_formula_is_refused(cast):
    cast.ward.name = "=HYPERLINK(1)"
    with pytest.raises(ValidationError) as error:
        cast.ward.full_clean()
    assert "name" in error.value.message_dict


def test_the_episode_file_download_neutralises_what_got_in_another_way(cast):
    import_episode_file(data=_file(["E1"]), region=cast.region)
    Organisation.objects.filter(pk=cast.ward.pk).update(name=PAYLOADS[0])  # past the validator
    text = export_episode_file(queryset=Episode.objects.all())
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + PAYLOADS[0] in cells
    assert [cell for cell in cells if _dangerous(cell)] == []
