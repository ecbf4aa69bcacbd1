"""Backup and restore as docs/operations.md gives them: `pg_dump --format=custom` of the service's
database, `pg_restore` into an empty one, and the restored service computes the same invoices
and indicators. PostgreSQL only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.episodes.demo import seed_demo_episodes
from utskrivning.organisations.demo import seed_demo_organisations

from .processes import database_url, production_environment

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)
MONTHS = ("2026-10", "2026-11")
# What a region would compare after a restore: every municipality's invoice basis (each line)
# and the follow-up dashboard's indicators, computed by the service from the database it is given.
FIGURES = f"""
import json, django
from datetime import date
django.setup()
from django.http import QueryDict
from utskrivning.followup.filters import parse_filters
from utskrivning.followup.services import dashboard_for
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.payment.basis import invoice_basis
invoices = {{
    f"{{m.municipality_code}} {{month}}": invoice_basis(municipality=m, month=month)
    .line_frame.sort(list(invoice_basis(municipality=m, month=month).line_frame.columns))
    .write_csv()
    for m in Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("pk")
    for month in {MONTHS!r}
}}
analyst = Membership.objects.get(user__username="analytiker")
filters = parse_filters(QueryDict("from={MONTHS[0]}&to={MONTHS[1]}"), today=date(2026, 11, 20))
board = dashboard_for(membership=analyst, filters=filters, actor=None, english=False)
print(json.dumps({{"invoices": invoices, "indicators": board.table.write_csv()}}))
"""


def _figures(url: str, tmp_path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", FIGURES],
        env=production_environment(tmp_path) | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def _psql_admin(url: str, statement: str) -> None:
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-c", statement], check=True)


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_gives_the_same_invoices_and_indicators(
    tmp_path,
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore are PostgreSQL's; run with DATABASE_URL=postgres://…")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are missing: install postgresql-client")
    seed_demo_organisations()
    seed_demo_episodes(count=120, now=NOW)
    source = database_url()
    restored = urlsplit(source)._replace(path=urlsplit(source).path + "_restored").geturl()
    target = urlsplit(restored).path.lstrip("/")
    dump = tmp_path / "utskrivning.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    _psql_admin(source, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    _psql_admin(source, f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            check=True,
        )
        before = _figures(source, tmp_path)
        assert any(line.count("\n") > 1 for line in before["invoices"].values()), "lines to compare"
        assert before["indicators"].count("\n") > 1
        assert _figures(restored, tmp_path) == before
    finally:
        _psql_admin(source, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
