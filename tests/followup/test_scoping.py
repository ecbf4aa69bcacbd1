"""Who sees which figures: a municipality only its own, the region all of its municipalities."""

from __future__ import annotations

import pytest

from audit.reads import patients_read, references
from utskrivning.episodes.models import Episode
from utskrivning.organisations.models import Kind, Membership, Organisation, Role
from utskrivning.organisations.permissions import Action, can

pytestmark = pytest.mark.django_db

MARCH = "/followup/?from=2020-03&to=2020-03"


def test_municipality_b_sees_only_its_own_figures(client, login, analyst_b, falun, episodes):
    login(analyst_b)
    page = client.get(MARCH).text
    assert 'data-key="2081"' in page
    assert 'data-key="2080"' not in page
    assert "Falun" not in page
    # Borlänge's March: B1 with 7 ready days and B2 with none.
    assert 'data-key="2020-03" data-value="3.5"' in page


@pytest.mark.parametrize(
    "path",
    ["/followup/?organisation={falun}", "/followup/data/trend.csv?organisation={falun}",
     "/followup/report/{falun}/2020-03.pdf", "/followup/report/{region}/2020-03.xlsx"],
)  # fmt: skip
def test_municipality_b_may_not_ask_for_a_s_or_the_region_s(
    client, login, analyst_b, falun, region, path
):
    login(analyst_b)
    assert client.get(path.format(falun=falun.pk, region=region.pk)).status_code == 403


@pytest.mark.parametrize("member", ["nurse", "officer_a"])
def test_care_staff_and_case_officers_have_no_dashboard(client, login, request, member):
    login(request.getfixturevalue(member))
    assert client.get("/followup/").status_code == 403
    assert "/followup/" not in client.get("/").text


def test_the_region_sees_every_municipality_and_narrows_to_one(
    client, login, region_finance, falun, episodes
):
    login(region_finance)
    assert 'href="/followup/"' in client.get("/", follow=True).text  # its start page
    whole = client.get(MARCH).text
    assert 'data-key="2080"' in whole and 'data-key="2081"' in whole
    narrowed = client.get(f"{MARCH}&organisation={falun.pk}").text
    assert 'data-key="2080"' in narrowed and 'data-key="2081"' not in narrowed


def test_each_patient_read_for_the_dashboard_is_audited(client, login, analyst_a, episodes):
    login(analyst_a)
    client.get(MARCH)
    read = patients_read(
        purpose__contains="follow-up dashboard", organisation__municipality_code="2080"
    )
    falun = Episode.objects.filter(external_id__startswith="F").select_related("patient")
    assert read == references(falun)


def test_the_region_narrows_to_a_hospital_too(client, login, region_finance, ward, episodes):
    login(region_finance)
    hospital = ward.parent
    page = client.get(f"{MARCH}&organisation={hospital.pk}").text
    assert 'data-key="2080"' in page and 'data-key="2081"' in page  # both are treated there
    assert f"/followup/report/{hospital.pk}/" not in page
    assert client.get(f"/followup/report/{hospital.pk}/2020-03.pdf").status_code == 404


def test_the_report_s_reads_are_audited(client, login, region_finance, region, episodes):
    login(region_finance)
    client.get(f"/followup/report/{region.pk}/2020-03.xlsx")
    read = patients_read(purpose__contains="follow-up monthly report")
    assert read == references(Episode.objects.select_related("patient"))  # B3 in hospital too
    assert Episode.objects.count() == 7


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.ADMINISTRATOR, Kind.REGION, True),
        (Role.ANALYST, Kind.REGION, True),
        (Role.FINANCE, Kind.DISTRICT, True),
        (Role.ADMINISTRATOR, Kind.WARD, False),
        (Role.CASE_OFFICER, Kind.MUNICIPALITY, False),
        (Role.PRIMARY_CARE_HEAD, Kind.PRIMARY_CARE, False),
    ],
)
def test_who_may_see_follow_up(role, kind, allowed):
    membership = Membership(role=role, organisation=Organisation(kind=kind))
    assert can(membership, Action.VIEW_FOLLOWUP) is allowed
