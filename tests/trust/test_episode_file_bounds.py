"""Issue 14 class 10, the episode file: a file that would exhaust or crash the reader is a bad
line with its column, exit 2 in the CLI and a refused import in the service. Millions of empty
columns took gigabytes; CR-only line ends, a header cell over csv's 131 072 characters, year 0000
and year 9999 ended in tracebacks. The header is bounded before Polars reads the file, and every
time lies in 2000–2100, so no date arithmetic overflows."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from typer.testing import CliRunner

from utskrivning.cli import app
from utskrivning.domain.episodes import (
    MAX_COLUMNS,
    MAX_HEADER_BYTES,
    EpisodeFileError,
    read_episodes,
)
from utskrivning.episodes.models import Episode, ImportJob, ImportStatus
from utskrivning.imports.jobs import import_job_create, import_job_run

from .conftest import auth

HEADER = "episode_id;patient_id;municipality;care_type;unit;admitted_at;ready_at;discharged_at"
ROW = (
    "E1;19121212-1212;2080;somatic;Avdelning 12;2020-03-01 10:00;2020-03-02 10:00;2020-03-20 10:00"
)

# name → (file, line, column) of the first error
FILES = {
    "three million empty columns": (HEADER + ";" * 3_000_000 + "\n" + ROW + "\n", 1, None),
    "columns past the bound": (HEADER + ";x" * MAX_COLUMNS + "\n" + ROW + "\n", 1, None),
    "CR-only line ends": (HEADER + "\r" + ROW + "\r", 1, None),
    "a header cell over 131 072 characters": (HEADER + ";" + "x" * 140_000 + "\n" + ROW, 1, None),
    "a long column name": (HEADER + ";" + "x" * 101 + "\n" + ROW + ";\n", 1, "column 9"),
    "a header with a stray quote": (HEADER + ';"x\n' + ROW + "\n", 1, None),
    "year 0000": (HEADER + "\n" + ROW.replace("2020-03-01", "0000-03-01") + "\n", 2, "admitted_at"),
    "year 9999": (HEADER + "\n" + ROW.replace("2020-03-20", "9999-03-20") + "\n", 2,
                  "discharged_at"),
    "year 1999": (HEADER + "\n" + ROW.replace("2020-03-01", "1999-12-31") + "\n", 2, "admitted_at"),
    "a cell of 140 000 characters": (HEADER + "\n" + ROW.replace("Avdelning 12", "x" * 140_000)
                                     + "\n", 2, "unit"),
    "three million fields in a row": (HEADER + "\n" + ROW + ";" * 3_000_000 + "\n", 2, None),
    "ready ten billion times": (HEADER + ";ready_declarations\n" + ROW + ";10000000000\n", 2,
                               "ready_declarations"),
}  # fmt: skip


@pytest.mark.parametrize(("text", "line", "column"), FILES.values(), ids=FILES.keys())
def test_the_reader_refuses_with_line_and_column(text, line, column):
    with pytest.raises(EpisodeFileError) as refused:
        read_episodes(text.encode())
    first = refused.value.errors[0]
    assert (first.line, first.column) == (line, column), first


@pytest.mark.parametrize("name", ["year 9999", "year 0000"])
@pytest.mark.parametrize("rulebook", ["stockholm-2018", "dalarna-2020", "law-2017-612"])
def test_the_cli_exits_2_naming_line_and_column(tmp_path: Path, name, rulebook):
    text, line, column = FILES[name]
    path = tmp_path / "episodes.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["payment", "--rulebook", rulebook, "--episodes", str(path)])
    assert result.exit_code == 2, result.output
    assert f"line {line}, column {column}" in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    "name", ["three million empty columns", "CR-only line ends", "three million fields in a row"]
)
def test_the_cli_exits_2_on_a_file_that_exhausted_it(tmp_path: Path, name):
    path = tmp_path / "episodes.csv"
    path.write_text(FILES[name][0], encoding="utf-8", newline="")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(app, ["indicators", "--episodes", str(path)])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.exit_code == 2, result.output
    assert "line " in " ".join(result.stderr.split())
    assert grown_mb < 500, grown_mb  # it took 3.6 GB


def test_the_header_bound_leaves_a_real_export_room():
    assert MAX_HEADER_BYTES >= 4096 and MAX_COLUMNS >= 100


@pytest.mark.parametrize("name", ["three million empty columns", "CR-only line ends", "year 9999"])
def test_the_import_api_answers_the_bad_line_and_stores_nothing(client, cast, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text, line, column = FILES[name]
    upload = SimpleUploadedFile("e.csv", text.encode(), content_type="text/csv")
    response = client.post("/api/episodes/import", {"file": upload}, **auth(cast.finance_region))
    assert response.status_code == 422, response.content[:300]
    first = response.json()["errors"][0]
    assert (first["line"], first["column"] or None) == (line, column)
    assert not Episode.objects.exists()


@pytest.mark.parametrize("name", ["year 0000", "year 9999", "CR-only line ends"])
def test_the_import_job_fails_with_the_bad_line_not_an_internal_error(cast, name):
    text, line, column = FILES[name]
    job = import_job_create(membership=cast.finance_region, data=text.encode(), name="e.csv")
    assert import_job_run(job_id=job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["column"] or None) for e in job.errors][:1] == [(line, column)]
    assert not Episode.objects.exists()
