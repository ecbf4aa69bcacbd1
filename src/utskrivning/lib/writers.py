"""Room for the other writers between a worker's batches, on SQLite's single write lock."""

from __future__ import annotations

import time

from django.db import connection

# SQLite's busy handler polls a lock at most 100 ms apart: a gap longer than that lets in
# whoever waits (a web request's write, an upload).
GAP_SECONDS = 0.15


def let_others_write() -> None:
    """Called between batches: a worker that began its next write transaction the moment it
    committed the last kept SQLite's lock through 20 000 events, and the web's writes waited out
    their timeout as 500 "database is locked". PostgreSQL locks rows, not the database: no gap."""
    if connection.vendor == "sqlite":
        time.sleep(GAP_SECONDS)
