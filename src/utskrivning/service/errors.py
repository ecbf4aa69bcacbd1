"""The error pages: Swedish, plain, and never a traceback or a patient's data.

Django calls these (`handler400` … in service/urls.py) when DEBUG is off. A 500 names the
request's id as its reference; the same id is on the traceback's line in the log
(service/logs.py). Under /api/ the answers are the API's JSON errors instead of a page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from utskrivning.service.logs import current_request_id


def _answer(request: HttpRequest, status: int, template: str, detail: str) -> HttpResponse:
    reference = getattr(request, "request_id", None) or current_request_id()
    if request.path.startswith("/api/"):
        body = {"detail": detail, "field": None, "reference": reference}
        return JsonResponse(body, status=status)
    # No RequestContext: a failing context processor (the session, the database) must not
    # turn the error page into a second error.
    page = loader.get_template(template).render({"reference": reference, "path": request.path})
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, "errors/400.html", "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, "errors/403.html", "Permission denied.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, "errors/404.html", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, "errors/500.html", "Internal error; quote the reference.")
