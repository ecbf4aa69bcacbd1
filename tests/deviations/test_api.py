"""The deviation follow-up over the API: the page's counts and list for the same filters, scoped
(Borlänge sees none of Falun's, the region's staff all on their wards), the list's reads audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from audit.reads import patients_read, references
from utskrivning.audit.models import AuditEntry
from utskrivning.episodes.models import Episode
from web.test_deviation_pages import _tally, deviations, episode

pytestmark = pytest.mark.django_db
__all__ = ["deviations", "episode"]  # the page tests' fixtures: two reported, the rest proposed

CAPTIONS = {"by_category": "Per kategori", "by_organisation": "Per organisation",
            "by_month": "Per månad"}  # fmt: skip


def rows(tallies: list[dict]) -> list[list[str]]:
    """A tally as the page's table shows it: label, proposed, reported, total."""
    return [[t["label"], str(t["proposed"]), str(t["reported"]), str(t["total"])] for t in tallies]


@pytest.mark.parametrize("tally", sorted(CAPTIONS))
def test_the_counts_are_the_page_s(client, login, api, officer_a, deviations, tally):
    login(officer_a)
    page = client.get("/deviations/").text
    body = api(officer_a, "deviations/followup").json()
    assert rows(body[tally]) == _tally(page, CAPTIONS[tally])
    assert body["total"]["total"] == len(deviations) + 2


def test_counts_have_untranslated_keys_and_the_list_names_episodes(api, officer_a, deviations):
    body = api(officer_a, "deviations/followup").json()
    by_category = {t["key"]: (t["proposed"], t["reported"]) for t in body["by_category"]}
    assert by_category == {
        "missed_deadline": (len(deviations), 0), "other": (0, 1), "step_not_done": (0, 1),
    }  # fmt: skip
    assert [t["key"] for t in body["by_month"]] == [f"{timezone.localdate():%Y-%m}"]
    listed = body["deviations"]
    assert len(listed) == len(deviations) + 2
    assert {d["episode_id"] for d in listed} == {deviations[0].episode_id}
    assert sum(d["proposed"] for d in listed) == len(deviations)


def test_the_filters_narrow_by_category_and_period(api, officer_a, deviations):
    month = f"{timezone.localdate():%Y-%m}"
    other = api(officer_a, "deviations/followup", start=month, end=month, category="other").json()
    assert [d["category"] for d in other["deviations"]] == ["other"]
    assert other["category"] == "other"
    old = api(officer_a, "deviations/followup", start="2020-01", end="2020-12").json()
    assert (old["deviations"], old["total"]["total"]) == ([], 0)


def test_another_municipality_sees_none_and_the_region_all(
    api, officer_b, region_finance, deviations
):
    assert api(officer_b, "deviations/followup").json()["deviations"] == []
    body = api(region_finance, "deviations/followup").json()
    assert len(body["deviations"]) == len(deviations) + 2


@pytest.mark.parametrize(
    ("query", "field"),
    [({"start": "2020-13"}, "start"), ({"end": "soon"}, "end"), ({"category": "late"}, "category"),
     ({"start": "2026-05", "end": "2026-01"}, "end"), ({"end": "9999-12"}, "end"),
     ({"start": "0001-01"}, "start")],
)  # fmt: skip
def test_a_bad_filter_is_a_422_naming_it(api, officer_a, deviations, query, field):
    response = api(officer_a, "deviations/followup", **query)
    assert response.status_code == 422, response.content
    assert response.json()["field"].split(".")[-1] == field
    assert not AuditEntry.objects.filter(purpose="deviation follow-up").exists()


def test_the_list_s_reads_are_audited_once_per_episode(api, officer_a, deviations):
    api(officer_a, "deviations/followup")
    read = patients_read(purpose__contains="deviation follow-up", user=officer_a.user)
    assert read == references([deviations[0].episode])


def test_the_csv_is_the_page_s_download(client, login, api, officer_a, deviations):
    response = api(officer_a, "deviations/followup.csv")
    assert response["Content-Type"].startswith("text/csv")
    listed = list(csv.DictReader(io.StringIO(response.content.decode())))
    login(officer_a)
    assert response.content == client.get("/deviations/deviations.csv").content
    assert len(listed) == len(deviations) + 2
    assert AuditEntry.objects.filter(purpose="deviations download", user=officer_a.user).exists()


def test_without_a_token_the_follow_up_answers_401(client):
    assert client.get("/api/deviations/followup").status_code == 401


def test_an_episode_s_deviations_are_the_page_s_newest_first(api, officer_a, deviations):
    pk = deviations[0].episode_id
    listed = api(officer_a, f"deviations/episodes/{pk}").json()
    assert len(listed) == len(deviations) + 2
    created = [d["created"] for d in listed]
    assert created == sorted(created, reverse=True)
    read = patients_read(purpose__contains="episode deviations", user=officer_a.user)
    assert read == references(Episode.objects.filter(pk=pk).select_related("patient"))


@pytest.mark.parametrize("member", ["officer_b", "region_finance"])
def test_who_does_not_see_the_episode_gets_404(request, api, member, deviations):
    response = api(
        request.getfixturevalue(member), f"deviations/episodes/{deviations[0].episode_id}"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "No such episode."
    assert not AuditEntry.objects.filter(purpose="episode deviations").exists()
