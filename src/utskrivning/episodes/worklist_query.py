"""What a worklist request asks for (filters, search, order), checked once for the page and the
API, and done by the database: a region's thousands of open episodes are filtered, counted and
ordered on the row's columns (each party's next deadline and whether it owes a step, kept by
the services), never loaded to be judged in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OrderBy, Q, QuerySet

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import EpisodeState, Party
from utskrivning.domain.refusals import Refusal
from utskrivning.episodes.models import CareType, Episode
from utskrivning.episodes.notes import unread_notes
from utskrivning.lib.text import refused
from utskrivning.organisations.models import Organisation
from utskrivning.organisations.parties import party_of

MAX_SEARCH = 100  # a name or a personnummer, not a paragraph
SORTS = ("deadline", "admitted", "name")
DUE = ("overdue", "today")
_YES = ("1", "true", "on")
_ID = re.compile(r"[0-9]{1,18}", re.ASCII)  # a database id: fits a 64-bit column
# A personnummer or part of one: ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN, the date alone, the last four.
_NUMBER = re.compile(r"[0-9]{4,12}|[0-9]{6,8}[-+][0-9]{4}", re.ASCII)
OPEN_STATES = tuple(s.value for s in EpisodeState if s is not EpisodeState.CLOSED)


@dataclass(frozen=True)
class WorklistQuery:
    """`mine`: only episodes where the reader's party owes a step; `unread`: only those with a
    note to the reader's organisation it has not acknowledged; `due`: "overdue" or "today" by
    the party's next deadline; `others`: other parties' deadlines shown beside the reader's."""

    mine: bool = False
    unread: bool = False
    due: str = ""
    state: str = ""
    care_type: str = ""
    ward: int | None = None
    search: str = ""
    sort: str = "deadline"
    others: bool = False

    def parameters(self) -> tuple[tuple[str, str], ...]:
        """The query as a URL's parameters, those not at their default: kept by the pager."""
        default = WorklistQuery()
        kept = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                name = "q" if f.name == "search" else f.name
                kept.append((name, "1" if value is True else str(value)))
        return tuple(kept)


def _flag(raw: str, field: str) -> bool:
    if raw not in ("", "0", "false", *_YES):
        raise ValidationError({field: "Write 1 or 0."})
    return raw in _YES


def _choice(raw: str, field: str, allowed: tuple[str, ...]) -> str:
    if raw and raw not in allowed:
        raise ValidationError({field: f"One of: {', '.join(allowed)}."})
    return raw


def _search(raw: str) -> str:
    text = raw.strip()
    if len(text) > MAX_SEARCH:
        raise refused("q", Refusal("At most %(count)s characters.", count=MAX_SEARCH))
    if any(unicodedata.category(c) == "Nd" for c in text) and not _NUMBER.fullmatch(text):
        raise ValidationError(
            {"q": "Search by name, or by personnummer written with 0-9 (ÅÅÅÅMMDD-NNNN)."}
        )
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ValidationError({"q": "Contains a control character."})
    return text


def worklist_query(params: Mapping[str, str | None]) -> WorklistQuery:
    """The query a request's parameters ask for; a ValidationError names the wrong one."""

    def raw(name: str) -> str:
        return params.get(name) or ""

    ward = raw("ward")
    if ward and (not _ID.fullmatch(ward) or int(ward) == 0):
        raise ValidationError({"ward": "An organisation's id, written with 0-9."})
    return WorklistQuery(
        mine=_flag(raw("mine"), "mine"),
        unread=_flag(raw("unread"), "unread"),
        due=_choice(raw("due"), "due", DUE),
        state=_choice(raw("state"), "state", OPEN_STATES),
        care_type=_choice(raw("care_type"), "care_type", tuple(CareType.values)),
        ward=int(ward) if ward else None,
        search=_search(raw("q")),
        sort=_choice(raw("sort"), "sort", SORTS) or "deadline",
        others=_flag(raw("others"), "others"),
    )


