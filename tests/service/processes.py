"""The service's own processes (`utskrivning serve`, `utskrivning worker`) run against the test
database, as a region runs them: production settings, a port of their own, stopped by SIGTERM."""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

UTSKRIVNING = Path(sys.executable).with_name("utskrivning")


def database_url() -> str:
    """The test database (pytest-django's, migrated) as DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("UTSKRIVNING_")}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    return base | {
        "DJANGO_SETTINGS_MODULE": "utskrivning.service.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "UTSKRIVNING_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url(),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", path, headers=headers)
    response = client.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    client.close()
    return response


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> int:
    """SIGTERM, as systemd stops a unit; the exit status."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout)


@contextmanager
def serving(data_dir: Path, **extra: str) -> Iterator[int]:
    """`utskrivning serve` on a free port until ready (its database answers); yields the port."""
    if shutil.which(str(UTSKRIVNING)) is None:
        raise RuntimeError(f"{UTSKRIVNING} is missing: run `make setup`")
    port = free_port()
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(UTSKRIVNING), "serve", "--port", str(port)],
        env=production_environment(data_dir, **extra),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/api/ready").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "serve.log").read_text())
            time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            stop(process)
        log.close()
