"""`Idempotency-Key` on the API's writes: a retry gets the first answer, and writes once.

The key belongs to the caller (its API key, or its session's membership) and the operation
(method and path). The answer is stored in the same transaction as the write, under a row whose
unique hash a concurrent retry waits on: on PostgreSQL the retry's insert blocks until the first
commits, then fails inside its own savepoint, and the retry answers with what was stored; on SQLite
writers are serialised anyway. A different body under the same key is refused (422), never
answered with another request's result. Answers with 5xx are not kept, so the retry runs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from utskrivning.api.auth import request_api_key
from utskrivning.api.errors import error_response
from utskrivning.api.models import IdempotentAnswer
from utskrivning.organisations.sessions import current_membership

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _sha256(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())  # length-safe: each part hashed alone
    return digest.hexdigest()


def _caller(request: HttpRequest) -> str | None:
    """Whose key it is: the API key, else the session's membership; None if no one's."""
    api_key = request_api_key(request)
    if api_key is not None:
        return f"api-key:{api_key.pk}"
    membership = current_membership(request)
    return f"membership:{membership.pk}" if membership is not None else None


def _body_hash(request: HttpRequest) -> str:
    """The request's content: a multipart form by its fields and files, since a retry sends the
    same file under a new boundary."""
    if request.content_type != "multipart/form-data":
        return _sha256(request.body)
    parts: list[bytes] = []
    for name, values in sorted(request.POST.lists()):
        parts += [name.encode("utf-8", "surrogatepass")]
        parts += [value.encode("utf-8", "surrogatepass") for value in values]
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            parts += [name.encode("utf-8", "surrogatepass"), b"".join(upload.chunks())]
            upload.seek(0)
    return _sha256(*parts)


def _replay(stored: IdempotentAnswer) -> HttpResponse:
    response = HttpResponse(
        bytes(stored.content), status=stored.status, content_type=stored.content_type
    )
    response[REPLAYED] = "true"
    return response


class IdempotencyMiddleware:
    """Runs after authentication; only API writes that carry the header are affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in _WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        caller = _caller(request)
        if caller is None:  # unauthenticated: the API's own 401
            return self.get_response(request)
        scope = _sha256(
            caller.encode(),
            f"{request.method} {request.path}".encode("utf-8", "surrogatepass"),
            key.encode("utf-8", "surrogatepass"),
        )
        try:
            body = _body_hash(request)
        except RequestDataTooBig as error:
            return error_response(request, 413, str(error), "body")
        return self._once(request, scope, body)

    def _once(self, request: HttpRequest, scope: str, body: str) -> HttpResponse:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentAnswer.objects.create(
                        scope_hash=scope, body_hash=body, status=0, content_type="", content=b""
                    )
            except IntegrityError:
                stored = IdempotentAnswer.objects.get(scope_hash=scope)
                if stored.body_hash != body:
                    return error_response(
                        request,
                        422,
                        f"{HEADER}: this key was used with a different request body.",
                        HEADER,
                    )
                return _replay(stored)
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                transaction.set_rollback(True)
                return response
            claim.status = response.status_code
            claim.content_type = response.get("Content-Type", "")
            claim.content = response.content
            claim.save(update_fields=["status", "content_type", "content"])
            return response
