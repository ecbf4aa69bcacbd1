"""Episode-file imports over the API: at once (all or nothing), or as jobs as the import page runs
them: the upload answers at once with the job, a thread works it, and the caller polls its phase,
row count and result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.api.uploads import TooLarge, upload_bytes
from utskrivning.episodes.models import ImportJob, ImportStatus
from utskrivning.imports import jobs as import_jobs
from utskrivning.imports.services import import_episode_file
from utskrivning.lib.errors import NotVisibleError

router = Router(tags=["imports"], auth=AUTH)
# The all-at-once import lives under /api/episodes/, where the API has always had it.
file_router = Router(tags=["episodes"], auth=AUTH)


class ImportErrorOut(Schema):
    line: int | None
    column: str
    reason: str


class ImportJobOut(Schema):
    id: UUID
    name: str
    status: ImportStatus
    running: bool
    rows_done: int
    rows_total: int
    imported: int
    already_stored: int
    errors: list[ImportErrorOut]  # every bad line; then nothing was saved
    created: datetime
    finished: datetime | None


@router.post(
    "/", response={202: ImportJobOut}, summary="Start importing an episode file (all or nothing)"
)
def start(request: HttpRequest, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    """A retry with the same `Idempotency-Key` answers with the job the first upload made."""
    membership = membership_of(request)
    job = import_jobs.import_job_create(
        membership=membership, data=upload_bytes(file), name=file.name or ""
    )
    return Status(202, job)  # queued: the worker takes it within a second


@router.get("/{uuid:pk}", response=ImportJobOut, summary="An import job's progress or result")
def progress(request: HttpRequest, pk: Annotated[UUID, Path()]) -> ImportJob:
    found = import_jobs.import_jobs_visible_to(membership=membership_of(request)).filter(pk=pk)
    job = found.first()
    if job is None:
        raise NotVisibleError("No such import job.")
    return job


# The all-at-once import runs inside the request: bounded to what it does well within the web's
# timeout (10 000 lines take a few seconds; a national file would hold a web thread, and on SQLite
# the write lock, for a minute). Larger files go to the worker as a job.
MAX_DIRECT_IMPORT_LINES = 10_000


def _lines(data: bytes) -> int:
    """At least the file's lines: a quoted field's line break counts too, which only errs small."""
    return max(data.count(b"\n"), data.count(b"\r"))


@file_router.post("/import", summary="Import an episode file (all or nothing)")
def import_file(request: HttpRequest, file: UploadedFile = File(...)) -> dict[str, Any]:  # noqa: B008
    """Up to 10 000 lines; a larger file is refused (413, naming `file`): POST it as a job."""
    membership = membership_of(request)
    data = upload_bytes(file)
    if _lines(data) > MAX_DIRECT_IMPORT_LINES:
        raise TooLarge(
            f"file: more than {MAX_DIRECT_IMPORT_LINES} lines to import in one request; "
            "POST it to /api/import-jobs/, where the worker imports it as a job with its progress.",
            field="file",
        )
    result = import_episode_file(data=data, membership=membership)
    return {"imported": result.imported, "already_stored": result.already_stored}
