"""`utskrivning serve` as a region runs it: gunicorn, DEBUG off, static files through WhiteNoise,
Swedish error pages, JSON logs, and on PostgreSQL a bounded pool of reused connections."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from .processes import get, serving

WORKERS, THREADS, POOL = 2, 2, 2
SERVER_NAME = "utskrivning-serve-test"


def _sessions() -> set[int]:
    """The server's sessions on the test database (libpq names them from PGAPPNAME)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_NAME],
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[tuple[int, Path]]:
    """One server for the module (it starts in seconds, more on a busy machine)."""
    environment = {
        "UTSKRIVNING_WEB_WORKERS": str(WORKERS),
        "UTSKRIVNING_WEB_THREADS": str(THREADS),
        "UTSKRIVNING_DB_POOL": str(POOL),
        "PGAPPNAME": SERVER_NAME,
    }
    data_dir = tmp_path_factory.mktemp("serve")
    with django_db_blocker.unblock(), serving(data_dir, **environment) as port:
        yield port, data_dir / "serve.log"


def test_serve_is_gunicorn_with_hashed_compressed_static_files_and_swedish_pages(server):
    port, log = server
    login = get(port, "/accounts/login/")
    assert login.status == 200
    assert login.getheader("Server", "").startswith("gunicorn")
    page = login.body.decode()  # type: ignore[attr-defined]
    stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet's name carries its hash"
    css = get(port, stylesheet[1], **{"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.getheader("Content-Encoding") == "gzip"
    assert "immutable" in css.getheader("Cache-Control", "")

    missing = get(port, "/ingen-sida/")
    assert missing.status == 404
    assert "Sidan" in missing.body.decode()  # type: ignore[attr-defined]
    assert "Traceback" not in missing.body.decode()  # type: ignore[attr-defined]
    assert get(port, "/api/ingen").status == 404
    request_id = missing.getheader("X-Request-ID")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    logged = [line for line in lines if line.get("request_id") == request_id]
    assert {line["logger"] for line in logged} >= {"utskrivning.request"}
    assert any(line.get("path") == "/ingen-sida/" and line["status"] == 404 for line in logged)


def test_an_idle_connection_is_kept_open_longer_than_gunicorn_s_two_seconds(server):
    """A proxy reuses its idle connections to the service: after gunicorn's default keep-alive
    of 2 s the next request on one got no answer (RemoteDisconnected; a 502 to the user)."""
    port, _ = server
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for pause in (0, 3):
            time.sleep(pause)
            client.request("GET", "/api/health")
            response = client.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Connection", "keep-alive").lower() != "close"
    finally:
        client.close()


@pytest.mark.django_db
def test_connections_stay_within_the_pool_under_load_and_after_it(server):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no connections to count; run with DATABASE_URL=postgres://…")
    port, _ = server
    paths = ["/api/ready", "/accounts/login/", "/api/ready", "/ingen-sida/"]
    seen = []
    # Counted from this thread only: each thread of this process would hold a connection.
    with ThreadPoolExecutor(max_workers=16) as pool:
        load = [pool.submit(get, port, paths[i % len(paths)]) for i in range(200)]
        while not all(f.done() for f in load):
            seen.append(len(_sessions()))
        statuses = [f.result().status for f in load]
    assert set(statuses) == {200, 404}
    assert 1 <= max(seen) <= WORKERS * POOL
    after = _sessions()
    assert len(after) <= WORKERS * POOL
    assert {get(port, "/api/ready").status for _ in range(50)} == {200}
    again = _sessions()
    assert len(again) <= WORKERS * POOL
    assert again & after, "the pool's connections are reused, not opened anew"
