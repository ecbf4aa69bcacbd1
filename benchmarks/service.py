"""The coordination service under a bounded load: worklists, episode pages and message writes
on 100 000 episodes in PostgreSQL, served by gunicorn on 127.0.0.1, beside a trivial view.

Fills its own database (`utskrivning_bench`, created on the local PostgreSQL and reused while it
holds the same number of episodes) with bulk inserts, starts gunicorn, then a second process sends
each scenario at a fixed rate (open loop: a late answer does not slow the sender, and latency is
counted from the moment the request was due, so queueing shows). Prints p50/p95/p99, throughput
and errors per scenario and the ratio to `/api/health`, which touches neither database nor session.
Each scenario has its rate and target (issue 15), printed beside what it met: worklist p95 < 50 ms
at 200 requests/s; episode page p95 < 50 ms at 100/s; message writes p95 < 100 ms at 50/s on
episodes with 100+ events each, 0 errors other than 409s; the region's dashboard (2/s) and its
monthly report (XLSX, 1/s) p95 < 1 s; and
after the run each server process holds no more connections than its pool (UTSKRIVNING_DB_POOL,
by default its threads) and the server no more than workers × pool. The server is
`utskrivning serve` itself, with the bench's workers, threads, timeout and pool in its settings.
Also prints each read's query count.

    python benchmarks/service.py [--episodes 100000] [--in-progress 150] [--history 100]
                                 [--seconds 15] [--workers 4] [--threads 2] [--timeout 60]
                                 [--pool THREADS] [--port 8765] [--database utskrivning_bench]
                                 [--refill]
                                 [--scenarios trivial,worklist,…]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

DATABASE = "utskrivning_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
# Per scenario: requests per second, and the p95 target in ms (None: the baseline).
SCENARIOS: dict[str, tuple[float, float | None]] = {
    "trivial": (200.0, None),
    "worklist": (200.0, 50.0),
    "episode page": (100.0, 50.0),
    "message write": (50.0, 100.0),
    "dashboard": (2.0, 1000.0),
    "monthly report": (1.0, 1000.0),
}
APPLICATION_NAME = "utskrivning-bench"  # PGAPPNAME of the server's connections, to count them


# --- the database ------------------------------------------------------------------------------


def _environment(args: argparse.Namespace) -> dict[str, str]:
    key_file = Path("build/benchmarks/secret_key")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return {
        "DATABASE_URL": f"{args.server}/{args.database}",
        "UTSKRIVNING_DEBUG": "false",  # production settings: DEBUG would keep every query
        "SECRET_KEY": key_file.read_text(),
        "UTSKRIVNING_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "utskrivning.service.settings",
        # `serve`'s own settings: processes, threads, seconds before a stuck worker is
        # restarted, and each process's connection pool.
        "UTSKRIVNING_WEB_WORKERS": str(args.workers),
        "UTSKRIVNING_WEB_THREADS": str(args.threads),
        "UTSKRIVNING_WEB_TIMEOUT": str(args.timeout),
        "UTSKRIVNING_DB_POOL": str(args.pool or args.threads),
        "UTSKRIVNING_DATA_DIR": str(Path("build/benchmarks/var").resolve()),
    }


def _database_name(name: str) -> str:
    """It goes into CREATE/DROP DATABASE, which take no parameters: a plain identifier only."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise argparse.ArgumentTypeError(f"not a plain database name: {name!r}")
    return name


