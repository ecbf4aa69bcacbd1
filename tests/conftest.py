"""What every test shares: a process-wide cache emptied between tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def fresh_worklists() -> Iterator[None]:
    """The worklist cache keys on episode ids and versions, which a rolled-back test gives to the
    next one's different episodes (a database does not reuse them outside tests). Looked up, not
    imported, so the domain's tests stay without Django."""
    yield
    cache = sys.modules.get("utskrivning.episodes.worklist")
    if cache is not None:
        cache._kept.clear()
