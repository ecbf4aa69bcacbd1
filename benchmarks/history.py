"""Does a write cost the same whatever the episode's history? (issue 15, "writes and pages that
read one row"). Target: the median write at 200 events per episode within 1.5x of that at 10.

On its own PostgreSQL database (`utskrivning_bench_history`, created on 127.0.0.1:5432 and made
afresh each run), in one process, without HTTP, so only what depends on the history is left: two
groups of episodes on one ward, one with 10 events each and one with 200 (the admission, its notice
and changes of the estimated discharge date, each a message to two parties, so the row's facts grow
with the history as they do in use). The histories are bulk-inserted and folded into each row by
`episode_rebuild`, as `utskrivning rebuild` does. Then the same write, a new estimated discharge
date through `episode_record_event` (event, messages, audit entry, row), is timed on every episode
of both groups in turn, `--rounds` times. Printed beside it, for comparison: the episode page's
selector (which also reads the events for its timeline) and a replay of the whole history, what
every write cost before the projection.

    python benchmarks/history.py [--episodes 40] [--rounds 3] [--short 10] [--long 200]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

DATABASE = "utskrivning_bench_history"
SERVER = "postgres://postgres@127.0.0.1:5432"
TARGET_RATIO = 1.5


def _setup(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"{server}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "utskrivning.service.settings"
    os.environ["UTSKRIVNING_DEBUG"] = "false"  # production settings: DEBUG keeps every query
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # signs nothing kept
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _estimate(k: int, admitted: datetime) -> date:
    """Each change differs from the one before (the process refuses the same date twice)."""
    return (admitted + timedelta(days=7 + k % 2)).date()


def _episodes(nurse: Any, count: int, events: int, first: int, now: datetime) -> list[Any]:
    """`count` admitted and notified episodes with `events` events each: the two through the
    service, the rest bulk-inserted in the hour before `now` and folded into the row."""
    from utskrivning.domain.identity import valid_personal_number
    from utskrivning.domain.process import Event, EventType, Party
    from utskrivning.episodes.events import event_to_payload
    from utskrivning.episodes.models import EpisodeEvent
    from utskrivning.episodes.projection import episode_rebuild
    from utskrivning.episodes.services import episode_admit, episode_record_event
    from utskrivning.organisations.models import Kind, Organisation

    municipality = Organisation.objects.filter(kind=Kind.MUNICIPALITY).first()
    unit = Organisation.objects.filter(kind=Kind.PRIMARY_CARE).first()
    admitted = now - timedelta(days=2)
    made = []
    for i in range(first, first + count):
        episode = episode_admit(
            actor=nurse.user, membership=nurse, personal_number=valid_personal_number(
                date(1930, 1, 1) + timedelta(days=i // 999), i % 999 + 1),
            name=f"Patient {i}", address="", home_municipality=municipality,
            ward=nurse.organisation, care_type="somatic", primary_care=unit, at=admitted,
            recorded_at=admitted,
        ).episode  # fmt: skip
        notice = Event(
            EventType.ADMISSION_NOTICE_SENT,
            parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}),
            estimated_discharge=_estimate(1, admitted),
        )
        noticed = admitted + timedelta(hours=1)
        episode_record_event(
            episode=episode, event=notice, at=noticed, recorded_at=noticed, membership=nurse
        )
        step = (now - timedelta(hours=1) - noticed) / events
        EpisodeEvent.objects.bulk_create(
            EpisodeEvent(
                episode=episode,
                type=EventType.ESTIMATED_DISCHARGE_CHANGED.value,
                at=noticed + (k + 1) * step,
                created=noticed + (k + 1) * step,
                organisation=nurse.organisation,
                payload=event_to_payload(
                    Event(
                        EventType.ESTIMATED_DISCHARGE_CHANGED,
                        estimated_discharge=_estimate(k, admitted),
                    )
                ),
            )
            for k in range(events - 2)
        )
        episode_rebuild(episode=episode)
        episode.refresh_from_db()
        made.append(episode)
    return made


def _timed(action: Callable[[], Any], cpu: list[float], queries: list[int]) -> float:
    """The call's wall time in ms; its process CPU time (ms) and query count appended to the
    lists: on a shared machine the wall time waits for others, these two do not."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps 9 000: a full one counts nothing
    with CaptureQueriesContext(connection) as captured:
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall, spent = time.perf_counter() - start, time.process_time() - start_cpu
    cpu.append(spent * 1000)
    queries.append(len(captured))
    return wall * 1000


