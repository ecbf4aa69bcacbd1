"""Organisations by id, as read at most `KEPT_FOR` seconds ago, per process: every request that
reads an episode names its ward, municipalities, region and primary care, and one query for them
was a fourteenth of an episode page's CPU (issue 15). A change in this process forgets them at
once (`forget_organisations`, on their saves and deletes); another process's within `KEPT_FOR`,
as the worklist's rows already are (`episodes.worklist`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from utskrivning.lib.kept import Kept
from utskrivning.organisations.models import Organisation

KEPT_FOR = 60.0
_kept: Kept[int, Organisation] = Kept(most=10_000, seconds=KEPT_FOR)  # a country's, many times


def organisations_by_id(ids: Iterable[int]) -> dict[int, Organisation]:
    wanted = set(ids)
    found = _kept.get_many(wanted)
    if missing := wanted - set(found):
        read = Organisation.objects.in_bulk(missing)
        _kept.put_many(read)
        found.update(read)
    return found


def forget_organisations(**_: Any) -> None:
    _kept.clear()
