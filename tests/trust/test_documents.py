"""Issue 14 classes 8 and 13 in the files we write: nothing a user typed becomes a link, a formula
or markup (dispute text became a live file:/// link in the region's XLSX, `ok;=2+5` a formula in
Swedish Excel, an organisation's name markup in the invoice PDF), and no text can break a PDF
(one long dispute made the invoice PDF a 500 for everyone, for good)."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile

import openpyxl
import polars as pl
import pytest

from utskrivning.domain.documents import pdf_text, runs_as_formula, safe_cell, safe_frame
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Organisation
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.services import dispute_open

from .conftest import auth

HOSTILE = [
    '=HYPERLINK("file:///etc/passwd","a")',
    "ok;=2+5",
    "ok,+1+1",
    "ok;\t=1",
    "line one\n=1+1",
    "\t=2+2",
    "\r=3+3",
    "@SUM(A1:A2)",
    "-2+3",
]
SAFE = ["Dag 3 saknas", "-12.50", "2020-03-01 10:00", "42", "a - b", "a; b", "a=b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_formula_shape_is_neutralised(text):
    assert runs_as_formula(text)
    assert safe_cell(text) == "'" + text
    assert safe_frame(pl.DataFrame({"t": [text]}))["t"][0] == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_plain_text_and_numbers_are_left_as_they_are(text):
    assert safe_cell(text) == text
    assert safe_frame(pl.DataFrame({"t": [text]}))["t"][0] == text


def test_pdf_text_escapes_markup_cuts_length_and_drops_control_characters():
    assert pdf_text('<font size="90">x</font>&') == '&lt;font size="90"&gt;x&lt;/font&gt;&amp;'
    cut = pdf_text("x" * 100_000)
    assert len(cut) <= 1000 and cut.endswith("…")
    assert len(pdf_text("x" * 100_000, 300)) <= 300
    assert pdf_text("a\x00b\x0bc") == "abc"


EPISODES = (
    "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
    "ready_at,named_contact_at,discharged_at,status\n"
    "E1,19121212-1212,2080,somatic,Avdelning 12,2026-10-01 10:00,2026-10-01 11:00,"
    "2026-10-03 10:00,2026-10-01 12:00,2026-10-20 12:00,UTFÖRD\n"
)
XLSX_URL = "/api/payment/files/2080/2026-10/basis.xlsx"


@pytest.fixture
def disputed(cast):
    """A basis with a line and disputes of every hostile shape, as finance staff might type them."""
    import_episode_file(data=EPISODES.encode(), region=cast.region)
    for text in [*HOSTILE, "file:///etc/passwd", "https://x.invalid/a"]:
        dispute_open(membership=cast.finance_a, month="2026-10", text=text)
    return cast


def test_the_disputed_xlsx_has_no_formula_and_no_link(client, disputed):
    response = client.get(XLSX_URL, **auth(disputed.finance_region))
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert not [p for p in parts if p.endswith(".rels") and "worksheets/_rels" in p]  # no links
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert any(c.value == "file:///etc/passwd" for c in cells)  # there, as text
    assert [c.coordinate for c in cells if c.hyperlink or c.data_type == "f"] == []
    unquoted = [c.value for c in cells if isinstance(c.value, str) and c.value[:1] != "'"]
    assert [text for text in unquoted if runs_as_formula(text)] == []


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def _invoice_pdf(client, membership):
    client.force_login(membership.user)
    return client.get("/invoices/2080/2026-10/basis.pdf")


def test_an_organisation_name_in_markup_is_printed_as_typed(client, disputed):
    Organisation.objects.filter(pk=disputed.municipality_a.pk).update(
        name='Falun <font size="40">STOR</font> & <b>fet'
    )
    response = _invoice_pdf(client, disputed.finance_region)
    assert response.status_code == 200
    assert '<font size="40">STOR</font> & <b>fet' in _pdf_text(response.content)


@pytest.mark.parametrize(
    "text",
    ["x" * 1_000_000, ("ord " * 200_000), "<b>" * 10_000, "\x01\x02\x0b" * 1000],
    ids=["one-word-1MB", "many-words", "markup", "control"],
)
def test_a_stored_dispute_of_any_length_leaves_the_invoice_pdf_readable(client, disputed, text):
    """Stored past any length limit (an older row, a direct write): the PDF is still made."""
    InvoiceDispute.objects.filter(pk=InvoiceDispute.objects.first().pk).update(text=text)
    response = _invoice_pdf(client, disputed.finance_region)
    assert response.status_code == 200
    assert len(response.content) < 2_000_000


def test_the_deviation_csv_neutralises_a_formula_behind_a_separator(client, cast, notified):
    from utskrivning.episodes.models import Deviation

    Deviation.objects.create(
        episode=notified, category="other", text="ok;=2+5", user=cast.nurse.user,
        organisation=cast.ward,
    )  # fmt: skip
    response = client.get("/api/deviations/followup.csv", **auth(cast.nurse))
    assert response.status_code == 200, response.content[:300]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "'ok;=2+5" in [cell for row in rows for cell in row]
