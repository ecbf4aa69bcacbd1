"""Disputing an invoice basis through the pages: the municipality's finance questions a line or the
month, the region's finance answers, and the basis shows the correction beside the original.

The case is the one worked by hand in tests/payment/test_corrections.py: E1 is billed
individually for 14 days (114 800 SEK); ready on 10 March instead, 7 days (57 400 SEK).
"""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from audit.reads import patients_read, references
from payment.test_corrections import EPISODES  # the hand-worked case
from utskrivning.episodes.models import Episode
from utskrivning.imports.services import import_episode_file
from utskrivning.payment.models import InvoiceDispute

pytestmark = pytest.mark.django_db

BASIS = "/invoices/2080/2020-03/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def episodes(region, ward, falun, borlange):
    import_episode_file(data=EPISODES.encode(), region=region, actor=None)


def _question_e1(client):
    return client.post(
        BASIS + "disputes/", {"episode": "E1", "text": "Klar först 10/3"}, headers=HTMX
    )


@pytest.fixture
def questioned(client, login, finance_falun, episodes) -> InvoiceDispute:
    """Falun's finance has questioned E1's line through the page."""
    login(finance_falun)
    _question_e1(client)
    return InvoiceDispute.objects.get()


def _answer(client, dispute, **data):
    return client.post(
        f"/disputes/{dispute.pk}/answer/", {"answer": "Gemensam analys gjord", **data}
    )


def test_municipal_finance_questions_a_line_with_htmx(client, login, finance_falun, episodes):
    login(finance_falun)
    page = client.get(BASIS)
    assert page.text.count('name="episode" value=') == 2  # a form per line
    response = _question_e1(client)
    assert response.status_code == 200
    assert "Frågan är skickad till regionen" in response.text
    dispute = InvoiceDispute.objects.get()
    assert (dispute.episode.external_id, dispute.month, dispute.status) == ("E1", "2020-03", "open")
    assert f'id="dispute-{dispute.pk}"' in response.text
    assert "Klar först 10/3" in response.text


def test_the_whole_month_is_questioned_without_htmx(client, login, finance_falun, episodes):
    login(finance_falun)
    response = client.post(BASIS + "disputes/", {"text": "Snittet stämmer inte"})
    assert (response.status_code, response.url) == (302, BASIS)
    assert InvoiceDispute.objects.get().episode is None


def test_an_empty_question_is_refused_in_swedish(client, login, finance_falun, episodes):
    login(finance_falun)
    response = client.post(BASIS + "disputes/", {"text": " ", "episode": "E1"})
    assert response.status_code == 422
    assert "Detta fält måste fyllas i." in response.text
    assert not InvoiceDispute.objects.exists()


@pytest.mark.parametrize("member", ["officer_a", "region_finance", "finance_borlange"])
def test_only_the_municipality_s_own_finance_may_question(client, login, request, member, episodes):
    login(request.getfixturevalue(member))
    assert 'name="episode"' not in client.get(BASIS).text
    assert _question_e1(client).status_code == 403
    assert not InvoiceDispute.objects.exists()


def test_the_region_answers_corrected_and_the_basis_shows_both_amounts(
    client, login, finance_falun, region_finance, questioned
):
    dispute = questioned
    login(region_finance)
    listing = client.get("/disputes/")
    assert f'data-answer="{dispute.pk}"' in listing.text
    response = _answer(
        client,
        dispute,
        outcome="corrected",
        correction="ready_at",
        corrected_ready_at="2020-03-10T10:00",
    )
    assert (response.status_code, response.url) == (302, "/disputes/")
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.correction) == ("corrected", "ready_at")
    login(finance_falun)
    page = client.get(BASIS).text
    assert '<td class="number original-amount">114 800 kr</td>' in page
    assert '<td class="number corrected-amount">57 400 kr</td>' in page
    assert "Korrigerad tidpunkt för utskrivningsklar" in page
    assert f'href="#dispute-{dispute.pk}"' in page


def test_a_corrected_answer_without_its_correction_is_refused(
    client, login, finance_falun, region_finance, questioned
):
    dispute = questioned
    login(region_finance)
    response = _answer(client, dispute, outcome="corrected")
    assert response.status_code == 422
    assert "Ett korrigerat utfall anger sin korrigering." in response.text
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_ward_nurse_may_not_answer(client, login, nurse, questioned):
    dispute = questioned
    login(nurse)
    assert client.get("/disputes/").status_code == 403
    assert _answer(client, dispute, outcome="rejected").status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_another_municipality_sees_nothing_of_the_dispute(
    client, login, finance_borlange, questioned
):
    login(finance_borlange)
    page = client.get("/disputes/")
    assert page.status_code == 200
    assert "Klar först 10/3" not in page.text
    assert client.get(BASIS).status_code == 403


def test_the_downloads_carry_the_correction(
    client, login, finance_falun, region_finance, questioned
):
    dispute = questioned
    login(region_finance)
    _answer(client, dispute, outcome="corrected", correction="exclude")
    login(finance_falun)
    assert '<td class="left-out">utelämnad</td>' in client.get(BASIS).text  # as the files say
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(BASIS + "basis.xlsx").content))
    assert workbook.sheetnames == ["Fakturaunderlag", "Fakturor", "Uppgifter", "Bestridanden"]
    header, *rows, total = workbook["Fakturaunderlag"].values
    amount = header.index("Belopp (kr)")
    basis = header.index("Grund")
    by_id = {row[header.index("Vårdtillfälle")]: row for row in rows}
    assert (by_id["E1"][basis], by_id["E1"][amount]) == ("utelämnad", 0)
    assert total[amount] == sum(row[amount] or 0 for row in rows)
    assert list(workbook["Bestridanden"].values)[1][7] == "Vårdtillfället utelämnat ur underlaget"
    pdf = client.get(BASIS + "basis.pdf").content
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "utelämnad" in text
        assert "Klar först 10/3" in text and "Ifrågasättanden" in text


def test_reading_the_basis_audits_each_episode_line(client, login, finance_falun, episodes):
    login(finance_falun)
    client.get(BASIS)
    read = patients_read(purpose__contains="invoice basis", path=BASIS)
    assert read == references(Episode.objects.select_related("patient"))
