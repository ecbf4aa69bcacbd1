"""Structured logs: one JSON object a line on stdout, each carrying the request's id.

The id is made per request (or taken from our proxy's `X-Request-ID` when it is well formed),
answered in the `X-Request-ID` header and shown on the 500 page as its reference, so a user's
"referens 3f9a…" leads to the one traceback in the log. The path is logged without its query
string: searches may hold a name or a personnummer, which belong in the audit log only.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# What a proxy may hand us as the id: short, ASCII, nothing a log reader could mistake.
_FORWARDED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# A personnummer or samordningsnummer in any accepted form (identity.py), inside any text.
# Bounded by anything but a letter or digit: ten digits inside a hex id (an episode's uuid, a
# request id) are part of that id, which the log needs whole to be searched by.
_PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])([0-9]{6}|[0-9]{8})[-+]?[0-9]{4}(?![0-9A-Za-z])")
_NOT_MASKED = frozenset({"time", "request_id"})  # a hex request id may hold ten digits in a row
access_log = logging.getLogger("utskrivning.request")


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to stdout as it is when a line is written, not when logging was configured: a test
    runner swaps it per test and closes the old one (then every line was a "Logging error")."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value: object) -> None:
        """The stream is always the current stdout; nothing to keep."""


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Stamps every record made while a request runs (in its thread) with that request's id, and
    Django's own lines about a request (`django.request`, written after the middleware returned)
    with the id of the request they carry."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = _request_id.get() or getattr(request, "request_id", None)
        return True


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", …}`; extra fields kept as given."""

    _STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
        "message",
        "asctime",
        "request_id",
        "request",  # Django's request logger adds the request object itself: not data
    }

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry |= {k: v for k, v in vars(record).items() if k not in self._STANDARD}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(
            {k: v if k in _NOT_MASKED else _masked(v) for k, v in entry.items()},
            ensure_ascii=False,
            default=str,
        )


def _masked(value: object) -> object:
    """A personnummer in a line's text (an exception quoting a duplicate key or a file's cell,
    a path someone typed) as its birth date and `-****`, as `PersonalNumber` prints itself:
    patient identifiers belong in the audit log only."""
    if not isinstance(value, str):
        return value
    return _PERSONAL_NUMBER.sub(r"\1-****", value)


class RequestIdMiddleware:
    """First in the chain: the id exists before anything can log or fail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.headers.get("X-Request-ID", "") if settings.BEHIND_PROXY else ""
        request_id = forwarded if _FORWARDED_ID.fullmatch(forwarded) else secrets.token_hex(8)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)