def end_of_today(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(STOCKHOLM).date(), time.max, tzinfo=STOCKHOLM)


def _search_filter(text: str) -> Q:
    if _NUMBER.fullmatch(text):  # stored as 12 digits: any part of them matches
        return Q(patient__personal_number__contains=re.sub(r"[-+]", "", text))
    return Q(patient__name__icontains=text)


def filtered(
    episodes: QuerySet[Episode],
    query: WorklistQuery,
    *,
    organisation: Organisation,
    now: datetime,
) -> QuerySet[Episode]:
    """The episodes the query keeps; the party's filters keep none for a reader of no party."""
    party = party_of(organisation)
    if query.unread:
        episodes = episodes.filter(
            pk__in=unread_notes(organisation=organisation, episodes=episodes)
        )
    if query.state:
        episodes = episodes.filter(state=query.state)
    if query.care_type:
        episodes = episodes.filter(care_type=query.care_type)
    if query.ward is not None:
        episodes = episodes.filter(ward_id=query.ward)
    if query.search:
        episodes = episodes.filter(_search_filter(query.search))
    if (query.mine or query.due) and party is None:
        return episodes.none()
    if query.mine:
        episodes = episodes.filter(**{f"{party}_owes": True})
    if query.due == "overdue":
        episodes = episodes.filter(**{f"{party}_due__lt": now})
    elif query.due == "today":
        episodes = episodes.filter(
            **{f"{party}_due__gte": now, f"{party}_due__lte": end_of_today(now)}
        )
    return episodes


def ordered(
    episodes: QuerySet[Episode], query: WorklistQuery, *, party: Party | None
) -> QuerySet[Episode]:
    """By default the reader's own steps first, the soonest (or most overdue) deadline first;
    or the newest admission first, or by name."""
    if query.sort == "name":
        return episodes.order_by("patient__name", "pk")
    if query.sort == "admitted" or party is None:
        return episodes.order_by("-admitted_at", "-pk")
    order: list[OrderBy | str] = [
        F(f"{party}_owes").desc(),
        F(f"{party}_due").asc(nulls_last=True),
        F("admitted_at").desc(),
        "-pk",
    ]
    return episodes.order_by(*order)


@dataclass(frozen=True)
class WorklistCounts:
    total: int = 0
    needs_action: int = 0  # the reader's party owes a step
    overdue: int = 0  # the party's next deadline has passed
    due_today: int = 0  # it falls due later today
    unread: int = 0  # notes to the reader's organisation not yet acknowledged
    # The same per episode (those with any): the page's badges, from the counters' one query.
    unread_by_episode: Mapping[int, int] = field(default_factory=dict, compare=False, repr=False)


def worklist_counts(
    episodes: QuerySet[Episode], *, organisation: Organisation, now: datetime
) -> WorklistCounts:
    """One aggregate over the open episodes' indexed columns, and one count of unread notes."""
    by_episode = unread_notes(organisation=organisation, episodes=episodes.values("pk"))
    unread = sum(by_episode.values())
    party = party_of(organisation)
    if party is None:
        return WorklistCounts(total=episodes.count(), unread=unread, unread_by_episode=by_episode)
    due = f"{party}_due"
    figures = episodes.order_by().aggregate(
        total=Count("pk"),
        needs_action=Count("pk", filter=Q(**{f"{party}_owes": True})),
        overdue=Count("pk", filter=Q(**{f"{due}__lt": now})),
        due_today=Count("pk", filter=Q(**{f"{due}__gte": now, f"{due}__lte": end_of_today(now)})),
    )
    return WorklistCounts(**figures, unread=unread, unread_by_episode=by_episode)


def ward_choices(episodes: QuerySet[Episode]) -> list[tuple[int, str]]:
    """The wards the open episodes lie on, by name: the ward filter's options."""
    pairs = episodes.order_by().values_list("ward_id", "ward__name").distinct()
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))
