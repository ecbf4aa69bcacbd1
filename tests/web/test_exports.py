"""The invoice basis files, from the engine's result on a demo file: XLSX that opens, a PDF."""

from __future__ import annotations

import io

import openpyxl
import pytest

from utskrivning.domain.demo import generate_episodes
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.payment.export import write_xlsx
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.payment.selectors import DisputedBasis
from utskrivning.web.pdf import invoice_pdf


@pytest.fixture(scope="module")
def result():
    csv = generate_episodes(300, 2020, seed=3, municipalities=["2080", "2081"]).write_csv()
    episodes = read_episodes(csv.encode(), skip_invalid=True)
    return compute_payment(episodes.frame, load_rulebook("dalarna-2020"), months=["2020-03"])


def _undisputed(result):
    return DisputedBasis(original=result, corrected=None, disputes=[], corrections=[])


def test_the_pdf_is_a_pdf_with_the_title(result):
    content = invoice_pdf("Fakturaunderlag Falun 2020-03", _undisputed(result), printed=_now())
    assert content.startswith(b"%PDF")
    assert b"Fakturaunderlag Falun 2020-03" in content


def test_an_empty_month_still_makes_a_pdf(result):
    empty = PaymentResult(result.rulebook, result.invoice_frame.clear(), result.line_frame.clear())
    assert invoice_pdf("Tom", _undisputed(empty), printed=_now()).startswith(b"%PDF")


def test_the_xlsx_opens_with_both_sheets(result):
    out = io.BytesIO()
    write_xlsx(result, out)
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert workbook.sheetnames == ["Fakturaunderlag", "Rader"]
    assert workbook["Fakturaunderlag"].max_row > 1


def _now():
    from datetime import UTC, datetime

    return datetime(2020, 4, 1, 12, tzinfo=UTC)
