"""Issue 14 class 13: every list is paged. Fifty 1 MB disputes made the disputes page 51 MB; the
disputes and the deviation follow-up now answer a page (default 50, at most 500) on the screen and
over the API, with the total and links to the neighbouring pages that keep the list's filters."""

from __future__ import annotations

import pytest

from utskrivning.episodes.models import Deviation
from utskrivning.payment.models import InvoiceDispute

from .conftest import auth

BIG = "x" * 20_000
MANY = 60


@pytest.fixture
def disputes(cast):
    InvoiceDispute.objects.bulk_create(
        InvoiceDispute(municipality=cast.municipality_a, month="2026-10",
                       rulebook_id="dalarna-2020", text=f"{n} {BIG}",
                       opened_by=cast.finance_a.user)
        for n in range(MANY)
    )  # fmt: skip
    return cast


def test_the_disputes_api_answers_a_page_with_total_and_links(client, disputes):
    first = client.get("/api/payment/disputes", **auth(disputes.finance_region))
    assert first.status_code == 200, first.content[:300]
    assert len(first.json()) == 50
    assert first["X-Total-Count"] == str(MANY)
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    second = client.get("/api/payment/disputes", {"page": "2"}, **auth(disputes.finance_region))
    assert len(second.json()) == MANY - 50
    seen = {d["id"] for d in first.json()} | {d["id"] for d in second.json()}
    assert len(seen) == MANY


@pytest.mark.parametrize(
    ("name", "value"), [("page", "٢"), ("page", "0"), ("limit", "501"), ("limit", "²")]
)
def test_a_page_or_limit_in_other_digits_or_out_of_range_is_refused(client, disputes, name, value):
    response = client.get("/api/payment/disputes", {name: value}, **auth(disputes.finance_region))
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"].rsplit(".", 1)[-1] == name


def _log_in(client, membership):
    client.force_login(membership.user)


def test_the_disputes_page_shows_one_page(client, disputes):
    _log_in(client, disputes.finance_region)
    page = client.get("/disputes/")
    assert page.status_code == 200
    assert page.content.decode().count(BIG) == 50
    assert len(page.content) < 50 * len(BIG) + 500_000
    assert 'rel="next"' in page.content.decode()
    assert client.get("/disputes/", {"page": "٢"}).status_code == 400


@pytest.fixture
def deviations(cast, notified):
    Deviation.objects.bulk_create(
        Deviation(episode=notified, category="other", text=f"{n}", organisation=cast.ward,
                  user=cast.nurse.user)
        for n in range(MANY)
    )  # fmt: skip
    return cast


def test_the_deviation_followup_api_pages_its_list_and_counts_the_period(client, deviations):
    response = client.get(
        "/api/deviations/followup", {"category": "other"}, **auth(deviations.nurse)
    )
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert len(body["deviations"]) == 50
    assert body["total"]["reported"] + body["total"]["proposed"] == MANY  # the counts: all
    assert response["X-Total-Count"] == str(MANY)
    assert "category=other" in response["Link"] and "page=2" in response["Link"]


def test_the_deviation_page_pages_its_list_keeping_the_filters(client, deviations):
    _log_in(client, deviations.nurse)
    page = client.get("/deviations/", {"page": "2"})
    assert page.status_code == 200
    assert page.content.decode().count('class="deviation"') == MANY - 50
    assert client.get("/deviations/", {"limit": "99999"}).status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/episodes/deviations", "/api/deviations/episodes/{pk}"], ids=["all", "episode"]
)
def test_the_api_answers_the_deviations_a_page_at_a_time(client, deviations, notified, url):
    """Unpaged, the list of every deviation on the caller's episodes grew without end."""
    url = url.format(pk=notified.pk)
    first = client.get(url, **auth(deviations.nurse))
    assert first.status_code == 200, first.content[:300]
    assert len(first.json()) == 50
    assert first["X-Total-Count"] == str(MANY)
    assert "page=2" in first["Link"]
    second = client.get(url, {"page": "2"}, **auth(deviations.nurse)).json()
    assert len({d["id"] for d in first.json()} | {d["id"] for d in second}) == MANY
    refused = client.get(url, {"limit": "٥"}, **auth(deviations.nurse))
    assert (refused.status_code, refused.json()["field"]) == (422, "limit")


def test_the_unread_notes_come_a_page_at_a_time(client, cast):
    from utskrivning.domain.process import Party
    from utskrivning.episodes.notes import note_send

    for number in ["200001010008", "200001020007", "200001030006"]:
        episode = cast.admit(personal_number=number)
        cast.notify(episode, episode.admitted_at)
        note_send(episode=episode, membership=cast.nurse, text="Ring", parties={Party.MUNICIPALITY})
    first = client.get("/api/episodes/notes/unread", {"limit": "2"}, **auth(cast.officer_a))
    assert first.status_code == 200, first.content[:300]
    assert len(first.json()) == 2 and first["X-Total-Count"] == "3"
    second = client.get("/api/episodes/notes/unread", {"page": "2", "limit": "2"},
                        **auth(cast.officer_a)).json()  # fmt: skip
    assert len({row["episode_id"] for row in first.json() + second}) == 3
    refused = client.get("/api/episodes/notes/unread", {"page": "0"}, **auth(cast.officer_a))
    assert (refused.status_code, refused.json()["field"]) == (422, "page")
