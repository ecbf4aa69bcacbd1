"""The REST API (django-ninja), OpenAPI at /api/docs; errors as `{"detail", "field"}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.episodes.api import router as episodes_router
from utskrivning.episodes.services import ConflictError, NotVisibleError, ProcessError
from utskrivning.payment.api import router as payment_router

api = NinjaAPI(title="Utskrivning", version="1", docs_url="/docs", urls_namespace="api")
api.add_router("/episodes", episodes_router)
api.add_router("/payment", payment_router)
api.add_router("/deviations", "utskrivning.episodes.followup_api.router")
api.add_router("/followup", "utskrivning.followup.api.router")
api.add_router("/import-jobs", "utskrivning.episodes.import_jobs_api.router")
api.add_router("/payment/files", "utskrivning.payment.files_api.router")


@api.get("/health", auth=None, summary="The process answers (for the load balancer)")
def health(request: HttpRequest) -> dict[str, str]:
    """No database, no session: what a load balancer polls, and the benchmark's baseline."""
    return {"status": "ok"}


def _error(
    request: HttpRequest, status: int, detail: str, field: str | None = None, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "field": field, **extra}, status=status)


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "payload")]
    field = ".".join(location) or None
    message = first.get("msg", "Invalid request.")
    return _error(request, 422, f"{field}: {message}" if field else message, field)


@api.exception_handler(DjangoValidationError)
def invalid_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return _error(request, 422, f"{field}: {' '.join(errors)}", field)
    return _error(request, 422, " ".join(exc.messages))


@api.exception_handler(ProcessError)
def refused(request: HttpRequest, exc: ProcessError) -> HttpResponse:
    if exc.field is not None:  # a wrong value, not a step out of turn
        return _error(request, 422, exc.reason, exc.field)
    return _error(request, 409, exc.reason, "type")


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Django raises it when the body passes DATA_UPLOAD_MAX_MEMORY_SIZE; ninja would let it
    become Django's HTML 400."""
    return _error(
        request, 413, str(exc) or "The request body is too large.", getattr(exc, "field", "body")
    )


@api.exception_handler(ConflictError)
def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, 409, str(exc), "expected_version")


@api.exception_handler(NotVisibleError)
def not_visible(request: HttpRequest, exc: NotVisibleError) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Permission denied.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Authentication required.", "Authorization")


@api.exception_handler(EpisodeFileError)
def bad_file(request: HttpRequest, exc: EpisodeFileError) -> HttpResponse:
    errors = [{"line": e.line, "column": e.column, "reason": e.reason} for e in exc.errors]
    first = exc.errors[0]
    return _error(request, 422, str(first), first.column or "file", errors=errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's only 400 is a body it cannot parse (not JSON, a broken multipart form).
    return _error(request, exc.status_code, str(exc), "body" if exc.status_code == 400 else None)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@csrf_exempt  # it changes nothing, and a refused token must not turn the 404 into HTML
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    """A path no operation matches (`/api/episodes/-1`) is a JSON 404 too, not Django's HTML."""
    return _error(request, 404, "No such API path.", "path")


# Included by service/urls.py as `path("api/", include("utskrivning.service.api"))`.
urlpatterns = [path("", api.urls), re_path(r"^(?P<rest>[\s\S]*)$", unknown_path)]
