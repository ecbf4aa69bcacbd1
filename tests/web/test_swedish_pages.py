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

from .untranslated import file_texts, untranslated, untranslated_texts

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=STOCKHOLM)
# Not pages of ours to read: Django's admin, signing out, the language switch, the API, files.
LEFT_OUT = re.compile(r"^/(admin|api|i18n|static)/|^/accounts/logout/|\.(csv|xlsx|pdf)$")
refused: set[str] = set()  # the refused forms the walk answered, to show that it posted them
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
    """Also the answers to wrongly posted forms and the text of the downloaded files."""
    found: list[str] = []
    files: set[str] = set()
    refused.clear()
    pages = 0
    with time_machine.travel(NOW, tick=False):
        for login in demo:
            client.force_login(_user(login.username))
            seen = crawl(client)
            answers = {**seen, **refusals(client, seen)}
            for url, html in answers.items():
                pages += 1
                found += _news(found, f"{login.username} {url}", untranslated(html))
            for url, texts in downloads(client, seen, files).items():
                found += _news(found, f"{login.username} {url}", untranslated_texts(texts))
            client.logout()
    assert found == [], "\n".join(found)
    assert pages >= 4 * len(demo), pages  # the walk reached each role's pages, not its door only
    # The refused admission and step were answered, and both kinds of file were read.
    assert {"/episodes/new/ (refused)", "step (refused)"} <= refused, refused
    assert len(files) == 4, files  # the invoice basis and the monthly report, each as XLSX and PDF


def _news(found: list[str], where: str, texts: list[str]) -> list[str]:
    return [
        f"{where} {text}"
        for text in dict.fromkeys(texts)
        if not any(text in earlier for earlier in found)
    ]


def downloads(client, pages: dict[str, str], kinds: set[str]) -> dict[str, list[str]]:
    """The text of each kind of XLSX and PDF the pages link to, one of each kind per walk (the CSV
    files are machine formats: the episode file re-imports, the chart data has the API's names)."""
    texts = {}
    for html in pages.values():
        for href in re.findall(r'href="(/[^"#?]+\.(?:xlsx|pdf))"', html):
            if _kind(href) in kinds:
                continue
            kinds.add(_kind(href))
            response = client.get(href)
            assert response.status_code == 200, href
            texts[href] = file_texts(response.content, href.rsplit(".", 1)[-1])
    return texts


def refusals(client, pages: dict[str, str]) -> dict[str, str]:
    """The answers to forms posted wrong: an admission with a wrong check digit, and a step the
    episode's state does not have (closing an open stay), where the role may post them."""
    answers = {}
    if "/episodes/new/" in pages:
        wrong = {"personal_number": "19121212-1213", "name": "Test", "home_municipality": "2080",
                 "care_type": "somatic"}  # fmt: skip
        answers["/episodes/new/ (refused)"] = client.post("/episodes/new/", wrong).content.decode()
    episode = next((u for u in pages if re.fullmatch(r"/episodes/[0-9]+/", u)), None)
    if episode is not None:
        response = client.post(f"{episode}events/", {"event": "closed"})
        if response.status_code in (200, 422):
            answers["step (refused)"] = response.content.decode()
    refused.update(answers)
    return answers


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


def test_a_missing_translation_fails_on_a_refusal_and_in_a_file(client):
    """The walk's new parts can fail too: "wrong check digit" on the refused admission, and the
    report PDF's "Payment liability per municipality", each without its Swedish, are found."""
    catalog = trans_real.translation("sv")._catalog  # type: ignore[attr-defined]
    wrong = {"personal_number": "19121212-1213", "name": "Test", "home_municipality": "2080",
             "care_type": "somatic"}  # fmt: skip
    heading = "Payment liability per municipality"
    kept = {msgid: catalog[msgid] for msgid in ("wrong check digit", heading)}
    with time_machine.travel(NOW, tick=False):
        seed_demo()
        report = f"/followup/report/{_user('ekonom').memberships.get().organisation_id}/2026-10.pdf"

        def found() -> list[str]:
            client.force_login(_user("sjukskoterska"))
            page = untranslated(client.post("/episodes/new/", wrong).content.decode())
            client.force_login(_user("ekonom"))
            return page + untranslated_texts(file_texts(client.get(report).content, "pdf"))

        assert found() == []
        for msgid in kept:
            catalog[msgid] = msgid  # as gettext answers a msgid it does not have
        try:
            missing = found()
        finally:
            for msgid, swedish in kept.items():
                catalog[msgid] = swedish
    assert any("wrong check digit" in text for text in missing), missing
    assert any(heading in text for text in missing), missing
