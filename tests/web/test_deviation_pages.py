"""Deviations through the pages: a party reports one on the episode page (htmx), and the follow-up
page counts them per category, organisation and month, proposed beside reported (Stockholm §11–12),
scoped to what the organisation may see."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from utskrivning.audit.models import AuditEntry
from utskrivning.deviations.services import deviations_propose
from utskrivning.domain.process import Event, EventType, Party
from utskrivning.episodes.models import Deviation
from utskrivning.episodes.services import episode_admit, episode_record_event

from .test_pages import TOLVAN

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def episode(physician, falun, borlange, vardcentral, officer_a, officer_b) -> int:
    """Admitted by the ward's physician, the notice sent to Falun and the vårdcentral."""
    now = timezone.now()
    admitted = episode_admit(
        actor=physician.user, membership=physician, ward=physician.organisation, at=now,
        personal_number=TOLVAN, name="Tolvan Tolvansson", address="", home_municipality=falun,
        care_type="somatic", primary_care=vardcentral,
    ).episode  # fmt: skip
    notice = Event(
        EventType.ADMISSION_NOTICE_SENT,
        parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}),
        estimated_discharge=(now + timedelta(days=3)).date(),
    )
    episode_record_event(episode=admitted, event=notice, at=now, membership=physician)
    return admitted.pk


def report(client, pk, htmx=True, **data):
    data = {"category": "step_not_done", "text": "Ingen SIP-kallelse", **data}
    return client.post(f"/episodes/{pk}/deviations/", data, headers=HTMX if htmx else {})


def test_a_party_reports_a_deviation_on_the_episode_page(client, login, officer_a, episode):
    login(officer_a)
    page = client.get(f"/episodes/{episode}/").text
    assert "Rapportera en avvikelse" in page
    response = report(client, episode)
    assert response.status_code == 200
    assert "Avvikelse rapporterad" in response.text
    assert "Ingen SIP-kallelse" in response.text
    assert "Steg inte utfört" in response.text
    deviation = Deviation.objects.get()
    assert (deviation.organisation.name, deviation.proposed) == ("Falun", False)
    assert deviation.event.type == "deviation_reported"  # on the timeline too


def test_a_plain_post_redirects_back(client, login, physician, episode):
    login(physician)
    response = report(client, episode, htmx=False)
    assert (response.status_code, response.url) == (302, f"/episodes/{episode}/")


def test_an_unknown_category_is_refused_and_nothing_stored(client, login, officer_a, episode):
    login(officer_a)
    response = report(client, episode, htmx=False, category="whatever")
    assert response.status_code == 422
    assert "Avvikelsen rapporterades inte." in response.text
    assert not Deviation.objects.exists()


@pytest.mark.parametrize("member", ["officer_b", "region_finance"])
def test_who_does_not_see_the_episode_cannot_report(client, login, request, member, episode):
    login(request.getfixturevalue(member))
    assert report(client, episode).status_code == 404
    assert not Deviation.objects.exists()


@pytest.fixture
def deviations(client, login, officer_a, physician, episode):
    """Two reported (Falun, the ward) and the missed deadlines proposed ten days on."""
    login(officer_a)
    report(client, episode)
    login(physician)
    report(client, episode, category="other", text='=HYPERLINK("http://x")')
    client.logout()
    proposed = deviations_propose(now=timezone.now() + timedelta(days=10))
    assert proposed, "the fixture needs a missed deadline"
    return proposed


def _tally(text: str, caption: str) -> list[list[str]]:
    """The rows of the tally table with this caption, as cell texts."""
    import re

    table = text.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


def test_the_follow_up_counts_proposed_beside_reported(client, login, officer_a, deviations):
    login(officer_a)
    page = client.get("/deviations/")
    assert page.status_code == 200
    proposed = len(deviations)
    by_category = _tally(page.text, "Per kategori")
    assert ["Annat", "0", "1", "1"] in by_category
    assert ["Missad tidsgräns", str(proposed), "0", str(proposed)] in by_category
    assert ["Steg inte utfört", "0", "1", "1"] in by_category
    month = f"{timezone.localdate():%Y-%m}"
    assert _tally(page.text, "Per månad") == [[month, str(proposed), "2", str(proposed + 2)]]
    organisations = dict((row[0], row[1:]) for row in _tally(page.text, "Per organisation"))
    assert organisations["Medicinavdelning 12"][1] == "1"  # the ward's own report
    assert page.text.count('<tr class="deviation">') == proposed + 2
    assert f'href="/episodes/{deviations[0].episode_id}/"' in page.text


def test_the_filters_narrow_by_category_and_period(client, login, officer_a, deviations):
    login(officer_a)
    page = client.get("/deviations/", {"start": "2020-01", "end": "2020-12", "category": ""})
    assert page.text.count('<tr class="deviation">') == 0
    month = f"{timezone.localdate():%Y-%m}"
    page = client.get("/deviations/", {"start": month, "end": month, "category": "other"})
    assert page.text.count('<tr class="deviation">') == 1
    assert client.get("/deviations/", {"start": month, "end": "2020-01"}).status_code == 400


def test_another_municipality_sees_none_and_the_region_all_unlinked(
    client, login, officer_b, region_finance, deviations
):
    login(officer_b)
    assert client.get("/deviations/").text.count('<tr class="deviation">') == 0
    login(region_finance)
    page = client.get("/deviations/").text
    assert page.count('<tr class="deviation">') == len(deviations) + 2
    assert 'href="/episodes/' not in page  # the region's staff have no episode pages


def test_the_csv_is_formula_safe_and_the_reads_are_audited(client, login, officer_a, deviations):
    login(officer_a)
    response = client.get("/deviations/deviations.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(deviations) + 2
    assert {r["Text"] for r in rows if r["Kategori"] == "Annat"} == {'\'=HYPERLINK("http://x")'}
    assert {r["Föreslagen"] for r in rows} == {"ja", "nej"}
    assert AuditEntry.objects.filter(purpose="deviations download", action="read").exists()
    client.get("/deviations/")
    assert AuditEntry.objects.filter(purpose="deviation follow-up", action="read").exists()
