"""The invoice basis files, from the engine's result on a demo file: a PDF a municipality can check
(page numbers, Swedish numbers, the total never alone on a page, the assumptions) and an XLSX."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.identity import valid_personal_number
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.payment.closed_months import MonthDocument, live_document
from utskrivning.payment.selectors import DisputedBasis
from utskrivning.payment.texts import assumption_text
from utskrivning.web.pdf import invoice_pdf

REGION = Organisation(kind=Kind.REGION, name="Region Dalarna", rulebook_id="dalarna-2020")
FALUN = Organisation(kind=Kind.MUNICIPALITY, name="Falun", municipality_code="2080", parent=REGION)


def _row(n: int, month: str, discharged_day: int) -> str:
    number = valid_personal_number(date(1940, 1, 1), n)
    return (
        f"E{n},{number},2080,somatic,{month}-02 08:00,{month}-02 09:00,{month}-02 10:00,"
        f"{month}-{discharged_day:02d} 10:00,UTFÖRD\n"
    )


@pytest.fixture(scope="module")
def result():
    """Dalarna §11: February and March exceed 2.0 (4 days each), so March is liable for its
    average part; one in ten March patients stays 10 days and is billed individually beyond 3."""
    header = "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,"
    rows = [_row(n, "2020-02", 6) for n in range(40)]
    rows += [_row(n, "2020-03", 12 if n % 10 == 0 else 6) for n in range(100, 190)]
    csv = header + "ready_at,discharged_at,status\n" + "".join(rows)
    episodes = read_episodes(csv.encode())
    return compute_payment(episodes.frame, load_rulebook("dalarna-2020"), months=["2020-03"])


def _pdf(result: PaymentResult, title: str = "Fakturaunderlag Falun 2020-03") -> bytes:
    basis = DisputedBasis(original=result, corrected=None, disputes=[], corrections=[])
    document = live_document(FALUN, "2020-03", basis)
    with translation.override("sv"):
        return invoice_pdf(title, MonthDocument(document, None, document), basis, printed=_now())


def _pages(content: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [page for page in text.split("\f") if page.strip()]


def test_the_pdf_names_sender_recipient_period_and_rulebook_and_numbers_its_pages(result):
    pages = _pages(_pdf(result))
    assert len(pages) > 1, "a month of a few hundred episodes runs over pages"
    first = pages[0]
    for expected in ("Fakturaunderlag Falun 2020-03", "Från", "Region Dalarna", "Till",
                     "Falun (2080)", "2020-03-01 – 2020-03-31", "dalarna-2020", "version",
                     "Ej fastställt (preliminärt)"):  # fmt: skip
        assert expected in first, expected
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page


def test_the_total_is_never_alone_on_its_page_and_is_in_swedish_kronor(result):
    last = _pages(_pdf(result))[-1]
    total = next(line for line in last.splitlines() if line.strip().startswith("Summa"))
    amount = sum(i.amount_sek for i in result.invoices())
    assert f"{amount:,} kr".replace(",", " ") in total
    rows = [line for line in last.splitlines() if re.search(r"[0-9] kr$", line.strip())]
    assert len(rows) > 1, "lines above the total on its page"


HEADINGS = ("Patient", "Personnummer", "Inskriven", "Utskrivningsklar", "Utskriven",
            "Utskrivningsklara dagar", "Grund", "Debiterbara dagar", "Belopp", "Skäl")  # fmt: skip


def test_the_column_headings_wrap_between_words_never_inside_one(result):
    """The heading row as pdftotext lays it out: a word broken across lines ("Utskrivningsk" /
    "lar") leaves pieces that are no heading's words."""
    lines = _pages(_pdf(result))[0].splitlines()
    first = next(n for n, line in enumerate(lines) if line.split()[:2] == list(HEADINGS[:2]))
    block = lines[first : lines.index("", first)]
    assert sorted(" ".join(block).split()) == sorted(" ".join(HEADINGS).split())


def test_the_average_part_is_a_line_and_the_days_have_a_decimal_comma(result):
    text = "\n".join(_pages(_pdf(result)))
    assert "Genomsnittsdel" in text
    assert re.search(r"[0-9],[0-9]{2}", text)


def test_the_engine_s_assumptions_are_in_a_box(result):
    text = " ".join("\n".join(_pages(_pdf(result))).split())
    assert "Antaganden som underlaget vilar på" in text
    assert result.assumptions(), "Dalarna's rulebook rests on assumptions"
    with translation.override("sv"):
        swedish = [assumption_text(note) for note in result.assumption_notes()]
    for sentence in swedish:  # in Swedish, as the rest of the PDF
        assert " ".join(sentence.split()[:6]) in text
    assert "§13 anger 2022-01-01" in text


def test_an_empty_month_still_makes_a_pdf(result):
    empty = PaymentResult(result.rulebook, result.invoice_frame.clear(), result.line_frame.clear())
    assert "Inga utskrivna vårdtillfällen" in _pages(_pdf(empty, "Tom"))[0]


def _now():
    return datetime(2020, 4, 1, 12, tzinfo=UTC)
