"""Importing an episode file: all of it or, when any line is wrong, nothing and the errors.

With htmx the upload answers at once with a job that the worker runs and the page polls every
second; without JavaScript the same job runs within the request and the answer is its result.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from utskrivning.episodes.models import ImportJob, ImportStatus
from utskrivning.imports import jobs as import_jobs
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required
from utskrivning.web.forms import ImportForm


def _page(request: HttpRequest, form: ImportForm, job: ImportJob | None) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    # A plain form post that failed answers 422, as a form with errors does.
    failed = job is not None and job.status == ImportStatus.FAILED
    status = 422 if failed and not request.headers.get("HX-Request") else 200
    context = {"membership": membership, "form": form, "job": job}
    return render(request, "web/import.html", context, status=status)


def _importer(request: HttpRequest) -> None:
    if not can(request.membership, Action.IMPORT_EPISODES):  # type: ignore[attr-defined]
        raise PermissionDenied


@membership_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, None)
    upload_file = request.FILES["file"]
    job = import_jobs.import_job_create(
        membership=request.membership,  # type: ignore[attr-defined]
        data=form.cleaned_data["file"],
        name=upload_file.name or "",
    )
    if not request.headers.get("HX-Request"):  # no JavaScript to poll with: the answer waits
        import_jobs.import_job_run(job_id=job.pk)
        job.refresh_from_db()
    return _page(request, ImportForm(), job)


@membership_required
@require_GET
def job(request: HttpRequest, pk: UUID) -> HttpResponse:
    """One import job's progress or result; the running page asks for it every second."""
    _importer(request)
    jobs = import_jobs.import_jobs_visible_to(membership=request.membership)  # type: ignore[attr-defined]
    found = get_object_or_404(jobs, pk=pk)
    return _page(request, ImportForm(), found)
