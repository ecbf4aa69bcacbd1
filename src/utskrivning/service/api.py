"""The REST API (django-ninja), OpenAPI at /api/docs; errors as `{"detail", "field"}`."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Status

from utskrivning.api import errors
from utskrivning.episodes.api import router as episodes_router
from utskrivning.payment.api import router as payment_router

log = logging.getLogger(__name__)
api = NinjaAPI(title="Utskrivning", version="1", docs_url="/docs", urls_namespace="api")
api.add_router("/episodes", episodes_router)
api.add_router("/payment", payment_router)
api.add_router("/episodes", "utskrivning.deviations.api.episode_router")
api.add_router("/episodes", "utskrivning.imports.api.file_router")
api.add_router("/episodes", "utskrivning.episodes.notes_api.router")
api.add_router("/deviations", "utskrivning.deviations.api.router")
api.add_router("/followup", "utskrivning.followup.api.router")
api.add_router("/import-jobs", "utskrivning.imports.api.router")
api.add_router("/payment/files", "utskrivning.payment.files_api.router")
api.add_router("/webhooks", "utskrivning.notifications.api.router")
errors.install(api)


@api.get("/health", auth=None, summary="The process answers (for the load balancer)")
def health(request: HttpRequest) -> dict[str, str]:
    """No database, no session: what a load balancer polls, and the benchmark's baseline."""
    return {"status": "ok"}


@api.get(
    "/ready",
    auth=None,
    response={200: dict[str, str], 503: dict[str, str]},
    summary="The process can serve: its database answers (for the load balancer)",
)
def ready(request: HttpRequest) -> Status:
    """A query on the database, through the same pool as every request: 503 while it fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("readiness: the database does not answer")
        return Status(503, {"status": "unavailable", "database": "unreachable"})
    return Status(200, {"status": "ok", "database": "ok"})


@csrf_exempt  # it changes nothing, and a refused token must not turn the 404 into HTML
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    """A path no operation matches (`/api/episodes/-1`) is a JSON 404 too, not Django's HTML."""
    return errors.error_response(request, 404, "No such API path.", "path")


# Included by service/urls.py as `path("api/", include("utskrivning.service.api"))`.
urlpatterns = [path("", api.urls), re_path(r"^(?P<rest>[\s\S]*)$", unknown_path)]
