"""Every page of every demo role, with data, reads Swedish (issue 11 item 5): a page that shows
an English msgid our catalogues translate, or English words, fails, naming the text."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils.translation import trans_real

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.episodes.demo import seed_demo_episodes
from utskrivning.service.commands import seed_demo

from .untranslated import untranslated

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=STOCKHOLM)
# Not pages of ours to read: Django's admin, signing out, the language switch, the API, files.
LEFT_OUT = re.compile(r"^/(admin|api|i18n|static)/|^/accounts/logout/|\.(csv|xlsx|pdf)$")
MAX_PAGES = 60  # per role: one page of each kind (ids and numbers make no new kind)


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        logins = seed_demo()
        seed_demo_episodes(count=40, now=NOW)
    return logins


def _kind(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+", "N", parts.path) + "?" + query


def _links(html: str) -> list[str]:
    return [
        href.replace("&amp;", "&")
        for href in re.findall(r'href="([^"#]+)"', html)
        if href.startswith("/") and not LEFT_OUT.search(href)
    ]


def crawl(client) -> dict[str, str]:
    """The role's pages reached from its worklist: one of each kind, with its HTML."""
    seen: dict[str, str] = {}
    queue = ["/", "/accounts/organisation/"]
    kinds: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if _kind(url) in kinds:
            continue
        kinds.add(_kind(url))
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        seen[url] = response.content.decode()
        queue += _links(seen[url])
    return seen


def test_every_role_s_pages_read_swedish(client, demo):
    found: list[str] = []
    pages = 0
    with time_machine.travel(NOW, tick=False):
        for login in demo:
            client.force_login(_user(login.username))
            for url, html in crawl(client).items():
                pages += 1
                found += [
                    f"{login.username} {url} {text}"
                    for text in dict.fromkeys(untranslated(html))
                    if not any(text in earlier for earlier in found)
                ]
            client.logout()
    assert found == [], "\n".join(found)
    assert pages >= 4 * len(demo), pages  # the walk reached each role's pages, not its door only


def test_a_missing_translation_fails_the_check(client):
    """The check can fail: "Worklist" without its Swedish is found on the worklist."""
    catalog = trans_real.translation("sv")._catalog  # type: ignore[attr-defined]
    kept = catalog["Worklist"]
    with time_machine.travel(NOW, tick=False):
        client.force_login(_user(seed_demo()[0].username))
        assert untranslated(client.get("/").content.decode()) == []
        catalog["Worklist"] = "Worklist"  # as gettext answers a msgid it does not have
        try:
            found = untranslated(client.get("/").content.decode())
        finally:
            catalog["Worklist"] = kept
    assert any("Worklist" in text for text in found), found


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