def _write(nurse: Any, episode: Any) -> Callable[[], Any]:
    from utskrivning.domain.process import Event, EventType
    from utskrivning.episodes.services import episode_record_event

    dates = [_estimate(k, episode.admitted_at) for k in (0, 1)]
    new = dates[0] if episode.facts["estimated_discharge"] == dates[1].isoformat() else dates[1]
    event = Event(EventType.ESTIMATED_DISCHARGE_CHANGED, estimated_discharge=new)
    return lambda: episode_record_event(episode=episode, event=event, membership=nurse)


def _page(nurse: Any, episode: Any) -> Callable[[], Any]:
    from django.utils import timezone

    from utskrivning.episodes.selectors import episode_detail

    return lambda: episode_detail(
        episode=episode, organisation=nurse.organisation, actor=nurse.user, now=timezone.now()
    )


def _replay(episode: Any) -> Callable[[], Any]:
    from utskrivning.episodes.events import episode_history_facts

    return lambda: episode_history_facts(episode)


def _line(name: str, short: list[float], long: list[float], target: float | None = None) -> None:
    a, b = statistics.median(short), statistics.median(long)
    p95 = [statistics.quantiles(times, n=20)[-1] for times in (short, long)]
    verdict = "" if target is None else ("  ok" if b / a <= target else "  OVER TARGET")
    print(
        f"{name:<34} {a:8.2f} {b:8.2f}   {p95[0]:8.2f} {p95[1]:8.2f}   {b / a:5.2f}x{verdict}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=40, help="episodes per group")
    parser.add_argument("--rounds", type=int, default=3, help="timed writes per episode")
    parser.add_argument("--short", type=int, default=10, help="events per episode, short group")
    parser.add_argument("--long", type=int, default=200, help="events per episode, long group")
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()
    _setup(args.server)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from utskrivning.organisations.demo import seed_demo_organisations
    from utskrivning.organisations.models import Kind, Membership, Organisation, Role

    seed_demo_organisations()
    ward = Organisation.objects.filter(kind=Kind.WARD).order_by("pk").first()
    user = get_user_model().objects.create_user("bench-nurse")
    nurse = Membership.objects.create(user=user, organisation=ward, role=Role.WARD_NURSE)
    now = timezone.now()
    print(f"Filling {args.episodes} episodes with {args.short} and {args.long} events…", flush=True)
    short = _episodes(nurse, args.episodes, args.short, 0, now)
    long = _episodes(nurse, args.episodes, args.long, args.episodes, now)
    names = ("write", "page", "replay")
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in names}
    cpu: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in names}
    queries: dict[str, tuple[list[int], list[int]]] = {name: ([], []) for name in names}

    def timed(name: str, group: int, action: Callable[[], Any]) -> None:
        times[name][group].append(_timed(action, cpu[name][group], queries[name][group]))

    for round_ in range(args.rounds):  # interleaved, so both groups meet the same noise
        for a, b in zip(short, long, strict=True):
            for group, episode in enumerate((a, b)):
                timed("write", group, _write(nurse, episode))
                episode.refresh_from_db()
                timed("page", group, _page(nurse, episode))
                if round_ == 0:  # slow on the long group, and the same every time
                    timed("replay", group, _replay(episode))
    print(
        f"\nms per call, {args.episodes * args.rounds} calls per group (replay {args.episodes}) "
        f"({args.short} vs {args.long} events per episode, PostgreSQL)"
    )
    print(f"{'':<34} {'median':>8} {'':>8}   {'p95':>8} {'':>8}   ratio")
    print(f"{'':<34} {args.short:>8} {args.long:>8}   {args.short:>8} {args.long:>8}")
    _line("write (estimated date change)", *times["write"], TARGET_RATIO)
    _line("episode page (selector, timeline)", *times["page"])
    _line("replay of the history (before)", *times["replay"])
    print("\nprocess CPU ms per call (median), and queries per call")
    for name in names:
        _line(f"{name}: CPU", *cpu[name])
        short_queries, long_queries = (statistics.median(q) for q in queries[name])
        print(f"{name + ': queries':<34} {short_queries:8.0f} {long_queries:8.0f}")
    print(f"target: write ratio <= {TARGET_RATIO}")


if __name__ == "__main__":
    main()
