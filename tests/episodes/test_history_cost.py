"""A page and a write cost the same whatever the episode's history (issue 15): they read the row
and the page of the timeline they show, never every event. Counted in queries, which is what
grows with the history when a read walks it, and the timeline paged from its latest event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from utskrivning.domain.process import Event, EventType, deadlines
from utskrivning.episodes.events import episode_facts_of, event_to_payload
from utskrivning.episodes.models import EpisodeEvent
from utskrivning.episodes.projection import episode_rebuild
from utskrivning.episodes.selectors import SHOWN_HISTORY, TIMELINE_PAGE, EventRow
from utskrivning.episodes.services import episode_record_event

from .conftest import ADMITTED
from .test_api import auth

SHORT, LONG = 10, 200


def _with_history(cast, events: int, personal_number: str):
    """An admitted, notified episode with `events` events in all: changes of the estimated
    discharge date, each a minute after the one before, folded into the row."""
    episode = cast.admit(personal_number=personal_number)
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    start = ADMITTED + timedelta(hours=2)
    EpisodeEvent.objects.bulk_create(
        EpisodeEvent(
            episode=episode,
            type=EventType.ESTIMATED_DISCHARGE_CHANGED.value,
            at=start + timedelta(minutes=k),
            organisation=cast.ward,
            actor=cast.nurse.user,
            payload=event_to_payload(
                Event(
                    EventType.ESTIMATED_DISCHARGE_CHANGED,
                    estimated_discharge=(ADMITTED + timedelta(days=7 + k % 2)).date(),
                )
            ),
        )
        for k in range(events - 2)
    )
    episode_rebuild(episode=episode)
    episode.refresh_from_db()
    return episode


@pytest.fixture
def short_and_long(cast):
    return (
        _with_history(cast, SHORT, "19121212-1212"),
        _with_history(cast, LONG, "19900101-0017"),
    )


def _queries(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def _events_read(call) -> int:
    """How many events the call built, as objects or as rows (`EventRow`): one query may still
    read the whole history."""
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    make = EventRow._make
    post_init.connect(count, sender=EpisodeEvent)
    EventRow._make = lambda row: built.append(row) or make(row)
    try:
        call()
    finally:
        post_init.disconnect(count, sender=EpisodeEvent)
        EventRow._make = make
    return len(built)


def test_the_episode_page_reads_as_much_at_200_events_as_at_10(client, cast, short_and_long):
    client.force_login(cast.nurse.user)
    short, long = short_and_long
    counts = [len(_queries(lambda e=e: client.get(f"/episodes/{e.pk}/"))) for e in short_and_long]
    assert counts[0] == counts[1]
    assert _events_read(lambda: client.get(f"/episodes/{long.pk}/")) == TIMELINE_PAGE + 1
    page = client.get(f"/episodes/{long.pk}/").content.decode()
    assert page.count('<time datetime="') >= TIMELINE_PAGE
    assert "Visa äldre händelser" in page
    assert "Visa äldre händelser" not in client.get(f"/episodes/{short.pk}/").content.decode()


def test_the_api_reads_as_much_at_200_events_as_at_10(client, cast, short_and_long):
    headers = auth(cast.nurse)
    client.get(f"/api/episodes/{short_and_long[0].pk}", **headers)  # the key's first use noted
    counts = [
        len(_queries(lambda e=e: client.get(f"/api/episodes/{e.pk}", **headers)))
        for e in short_and_long
    ]
    assert counts[0] == counts[1]
    long = short_and_long[1]
    assert _events_read(lambda: client.get(f"/api/episodes/{long.pk}", **headers)) == (
        TIMELINE_PAGE + 1
    )


def test_a_write_reads_as_much_at_200_events_as_at_10(cast, short_and_long):
    counts, read = [], []
    for episode in short_and_long:
        event = Event(
            EventType.ESTIMATED_DISCHARGE_CHANGED,
            estimated_discharge=(ADMITTED + timedelta(days=20)).date(),
        )
        at = ADMITTED + timedelta(days=1)
        read.append(
            _events_read(
                lambda e=episode, t=at: episode_record_event(
                    episode=e,
                    event=Event(EventType.ESTIMATED_DISCHARGE_CHANGED,
                                estimated_discharge=(ADMITTED + timedelta(days=21)).date()),
                    at=t, recorded_at=t, membership=cast.nurse,
                )
            )
        )  # fmt: skip
        counts.append(
            len(
                _queries(
                    lambda e=episode, ev=event, t=at: episode_record_event(
                        episode=e, event=ev, at=t, recorded_at=t, membership=cast.nurse
                    )
                )
            )
        )
    assert counts[0] == counts[1]
    assert read == [1, 1]  # the event written, none read


def test_the_timeline_pages_back_from_the_latest_event(client, cast, short_and_long):
    _, long = short_and_long
    headers = auth(cast.nurse)
    every = list(long.events.order_by("at", "id").values_list("pk", flat=True))
    seen: list[int] = []
    before = None
    while True:
        query = f"?before={before}" if before else ""
        body = client.get(f"/api/episodes/{long.pk}{query}", **headers).json()
        page = [event["id"] for event in body["timeline"]]
        assert len(page) <= TIMELINE_PAGE
        seen = page + seen
        before = body["timeline_older"]
        if before is None:
            break
        assert before == page[0]
    assert seen == every  # each event once, in time order, the latest page first read


def test_the_page_of_older_events_on_the_screen(client, cast, short_and_long):
    _, long = short_and_long
    client.force_login(cast.nurse.user)
    every = list(long.events.order_by("at", "id").values_list("pk", flat=True))
    oldest_shown = every[-TIMELINE_PAGE]
    page = client.get(f"/episodes/{long.pk}/?before={oldest_shown}")
    assert page.status_code == 200
    assert f'href="?before={every[-2 * TIMELINE_PAGE]}#timeline"' in page.content.decode()
    assert client.get(f"/episodes/{long.pk}/?before=١٢").status_code == 400
    assert client.get(f"/episodes/{long.pk}/?before=0").status_code == 400


def _rows(page: str) -> int:
    return page.split('class="ds-table stack deadlines"')[1].split("</table>")[0].count("<tr ")


def _dates(page: str) -> int:
    return page.split('class="estimates"')[1].split("</details>")[0].count("<li>")


def test_the_page_shows_what_is_open_and_the_latest_history_the_whole_when_asked(
    client, cast, short_and_long
):
    _, long = short_and_long
    client.force_login(cast.nurse.user)
    every = deadlines(episode_facts_of(long), timezone.now())
    open_ = {(d.kind, d.party, d.message) for d in every if d.met_at is None}
    dates = len(episode_facts_of(long).estimates)
    assert len(every) > 2 * SHOWN_HISTORY + len(open_) and dates > SHOWN_HISTORY
    page = client.get(f"/episodes/{long.pk}/").text
    assert _rows(page) <= len(open_) + SHOWN_HISTORY
    assert f"Visa alla {len(every)} tidsfrister" in page
    assert _dates(page) == SHOWN_HISTORY
    assert f"Visa {dates - SHOWN_HISTORY} tidigare datum" in page
    whole = client.get(f"/episodes/{long.pk}/?full=1").text
    assert _rows(whole) == len(every)
    assert _dates(whole) == dates
    assert 'id="deadlines" open' in whole and "Visa alla" not in whole


def test_the_api_detail_answers_what_is_open_and_the_latest_history_the_whole_when_asked(
    client, cast, short_and_long
):
    """Its size does not grow with the history (issue 15): unmet deadlines and the latest met,
    the latest dates given, with totals; `full=true` answers every one."""
    _, long = short_and_long
    headers = auth(cast.nurse)
    facts = episode_facts_of(long)
    every = deadlines(facts, timezone.now())
    open_ = {(d.kind, d.party, d.message) for d in every if d.met_at is None}
    body = client.get(f"/api/episodes/{long.pk}", **headers).json()
    assert body["deadlines_total"] == len(every) > len(body["deadlines"])
    assert len(body["deadlines"]) <= len(open_) + SHOWN_HISTORY
    assert len(body["planning"]["estimates"]) == SHOWN_HISTORY
    assert body["estimates_total"] == len(facts.estimates) > SHOWN_HISTORY
    whole = client.get(f"/api/episodes/{long.pk}?full=true", **headers).json()
    assert len(whole["deadlines"]) == whole["deadlines_total"] == len(every)
    assert len(whole["planning"]["estimates"]) == whole["estimates_total"]
    assert [e for e in body["deadlines"] if e not in whole["deadlines"]] == []
    assert whole["planning"]["estimates"][-SHOWN_HISTORY:] == body["planning"]["estimates"]
