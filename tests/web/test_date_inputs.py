"""Dates are typed as ÅÅÅÅ-MM-DD whatever the browser's language (lib/date_inputs.py).

Chromium draws `<input type="date">`, `month` and `datetime-local` in its own interface language,
not the page's: on the service's Swedish pages an English Chromium showed "mm/dd/yyyy" and
"--------- ----" (checked with Playwright, locale sv-SE, lang="sv" on the page: the same). So no
template and no form of the service may use them; each date is text with its format beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.utils import translation

import utskrivning
from utskrivning.lib.date_inputs import date_input
from utskrivning.web import forms

PACKAGE = Path(utskrivning.__file__).parent
BROWSER_DATES = re.compile(r"""type\s*[=:]\s*["'](date|month|datetime-local|time|week)["']""")


def test_no_template_or_form_draws_a_browser_date_input() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in [*PACKAGE.glob("*/templates/**/*.html"), *PACKAGE.glob("**/*.py")]
        for match in BROWSER_DATES.finditer(path.read_text(encoding="utf-8"))
        if path.name != "date_inputs.py"
    ]
    assert found == []


def _date_fields() -> list[tuple[str, django_forms.Field]]:
    return [
        (f"{name}.{field_name}", field)
        for name, form in vars(forms).items()
        if isinstance(form, type) and issubclass(form, django_forms.BaseForm)
        for field_name, field in form.base_fields.items()
        if isinstance(field, django_forms.DateField | django_forms.DateTimeField)
    ]


@pytest.mark.parametrize(("name", "field"), _date_fields(), ids=lambda v: str(v)[:40])
def test_each_date_field_is_text_with_its_format_beside_it(name: str, field) -> None:
    html = field.widget.render("x", None)
    assert 'type="text"' in html and 'pattern="[0-9]{4}-[0-9]{2}' in html, name
    with translation.override("sv"):
        assert str(field.help_text).startswith("ÅÅÅÅ-MM"), name


def test_the_template_tag_names_its_format_as_the_input_description() -> None:
    with translation.override("sv"):
        html = date_input("month", "month", "2020-03", id="m", required=True)
    assert '<span class="date-hint" id="m-hint">ÅÅÅÅ-MM</span>' in html
    assert 'type="text" id="m" name="month" value="2020-03"' in html
    assert 'aria-describedby="m-hint" required>' in html
    assert 'pattern="[0-9]{4}-[0-9]{2}"' in html


def test_a_value_is_escaped() -> None:
    html = date_input("at", "minute", '"><script>', id="a")
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