def _create_database(server: str, database: str, *, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {database}")


def _setup_django(args: argparse.Namespace) -> None:
    os.environ.update(_environment(args))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _personal_number(i: int) -> str:
    """Unique and valid: a birth date per 999 patients, the serial number, the check digit."""
    from utskrivning.domain.identity import valid_personal_number

    return valid_personal_number(date(1930, 1, 1) + timedelta(days=i // 999), i % 999 + 1)


EVENTS_PER_EPISODE = 1  # at least, as `fill` writes them: closed ones are imported


def fill(*, episodes: int, in_progress: int, history: int, now: datetime) -> None:
    """Bulk inserts in one transaction: patients, episodes and their events, each row's facts
    folded from its events as a write leaves them. All but `in_progress` are closed, stored as
    an import stores them (one `imported` event, no messages); the open ones, admitted and
    notified (two events, the notice's messages), are the ward's, the municipality's and
    primary care's worklists, and each has `history` more events (new estimated discharge
    dates), so a write and a page meet a long history."""
    from django.db import transaction

    from utskrivning.domain.process import EpisodeFacts, Event, EventType, FileRecord, Party, fold
    from utskrivning.episodes.events import event_to_payload
    from utskrivning.episodes.models import (
        Episode,
        EpisodeEvent,
        Message,
        Patient,
        ProjectedEstimate,
        ProjectedMessage,
    )
    from utskrivning.episodes.projected import projected_rows
    from utskrivning.episodes.services import _columns
    from utskrivning.organisations.models import Kind, Organisation

    wards = list(Organisation.objects.filter(kind=Kind.WARD).order_by("pk"))
    municipalities = list(Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("pk"))
    units = list(Organisation.objects.filter(kind=Kind.PRIMARY_CARE).order_by("pk"))
    region = wards[0].region
    parties = frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE})

    def steps(i: int) -> list[tuple[Event, datetime]]:
        if i >= episodes - in_progress:  # open: admitted hours ago, notified an hour later
            admitted = now - timedelta(hours=i % 96 + 2)
            notice = Event(
                EventType.ADMISSION_NOTICE_SENT,
                parties=parties,
                estimated_discharge=(admitted + timedelta(days=7)).date(),
            )
            return [(Event(EventType.ADMITTED), admitted), (notice, admitted + timedelta(hours=1))]
        admitted = now - timedelta(minutes=15 * (episodes - i), days=6)
        record = FileRecord(
            recipients=frozenset({Party.MUNICIPALITY}),
            admission_notice_at=admitted + timedelta(hours=1),
            ready_at=admitted + timedelta(days=3, hours=i % 48),
            discharged_at=admitted + timedelta(days=5),
            closed=True,
        )
        return [(Event(EventType.IMPORTED, record=record), admitted)]

    batch = 5000
    with transaction.atomic():
        for start in range(0, episodes, batch):
            numbers = range(start, min(start + batch, episodes))
            patients = Patient.objects.bulk_create(
                Patient(
                    personal_number=_personal_number(i),
                    name=f"Patient {i}",
                    home_municipality=municipalities[i % len(municipalities)],
                )
                for i in numbers
            )
            histories = [steps(i) for i in numbers]
            rows, folded = [], []
            for i, patient, history_ in zip(numbers, patients, histories, strict=True):
                facts = EpisodeFacts()
                for event, at in history_:
                    facts = fold(facts, event, at)
                folded.append(facts)
                rows.append(
                    Episode(
                        patient=patient,
                        external_id=f"B{i:07d}",
                        region=region,
                        ward=wards[i % len(wards)],
                        home_municipality=patient.home_municipality,
                        primary_care=units[i % len(units)],
                        care_type="somatic",
                        admitted_at=history_[0][1],
                        version=len(history_),
                        **_columns(facts),
                    )
                )
            stored = Episode.objects.bulk_create(rows)
            projected = [projected_rows(e.pk, f) for e, f in zip(stored, folded, strict=True)]
            ProjectedMessage.objects.bulk_create(
                row for messages, _ in projected for row in messages
            )
            ProjectedEstimate.objects.bulk_create(row for _, given in projected for row in given)
            events = EpisodeEvent.objects.bulk_create(
                EpisodeEvent(
                    episode=e, type=event.type.value, at=at, payload=event_to_payload(event)
                )
                for e, history_ in zip(stored, histories, strict=True)
                for event, at in history_
            )
            Message.objects.bulk_create(
                Message(
                    episode=event.episode,
                    event=event,
                    kind="admission_notice",
                    party=party.value,
                    organisation=(
                        event.episode.home_municipality
                        if party is Party.MUNICIPALITY
                        else event.episode.primary_care
                    ),
                    sent_at=event.at,
                )
                for event in events
                if event.type == EventType.ADMISSION_NOTICE_SENT.value
                for party in sorted(parties)
            )
            print(f"  {min(start + batch, episodes):>7} episodes", end="\r", flush=True)
        _history(Episode.objects.filter(status=""), history=history, now=now)
    print()


def _history(open_episodes: Any, *, history: int, now: datetime) -> None:
    """`history` estimated-discharge changes per open episode, then its projection rebuilt."""
    from utskrivning.domain.process import Event, EventType
    from utskrivning.episodes.events import event_to_payload
    from utskrivning.episodes.models import EpisodeEvent
    from utskrivning.episodes.projection import episode_rebuild

    for episode in open_episodes:
        start = episode.admission_notice_at
        step = (now - timedelta(minutes=5) - start) / (history + 1)
        EpisodeEvent.objects.bulk_create(
            EpisodeEvent(
                episode=episode,
                type=EventType.ESTIMATED_DISCHARGE_CHANGED.value,
                at=start + step * (k + 1),
                payload=event_to_payload(
                    Event(
                        EventType.ESTIMATED_DISCHARGE_CHANGED,
                        estimated_discharge=(now + timedelta(days=3 + k % 20)).date(),
                    )
                ),
            )
            for k in range(history)
        )
        episode_rebuild(episode=episode)


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """The database filled (reused when it holds the same episodes), tokens and ids to drive."""
    _create_database(args.server, args.database, fresh=args.refill)
    _setup_django(args)
    from django.db import connection, connections
    from django.utils import timezone

    from utskrivning.episodes.models import Episode, EpisodeEvent
    from utskrivning.organisations.demo import seed_demo_organisations

    count = Episode.objects.count()
    # A run's message writes make the histories longer still, which the next run may measure
    # on: the state is a projection, so a write's cost does not depend on it.
    least = EVENTS_PER_EPISODE * count + args.history * args.in_progress
    if count != args.episodes or EpisodeEvent.objects.count() < least:
        if count:
            connections.close_all()
            _create_database(args.server, args.database, fresh=True)
            _setup_django(args)
        seed_demo_organisations()
        started = time.perf_counter()
        fill(
            episodes=args.episodes,
            in_progress=args.in_progress,
            history=args.history,
            now=timezone.now(),
        )
        # What autovacuum does minutes after a bulk load, done before measuring rather than
        # during it: without the statistics the planner takes the 150 open episodes for 1 and
        # plans sequential scans of the events.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"filled {args.episodes} episodes in {time.perf_counter() - started:.0f} s")
    return _cast()


def _cast() -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from utskrivning.episodes.selectors import episode_detail, episodes_visible_to
    from utskrivning.episodes.worklist import current_worklist
    from utskrivning.organisations.api_keys import api_key_issue
    from utskrivning.organisations.models import Membership, Role

    members = {
        role: Membership.objects.select_related("organisation", "user").get(
            user__username=username, role=role
        )
        for username, role in [
            ("sjukskoterska", Role.WARD_NURSE),
            ("handlaggare", Role.CASE_OFFICER),
            ("verksamhetschef", Role.PRIMARY_CARE_HEAD),
        ]
    }
    print("queries (in-process, one call each):")
    for role, member in members.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = current_worklist(
                organisation=member.organisation, now=timezone.now(), actor=None
            )
        took = (time.perf_counter() - started) * 1000
        print(f"  worklist {role.value:<18} {len(rows):>4} rows {len(queries):>3} queries "
              f"{took:7.1f} ms")  # fmt: skip
    nurse = members[Role.WARD_NURSE]
    visible = list(
        episodes_visible_to(organisation=nurse.organisation)
        .filter(status="")
        .values_list("pk", flat=True)
    )
    episode = episodes_visible_to(organisation=nurse.organisation).get(pk=visible[0])
    with CaptureQueriesContext(connection) as queries:
        episode_detail(
            episode=episode, organisation=nurse.organisation, actor=None, now=timezone.now()
        )
    print(f"  episode page {len(queries):>3} queries")
    return {
        "worklist_tokens": [
            api_key_issue(membership=m, name="bench", issued_by=None)[1] for m in members.values()
        ],
        "nurse_token": api_key_issue(membership=nurse, name="bench", issued_by=None)[1],
        "analyst_token": api_key_issue(
            membership=Membership.objects.get(user__username="analytiker", role=Role.ANALYST),
            name="bench",
            issued_by=None,
        )[1],
        "episodes": visible,
        **_monthly_report(),
    }


def _monthly_report() -> dict[str, str]:
    """The region's monthly report (XLSX) of last month, a page behind the analyst's signed-in
    session (the report has no API): the session made as a sign-in makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from utskrivning.organisations.models import Membership, Role
    from utskrivning.organisations.sessions import MEMBERSHIP_SESSION_KEY

    analyst = Membership.objects.select_related("user", "organisation").get(
        user__username="analytiker", role=Role.ANALYST
    )
    session = SessionStore()
    session[SESSION_KEY] = str(analyst.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = analyst.user.get_session_auth_hash()
    session[MEMBERSHIP_SESSION_KEY] = analyst.pk
    session.create()
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return {
        "report_path": f"/followup/report/{analyst.organisation.pk}/{month}.xlsx",
        "report_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }


# --- the server --------------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """`utskrivning serve`, as a region runs it (it migrates, collects the static files and
    becomes gunicorn with the settings' workers, threads and timeout), on the bench's settings."""
    utskrivning = Path(sys.executable).with_name("utskrivning")
    command = [str(utskrivning), "serve", "--host", "127.0.0.1", "--port", str(args.port)]
    environment = {**os.environ, **_environment(args), "PGAPPNAME": APPLICATION_NAME}
    with Path("build/benchmarks/server.log").open("wb") as log:  # its JSON lines, one a request
        server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300  # the first answer imports the app: slow on a busy machine
    while time.monotonic() < deadline and server.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("utskrivning serve did not answer within 300 s: build/benchmarks/server.log")


# --- the server's connections ------------------------------------------------------------------


def _socket_ports() -> dict[int, int]:
    """Local TCP port by socket inode, from the kernel's tables (IPv4 and IPv6)."""
    ports = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                ports[int(fields[9])] = int(fields[1].rsplit(":", 1)[1], 16)
    return ports


def _ports_of(pid: int, ports: dict[int, int]) -> set[int]:
    """The local ports of the process's TCP sockets: its connections' client ports."""
    found = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:[") and int(target[8:-1]) in ports:
                    found.add(ports[int(target[8:-1])])
    return found


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


def server_connections(master: int) -> tuple[dict[int, int], int]:
    """The server's PostgreSQL connections: per gunicorn worker process (by matching each
    backend's client port to the process's sockets), and in all (a process that is gone may
    leave some a moment)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_port FROM pg_stat_activity WHERE application_name = %s",
            [APPLICATION_NAME],
        )
        clients = [port for (port,) in cursor.fetchall()]
    ports = _socket_ports()
    per_process = {}
    for pid in _children(master):
        mine = _ports_of(pid, ports)
        per_process[pid] = sum(port in mine for port in clients)
    return per_process, len(clients)


# --- the load (run as a second process: `--drive`) ----------------------------------------------


def _requests(scenario: str, cast: dict[str, Any], n: int) -> list[tuple[str, str, bytes, dict]]:
    tokens, episodes = cast["worklist_tokens"], cast["episodes"]
    nurse = {"Authorization": f"Bearer {cast['nurse_token']}"}
    today = datetime.now().astimezone().date()
    out = []
    for i in range(n):
        pk = episodes[i % len(episodes)]
        if scenario == "trivial":
            out.append(("GET", "/api/health", b"", {}))
        elif scenario == "worklist":
            token = tokens[i % len(tokens)]
            out.append(("GET", "/api/episodes/worklist", b"", {"Authorization": f"Bearer {token}"}))
        elif scenario == "episode page":
            out.append(("GET", f"/api/episodes/{pk}", b"", nurse))
        elif scenario == "monthly report":
            out.append(("GET", cast["report_path"], b"", {"Cookie": cast["report_cookie"]}))
        elif scenario == "dashboard":
            analyst = {"Authorization": f"Bearer {cast['analyst_token']}"}
            out.append(("GET", "/api/followup/dashboard", b"", analyst))
        else:  # a message: a new estimated discharge date, notified to the recipients
            # New at every round over the episodes and past the fill's dates (3 to 22 days
            # ahead), so no request asks for the date the episode has: that is refused (422),
            # after a 409 too, which a date repeated every other round then met.
            ahead = 23 + (i // len(episodes)) % 300
            body = {
                "type": "estimated_discharge_changed",
                "estimated_discharge": (today + timedelta(days=ahead)).isoformat(),
            }
            headers = nurse | {
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{time.time_ns()}-{i}",
            }
            out.append(("POST", f"/api/episodes/{pk}/events", json.dumps(body).encode(), headers))
    return out  # fmt: skip


def drive(port: int, scenario: str, rate: float, seconds: float, cast: dict) -> dict[str, Any]:
    """Open loop: request i is due at start + i/rate whatever happened before it."""
    local = threading.local()

    def send(due: float, request: tuple[str, str, bytes, dict]) -> tuple[float, int]:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        method, path, body, headers = request
        try:
            local.connection.request(method, path, body=body or None, headers=headers)
            response = local.connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            local.connection.close()
            del local.connection
            status = 0
        return (time.perf_counter() - due) * 1000, status

    n = int(rate * seconds)
    requests = _requests(scenario, cast, n)
    with ThreadPoolExecutor(max_workers=64) as pool:
        start = time.perf_counter() + 0.1
        futures = []
        for i, request in enumerate(requests):
            due = start + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            futures.append(pool.submit(send, due, request))
        results = [f.result() for f in futures]
    elapsed = time.perf_counter() - start
    latencies = sorted(ms for ms, _ in results)
    statuses: dict[int, int] = {}
    for _, status in results:
        statuses[status] = statuses.get(status, 0) + 1

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    return {
        "p50": quantile(0.50), "p95": quantile(0.95), "p99": quantile(0.99),
        "throughput": n / elapsed,
        # A 409 is the service refusing a write on a version that changed meanwhile: correct,
        # and counted apart from the errors (5xx, other 4xx, a dropped connection).
        "conflicts": statuses.get(409, 0),
        "errors": sum(c for s, c in statuses.items() if not 200 <= s < 300 and s != 409),
        "statuses": statuses,
    }  # fmt: skip


def _drive_in_a_second_process(args: argparse.Namespace, scenario: str, cast: dict) -> dict:
    command = [
        sys.executable, __file__, "--drive", scenario, "--port", str(args.port),
        "--rate", str(SCENARIOS[scenario][0]), "--seconds", str(args.seconds),
    ]  # fmt: skip
    result = subprocess.run(
        command, input=json.dumps(cast), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--in-progress", type=int, default=150)
    parser.add_argument("--history", type=int, default=100, help="events per open episode")
    parser.add_argument("--rate", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=15.0)
    # Twice the cores in processes, few threads each: while one process waits on PostgreSQL
    # another runs, which threads sharing one GIL do less well. Worklist p95 on 2 cores, two
    # runs each: 2 × 8 104 ms; 4 × 4 23 and 51 ms; 4 × 2 21 and 25 ms; 6 × 2 66 and 57 ms.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=60, help="UTSKRIVNING_WEB_TIMEOUT")
    parser.add_argument(
        "--pool", type=int, default=0, help="UTSKRIVNING_DB_POOL, connections a process (threads)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL, without a database name")
    parser.add_argument(
        "--database",
        default=DATABASE,
        type=_database_name,
        help="its own database, so that two benches on one machine do not share one",
    )
    parser.add_argument("--refill", action="store_true", help="drop and fill the database anew")
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="comma-separated, of: " + ", ".join(SCENARIOS) + " (default: all)",
    )
    parser.add_argument("--drive", choices=list(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        cast = json.loads(sys.stdin.read())
        print(json.dumps(drive(args.port, args.drive, args.rate, args.seconds, cast)))
        return
    cast = prepare(args)
    server = serve(args)
    try:
        chosen = [s for s in SCENARIOS if s in args.scenarios.split(",")]
        # A warm-up of each read, long enough to reach every worker process once (a process's
        # first follow-up loads the rulebooks and works out the region's patient references).
        for scenario in [s for s in chosen if s != "message write"]:
            seconds = max(1.0, args.workers / SCENARIOS[scenario][0])
            _drive_in_a_second_process(
                argparse.Namespace(**{**vars(args), "seconds": seconds}), scenario, cast
            )
        results = {s: _drive_in_a_second_process(args, s, cast) for s in chosen}
        time.sleep(2)  # the last answers returned their connections
        held = server_connections(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
    _report(args, results, held)


def _report(
    args: argparse.Namespace, results: dict[str, dict], held: tuple[dict[int, int], int]
) -> None:
    base = results.get("trivial", {}).get("p95") or 1e-9
    print(f"\n{args.seconds:.0f} s a scenario, utskrivning serve: {args.workers} workers × "
          f"{args.threads} threads, timeout {args.timeout} s, {args.episodes} episodes, "
          f"{args.history}+ events on each open one")  # fmt: skip
    print(f"{'scenario':<14}{'rate/s':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}"
          f"{'errors':>7}{'409':>5}{'p95 ×trivial':>13}  target")  # fmt: skip
    for name, r in results.items():
        rate, target = SCENARIOS[name]
        times = f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
        verdict = ""
        if target is not None:
            met = r["p95"] < target and r["errors"] == 0
            verdict = f"p95 < {target:.0f} ms, 0 errors: {'met' if met else 'NOT met'}"
        print(f"{name:<14}{rate:>7.0f}{times}{r['throughput']:>8.0f}{r['errors']:>7}"
              f"{r['conflicts']:>5}{r['p95'] / base:>13.1f}  {verdict}")  # fmt: skip
    # Each process's pool bounds its connections (UTSKRIVNING_DB_POOL, by default its threads:
    # a thread holds one connection while it serves a request); the server's bound is the sum.
    per_process, total = held
    pool = args.pool or args.threads
    bound = args.workers * pool
    met = total <= bound and all(n <= pool for n in per_process.values())
    counts = ", ".join(str(n) for n in per_process.values())
    print(f"connections held after the run: {total} in all (bound: {args.workers} workers × pool "
          f"{pool} = {bound}), per process {counts} (bound {pool}): "
          f"{'met' if met else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
