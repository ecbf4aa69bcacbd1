"""The worklist as screens and systems poll it: computed once a minute per state of its episodes.

A worklist is read far more often than its episodes change (every ward's screen asks for it), and
its figures are the process rules and the engine applied to each open episode, some milliseconds
each. The key is what they depend on: the organisation, each visible open episode's id and
version (every step of the process bumps it) and the minute: deadlines fall due and ready days
run with the clock, so the rows are those of the minute's start, at most a minute behind, as are
organisation names and the region's rulebook changed in the admin. Every read is still audited
for its reader, each time.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from utskrivning.episodes.selectors import (
    WorklistRow,
    audit_patient_reads,
    open_episodes_visible_to,
    worklist_rows,
)
from utskrivning.organisations.models import Organisation

MAX_KEPT = 500  # worklists, each of one organisation at one minute
_kept: dict[tuple[Any, ...], list[WorklistRow]] = {}
_lock = threading.Lock()  # gunicorn's threads share the process's worklists


def current_worklist(*, organisation: Organisation, now: datetime, actor: Any) -> list[WorklistRow]:
    minute = now.replace(second=0, microsecond=0)
    visible = open_episodes_visible_to(organisation=organisation)
    state = list(visible.values_list("pk", "version", "patient__personal_number"))
    key = (organisation.pk, minute, tuple((pk, version) for pk, version, _ in state))
    with _lock:
        rows = _kept.get(key)
    if rows is None:
        episodes = list(visible.filter(pk__in=[pk for pk, _, _ in state]))
        rows = worklist_rows(episodes, organisation=organisation, now=minute)
        with _lock:
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = rows
    audit_patient_reads(
        [(pk, number) for pk, _, number in state],
        actor=actor,
        organisation=organisation,
        purpose="worklist",
    )
    return rows
