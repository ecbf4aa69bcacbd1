"""What `utskrivning demo` and `utskrivning serve` run: migrate, seed, start the server.

The lead's Typer CLI calls these; they set Django up themselves, so nothing else must. Models are
imported inside the functions because they can only be imported after `django.setup()`.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import django
from django.core.management import call_command

if TYPE_CHECKING:
    from utskrivning.organisations.demo import DemoLogin

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
    """One pass of the background work: the outbox, the deviations that time alone made due, and
    import jobs whose web process ended before or while running them. Returns what it did."""
    from django.utils import timezone

    from utskrivning.deviations.services import deviations_propose, outbox_drain
    from utskrivning.imports.jobs import import_jobs_fail_stale, import_jobs_run_queued

    now = timezone.now()
    events = outbox_drain(now=now)
    proposed = len(deviations_propose(now=now))
    imports = import_jobs_run_queued()
    stale = import_jobs_fail_stale(now=now)
    return (
        f"{events} event(s) processed, {proposed} deviation(s) proposed, "
        f"{imports} import(s) run, {stale} interrupted import(s) ended"
    )


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


def worker(*, once: bool = False, interval: float = 60.0) -> None:
    """Run `worker_pass` once, or every `interval` seconds until interrupted.

    Several workers may run at once (PostgreSQL hands them disjoint batches); each pass is
    idempotent, so a worker stopped mid-pass loses nothing: the next one does the rest.
    """
    setup()
    try:
        while True:
            print(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {worker_pass()}", flush=True)
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        pass  # a pass cut short was rolled back whole; the next one does it again


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Migrate, then run Django's development server in this process (no autoreloader)."""
    setup()
    migrate()
    _runserver(host, port)


def demo_main(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Migrate, seed the demo region, print its logins and serve it."""
    setup()
    from utskrivning.organisations.demo import DEMO_PASSWORD

    migrate()
    logins = seed_demo()
    print("Seeding demo episodes (the first start takes a minute)…", flush=True)
    seed_episodes()
    # The seeded events' follow-up, so the demo opens with its missed deadlines proposed.
    print(f"Background work: {worker_pass()}", flush=True)
    print(f"Demo at http://{_address(host, port)}/ — log in as (password {DEMO_PASSWORD!r}):")
    for login in logins:
        print(f"  {login.username:<16} {login.role.label!s:<32} {login.organisation}")
    _runserver(host, port)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _runserver(host: str, port: int) -> None:
    call_command("runserver", _address(host, port), use_reloader=False)
