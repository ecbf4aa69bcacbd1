"""The import page with htmx: the upload answers with a job, the page polls its phase and row
count every second, and the result lists errors by line; nothing is half-saved."""

from __future__ import annotations

import io
import subprocess
import time
from datetime import timedelta

import pytest

from service.factories import MembershipFactory, RegionFactory
from service.processes import UTSKRIVNING, production_environment, stop
from utskrivning.episodes.models import (
    Episode,
    EpisodeEvent,
    ImportJob,
    ImportStatus,
    Patient,
)
from utskrivning.imports import jobs as import_jobs
from utskrivning.imports import services as import_services
from utskrivning.organisations.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}
HEADER = "episode_id,patient_id,municipality,care_type,admitted_at,ready_at,discharged_at\n"
ROWS = [
    "E1,19121212-1212,2080,somatic,2026-03-02 09:00,2026-03-05 10:00,2026-03-09 12:00",
    "E2,200001010008,2080,geriatric,2026-03-03 09:00,,",
    "E3,19121212-1212,2080,somatic,2026-03-20 09:00,,",
]
GOOD = HEADER + "\n".join(ROWS) + "\n"
BAD = GOOD + "E4,19121212-1213,2080,somatic,2026-03-02 09:00,,\nE5,199001010009,9999,somatic,,,\n"


@pytest.fixture
def importer(region, falun, ward):
    return MembershipFactory(user__username="ekonom-import", organisation=region, role=Role.FINANCE)


class _Jobs:
    """The jobs uploads made, oldest first, read anew each time: the worker's to run (the test
    runs them with `import_job_run`)."""

    def _all(self) -> list[ImportJob]:
        return list(ImportJob.objects.order_by("created"))

    def __iter__(self):
        return iter(self._all())

    def __getitem__(self, index: int) -> ImportJob:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


@pytest.fixture
def started(db) -> _Jobs:
    return _Jobs()


@pytest.fixture
def upload_htmx(client, django_capture_on_commit_callbacks):
    """The htmx upload; the job starts after the commit, which a test's transaction never makes."""

    def upload(text):
        with django_capture_on_commit_callbacks(execute=True):
            return _upload(client, text, **HTMX)

    return upload


def _upload(client, text, **headers):
    return client.post("/import/", {"file": io.BytesIO(text.encode())}, **headers)


@pytest.mark.django_db
def test_the_htmx_upload_answers_with_a_job_polled_every_second(
    client, login, importer, started, upload_htmx
):
    login(importer)
    response = upload_htmx(GOOD)
    assert response.status_code == 200
    (job,) = started
    url = f"/import/{job.pk}/"
    assert f'hx-get="{url}"' in response.text and 'hx-trigger="every 1s"' in response.text
    assert not Episode.objects.exists()
    import_jobs.import_job_run(job_id=job.pk)
    done = client.get(url, **HTMX)
    assert "3 vårdtillfällen importerade" in done.text
    assert "every 1s" not in done.text  # finished: the polling stops (the header counter polls on)
    assert Episode.objects.count() == 3


@pytest.mark.django_db
def test_a_poll_shows_the_phase_and_the_rows_done(client, login, importer, started, upload_htmx):
    login(importer)
    upload_htmx(GOOD)
    (job,) = started
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.PREPARING, rows_done=2, rows_total=3
    )
    page = client.get(f"/import/{job.pk}/", **HTMX).text
    assert '<progress class="import-progress" max="3" value="2">' in page
    assert "2 av 3 rader" in page
    assert 'hx-trigger="every 1s"' in page


@pytest.mark.django_db
def test_the_phases_are_reported_in_order_with_the_row_count(importer):
    seen: list[tuple[str, int, int]] = []

    def progress(phase, done, total):
        seen.append((phase, done, total))

    from utskrivning.imports.services import import_episode_file

    import_episode_file(data=GOOD.encode(), membership=importer, progress=progress)
    phases = [phase for phase, _, _ in seen]
    assert phases[0] == ImportStatus.VALIDATING and phases[-1] == ImportStatus.SAVING
    counts = [done for phase, done, _ in seen if phase == ImportStatus.PREPARING]
    assert counts == sorted(counts) and counts[-1] == 3
    assert all(total == 3 for phase, _, total in seen if phase != ImportStatus.VALIDATING)


