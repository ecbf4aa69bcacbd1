"""A worker step that fails is logged and tried again at its next turn: the demo's worker thread
died on the first one (a duplicate notice), and every notice and import after it with it."""

from __future__ import annotations

import threading

from utskrivning.service import commands


def test_a_failing_pass_is_logged_and_the_worker_goes_on(db, monkeypatch, caplog):
    stop = threading.Event()
    passes: list[int] = []

    def worker_pass() -> str:
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("the first pass breaks")
        stop.set()
        return "second pass done"

    monkeypatch.setattr(commands, "worker_pass", worker_pass)
    monkeypatch.setattr(commands, "IMPORT_POLL", 0.01)
    commands._work(stop, once=False, interval=0.05)
    assert passes == [0, 1]
    assert "worker step failed" in caplog.text and "the first pass breaks" in caplog.text
    assert "second pass done" in caplog.text
