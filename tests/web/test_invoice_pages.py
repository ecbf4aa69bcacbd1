"""The invoice basis page and its downloads for a discharged episode; the import page."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from service.factories import MembershipFactory
from utskrivning.episodes.models import Episode
from utskrivning.organisations.models import Role
from utskrivning.payment.models import ApprovedBasis

from .test_episode_actions import confirmation
from .test_pages import TOLVAN, post_event

pytestmark = pytest.mark.django_db

MONTH = "2020-03"
BASIS = f"/invoices/2080/{MONTH}/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def discharged(client, login, physician, officer_a, vardcentral, head_of_unit):
    """Admitted 2 March 2020 and discharged ten days later, ready for five of them."""
    start = timezone.make_aware(timezone.datetime(2020, 3, 2, 9, 0))
    with time_machine.travel(start, tick=False) as clock:
        login(physician)
        response = client.post(
            "/episodes/new/",
            {"personal_number": TOLVAN, "name": "Tolvan Tolvansson", "home_municipality": "2080",
             "care_type": "somatic", "primary_care_unit": vardcentral.pk, "support_needed": "on"},
        )  # fmt: skip
        pk = int(response.url.strip("/").split("/")[-1])
        estimated = (start + timedelta(days=7)).date().isoformat()
        for event, data in [
            (
                "admission_notice_sent",
                {"parties": ["municipality"], "estimated_discharge": estimated},
            ),
            ("ready_declared", {}),
        ]:
            assert confirmation(post_event(client, pk, event, **data).text)
        clock.shift(timedelta(days=5))
        login(physician)  # the session timed out meanwhile
        planned = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        details = {"discharge_notice_sent": {"planned_discharge": planned}}
        for event in ["discharge_notice_sent", "discharged", "closed"]:
            data = {"confirm": "on", **details.get(event, {})}
            assert confirmation(post_event(client, pk, event, **data).text)
        client.logout()
    return Episode.objects.get(pk=pk)


def test_the_municipality_sees_the_episode_on_its_invoice_basis(
    client, login, finance_falun, discharged
):
    login(finance_falun)
    page = client.get(BASIS)
    assert page.status_code == 200
    assert "Fakturaunderlag" in page.text
    assert discharged.external_id in page.text


def test_the_xlsx_download_opens_and_lists_the_episode(client, login, finance_falun, discharged):
    login(finance_falun)
    response = client.get(BASIS + "basis.xlsx")
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Fakturaunderlag", "Fakturor", "Uppgifter"]
    sheet = workbook["Fakturaunderlag"]
    header, *rows, total = sheet.iter_rows(values_only=True)
    assert header[:4] == ("Rad", "Patient", "Personnummer", "Vårdtillfälle")
    assert [row[3] for row in rows] == [discharged.external_id]
    [line] = rows
    assert (line[1], line[2]) == ("Tolvan Tolvansson", "19121212-1212")
    assert isinstance(line[5], datetime) and line[5].date() == date(2020, 3, 2)  # a date cell
    assert isinstance(line[8], int) and sheet.cell(2, 9).number_format == "0"
    assert sheet.cell(2, 12).number_format == '#,##0.00 "kr"'
    assert total[0] == "Summa" and total[11] == sum(row[11] for row in rows)


def test_the_pdf_download_is_a_pdf(client, login, finance_falun, discharged):
    login(finance_falun)
    response = client.get(BASIS + "basis.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in ("Tolvan Tolvansson", "19121212-1212", "Från", "Till",
                     "2020-03-01 – 2020-03-31", "dalarna-2020", "Sida 1 av 1",
                     "Ej fastställt"):  # fmt: skip
        assert expected in text, expected


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_page_names_the_patient_and_links_the_episode(client, login, finance_falun, discharged):
    login(finance_falun)
    page = client.get(BASIS).text
    assert f'href="/episodes/{discharged.pk}/"' in page
    assert "19121212-1212" in page and "Region" in page
    assert "Öppen" in page  # not approved yet
    # No named care contact before discharge (Dalarna §11): the engine's reason, in Swedish.
    assert "förutsättningarna är inte uppfyllda: ingen fast vårdkontakt" in page


def test_the_episode_file_download_is_the_contract_s_csv(client, login, finance_falun, discharged):
    login(finance_falun)
    response = client.get(BASIS + "episodes.csv")
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = response.content.decode().splitlines()
    assert header.startswith("episode_id,")
    assert len(rows) == 1 and rows[0].startswith(discharged.external_id)


def test_region_finance_sees_the_basis_too(client, login, region_finance, discharged):
    login(region_finance)
    assert discharged.external_id in client.get(BASIS).text


def test_municipality_b_does_not(client, login, finance_borlange, discharged):
    login(finance_borlange)
    assert client.get(BASIS).status_code == 403
    assert client.get("/invoices/2081/2020-03/").status_code == 200
    assert discharged.external_id not in client.get("/invoices/2081/2020-03/").text


@pytest.mark.parametrize("month", ["2020-13", "9999-12", "0001-01"])
@pytest.mark.parametrize("path", ["", "basis.xlsx", "basis.pdf", "episodes.csv"])
def test_a_month_outside_the_years_is_not_found(client, login, finance_falun, month, path):
    login(finance_falun)
    assert client.get(f"/invoices/2080/{month}/{path}").status_code == 404


GOOD = (
    "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,ready_at,"
    "discharged_at,status\n"
    "E1,19121212-1212,2080,somatic,2020-03-02 09:00,2020-03-02 10:00,2020-03-05 10:00,"
    "2020-03-09 12:00,UTFÖRD\n"
)
BAD = GOOD + "E2,19121212-1213,2080,somatic,2020-03-02 09:00,,,,\n"


@pytest.fixture
def importer(region, falun, ward):
    return MembershipFactory(user__username="ekonom-import", organisation=region, role=Role.FINANCE)


def _upload(client, text):
    return client.post("/import/", {"file": io.BytesIO(text.encode())})


def test_an_import_stores_the_file_s_episodes(client, login, importer):
    login(importer)
    response = _upload(client, GOOD)
    assert response.status_code == 200
    assert "1 vårdtillfälle importerat" in response.text
    assert Episode.objects.count() == 1


def test_a_file_with_an_error_saves_nothing_and_names_the_line(client, login, importer):
    login(importer)
    response = _upload(client, BAD)
    assert response.status_code == 422
    assert "Ingenting sparades" in response.text
    assert '<td class="number">3</td>' in response.text
    assert Episode.objects.count() == 0


def test_region_finance_approves_and_reopens_the_month_on_the_page(
    client, login, region_finance, finance_falun, discharged
):
    login(finance_falun)
    assert "Fastställ underlaget" not in client.get(BASIS).text
    assert client.post(BASIS + "approve/").status_code == 422  # not the municipality's step
    login(region_finance)
    assert "Fastställ underlaget" in client.get(BASIS).text
    assert client.post(BASIS + "approve/").status_code == 302
    page = client.get(BASIS).text
    assert "Fastställt" in page and "Öppna månaden igen" in page
    refused = client.post(BASIS + "reopen/", {"reason": ""})
    assert refused.status_code == 422 and "Detta fält måste fyllas i." in refused.text
    assert client.post(BASIS + "reopen/", {"reason": "Fel avdelning"}).status_code == 302
    assert "Öppen månad" in client.get(BASIS).text


def test_the_pdf_says_the_approval_in_stockholm_s_time_as_the_page_does(
    client, login, region_finance, discharged
):
    """The PDF said an approval at 02:01 in Stockholm as 01:01, the page and workbook 02:01."""
    login(region_finance)
    at = datetime(2020, 4, 6, 0, 30, tzinfo=UTC)  # 02:30 in Stockholm (summer time)
    with time_machine.travel(at, tick=False):
        assert client.post(BASIS + "approve/").status_code == 302
    login(region_finance)  # the session's idle time ran from then
    response = client.get(BASIS + "basis.pdf")
    assert response.status_code == 200, response.content[:300]
    text = pdf_text(response.content)
    assert "Fastställt 2020-04-06 02:30" in text
    assert "2020-04-06 02:30" in client.get(BASIS).text


@pytest.fixture
def a_month_without_a_day_rate(ward, falun):
    """A stay discharged in 2021: no national day rate for 2021 is in the project's sources."""
    from utskrivning.domain.identity import valid_personal_number
    from utskrivning.imports.services import import_episode_file
    from utskrivning.organisations.models import Organisation

    number = valid_personal_number(date(1940, 1, 1), 1)
    data = (
        "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
        f"ready_at,discharged_at,status\nE1,{number},2080,somatic,{ward.name},2021-03-01 08:00,"
        "2021-03-01 09:00,2021-03-02 10:00,2021-03-12 10:00,UTFÖRD\n"
    )
    import_episode_file(data=data.encode(), region=Organisation.objects.get(kind="region"))


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "basis.xlsx"), ("get", "basis.pdf"), ("post", "approve/")],
)
def test_a_month_the_rulebook_lacks_a_figure_for_says_which_not_a_server_error(
    client, login, region_finance, a_month_without_a_day_rate, method, path
):
    """payment-rules.md: a day rate with no published figure is never guessed; the service,
    which cannot take --set, names the parameter and bills nothing (it answered 500)."""
    from .untranslated import untranslated

    login(region_finance)
    response = getattr(client, method)(f"/invoices/2080/2021-03/{path}")
    assert response.status_code == 409
    # What the value is, for the reader; the rulebook's name for it, for its administrator.
    assert "Socialstyrelsens belopp per vårddygn 2021 (<code>day_rate_2021</code>)" in response.text
    assert "kan inte beräknas" in response.text and untranslated(response.text) == []
    # How the administrator puts it right, in Swedish: the year, the parameter, the file.
    assert (
        "lägger in Socialstyrelsens publicerade belopp per vårddygn för 2021 i regionens "
        "regelverk <code>dalarna-2020.toml</code> som parametern <code>day_rate_2021</code>"
    ) in response.text
    assert "<code>[parameters.day_rate_2021]</code>" in response.text
    # The engine's English sentence, which said --set and --day-rate, is not on the page.
    assert "national-day-rates.toml" not in response.text and "--set" not in response.text
    assert not ApprovedBasis.objects.exists()


