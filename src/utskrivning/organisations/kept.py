"""Organisations by id, as read at most `KEPT_FOR` seconds ago, per process: every request that
reads an episode names its ward, municipalities, region and primary care, and one query for them
was a fourteenth of an episode page's CPU (issue 15). A change in this process forgets them at
once (`forget_organisations`, on their saves and deletes); another process's within `KEPT_FOR`,
as the worklist's rows already are (`episodes.worklist`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from utskrivning.organisations.models import Organisation

KEPT_FOR = 60.0
MAX_KEPT = 10_000  # a country's organisations
_kept: dict[int, tuple[float, Organisation]] = {}
_lock = threading.Lock()


def organisations_by_id(ids: Iterable[int]) -> dict[int, Organisation]:
    wanted = set(ids)
    now = time.monotonic()
    with _lock:
        kept = {pk: _kept[pk] for pk in wanted if pk in _kept}
    found = {pk: o for pk, (read_at, o) in kept.items() if now - read_at < KEPT_FOR}
    if missing := wanted - set(found):
        read = Organisation.objects.in_bulk(missing)
        with _lock:
            if len(_kept) + len(read) > MAX_KEPT:
                _kept.clear()
            _kept.update((pk, (now, o)) for pk, o in read.items())
        found.update(read)
    return found


def forget_organisations(**_: Any) -> None:
    with _lock:
        _kept.clear()
