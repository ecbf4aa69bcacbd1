"""What every test shares: a process-wide cache emptied between tests, and a PDF test skipped
(not failed) on a machine without poppler's tools, saying what to install."""

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