@pytest.mark.django_db
def test_a_bad_file_lists_every_bad_line_and_saves_nothing(
    client, login, importer, started, upload_htmx
):
    login(importer)
    upload_htmx(BAD)
    (job,) = started
    import_jobs.import_job_run(job_id=job.pk)
    page = client.get(f"/import/{job.pk}/", **HTMX).text
    assert "Ingenting sparades" in page
    assert '<td class="number">5</td>' in page and '<td class="number">6</td>' in page
    assert not Episode.objects.exists() and not Patient.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and bytes(job.data) == b""


@pytest.mark.django_db
def test_a_crash_while_saving_leaves_nothing_half_written(importer, monkeypatch):
    """The crash after the patients, episodes and events are written, in the same transaction
    (the audit entry is the save's last write)."""

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_services, "audit_record", crash)
    job = import_jobs.import_job_create(membership=importer, data=GOOD.encode(), name="f.csv")
    assert import_jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "nothing was saved" in job.errors[0]["reason"]
    assert not Episode.objects.exists() and not Patient.objects.exists()
    assert not EpisodeEvent.objects.exists()


@pytest.mark.django_db
def test_the_same_file_twice_stores_everything_once(importer):
    for _ in range(2):
        job = import_jobs.import_job_create(membership=importer, data=GOOD.encode(), name="f.csv")
        import_jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.imported, job.already_stored) == (0, 3)
    assert Episode.objects.count() == 3 and Patient.objects.count() == 2
    assert EpisodeEvent.objects.filter(episode__external_id="E1").count() == 1  # `imported`


@pytest.mark.django_db
def test_a_job_runs_once_whoever_takes_it(importer):
    job = import_jobs.import_job_create(membership=importer, data=GOOD.encode(), name="f.csv")
    assert import_jobs.import_jobs_run_queued() == 1
    assert import_jobs.import_job_run(job_id=job.pk) is False
    assert import_jobs.import_jobs_run_queued() == 0


@pytest.mark.django_db
def test_another_region_s_job_is_not_found(client, login, importer, started, upload_htmx):
    login(importer)
    upload_htmx(GOOD)
    (job,) = started
    other_region = RegionFactory(name="Region Gävleborg")
    stranger = MembershipFactory(organisation=other_region, role=Role.FINANCE)
    login(stranger)
    assert client.get(f"/import/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_page_loads_the_upload_listener_from_a_static_file(client, login, importer):
    login(importer)
    page = client.get("/import/").text
    assert "/static/web/import.js" in page and "<script>" not in page
    assert '<progress id="upload-progress"' in page


@pytest.mark.django_db(transaction=True)
def test_the_upload_is_run_by_the_worker_process(client, login, importer, upload_htmx, tmp_path):
    login(importer)
    upload_htmx(GOOD)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED and not Episode.objects.exists()
    worker = subprocess.Popen(
        [str(UTSKRIVNING), "worker", "--interval", "600"],
        env=production_environment(tmp_path),
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while job.status != ImportStatus.DONE and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
    finally:
        assert stop(worker) == 0  # the database is emptied after the test: not under a worker
    assert (job.status, job.imported, job.rows_done) == (ImportStatus.DONE, 3, 3)
    assert Episode.objects.count() == 3


@pytest.mark.django_db
def test_a_job_whose_process_went_away_is_ended_and_its_page_stops_polling(client, login, importer):
    job = import_jobs.import_job_create(membership=importer, data=GOOD.encode(), name="f.csv")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PREPARING)
    job.refresh_from_db()
    assert import_jobs.import_jobs_fail_stale(now=job.updated + timedelta(minutes=29)) == 0
    assert import_jobs.import_jobs_fail_stale(now=job.updated + timedelta(minutes=31)) == 1
    login(importer)
    page = client.get(f"/import/{job.pk}/", **HTMX).text
    assert "every 1s" not in page and "interrupted" in page
    job.refresh_from_db()
    assert bytes(job.data) == b""
