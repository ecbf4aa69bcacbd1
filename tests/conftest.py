"""What every test shares: a process-wide cache emptied between tests, a PDF test skipped
(not failed) on a machine without poppler's tools, saying what to install, and --database-tests,
with which `make test-db` runs on PostgreSQL only the tests that reach the database."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator

import pytest
from hypothesis import settings

# The loopback OpenID Connect provider, for any test that signs in through it.
from loopback_oidc.provider import oidc_provider, oidc_settings  # noqa: F401

# Hypothesis fails an example slower than 200 ms ("DeadlineExceeded", or "Flaky" when the rerun is
# fast). A Polars example's first call and a CI machine shared by other jobs pass that now and then,
# so a property test failed once and passed on rerun (test_identity's check digit): what a property
# test checks is the result, not the wall clock, which the benchmarks measure.
settings.register_profile("utskrivning", deadline=None)
settings.load_profile("utskrivning")


@pytest.fixture(autouse=True)
def fresh_worklists() -> Iterator[None]:
    """The worklist cache keys on episode ids and versions, which a rolled-back test gives to the
    next one's different episodes (a database does not reuse them outside tests). Looked up, not
    imported, so the domain's tests stay without Django."""
    yield
    cache = sys.modules.get("utskrivning.episodes.worklist")
    if cache is not None:
        cache._kept.clear()


# A test whose fixtures include one of these reaches the database (its own, a server's or a
# worker process's on the test database); pytest-django refuses the database to any other.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests",
        action="store_true",
        help="only the tests that reach the database (make test-db: again on PostgreSQL)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --database-tests, a test that never reaches the database is left out: it would only
    do again on PostgreSQL what it did on SQLite (a sixth of make test-db's tests)."""
    if not config.getoption("--database-tests"):
        return
    reach, never = [], []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses = item.get_closest_marker("django_db") is not None or fixtures & DATABASE_FIXTURES
        (reach if uses else never).append(item)
    if never:
        config.hook.pytest_deselected(items=never)
        items[:] = reach


POPPLER = frozenset({"pdftotext", "pdftoppm"})
POPPLER_MISSING = frozenset(name for name in POPPLER if shutil.which(name) is None)


def _skip_without_poppler() -> Iterator[None]:
    """A test (or its fixture) that opens a PDF with poppler's tools runs them as subprocesses;
    where they are not installed (a developer without root) it is skipped with what to install."""
    try:
        return (yield)
    except FileNotFoundError as error:
        if error.filename in POPPLER_MISSING:
            pytest.skip(
                f"{error.filename} is missing: install poppler-utils "
                "(Debian/Ubuntu: sudo apt-get install poppler-utils) to run the PDF tests"
            )
        raise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    return (yield from _skip_without_poppler())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    return (yield from _skip_without_poppler())
