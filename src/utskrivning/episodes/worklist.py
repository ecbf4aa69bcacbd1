"""The worklist as screens and systems poll it: its rows, computed once a minute per state of its
episodes.

A worklist is read far more often than its episodes change (every ward's screen asks for it), and
its figures are the process rules and the engine applied to each open episode, some milliseconds
each. The key is what they depend on: the organisation, each visible open episode's id and
version (every step of the process bumps it) and the minute: deadlines fall due and ready days
run with the clock, so the rows are those of the minute's start, at most a minute behind, as are
organisation names and the region's rulebook changed in the admin. Every read is still audited
for its reader, each time. A caller may also keep what it makes of the rows (`present`: the API
its JSON), which is as much of a request's time again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from utskrivning.audit.services import audit_patients_read
from utskrivning.domain.payment.explain import Explanation, explain_episode
from utskrivning.domain.process import (
    Deadline,
    EpisodeFacts,
    Obligation,
    obligations,
    stored_faults,
    unmet_deadlines,
)
from utskrivning.episodes.models import Episode, EpisodeStatus
from utskrivning.episodes.normalised import normalised_rows
from utskrivning.episodes.projected import episode_row_facts
from utskrivning.episodes.selectors import (
    episodes_visible_to,
    report_skipped,
    rulebook_for,
)
from utskrivning.episodes.worklist_query import (
    WorklistCounts,
    WorklistQuery,
    filtered,
    ordered,
    worklist_counts,
)
from utskrivning.lib.kept import Kept
from utskrivning.lib.paging import Page, Paged
from utskrivning.organisations.models import Organisation
from utskrivning.organisations.parties import party_of


@dataclass
class WorklistRow:
    """`deadlines_*` are the reader's party's (every party's for a reader of none); `others`
    the other parties' unmet ones, which the worklist shows only when asked."""

    episode: Episode
    state: str
    facts: EpisodeFacts
    obligations: list[Obligation]
    deadlines_coming: list[Deadline] = field(default_factory=list)
    deadlines_missed: list[Deadline] = field(default_factory=list)
    others: list[Deadline] = field(default_factory=list)
    explanation: Explanation | None = None

    @property
    def ready_days(self) -> int:
        return self.explanation.ready_days if self.explanation else 0


def open_episodes_visible_to(*, organisation: Organisation) -> QuerySet[Episode]:
    return episodes_visible_to(organisation=organisation).filter(status=EpisodeStatus.OPEN)


def worklist_rows(
    episodes: list[Episode], *, organisation: Organisation, now: datetime
) -> list[WorklistRow]:
    """`episodes` as the organisation's worklist rows, in their order; not audited."""
    kept: list[tuple[Episode, EpisodeFacts]] = []
    for episode in episodes:
        facts = episode_row_facts(episode)  # the row, no events or messages read
        if faults := stored_faults(facts):
            report_skipped(episode, faults, "worklist")
        else:
            kept.append((episode, facts))
    if not kept:
        return []
    rulebook = rulebook_for(organisation)
    normalised = normalised_rows([episode for episode, _ in kept])
    party = party_of(organisation)
    rows = []
    for (episode, facts), row in zip(kept, normalised, strict=True):
        owed = obligations(facts, now, party=party) if party else obligations(facts, now)
        unmet = unmet_deadlines(facts, now)
        own = [d for d in unmet if party is None or d.party is party]
        rows.append(
            WorklistRow(
                episode=episode,
                state=episode.state,
                facts=facts,
                obligations=owed,
                deadlines_coming=[d for d in own if not d.missed],
                deadlines_missed=[d for d in own if d.missed],
                # By party, not `not in own`: that compares every pair, its square per row.
                others=[d for d in unmet if party is not None and d.party is not party],
                explanation=explain_episode(row, rulebook, now=now) if rulebook else None,
            )
        )
    return rows


DEFAULT = WorklistQuery()
MAX_KEPT = 500  # worklists, each of one organisation at one minute
# Per worklist, the rows (under the key None) and what each `present` made of them; gunicorn's
# threads share the process's worklists.
_kept: Kept[tuple[Any, ...], dict[Callable[..., Any] | None, Any]] = Kept(most=MAX_KEPT)

Presented = TypeVar("Presented")


def current_worklist(
    *, organisation: Organisation, now: datetime, actor: Any, query: WorklistQuery = DEFAULT
) -> list[WorklistRow]:
    return presented_worklist(
        organisation=organisation, now=now, actor=actor, present=_as_rows, query=query
    )


def _as_rows(rows: list[WorklistRow]) -> list[WorklistRow]:
    return rows


def current_worklist_page(
    *, organisation: Organisation, now: datetime, actor: Any, page: Page, query: WorklistQuery
) -> tuple[list[WorklistRow], Paged]:
    return paged_worklist(
        organisation=organisation, now=now, actor=actor, present=_as_rows, page=page, query=query
    )


def paged_worklist(
    *,
    organisation: Organisation,
    now: datetime,
    actor: Any,
    present: Callable[[list[WorklistRow]], Presented],
    page: Page,
    query: WorklistQuery = DEFAULT,
) -> tuple[Presented, Paged]:
    """One page of the worklist, and where it sits: the rows, the reading and the audit are the
    page's alone, so a region's 8 000 open episodes cost what 50 do."""
    state, total = _window(organisation=organisation, now=now, page=page, query=query)
    presented = _presented(state, organisation=organisation, now=now, actor=actor, present=present)
    return presented, Paged(page=page, total=total, keep=query.parameters())


def worklist_summary(*, organisation: Organisation, now: datetime) -> WorklistCounts:
    """The worklist's counters: no patient is named, so none is audited."""
    visible = open_episodes_visible_to(organisation=organisation)
    return worklist_counts(visible, organisation=organisation, now=now)


def presented_worklist(
    *,
    organisation: Organisation,
    now: datetime,
    actor: Any,
    present: Callable[[list[WorklistRow]], Presented],
    page: Page | None = None,
    query: WorklistQuery = DEFAULT,
) -> Presented:
    """`present(rows)` of the organisation's worklist as `query` filters and orders it, of one
    page of it or of all of it. `present` is part of what is kept, so it must be one function
    (defined once, not made per call)."""
    state, _ = _window(organisation=organisation, now=now, page=page, query=query)
    return _presented(state, organisation=organisation, now=now, actor=actor, present=present)


_State = list[tuple[int, int, str]]  # per row of the page: id, version, personnummer


# The window's SQL per organisation, query and page: Django built and compiled it anew on every
# poll, a quarter of a worklist request's CPU (issue 15). It depends on nothing else, unless the
# query filters by the clock (`due`) or by the notes unread now (`unread`): those are built each
# time.
_compiled: Kept[tuple[Any, ...], tuple[str, Any]] = Kept(most=MAX_KEPT)


def _window(
    *, organisation: Organisation, now: datetime, page: Page | None, query: WorklistQuery
) -> tuple[_State, int]:
    """The page's rows as `query` filters and orders them, read off the index (`ordered`), and
    how many it keeps in all. A page that is not full tells the total itself; only a full one,
    or one past the end, is counted (in the index, never by reading every row with a window
    function, which would join each episode's patient to count it)."""
    offset = 0 if page is None else page.offset
    static = not query.due and not query.unread
    key = (
        (organisation.pk, organisation.kind, query, offset, page and page.limit) if static else None
    )
    compiled = _compiled.get(key) if key else None
    if compiled is None:
        window = ordered(_kept_by(organisation, query, now), query, party=party_of(organisation))
        if page is not None:
            window = window[offset : offset + page.limit]
        rows = window.values_list("pk", "version", "patient__personal_number")
        try:
            compiled = rows.query.sql_with_params()
        except EmptyResultSet:  # a filter that keeps none (`QuerySet.none()`, an empty `in`)
            return [], 0
        if key is not None:
            _compiled.put(key, compiled)
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        state = [(pk, version, number) for pk, version, number in cursor.fetchall()]
    told = page is None or (len(state) < page.limit and (bool(state) or offset == 0))
    return state, offset + len(state) if told else _kept_by(organisation, query, now).count()


def _kept_by(organisation: Organisation, query: WorklistQuery, now: datetime) -> QuerySet[Episode]:
    visible = open_episodes_visible_to(organisation=organisation)
    return filtered(visible, query, organisation=organisation, now=now)


def _presented(
    state: _State,
    *,
    organisation: Organisation,
    now: datetime,
    actor: Any,
    present: Callable[[list[WorklistRow]], Presented],
) -> Presented:
    """`present` of the rows of `state`, kept for the minute while their versions stand."""
    minute = now.replace(second=0, microsecond=0)
    key = (organisation.pk, minute, tuple((pk, version) for pk, version, _ in state))
    kept = _kept.get(key) or {}
    if None not in kept:
        visible = open_episodes_visible_to(organisation=organisation)
        found = {e.pk: e for e in visible.filter(pk__in=[pk for pk, _, _ in state])}
        episodes = [found[pk] for pk, _, _ in state if pk in found]
        kept = {None: worklist_rows(episodes, organisation=organisation, now=minute)}
    if present not in kept:
        kept = kept | {present: present(kept[None])}
        _kept.put(key, (_kept.get(key) or {}) | kept)
    audit_patients_read(
        [number for _, _, number in state],
        actor=actor,
        organisation=organisation,
        purpose="worklist",
    )
    result: Presented = kept[present]
    return result
