"""The episode page's actions (issue 11 item 4): buttons that say what they do, a discharge
asking for confirmation and its time, refusals naming the field, a receipt saying what happened."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from utskrivning.episodes.models import EpisodeEvent
from web.test_pages import episode, post_event  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def _buttons(page: str) -> list[str]:
    return re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', page)


def confirmation(page: str) -> str | None:
    """What the page's result says happened (#result's success alert), None when nothing did."""
    said = re.search(r'<p class="[^"]*\bmet\b[^"]*"[^>]*>([^<]+)</p>', page)
    return said.group(1) if said else None


@pytest.fixture
def ready(client, login, physician, falun):
    """Admitted and declared ready three hours ago, so a discharge may claim the hour before."""
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        login(physician)
        admitted = client.post(
            "/episodes/new/",
            {"personal_number": "19121212-1212", "name": "Tolvan Tolvansson",
             "home_municipality": "2080", "care_type": "somatic"},
        )  # fmt: skip
        pk = int(admitted.url.strip("/").split("/")[-1])
        assert confirmation(post_event(client, pk, "ready_declared").text)
    login(physician)
    return pk


def test_buttons_say_what_they_do(client, login, physician, officer_a, episode):  # noqa: F811
    login(physician)
    assert "Meddela utskrivningsklar" in _buttons(client.get(f"/episodes/{episode}/").text)
    client.logout()
    login(officer_a)
    buttons = _buttons(client.get(f"/episodes/{episode}/").text)
    assert {"Kvittera", "Registrera samtycke"} <= set(buttons)
    assert "Samtycke registrerat" not in buttons  # the event's name, not the action


def test_the_discharge_form_asks_for_a_time_bounded_by_now_and_a_confirmation(client, ready):
    page = client.get(f"/episodes/{ready}/").text
    form = page[page.index('data-event="discharged"') :].split("</form>")[0]
    # Text in ÅÅÅÅ-MM-DD TT:MM, whatever the browser's language (a datetime-local showed
    # mm/dd/yyyy in an English Chromium); the server bounds it (the tests below).
    assert 'type="text" id="at-discharged" name="at"' in form
    assert f'value="{_local(timedelta()).replace("T", " ")}"' in form
    assert 'pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"' in form
    assert "ÅÅÅÅ-MM-DD TT:MM" in form
    assert 'name="confirm" required' in form
    assert "Skriv ut patienten" in _buttons(form)


def test_a_discharge_without_confirmation_is_refused_naming_the_field(client, ready):
    response = post_event(client, ready, "discharged", htmx=False, at=_local(timedelta()))
    assert response.status_code == 422
    assert "Bekräftelse: Bekräfta steget genom att kryssa i rutan." in response.text
    assert not EpisodeEvent.objects.filter(episode=ready, type="discharged").exists()


def test_a_discharge_is_recorded_at_the_time_given_and_says_so(client, ready):
    given = _local(-timedelta(hours=1))
    response = post_event(client, ready, "discharged", at=given, confirm="on")
    stored = EpisodeEvent.objects.get(episode=ready, type="discharged")
    assert timezone.localtime(stored.at).strftime("%Y-%m-%dT%H:%M") == given
    assert confirmation(response.text) == f"Patienten utskriven {given[-5:]}"
    assert "Utskriven" in response.text  # the state


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        (timedelta(hours=2), "Tidpunkt: Tiden ligger i framtiden."),
        (-timedelta(hours=30), "Tidpunkt: Tiden ligger mer än 24 timmar före registreringen."),
    ],
)
def test_a_discharge_time_out_of_bounds_is_refused_naming_the_field(client, ready, delta, reason):
    response = post_event(client, ready, "discharged", htmx=False, at=_local(delta), confirm="on")
    assert response.status_code == 422
    assert reason in response.text
    assert not EpisodeEvent.objects.filter(episode=ready, type="discharged").exists()


def test_a_discharge_time_not_written_as_one_is_refused_naming_the_field(client, ready):
    response = post_event(client, ready, "discharged", htmx=False, at="٢٠٢٦-01-01T10:00",
                          confirm="on")  # fmt: skip
    assert response.status_code == 422
    assert "Tidpunkt: Ange tidpunkten som ÅÅÅÅ-MM-DD TT:MM." in response.text
