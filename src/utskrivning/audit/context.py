"""The audit of one request: who, from where, by which API key, and every patient it read.

Selectors note the patients they read here (`patients_read`); the service's audit middleware
writes one entry for the request when it ends, listing them, so a list of 100 000 patients is one
row. Outside a request (the command line, the worker, an import thread) a read is written at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.http import HttpRequest

from utskrivning.lib.http import client_ip
from utskrivning.lib.text import printable


@dataclass
class RequestAudit:
    path: str
    method: str
    ip: str | None
    patients: dict[str, None] = field(default_factory=dict)  # references, in reading order
    purposes: dict[str, None] = field(default_factory=dict)
    entries: int = 0  # entries the request's services wrote themselves

    def where(self, request: HttpRequest | None = None) -> dict[str, object]:
        """The request's columns of an entry; the API key is known once the request is in."""
        key = getattr(request, "api_key", None) if request is not None else None
        return {
            "path": self.path,
            "method": self.method,
            "ip": self.ip,
            "api_key": key.name if key is not None else "",
        }


_current: ContextVar[RequestAudit | None] = ContextVar("utskrivning_request_audit", default=None)


def current() -> RequestAudit | None:
    return _current.get()


@contextmanager
def request_audit(request: HttpRequest) -> Iterator[RequestAudit]:
    # The path only: a query string may carry a personnummer typed into a search. Kept printable:
    # an address may carry a NUL, which PostgreSQL refuses (a 500 on every such request).
    audit = RequestAudit(
        path=printable(request.path, max_length=2000),
        method=printable(request.method or "", max_length=8),
        ip=client_ip(request),
    )
    token = _current.set(audit)
    try:
        yield audit
    finally:
        _current.reset(token)


def note_patients(references: Iterable[str], purpose: str) -> bool:
    """Add them to the request's entry; False outside a request (the caller writes one)."""
    audit = _current.get()
    if audit is None:
        return False
    audit.patients.update(dict.fromkeys(references))
    audit.purposes[purpose] = None
    return True
