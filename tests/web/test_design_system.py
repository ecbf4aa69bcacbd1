"""Designsystemet is vendored at the Makefile's pinned version with its licences, its font is
served under WhiteNoise's hashed names, and Django's forms render on its classes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

import utskrivning.web

ROOT = Path(__file__).parents[2]
STATIC = Path(utskrivning.web.__file__).parent / "static" / "designsystemet"


def pinned(name: str) -> str:
    match = re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, name
    return match.group(1)


def test_the_vendored_files_are_the_pinned_versions_with_their_licences():
    readme = (STATIC / "README.md").read_text()
    assert f"| {pinned('DS_VERSION')} | MIT (css/LICENSE)" in readme
    assert f"| {pinned('DS_VERSION')} | MIT (theme/LICENSE)" in readme
    assert f"| {pinned('INTER_VERSION')} | OFL-1.1 (inter/LICENSE)" in readme
    for licence in ("css/LICENSE", "theme/LICENSE"):
        assert "Digitaliseringsdirektoratet" in (STATIC / licence).read_text()
    assert "SIL Open Font License" in (STATIC / "inter" / "LICENSE").read_text()
    assert ".ds-button{" in (STATIC / "css" / "index.css").read_text()
    axe = ROOT / "tests" / "browser" / "vendor"
    assert f'axe.version="{pinned("AXE_VERSION")}"' in (axe / "axe.min.js").read_text()
    assert "Mozilla Public License" in (axe / "LICENSE").read_text()


def test_collected_stylesheets_link_the_fonts_by_their_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "utskrivning.service.staticfiles.StaticFiles"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    [css] = (tmp_path / "designsystemet" / "inter").glob("inter.*.css")
    fonts = re.findall(r'url\("\./([^"]+)"\)', css.read_text())
    assert len(fonts) == 2
    for font in fonts:
        assert re.fullmatch(r"inter-latin(-ext)?-wght-normal\.[0-9a-f]{12}\.woff2", font)
        assert (css.parent / font).is_file()


@pytest.mark.django_db
def test_forms_render_as_designsystemet_fields(client):
    page = client.get("/accounts/login/").text
    assert '<div class="ds-field">' in page
    assert re.search(r'<label [^>]*class="ds-label"[^>]*>Användarnamn</label>', page)
    [username] = re.findall(r'<input [^>]*name="username"[^>]*>', page)
    assert 'class="ds-input"' in username


@pytest.mark.django_db
def test_the_navigation_marks_the_section_the_page_is_in(client, login, region_finance):
    login(region_finance)
    page = client.get("/invoices/").text
    assert '<a href="/invoices/" aria-current="page">Fakturaunderlag</a>' in page
    assert '<a href="/deviations/">Avvikelser</a>' in page
    assert 'class="ds-skip-link" href="#main">Hoppa till innehållet</a>' in page
    assert '<main id="main" tabindex="-1">' in page
