"""Import jobs over the API, as the import page runs them: the upload answers 202 with a queued
job, the caller polls it to its result; a retried upload is one job; other regions see nothing."""

from __future__ import annotations

import io

import pytest

from episodes.test_api import auth
from service.factories import MembershipFactory, RegionFactory
from utskrivning.episodes.models import Episode, ImportJob
from utskrivning.imports import jobs as import_jobs
from utskrivning.organisations.models import Role
from web.test_import_progress import BAD, GOOD, importer, started

pytestmark = pytest.mark.django_db
__all__ = ["importer", "started"]  # the page tests' fixtures: the region's finance, queued jobs


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """`upload(membership, text, key=None)`: the job starts after the commit, as in production;
    each membership calls with one API key."""
    keys: dict = {}

    def post(membership, text, key=None):
        keys.setdefault(membership.pk, auth(membership))
        headers = keys[membership.pk] | ({"HTTP_IDEMPOTENCY_KEY": key} if key else {})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/import-jobs/", {"file": io.BytesIO(text.encode())}, **headers)

    return post


def test_the_upload_answers_with_a_queued_job_polled_to_its_result(api, importer, started, upload):
    response = upload(importer, GOOD)
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["running"], job["imported"]) == ("queued", True, 0)
    assert [j.pk for j in started] == [ImportJob.objects.get().pk]
    assert not Episode.objects.exists()
    import_jobs.import_job_run(job_id=started[0].pk)
    done = api(importer, f"import-jobs/{job['id']}").json()
    assert (done["status"], done["running"], done["imported"], done["rows_done"]) == (
        "done", False, 3, 3,
    )  # fmt: skip
    assert Episode.objects.count() == 3


def test_a_retry_with_the_same_key_is_the_same_job(api, importer, started, upload):
    first = upload(importer, GOOD, key="upload-1").json()
    import_jobs.import_job_run(job_id=started[0].pk)
    again = upload(importer, GOOD, key="upload-1").json()
    assert again == first  # the first answer; the job's progress is polled
    assert api(importer, f"import-jobs/{first['id']}").json()["status"] == "done"
    assert ImportJob.objects.count() == 1 and len(started) == 1
    assert upload(importer, GOOD, key="upload-2").json()["id"] != first["id"]


def test_a_bad_file_fails_with_every_bad_line_and_saves_nothing(api, importer, started, upload):
    job = upload(importer, BAD).json()
    import_jobs.import_job_run(job_id=started[0].pk)
    failed = api(importer, f"import-jobs/{job['id']}").json()
    assert failed["status"] == "failed"
    assert {e["line"] for e in failed["errors"]} == {5, 6}
    assert all(e["reason"] for e in failed["errors"])
    assert not Episode.objects.exists()


def test_another_region_s_job_is_not_found(api, importer, started, upload):
    job = upload(importer, GOOD).json()
    stranger = MembershipFactory(organisation=RegionFactory(name="Gävleborg"), role=Role.FINANCE)
    response = api(stranger, f"import-jobs/{job['id']}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such import job."


def test_who_may_not_import_is_refused_and_nothing_queued(api, officer_a, upload, started):
    response = upload(officer_a, GOOD)
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role may not read imports."
    assert not ImportJob.objects.exists() and not started
    assert api(officer_a, "import-jobs/00000000-0000-0000-0000-000000000000").status_code == 403


def test_an_unknown_job_or_a_malformed_id_is_json(api, importer):
    assert api(importer, "import-jobs/00000000-0000-0000-0000-000000000000").status_code == 404
    malformed = api(importer, "import-jobs/not-a-uuid")
    assert malformed.status_code == 404 and malformed.json()["field"] == "path"
