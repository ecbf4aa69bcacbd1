"""The environment is read strictly, and production refuses to start without a real key."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from utskrivning.service.env import env_bool, env_list, env_path, load_secret_key


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("0", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("UTSKRIVNING_TEST_FLAG", raw)
    assert env_bool("UTSKRIVNING_TEST_FLAG", default=not expected) is expected


def test_env_bool_refuses_a_typo_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("UTSKRIVNING_TEST_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="UTSKRIVNING_TEST_FLAG='flase'"):
        env_bool("UTSKRIVNING_TEST_FLAG", default=False)


def test_empty_variables_mean_the_default(monkeypatch):
    monkeypatch.setenv("UTSKRIVNING_TEST_LIST", " ")
    assert env_list("UTSKRIVNING_TEST_LIST", default=["a"]) == ["a"]
    monkeypatch.setenv("UTSKRIVNING_TEST_LIST", "a.se, b.se,")
    assert env_list("UTSKRIVNING_TEST_LIST", default=[]) == ["a.se", "b.se"]


def test_env_path_is_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UTSKRIVNING_TEST_DIR", "data")
    assert env_path("UTSKRIVNING_TEST_DIR", default=Path("x")) == tmp_path / "data"


def test_without_debug_a_missing_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        load_secret_key(debug=False, data_dir=tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_a_short_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ImproperlyConfigured, match="at least 50"):
        load_secret_key(debug=False, data_dir=tmp_path)


def test_the_environments_key_wins(monkeypatch, tmp_path):
    key = secrets.token_urlsafe(50)
    monkeypatch.setenv("SECRET_KEY", key)
    assert load_secret_key(debug=True, data_dir=tmp_path) == key


def test_in_debug_a_private_key_is_generated_once(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(debug=True, data_dir=tmp_path / "var")
    assert len(first) >= 50
    assert load_secret_key(debug=True, data_dir=tmp_path / "var") == first
    mode = (tmp_path / "var" / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The settings are read once per process, so each configuration gets a process of its own."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("UTSKRIVNING_")}
    base.pop("SECRET_KEY", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    return subprocess.run(
        [sys.executable, "-m", "utskrivning.service.manage", *args],
        cwd=tmp_path,
        env={**base, "DJANGO_SETTINGS_MODULE": "utskrivning.service.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_server_refuses_to_start_without_debug_or_key(tmp_path):
    result = _manage(tmp_path, "check", UTSKRIVNING_DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when UTSKRIVNING_DEBUG is off" in result.stderr


def test_a_bad_environment_value_stops_the_start(tmp_path):
    result = _manage(tmp_path, "check", UTSKRIVNING_DEBUG="maybe")
    assert result.returncode != 0
    assert "UTSKRIVNING_DEBUG='maybe' is not a boolean" in result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        UTSKRIVNING_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        UTSKRIVNING_ALLOWED_HOSTS="utskrivning.example.se",
        UTSKRIVNING_BEHIND_PROXY="true",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_identity_provider_without_its_client_stops_the_start(tmp_path):
    result = _manage(
        tmp_path, "check", UTSKRIVNING_DEBUG="true", UTSKRIVNING_OIDC_ISSUER="https://idp.test"
    )
    assert result.returncode != 0
    assert "UTSKRIVNING_OIDC_ISSUER needs UTSKRIVNING_OIDC_CLIENT_ID" in result.stderr


def test_passwords_off_without_an_identity_provider_stops_the_start(tmp_path):
    result = _manage(tmp_path, "check", UTSKRIVNING_DEBUG="true", UTSKRIVNING_PASSWORD_LOGIN="no")
    assert result.returncode != 0
    assert "UTSKRIVNING_PASSWORD_LOGIN=false needs UTSKRIVNING_OIDC_ISSUER" in result.stderr


def test_in_production_the_identity_provider_is_reached_over_https(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        UTSKRIVNING_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        UTSKRIVNING_OIDC_ISSUER="http://idp.test",
        UTSKRIVNING_OIDC_CLIENT_ID="utskrivning",
        UTSKRIVNING_OIDC_CLIENT_SECRET="s",
    )
    assert result.returncode != 0
    assert "UTSKRIVNING_OIDC_ISSUER must be an https:// address" in result.stderr
