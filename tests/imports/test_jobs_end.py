"""An import job always ends, and says truly whether its rows were saved: done in the same
transaction as the rows, so a crash after that commit cannot turn it into "nothing was saved"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from utskrivning.episodes.models import Episode, ImportJob, ImportStatus
from utskrivning.imports import jobs, services
from web.test_import_progress import GOOD, importer

pytestmark = pytest.mark.django_db
__all__ = ["importer"]


def _job(importer) -> ImportJob:
    return jobs.import_job_create(membership=importer, data=GOOD.encode(), name="fil.csv")


def test_a_crash_after_the_save_leaves_the_job_done(importer, monkeypatch):
    real = jobs.import_episode_file

    def save_then_crash(**kwargs):
        real(**kwargs)
        raise RuntimeError("the process died after the commit")

    monkeypatch.setattr(jobs, "import_episode_file", save_then_crash)
    job = _job(importer)
    jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.errors) == (ImportStatus.DONE, 3, [])
    assert Episode.objects.count() == 3


def test_a_crash_before_the_commit_saves_nothing_and_says_so(importer, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("the audit log failed")

    monkeypatch.setattr(services, "audit_record", crash)  # inside the rows' transaction
    job = _job(importer)
    jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "nothing was saved" in job.errors[0]["reason"]
    assert not Episode.objects.exists()
    assert bytes(job.data) == b""


def test_a_job_whose_process_went_away_is_ended_and_a_done_one_kept(importer):
    hung, done = _job(importer), _job(importer)
    jobs.import_job_run(job_id=done.pk)
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    ImportJob.objects.filter(pk=hung.pk).update(status=ImportStatus.SAVING, updated=long_ago)
    ImportJob.objects.filter(pk=done.pk).update(updated=long_ago)
    assert jobs.import_jobs_fail_stale(now=timezone.now()) == 1
    hung.refresh_from_db()
    done.refresh_from_db()
    assert hung.status == ImportStatus.FAILED and "interrupted" in hung.errors[0]["reason"]
    assert done.status == ImportStatus.DONE
