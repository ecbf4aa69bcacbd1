"""The worklist for the day: counters, filters, search and order from the database, the
reader's own steps first by the soonest deadline, other parties' deadlines behind a toggle.

At NOW (12:00) the ward has three patients: LATE, admitted two days ago with no admission notice
(its 24 hours have passed); TODAY, admitted last night at 20:00 (the notice is due at 20:00
today); NOTIFIED, whose notice went out this morning (the ward owes readiness, no deadline). The
municipality and primary care have NOTIFIED and GERIATRIC (on the other ward), each owing a
receipt by the end of the next working day.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.reads import patients_read, references
from utskrivning.audit.models import AuditEntry
from utskrivning.domain.identity import valid_personal_number
from utskrivning.domain.process import Event, EventType, Party
from utskrivning.episodes.events import episode_history_facts
from utskrivning.episodes.models import Episode
from utskrivning.episodes.notes import note_mark_read, note_send
from utskrivning.episodes.services import episode_record_event, party_columns
from utskrivning.episodes.worklist import worklist_summary
from utskrivning.episodes.worklist_query import WorklistCounts

from .conftest import ADMITTED
from .test_api import auth

INPATIENT = Party.INPATIENT_CARE
NOW = ADMITTED + timedelta(hours=3)  # Monday 5 October 2026, 12:00 in Stockholm
NUMBERS = {name: valid_personal_number(date(1940, 2, k + 1), 11 + k) for k, name in enumerate(
    ("late", "today", "notified", "geriatric")
)}  # fmt: skip


@pytest.fixture
def day(cast):
    def admit(key, at, **kwargs):
        return cast.admit(at=at, personal_number=NUMBERS[key], **kwargs)

    late = admit("late", ADMITTED - timedelta(days=2), name="Lena Sen")
    today = admit("today", ADMITTED - timedelta(hours=13), name="Tove Idag")
    notified = admit("notified", ADMITTED - timedelta(hours=4), name="Nils Meddelad")
    cast.notify(notified, ADMITTED - timedelta(hours=3))
    geriatric = admit(
        "geriatric",
        ADMITTED - timedelta(hours=6),
        name="Greta Geriatrik",
        ward=cast.other_ward,
        care_type="geriatric",
        membership=cast.other_nurse,
    )
    sent = ADMITTED - timedelta(hours=5)
    notice = Event(
        EventType.ADMISSION_NOTICE_SENT,
        parties=frozenset(Party) - {INPATIENT},
        estimated_discharge=(ADMITTED + timedelta(days=5)).date(),
    )
    episode_record_event(
        episode=geriatric, event=notice, at=sent, recorded_at=sent, membership=cast.other_nurse
    )
    return {"late": late, "today": today, "notified": notified, "geriatric": geriatric}


def _rows(client, who, query=""):
    response = client.get(f"/api/episodes/worklist{query}", **auth(who))
    assert response.status_code == 200, response.content
    return response


def _names(response):
    return [row["patient_name"] for row in response.json()]


@time_machine.travel(NOW, tick=False)
def test_the_counters_are_one_aggregate_of_the_database(cast, day):
    with CaptureQueriesContext(connection) as queries:
        counts = worklist_summary(organisation=cast.ward, now=NOW)
    assert counts == WorklistCounts(total=3, needs_action=3, overdue=1, due_today=1)
    assert len(queries) == 2  # the aggregate, and the unread notes
    municipal = worklist_summary(organisation=cast.municipality_a, now=NOW)
    assert municipal == WorklistCounts(total=2, needs_action=2, overdue=0, due_today=0)
    # The receipts fall due at the end of Tuesday, the next working day.
    tuesday, wednesday = NOW + timedelta(days=1), NOW + timedelta(days=2)
    assert worklist_summary(organisation=cast.municipality_a, now=tuesday).due_today == 2
    assert worklist_summary(organisation=cast.municipality_a, now=wednesday).overdue == 2
    assert worklist_summary(organisation=cast.municipality_b, now=NOW).total == 0


@time_machine.travel(NOW, tick=False)
def test_the_summary_endpoint_counts_without_naming_a_patient(client, cast, day):
    before = AuditEntry.objects.count()
    response = client.get("/api/episodes/worklist/summary", **auth(cast.nurse))
    expected = {"total": 3, "needs_action": 3, "overdue": 1, "due_today": 1, "unread": 0}
    assert response.json() == expected
    assert not patients_read(pk__gt=before)


@time_machine.travel(NOW, tick=False)
def test_our_steps_come_first_the_most_overdue_first_not_the_oldest(client, cast, day):
    assert _names(_rows(client, cast.nurse)) == ["Lena Sen", "Tove Idag", "Nils Meddelad"]
    newest = _rows(client, cast.nurse, "?sort=admitted")
    assert _names(newest) == ["Nils Meddelad", "Tove Idag", "Lena Sen"]
    assert _names(_rows(client, cast.nurse, "?sort=name")) == [
        "Lena Sen", "Nils Meddelad", "Tove Idag"
    ]  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_the_counters_filters_show_what_they_count(client, cast, day):
    overdue = _rows(client, cast.nurse, "?due=overdue")
    assert _names(overdue) == ["Lena Sen"] and overdue["X-Total-Count"] == "1"
    assert _names(_rows(client, cast.nurse, "?due=today")) == ["Tove Idag"]
    assert len(_names(_rows(client, cast.nurse, "?mine=1"))) == 3
    # Once the notice is sent the ward owes readiness still, but no deadline is running.
    cast.notify(day["today"], NOW)
    assert _names(_rows(client, cast.nurse, "?due=today")) == []


@time_machine.travel(NOW, tick=False)
def test_state_care_type_and_ward_filter_the_municipality_s_worklist(client, cast, day):
    officer = cast.officer_a
    assert sorted(_names(_rows(client, officer))) == ["Greta Geriatrik", "Nils Meddelad"]
    assert _names(_rows(client, officer, "?care_type=geriatric")) == ["Greta Geriatrik"]
    assert _names(_rows(client, officer, f"?ward={cast.ward.pk}")) == ["Nils Meddelad"]
    assert len(_names(_rows(client, officer, "?state=notified"))) == 2
    assert _names(_rows(client, officer, "?state=ready")) == []


@pytest.mark.parametrize(
    "search",
    ["Greta", "geriatrik", NUMBERS["geriatric"], f"{NUMBERS['geriatric'][:8]}-"
     f"{NUMBERS['geriatric'][8:]}", NUMBERS["geriatric"][2:], NUMBERS["geriatric"][:8]],
)  # fmt: skip
@time_machine.travel(NOW, tick=False)
def test_search_by_name_or_personnummer(client, cast, day, search):
    assert _names(_rows(client, cast.officer_a, f"?q={search}")) == ["Greta Geriatrik"]


@time_machine.travel(NOW, tick=False)
def test_a_search_finds_only_the_organisation_s_own_patients(client, cast, day):
    assert _names(_rows(client, cast.officer_b, f"?q={NUMBERS['geriatric']}")) == []
    assert _names(_rows(client, cast.other_nurse, "?q=Lena")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?q=١٩٤٠٠٢٠٤", "q"),  # Arabic-Indic digits: not a personnummer to us
        ("?q=Greta 4", "q"),
        ("?q=" + "a" * 101, "q"),
        ("?q=%00", "q"),
        ("?state=closed", "state"),
        ("?care_type=dental", "care_type"),
        ("?ward=٣", "ward"),
        ("?ward=99999999999999999999", "ward"),
        ("?due=tomorrow", "due"),
        ("?sort=oldest", "sort"),
        ("?mine=yes", "mine"),
    ],
)
def test_a_wrong_filter_is_refused_naming_it(client, cast, query, field):
    response = client.get(f"/api/episodes/worklist{query}", **auth(cast.nurse))
    assert response.status_code == 422
    assert response.json()["field"] == field


@time_machine.travel(NOW, tick=False)
def test_other_parties_deadlines_only_behind_the_toggle(client, cast, day):
    (row, *_) = _rows(client, cast.officer_a, "?q=Nils").json()
    assert {d["party"] for d in row["deadlines_coming"]} == {Party.MUNICIPALITY}
    assert "other_parties_deadlines" not in row
    (row, *_) = _rows(client, cast.officer_a, "?q=Nils&others=1").json()
    assert {d["party"] for d in row["other_parties_deadlines"]} == {Party.PRIMARY_CARE}


@time_machine.travel(NOW, tick=False)
def test_the_page_has_counters_filters_and_the_toggle_in_swedish(client, cast, day):
    client.force_login(cast.officer_a.user)
    page = client.get("/").text
    assert '<span class="count">2</span> väntar på oss' in page
    assert '<span class="count">0</span> försenade' in page
    assert "Primärvården" not in page  # the unit's deadlines, behind the toggle
    shown = client.get("/", {"others": "1", "q": "Nils"}).text
    assert "Kvittens (Primärvården)" in shown and "Greta Geriatrik" not in shown
    assert 'href="?' in shown and "Rensa filtren" in shown


@time_machine.travel(NOW, tick=False)
def test_a_wrong_search_is_said_beside_the_field_and_a_hand_made_filter_is_a_400(client, cast):
    client.force_login(cast.nurse.user)
    response = client.get("/", {"q": "١٩٤٠"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert "personnummer skrivet med 0–9" in response.text
    assert client.get("/", {"state": "closed"}).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_a_filtered_page_audits_only_the_patients_it_shows(client, cast, day):
    before = AuditEntry.objects.count()
    _rows(client, cast.nurse, "?due=overdue")
    read = patients_read(purpose="worklist", pk__gt=before)
    assert read == references(Episode.objects.filter(pk=day["late"].pk).select_related("patient"))


def test_the_row_s_deadline_columns_are_the_history_s(cast, day):
    """The columns are written with each event, and folding the history gives the same."""
    late = Episode.objects.get(pk=day["late"].pk)
    assert late.inpatient_care_owes and late.inpatient_care_due == ADMITTED - timedelta(days=1)
    assert late.municipality_due is None and not late.municipality_owes
    notified = Episode.objects.get(pk=day["notified"].pk)
    assert notified.inpatient_care_due is None and notified.inpatient_care_owes
    assert notified.municipality_owes and notified.primary_care_owes
    for episode in Episode.objects.all():
        folded = party_columns(episode_history_facts(episode))
        assert {name: getattr(episode, name) for name in folded} == folded


@time_machine.travel(NOW, tick=False)
def test_unread_notes_are_counted_and_filtered_until_acknowledged(client, cast, day):
    note = note_send(
        episode=day["notified"],
        membership=cast.nurse,
        text="Patienten behöver hemtjänst fyra gånger om dagen.",
        parties=[Party.MUNICIPALITY],
    )
    assert worklist_summary(organisation=cast.municipality_a, now=NOW).unread == 1
    assert worklist_summary(organisation=cast.primary_care, now=NOW).unread == 0
    assert _names(_rows(client, cast.officer_a, "?unread=1")) == ["Nils Meddelad"]
    client.force_login(cast.officer_a.user)
    page = client.get("/").text
    assert '<span class="count">1</span> olästa meddelanden' in page
    assert "1 oläst</span>" in page
    note_mark_read(note=note, membership=cast.officer_a)
    assert worklist_summary(organisation=cast.municipality_a, now=NOW).unread == 0
    assert _names(_rows(client, cast.officer_a, "?unread=1")) == []


def test_the_migration_fills_the_columns_of_episodes_stored_before_it(cast, day):
    from django.apps import apps

    fill = import_module("utskrivning.episodes.migrations.0011_worklist_columns").fill
    expected = {e.pk: party_columns(episode_history_facts(e)) for e in Episode.objects.all()}
    blank = {f"{party}_due": None for party in Party} | {f"{party}_owes": False for party in Party}
    Episode.objects.update(**blank)
    fill(apps, None)
    for episode in Episode.objects.all():
        assert {name: getattr(episode, name) for name in blank} == expected[episode.pk]
