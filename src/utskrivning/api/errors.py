"""The API's error contract: every refusal is JSON `{"detail", "field"}` with its status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.domain.payment import PaymentError
from utskrivning.domain.process import TransitionError
from utskrivning.lib.errors import ConflictError, NotVisibleError


def error_response(
    request: HttpRequest, status: int, detail: str, field: str | None = None, **extra: object
) -> HttpResponse:
    """The contract's answer, also for refusals made outside ninja (middleware, unknown paths)."""
    return JsonResponse({"detail": detail, "field": field, **extra}, status=status)


def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "payload")]
    field = ".".join(location) or None
    message = first.get("msg", "Invalid request.")
    return error_response(request, 422, f"{field}: {message}" if field else message, field)


def invalid_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return error_response(request, 422, f"{field}: {' '.join(errors)}", field)
    return error_response(request, 422, " ".join(exc.messages))


def refused(request: HttpRequest, exc: TransitionError) -> HttpResponse:
    if exc.field is not None:  # a wrong value, not a step out of turn
        return error_response(request, 422, exc.reason, exc.field)
    return error_response(request, 409, exc.reason, "type")


def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Django raises it when the body passes DATA_UPLOAD_MAX_MEMORY_SIZE; ninja would let it
    become Django's HTML 400."""
    message = str(exc) or "The request body is too large."
    return error_response(request, 413, message, getattr(exc, "field", "body"))


def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return error_response(request, 409, str(exc), "expected_version")


def not_visible(request: HttpRequest, exc: NotVisibleError) -> HttpResponse:
    return error_response(request, 404, str(exc) or "Not found.")


def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or "Permission denied.")


def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "Authentication required.", "Authorization")


def bad_file(request: HttpRequest, exc: EpisodeFileError) -> HttpResponse:
    errors = [{"line": e.line, "column": e.column, "reason": e.reason} for e in exc.errors]
    first = exc.errors[0]
    return error_response(request, 422, str(first), first.column or "file", errors=errors)


def cannot_compute(request: HttpRequest, exc: PaymentError) -> HttpResponse:
    """The region's rulebook lacks a figure the month needs (a year's day rate, the county
    average): the basis is not computed rather than guessed; the field names the parameter."""
    return error_response(request, 409, str(exc), exc.parameter or "rulebook")


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's only 400 is a body it cannot parse (not JSON, a broken multipart form).
    status = exc.status_code
    return error_response(request, status, str(exc), "body" if status == 400 else None)


def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.")


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    NinjaValidationError: invalid_request,
    DjangoValidationError: invalid_value,
    TransitionError: refused,  # the services raise it as episodes.services.ProcessError
    RequestDataTooBig: too_large,
    ConflictError: conflict,
    NotVisibleError: not_visible,
    PermissionDenied: denied,
    AuthenticationError: unauthenticated,
    EpisodeFileError: bad_file,
    PaymentError: cannot_compute,
    HttpError: http_error,
    Http404: not_found,
}


def install(api: NinjaAPI) -> None:
    """Map every refusal the services and ninja raise to its status and field."""
    for exception, handler in HANDLERS.items():
        api.add_exception_handler(exception, handler)
