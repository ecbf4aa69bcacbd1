"""`utskrivning demo` and `serve`: migrate, seed, print the logins, start the server."""

from __future__ import annotations

import pytest

from utskrivning.service import commands


@pytest.fixture
def started(monkeypatch):
    calls = []
    monkeypatch.setattr(commands, "migrate", lambda: calls.append("migrate"))
    monkeypatch.setattr(commands, "_runserver", lambda host, port: calls.append((host, port)))
    monkeypatch.setattr(commands, "start_worker_thread", lambda: calls.append("worker"))
    return calls


@pytest.mark.django_db
def test_demo_migrates_seeds_prints_the_logins_and_serves(started, capsys):
    commands.demo_main(port=8123)
    assert started == ["migrate", "worker", ("127.0.0.1", 8123)]
    printed = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in printed
    assert "'demo'" in printed
    assert "handlaggare" in printed


def test_serve_migrates_then_becomes_gunicorn(monkeypatch, started):
    monkeypatch.setattr(commands, "call_command", lambda *args, **kw: started.append(args[0]))
    monkeypatch.setattr(commands, "_gunicorn", lambda bind: started.append(bind))
    commands.serve("::1", 8001)
    assert started == ["migrate", "collectstatic", "[::1]:8001"]


def test_an_ipv6_host_is_bracketed():
    assert commands._address("::1", 8001) == "[::1]:8001"
    assert commands._address("127.0.0.1", 8000) == "127.0.0.1:8000"
