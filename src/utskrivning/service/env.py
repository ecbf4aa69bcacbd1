"""Typed environment variables: a bad value stops the start and names the variable.

A typo such as `UTSKRIVNING_DEBUG=flase` must not quietly become a default; every reader here
raises `ImproperlyConfigured` instead of guessing.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 50  # Django's own deploy check (security.W009) wants at least this


def _raw(name: str) -> str | None:
    """The value, or None when unset or empty (an empty variable means "not configured")."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name: str, *, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false)")


def env_int(name: str, *, default: int, low: int, high: int) -> int:
    """ASCII digits only (`int()` would take "٣" or " 3_0 "), within `low`–`high`."""
    value = _raw(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number")
    number = int(value)
    if not low <= number <= high:
        raise ImproperlyConfigured(f"{name}={number} is outside {low}–{high}")
    return number


def env_choice(name: str, *, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value.upper() not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value.upper()


def env_str(name: str, *, default: str, max_length: int = 500, ascii: bool = True) -> str:
    """One printable line, bounded (ASCII unless told): a client id, a claim's name, a scope list
    or, not ASCII, a name shown on a page."""
    value = _raw(name)
    if value is None:
        return default
    printable = value.isprintable() and (value.isascii() or not ascii)
    if len(value) > max_length or not printable:
        kind = "printable ASCII" if ascii else "printable text"
        raise ImproperlyConfigured(f"{name} is not {kind} of at most {max_length} characters")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    """A comma-separated list; blanks around the items are dropped."""
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, *, default: Path) -> Path:
    value = _raw(name)
    return default if value is None else Path(value).expanduser().resolve()


def load_secret_key(*, debug: bool, data_dir: Path) -> str:
    """`SECRET_KEY` from the environment; in DEBUG a key generated once into `data_dir`.

    The key also keys the patients' references in the audit log, so a production server must be
    given a stable one: with DEBUG off and no key it refuses to start rather than invent one.
    """
    key = _raw("SECRET_KEY")
    if key is not None:
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY is {len(key)} characters; use at least {MIN_SECRET_KEY_LENGTH}"
            )
        return key
    if not debug:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when UTSKRIVNING_DEBUG is off; generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
        )
    return _development_key(data_dir / SECRET_KEY_FILE)


def _development_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written aside and linked into place: two processes starting at once (the server and a
        # test run) agree on one complete key, and neither reads a half-written file.
        fd, temporary = tempfile.mkstemp(dir=path.parent)  # mode 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(MIN_SECRET_KEY_LENGTH) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        os.unlink(temporary)
    return path.read_text("utf-8").strip()
