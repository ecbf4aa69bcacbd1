"""The worklist a page at a time, in the API and on the screen: bounded, in deadline order (here
the admissions' notices, due 24 hours after each), and only the page's patients read and
audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from audit.reads import patients_read, references
from episodes.conftest import ADMITTED
from utskrivning.audit.models import AuditEntry
from utskrivning.domain.identity import valid_personal_number
from utskrivning.episodes.models import Episode
from utskrivning.lib.paging import MAX_LIMIT

from .test_api import auth

NOW = ADMITTED + timedelta(hours=3)


@pytest.fixture
def seven(cast):
    """Seven patients: one personnummer has one open stay at a time."""
    return [
        cast.admit(
            at=ADMITTED + timedelta(minutes=k),
            personal_number=valid_personal_number(date(1940, 1, 1), k),
        ).pk
        for k in range(7)
    ]


def _page(client, headers, query):
    response = client.get(f"/api/episodes/worklist{query}", **headers)
    assert response.status_code == 200, response.content
    return response


@time_machine.travel(NOW, tick=False)
def test_the_api_pages_the_worklist_in_deadline_order(client, cast, seven):
    headers = auth(cast.nurse)
    first = _page(client, headers, "?limit=3")
    assert first["X-Total-Count"] == "7"
    assert first["Link"] == '</api/episodes/worklist?page=2&limit=3>; rel="next"'
    pages = [
        first,
        _page(client, headers, "?page=2&limit=3"),
        _page(client, headers, "?page=3&limit=3"),
    ]
    ids = [[row["id"] for row in page.json()] for page in pages]
    assert ids == [seven[0:3], seven[3:6], seven[6:]]
    assert pages[2]["Link"] == '</api/episodes/worklist?page=2&limit=3>; rel="prev"'
    assert _page(client, headers, "?page=4&limit=3").json() == []


@time_machine.travel(NOW, tick=False)
def test_only_the_pages_patients_are_read_and_audited(client, cast, seven):
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    _page(client, auth(cast.nurse), "?limit=2")
    read = patients_read(purpose="worklist", pk__gt=max(before, default=0))
    assert read == references(Episode.objects.filter(pk__in=seven[:2]).select_related("patient"))


def test_the_default_page_is_bounded(client, cast):
    response = _page(client, auth(cast.nurse), "")
    assert response["X-Total-Count"] == "0"
    assert "Link" not in response


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=٣", "limit"),  # an Arabic-Indic three: a digit to \\d, not to us
        ("?limit=0", "limit"),
        (f"?limit={MAX_LIMIT + 1}", "limit"),
        ("?limit=+3", "limit"),
        ("?limit=3_0", "limit"),
        ("?page=0", "page"),
        ("?page=1e3", "page"),
        ("?page=99999999999999999999", "page"),
    ],
)
def test_a_wrong_page_or_limit_is_refused_naming_it(client, cast, query, field):
    response = client.get(f"/api/episodes/worklist{query}", **auth(cast.nurse))
    assert response.status_code == 422
    assert response.json()["field"] == field


@time_machine.travel(NOW, tick=False)
def test_the_screen_shows_a_page_and_links_the_next(client, cast, seven):
    client.force_login(cast.nurse.user)
    page = client.get("/", {"limit": "3"}).content.decode()
    assert "7 totalt" in page and "sida 1 av 3" in page
    assert 'href="?page=2&amp;limit=3" rel="next"' in page
    assert page.count(">Tolvan Tolvansson</a>") == 3
    last = client.get("/", {"page": "3", "limit": "3"}).content.decode()
    assert last.count(">Tolvan Tolvansson</a>") == 1 and 'rel="prev"' in last
    refused = client.get("/", {"page": "٣"})
    assert refused.status_code == 400
    assert "Felaktig begäran" in refused.content.decode()
