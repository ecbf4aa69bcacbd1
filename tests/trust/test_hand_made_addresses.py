"""What the red team found on the demo after the issue-14 work: pages and forms a hand-made
address or a posted value reached around the ASCII-digit and period rules, and the demo's
answer to a refused address being Django's debug page (a traceback with the settings)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from utskrivning.episodes.models import Episode
from utskrivning.organisations.api_key_views import IssueForm

pytestmark = pytest.mark.django_db

OTHER_DIGITS = ["٢٠٢٦-٠١", "２０２６-01", "²⁰²⁶-01"]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("nurse", "/?page=٢"),
        ("finance_region", "/disputes/?page=²"),
        ("finance_region", "/deviations/?page=２"),
        ("finance_region", "/followup/?from=٢٠٢٦-٠١"),
        ("finance_region", "/deviations/deviations.csv?start=9999-12&end=9999-12"),
    ],
)
def test_a_refused_address_is_the_swedish_400_page_even_in_debug(client, cast, settings, who, path):
    settings.DEBUG = True  # the demo's setting, where Django answers with its debug page
    client.force_login(getattr(cast, who).user)
    client.raise_request_exception = False
    answer = client.get(path)
    assert answer.status_code == 400
    assert "Traceback" not in answer.text and "DATABASES" not in answer.text
    assert 'lang="sv"' in answer.text


@pytest.mark.parametrize(
    "query",
    [
        {"end": "9999-12"},  # the end alone: once silently the last twelve months
        {"start": "9999-12", "end": "9999-12"},
        {"start": "2026-01"},
        *({"start": month, "end": "2026-11"} for month in OTHER_DIGITS),
    ],
)
def test_the_deviation_period_is_refused_on_the_page_and_in_the_download(client, cast, query):
    client.force_login(cast.finance_region.user)
    client.raise_request_exception = False
    assert client.get("/deviations/", query).status_code == 400
    download = client.get("/deviations/deviations.csv", query)
    assert download.status_code == 400
    assert "Content-Disposition" not in download


def test_a_plain_period_still_downloads(client, cast):
    client.force_login(cast.finance_region.user)
    download = client.get("/deviations/deviations.csv", {"start": "2026-01", "end": "2026-11"})
    assert download.status_code == 200
    assert "avvikelser-2026-01-2026-11.csv" in download["Content-Disposition"]


def _post_estimate(client, episode, text):
    return client.post(
        f"/episodes/{episode.pk}/events/",
        {"event": "estimated_discharge_changed", "estimated_discharge": text},
    )


@pytest.mark.parametrize("zero", ["0", "٠", "０", "۰"])  # the same date in other digits
def test_an_estimated_date_on_the_episode_page_is_ascii_digits(client, cast, notified, zero):
    client.force_login(cast.nurse.user)
    plain = f"{timezone.localdate() + timedelta(days=3):%Y-%m-%d}"
    text = plain.translate({ord(str(d)): chr(ord(zero) + d) for d in range(10)})
    before = Episode.objects.get(pk=notified.pk).events.count()
    answer = _post_estimate(client, notified, text)
    written = Episode.objects.get(pk=notified.pk).events.count() - before
    assert (answer.status_code, written) == ((302, 1) if zero == "0" else (422, 0))


@pytest.mark.parametrize(
    ("days", "holder"), [("٣٠", "{pk}"), ("３０", "{pk}"), ("³⁰", "{pk}"), ("30", "{pk}٠")]
)
def test_a_number_or_id_in_a_form_is_ascii_digits(cast, days, holder):
    """Every form derives from one base, so a number (`int()` reads "٣٠" as 30) and a
    `ModelChoiceField`'s id (the database lookup reads "1٠" as 10) are both covered."""
    membership = cast.finance_region
    form = IssueForm(
        {"holder": holder.format(pk=membership.pk), "name": "System", "days": days},
        membership=membership,
    )
    assert not form.is_valid()
    assert set(form.errors) == {"holder" if days == "30" else "days"}


def test_the_same_form_in_ascii_digits_is_valid(cast):
    membership = cast.finance_region
    form = IssueForm(
        {"holder": str(membership.pk), "name": "S", "days": "30"}, membership=membership
    )
    assert form.is_valid(), form.errors


def _as_a_spreadsheet_reads(raw: str) -> list[list[str]]:
    """Rows as Excel splits them: a CR outside quotes ends a row as a LF does."""
    return list(csv.reader(io.StringIO(raw.replace("\r", "\n"), newline="")))


@pytest.mark.parametrize("text", ["x\r=1+2", "x\r\n=1+2", "\r@SUM(A1)", "ok\r+1"])
def test_a_line_break_in_free_text_starts_no_row_in_a_download(client, cast, notified, text):
    client.force_login(cast.nurse.user)
    client.post(f"/episodes/{notified.pk}/deviations/", {"category": "other", "text": text})
    client.force_login(cast.finance_region.user)
    raw = client.get("/deviations/deviations.csv").content.decode()
    rows = _as_a_spreadsheet_reads(raw)
    assert len(rows) == 2, rows  # the header and the one deviation
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