@pytest.mark.parametrize(
    ("parameter", "fix"),
    [
        (
            "threshold",
            "ger parametern <code>threshold</code> i regionens regelverk "
            "<code>dalarna-2020.toml</code> det publicerade värdet som <code>value</code>",
        ),
        (None, "för in värdet i regionens regelverk <code>dalarna-2020.toml</code>"),
    ],
    ids=["a rulebook parameter", "no parameter"],
)
def test_the_unavailable_month_says_in_swedish_how_the_value_is_put_right(
    client, login, region_finance, falun, monkeypatch, parameter, fix
):
    """A value the rulebook names is put right there, without the engine's English; where the
    engine names none (a stage's own table of rates without the year), its sentence alone says
    which, and is shown, marked as English, beside the Swedish."""
    from utskrivning.domain.payment import PaymentError
    from utskrivning.web.views import invoices

    from .untranslated import untranslated

    english = "no day rate for 2021 (group 'all', month 2021-03) in stage 'x'; add it there"

    def refused(**kwargs):
        raise PaymentError(english, parameter=parameter)

    monkeypatch.setattr(invoices, "disputed_basis_read", refused)
    login(region_finance)
    response = client.get("/invoices/2080/2021-03/")
    assert response.status_code == 409
    assert fix in response.text and untranslated(response.text) == []
    assert "<code>UTSKRIVNING_RULEBOOKS</code>" in response.text
    assert (f'<code lang="en">{english}' in response.text.replace("&#x27;", "'")) is (
        parameter is None
    )


def test_an_episode_of_such_a_month_opens_with_its_days_and_no_amount(
    client, login, nurse, a_month_without_a_day_rate
):
    """The episode page and the API tell the days; the amount, which needs the missing rate, is
    left out rather than guessed (it answered 500 for the ward's own patient)."""
    login(nurse)
    pk = Episode.objects.get(external_id="E1").pk
    page = client.get(f"/episodes/{pk}/")
    assert page.status_code == 200 and "Belopp (kr): –" in page.text
    explanation = client.get(f"/api/episodes/{pk}").json()["explanation"]
    assert (explanation["billable_days"], explanation["amount_sek"]) == (7, None)
