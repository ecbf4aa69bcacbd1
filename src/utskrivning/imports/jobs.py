"""Episode-file imports as background jobs, so the import page can show how far one has come.

The job is a row: the web request stores the file and answers at once; `utskrivning worker`
(its own process, which looks for queued jobs every second) runs it, and the page and the API
poll the row. The web process never holds a 100 000-row file's work. Progress is committed
only while no write transaction is open (the rows are checked
first, then stored in one short transaction), so it works on SQLite's single writer as well as
on PostgreSQL.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.episodes.models import ImportJob, ImportStatus
from utskrivning.imports.services import ImportResult, check_may_import, import_episode_file
from utskrivning.lib.text import printable
from utskrivning.organisations.models import Membership

log = logging.getLogger(__name__)


def import_job_create(*, membership: Membership, data: bytes, name: str) -> ImportJob:
    """Store the file as a queued job of the membership's region (a retried upload with the same
    `Idempotency-Key` is answered by `utskrivning.api.idempotency`, without a second job)."""
    check_may_import(membership)
    region = membership.organisation.region
    if region is None:
        raise PermissionDenied("Episodes are imported for a region.")
    return ImportJob.objects.create(
        region=region, membership=membership, data=data, name=printable(name, max_length=255)
    )


def import_jobs_visible_to(*, membership: Membership) -> QuerySet[ImportJob]:
    """The jobs of the membership's region, for who may import; the file is not read back."""
    check_may_import(membership)
    return ImportJob.objects.defer("data").filter(region=membership.organisation.region)


def _finish(job_id: UUID, **fields: Any) -> int:
    """End a job still running; 0 when it had already ended (its rows were saved: DONE).
    The file holds personal numbers: it is dropped once the job is over, whatever the outcome."""
    running = ImportJob.objects.filter(pk=job_id, status__in=RUNNING)
    return running.update(data=b"", finished=timezone.now(), **fields)


def _failed(reason: str) -> dict[str, Any]:
    return {
        "status": ImportStatus.FAILED,
        "errors": [{"line": None, "column": "", "reason": reason}],
    }


def import_job_run(*, job_id: UUID) -> bool:
    """Run a queued job; False when another thread or worker took it first.

    The job is marked done in the transaction that stores its rows, so a job is saved exactly
    when it says DONE: a failure after that commit leaves it done (and is only logged), and a
    job that ends FAILED, here or by `import_jobs_fail_stale`, truly saved nothing.
    """
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING, updated=timezone.now()
    ):
        return False
    job = ImportJob.objects.select_related("membership__organisation", "membership__user").get(
        pk=job_id
    )

    def progress(phase: ImportStatus, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id, status__in=RUNNING).update(
            status=phase, rows_done=done, rows_total=total, updated=timezone.now()
        )

    def saved(result: ImportResult) -> None:  # inside the rows' transaction
        _finish(
            job_id,
            status=ImportStatus.DONE,
            imported=result.imported,
            already_stored=result.already_stored,
        )

    try:
        import_episode_file(
            data=bytes(job.data), membership=job.membership, progress=progress, saved=saved
        )
    except EpisodeFileError as error:
        # With its template and values where it has them, for the page's words (web.refusals).
        errors = [
            {"line": e.line, "column": e.column or "", "reason": e.reason,
             **({"template": e.template, "values": dict(e.values)} if e.template else {})}
            for e in error.errors
        ]  # fmt: skip
        _finish(job_id, status=ImportStatus.FAILED, errors=errors)
    except Exception:
        log.exception("import job %s failed", job_id)
        _finish(job_id, **_failed("The import stopped on an internal error; nothing was saved."))
    return True


def import_jobs_waiting() -> bool:
    """Whether a job is queued: the worker asks every second, one indexed query."""
    return ImportJob.objects.filter(status=ImportStatus.QUEUED).exists()


def import_jobs_run_queued() -> int:
    """Run the queued jobs, oldest first; how many this process ran."""
    queued = ImportJob.objects.filter(status=ImportStatus.QUEUED).order_by("created")
    return sum(import_job_run(job_id=pk) for pk in queued.values_list("pk", flat=True))


RUNNING = (ImportStatus.VALIDATING, ImportStatus.PREPARING, ImportStatus.SAVING)
STALE_AFTER = timedelta(minutes=30)


def import_jobs_fail_stale(*, now: datetime, after: timedelta = STALE_AFTER) -> int:
    """End the jobs whose process went away mid-run, so their page stops waiting; how many.

    The rows go in in one transaction, so such a job saved nothing. A job still alive reports
    progress at least every hundredth of its rows; `after` is generous for the file check and the
    final transaction, which report nothing while they run.
    """
    stale = ImportJob.objects.filter(status__in=RUNNING, updated__lt=now - after)
    if not stale.exists():  # the usual pass: no write, so no write lock on SQLite
        return 0
    reason = "The import was interrupted; nothing was saved. Upload the file again."
    return stale.update(data=b"", finished=now, **_failed(reason))
