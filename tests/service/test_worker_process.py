"""`utskrivning worker` as its own process: JSON lines, and SIGTERM ends it cleanly."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from .processes import UTSKRIVNING, production_environment, stop


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_with_status_0_on_sigterm(tmp_path):
    process = subprocess.Popen(
        [str(UTSKRIVNING), "worker", "--interval", "600"],
        env=production_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        first = json.loads(process.stdout.readline())  # the first pass is done
        assert "event(s) processed" in first["message"]
        started = time.monotonic()
        assert stop(process, timeout=20) == 0
        assert time.monotonic() - started < 10, "it does not wait out the interval"
    finally:
        process.kill()
        process.wait()
    messages = [json.loads(line)["message"] for line in process.stdout.read().splitlines()]
    assert messages[-1] == "worker stopped"
    assert process.stderr.read() == b""
