"""What `utskrivning demo`, `serve` and `worker` run: migrate, seed, start the server or the worker.

`serve` is what a region deploys: gunicorn, static files through WhiteNoise, DEBUG off unless
set. `demo` is Django's development server with DEBUG on, for trying the demo region. The Typer
CLI calls these; they set Django up themselves. Models are imported inside the functions because
they can only be imported after `django.setup()`.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING

import django
from django.core.management import call_command

if TYPE_CHECKING:
    from utskrivning.organisations.demo import DemoLogin

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
log = logging.getLogger("utskrivning.worker")


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utskrivning.service.settings")
    django.setup()


def migrate() -> None:
    """Apply every migration (the login rate limit's cache table is created after them)."""
    call_command("migrate", interactive=False, verbosity=0)


def seed_demo() -> list[DemoLogin]:
    """The demo region and its users, idempotent (episodes come after: `seed_episodes`)."""
    from utskrivning.organisations.demo import seed_demo_organisations

    return seed_demo_organisations()


def seed_episodes(count: int = 300) -> int:
    """A few hundred demo episodes in every state, through the services; kept when re-run."""
    from django.utils import timezone

    from utskrivning.episodes.demo import seed_demo_episodes

    return seed_demo_episodes(count=count, now=timezone.now())


def worker_pass() -> str:
    """One pass of the background work: the outbox, the deviations that time alone made due,
    import jobs whose web process ended before or while running them, the notices time brings
    (deadlines due today, months to approve), and the e-mails due. Returns what it did."""
    from django.utils import timezone

    from utskrivning.deviations.services import deviations_propose
    from utskrivning.imports.jobs import import_jobs_fail_stale, import_jobs_run_queued
    from utskrivning.notifications.services import invoice_notices, notices_due_today

    now = timezone.now()
    events = _outbox(now)
    proposed = len(deviations_propose(now=now))
    imports = import_jobs_run_queued()
    stale = import_jobs_fail_stale(now=now)
    notices = len(notices_due_today(now=now)) + len(invoice_notices(now=now))
    return (
        f"{events} event(s) processed, {proposed} deviation(s) proposed, "
        f"{imports} import(s) run, {stale} interrupted import(s) ended, {notices} notice(s) of "
        f"deadlines and months; {_send(now)}"
    )


def _send(now: datetime) -> str:
    """E-mails composed and sent, webhooks posted (a failure waits for a later pass, never stops
    this one)."""
    from utskrivning.notifications.mail import emails_compose, emails_send
    from utskrivning.notifications.webhooks import deliveries_send

    composed = emails_compose(now=now)
    sent, failed = emails_send(now=now)
    posted, refused = deliveries_send(now=now)
    return (
        f"{composed} e-mail(s) composed, {sent} sent, {failed} to retry; "
        f"{posted} webhook delivery(ies) made, {refused} to retry"
    )


def _outbox(now: datetime) -> int:
    """The events waiting, each batch with its notices (and their webhook deliveries)."""
    from utskrivning.deviations.services import outbox_drain
    from utskrivning.notifications.services import notices_from_events

    return outbox_drain(now=now, handlers=(notices_from_events,))


def rebuild_projection() -> int:
    """`utskrivning rebuild`: every episode's row folded again from its events; prints the ids of
    those that differed and returns how many."""
    setup()
    from utskrivning.episodes.projection import episodes_rebuild

    differed = 0
    for external_id, changed in episodes_rebuild():
        if changed:
            differed += 1
            print(f"rebuilt {external_id}", flush=True)
    return differed


def void_event(*, event_id: int, username: str, reason: str) -> str:
    """`utskrivning void-event`: `username`'s administrator membership in the event's region
    voids it; LookupError names what was not found or refused."""
    setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from utskrivning.episodes.models import EpisodeEvent
    from utskrivning.episodes.projection import event_void
    from utskrivning.organisations.models import Membership, Role

    event = EpisodeEvent.objects.select_related("episode__ward").filter(pk=event_id).first()
    if event is None:
        raise LookupError(f"no event {event_id}")
    membership = Membership.objects.filter(
        user__username=username,
        user__is_active=True,
        role=Role.ADMINISTRATOR,
        organisation=event.episode.ward.region,
    ).first()
    if membership is None:
        raise LookupError(f"{username!r} is no administrator of the event's region")
    try:
        stored = event_void(event=event, membership=membership, reason=reason)
    except (PermissionDenied, ValidationError) as refused:
        raise LookupError("; ".join(getattr(refused, "messages", [str(refused)]))) from None
    return (
        f"event {event_id} voided by event {stored.pk}; episode {event.episode.external_id} rebuilt"
    )


IMPORT_POLL = 1.0  # seconds between the worker's looks for a queued import or a waiting event


def worker(*, once: bool = False, interval: float = 60.0) -> None:
    """Run `worker_pass` once, or every `interval` seconds until SIGTERM or SIGINT; between
    passes, queued imports are started and waiting events made notices within a second.

    A signal lets the work under way finish (a pass is a few short transactions; an import is
    one) and then ends the process with status 0, as systemd's `stop` expects. Several workers
    may run at once (PostgreSQL hands them disjoint batches; a job is taken by one); each pass
    is idempotent.
    """
    setup()
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        log.info("worker stopping after this pass", extra={"signal": signal.Signals(signum).name})
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        _work(stop, once=once, interval=interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _work(stop: threading.Event, *, once: bool, interval: float) -> None:
    from django.utils import timezone

    from utskrivning.deviations.services import outbox_waiting
    from utskrivning.imports.jobs import import_jobs_run_queued, import_jobs_waiting

    while not stop.is_set():
        if once:
            log.info(worker_pass())
            return
        _logged_failure(lambda: log.info(worker_pass()))
        next_pass = time.monotonic() + interval
        while not stop.wait(IMPORT_POLL) and time.monotonic() < next_pass:
            if import_jobs_waiting():
                _logged_failure(lambda: log.info(f"{import_jobs_run_queued()} import(s) run"))
            if outbox_waiting():  # notices reach the header counters within a second or two
                _logged_failure(lambda: _drain(timezone.now()))
    log.info("worker stopped")


def _drain(now: datetime) -> None:
    from utskrivning.notifications.webhooks import deliveries_send

    log.info(f"{_outbox(now)} event(s) processed")
    log.info("%s webhook delivery(ies) made, %s to retry", *deliveries_send())


def _logged_failure(work: Callable[[], None]) -> None:
    """A step that fails (a bug, the database away a moment) is logged with its traceback and
    tried again at its next turn: the demo's worker thread died on one for good, and with it
    every notice and import after it (a worker process left it to systemd's restart)."""
    try:
        work()
    except Exception:
        log.exception("worker step failed; it is tried again at its next turn")


def start_worker_thread() -> threading.Thread:
    """The demo's worker, in a thread of its one process (`utskrivning demo` has no other)."""
    thread = threading.Thread(
        target=_work, args=(threading.Event(),), kwargs={"once": False, "interval": 60.0},
        name="worker", daemon=True,
    )  # fmt: skip
    thread.start()
    return thread


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Migrate, collect the static files, then become gunicorn (workers × threads from settings)."""
    setup()
    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # nothing of this process's database state crosses the exec
    _gunicorn(_address(host, port))


def _gunicorn(bind: str) -> None:
    from django.conf import settings

    arguments = [
        sys.executable, "-m", "gunicorn", "utskrivning.service.wsgi:application",
        "--config", "python:utskrivning.service.gunicorn",
        "--bind", bind,
        "--workers", str(settings.WEB_WORKERS),
        "--threads", str(settings.WEB_THREADS),
        "--timeout", str(settings.WEB_TIMEOUT),
    ]  # fmt: skip
    sys.stdout.flush()
    os.execv(sys.executable, arguments)


def demo_main(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Migrate, seed the demo region, print its logins and serve it with the development server
    (DEBUG on unless UTSKRIVNING_DEBUG says otherwise: a key is generated into `var/`)."""
    os.environ.setdefault("UTSKRIVNING_DEBUG", "true")
    setup()
    from utskrivning.organisations.demo import DEMO_PASSWORD

    migrate()
    logins = seed_demo()
    print("Seeding demo episodes (the first start takes a minute)…", flush=True)
    seed_episodes()
    # The seeded events' follow-up, so the demo opens with its missed deadlines proposed, and
    # from then on the background work (imports too) in a thread beside the server.
    start_worker_thread()
    print(f"Demo at http://{_address(host, port)}/ — log in as (password {DEMO_PASSWORD!r}):")
    for login in logins:
        print(f"  {login.username:<16} {login.role.label!s:<32} {login.organisation}")
    _runserver(host, port)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _runserver(host: str, port: int) -> None:
    call_command("runserver", _address(host, port), use_reloader=False)
