"""The layout: Swedish first, English after switching, login required, htmx from our own files."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/episodes/1/",
    "/invoices/",
    "/invoices/2080/2026-10/",
    "/invoices/2080/2026-10/basis.xlsx",
    "/invoices/2080/2026-10/basis.pdf",
    "/invoices/2080/2026-10/episodes.csv",
    "/import/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_asks_for_a_login_first(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_the_layout_is_swedish_and_loads_htmx_and_css_from_static_files(client):
    response = client.get("/accounts/login/")
    assert '<html lang="sv">' in response.text
    assert "Samverkan vid utskrivning" in response.text
    assert "/static/web/htmx.min.js" in response.text
    assert "/static/web/site.css" in response.text
    assert "style=" not in response.text  # the CSP allows no inline styles
    assert "<script>" not in response.text  # nor inline scripts


def test_switching_to_english_translates_the_layout(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert '<html lang="en">' in page.text
    assert "Coordinated discharge" in page.text
    assert ">svenska</button>" in page.text  # the way back, in its own language


def test_the_header_shows_the_user_organisation_role_and_navigation(client, login, officer_a):
    login(officer_a)
    page = client.get("/accounts/organisation/")
    assert "Falun" in page.text
    assert "Ansvarig handläggare" in page.text
    assert "Arbetslista" in page.text
    assert "Fakturaunderlag" not in page.text  # finance's and analysts' (permissions.READ)
    assert "Logga ut" in page.text
    assert "/admin/" not in page.text


def test_administrators_get_the_admin_link(client, login, region):
    from service.factories import MembershipFactory
    from utskrivning.organisations.models import Role

    admin = MembershipFactory(organisation=region, role=Role.ADMINISTRATOR)
    login(admin)
    page = client.get("/accounts/organisation/")
    assert "/admin/" in page.text
    assert "/import/" in page.text


def test_htmx_is_vendored():
    from pathlib import Path

    import utskrivning.web

    htmx = Path(utskrivning.web.__file__).parent / "static" / "web" / "htmx.min.js"
    assert htmx.read_text().startswith("var htmx=function()")
