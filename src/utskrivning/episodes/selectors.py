"""Reads of episodes: who sees which, an episode's page, and episodes as the engine's frame.

Access (issue #3): a ward sees its own episodes and a hospital its wards'; a primary-care unit those
notified to it; a municipality or district those it is home or placing municipality for and has
received a notice about.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, NamedTuple

import polars as pl
from django.db.models import Exists, OuterRef, Q, QuerySet

from utskrivning.audit.services import audit_patients_read
from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.episodes import MAX_DECLARATIONS, TIME_COLUMNS, read_episode_texts
from utskrivning.domain.payment.explain import Explanation, explain_episode
from utskrivning.domain.process import (
    Deadline,
    Party,
    abridged_deadlines,
    deadlines,
    obligations,
    readable,
    step_deadline_count,
    stored_faults,
)
from utskrivning.domain.process.clock import EARLIEST, LATEST_READABLE
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.episodes.episode_file import export_frame
from utskrivning.episodes.events import episode_facts_of
from utskrivning.episodes.models import Acknowledgement, Episode, EpisodeEvent, Message
from utskrivning.episodes.normalised import normalised_rows
from utskrivning.episodes.planning import planning_record
from utskrivning.episodes.projected import page_facts
from utskrivning.lib.paging import page_back
from utskrivning.organisations.models import Kind, Organisation

logger = logging.getLogger(__name__)


def _notified(party: Party, organisation: Organisation) -> Exists:
    return Exists(
        Message.objects.filter(episode=OuterRef("pk"), party=party.value, organisation=organisation)
    )


def episodes_visible_to(*, organisation: Organisation) -> QuerySet[Episode]:
    episodes = Episode.objects.select_related("patient").with_organisations()
    kind = organisation.kind
    if kind == Kind.WARD:
        return episodes.filter(ward=organisation)
    if kind == Kind.HOSPITAL:
        return episodes.filter(ward__parent=organisation)
    if kind == Kind.PRIMARY_CARE:
        return episodes.filter(
            Exists(
                Message.objects.filter(
                    episode=OuterRef("pk"),
                    party=Party.PRIMARY_CARE.value,
                    organisation=organisation,
                )
            )
        )
    if kind == Kind.MUNICIPALITY:
        # The notice went to the liable municipality's organisation (or its district).
        notified = Exists(
            Message.objects.filter(episode=OuterRef("pk"), party=Party.MUNICIPALITY.value).filter(
                Q(organisation=organisation) | Q(organisation__parent=organisation)
            )
        )
        return episodes.filter(
            Q(home_municipality=organisation) | Q(placing_municipality=organisation)
        ).filter(notified)
    if kind == Kind.DISTRICT:
        return episodes.filter(district=organisation).filter(
            _notified(Party.MUNICIPALITY, organisation)
        )
    return episodes.none()


def audit_reads(
    episodes: list[Episode], *, actor: Any, organisation: Organisation, purpose: str
) -> None:
    """The episodes' patients were read: on the request's one audit entry (audit.context)."""
    audit_patients_read(
        [e.patient.personal_number for e in episodes],
        actor=actor,
        organisation=organisation,
        purpose=purpose,
    )


def _unreadable() -> Q:
    """Rows the reader would refuse: a time stored before the bounds (or by hand) outside them."""
    bad = Q(ready_declarations__gt=MAX_DECLARATIONS)
    for column in TIME_COLUMNS:
        bad |= Q(**{f"{column}__lt": EARLIEST}) | Q(**{f"{column}__gte": LATEST_READABLE})
    return bad


def _frame(queryset: QuerySet[Episode]) -> tuple[pl.DataFrame, list[str]]:
    """The readable episodes' frame, and the personnummer of those left out."""
    unreadable = _unreadable()
    skipped = []
    for episode in queryset.filter(unreadable).select_related("patient"):
        faults = [c for c in TIME_COLUMNS if (at := getattr(episode, c)) and not readable(at)]
        if episode.ready_declarations > MAX_DECLARATIONS:
            faults.append("ready_declarations")
        report_skipped(episode, tuple(faults), "engine's input")
        skipped.append(episode.patient.personal_number)
    return read_episode_texts(export_frame(queryset.exclude(unreadable))).frame, skipped


def episode_frame(*, queryset: QuerySet[Episode]) -> pl.DataFrame:
    """The episodes in the normalised shape of `read_episodes`, so the engine runs on them.

    Read as the episode file's columns by the file's reader (`read_episode_texts`, without the
    file's text in between): the one reader defines the shape and the rules. An
    episode with a stored value the reader refuses is left out and reported, so one bad row never
    takes a municipality's invoice or the region's follow-up down with it (issue 14 class 2).
    """
    return _frame(queryset)[0]


def audited_episode_frame(
    *, queryset: QuerySet[Episode], actor: Any, organisation: Organisation, purpose: str
) -> pl.DataFrame:
    """`episode_frame`, and every patient read for it on the audit (those left out too), from
    the frame's own column: a region's year is one narrow query, never 100 000 objects."""
    frame, skipped = _frame(queryset)
    audit_patients_read(
        [*frame["patient_id"], *skipped], actor=actor, organisation=organisation, purpose=purpose
    )
    return frame


def rulebook_for(organisation: Organisation) -> Any:
    region = organisation.region
    if region is None:
        return None
    return load_rulebook(region.rulebook_id)


def episode_explanation(
    *, episode: Episode, now: datetime, rulebook: Any = None
) -> Explanation | None:
    # The row's own region (read with it), not the ward's: a query for each level up to it.
    rulebook = rulebook or load_rulebook(episode.region.rulebook_id)
    return explain_episode(normalised_rows([episode])[0], rulebook, now=now)


TIMELINE_PAGE = 50  # events a page of the timeline shows, the latest first read


class EventRow(NamedTuple):
    """An event as its columns, as the API gives it (`episode_timeline(names=False)`)."""

    pk: int
    episode_id: int
    type: str
    at: datetime
    created: datetime
    organisation_id: int | None
    payload: dict[str, Any]


def episode_timeline(
    *, episode: Episode, before: int | None = None, limit: int = TIMELINE_PAGE, names: bool = True
) -> tuple[list[Any], int | None]:
    """A page of the episode's events in time order: the latest `limit`, or those before the
    event `before`; and the event to page on from for older ones (None: this is the first page
    of the history), by `page_back`. `names`: events with their actor and organisation, for a
    page that names them; else `EventRow`s (the API gives ids: building the three models for 50
    events was half its cost)."""
    events = EpisodeEvent.objects.filter(episode=episode)
    if names:
        return page_back(
            events.select_related("actor", "organisation"), at="at", before=before, limit=limit
        )
    return page_back(events, at="at", before=before, limit=limit, read=_event_rows)


def _event_rows(events: QuerySet[EpisodeEvent]) -> list[EventRow]:
    return list(map(EventRow._make, events.values_list(*EventRow._fields)))


# Kept on a page beside what is still open: the latest met deadlines and dates given. An episode
# with a hundred messages has two hundred receipts' deadlines, which a full read shows.
SHOWN_HISTORY = 5


def episode_detail(
    *,
    episode: Episode,
    organisation: Organisation,
    actor: Any,
    now: datetime,
    before: int | None = None,
    full: bool = False,
    names: bool = True,
) -> dict[str, Any]:
    """The episode page's data; audited as a read. The facts are the row's; of the events only
    the timeline's page is read (`episode_timeline`). Of the deadlines and the dates given, the
    unmet ones and the latest `SHOWN_HISTORY` (`page_facts`), so the page's cost is flat in the
    history's length; `full` reads them all. `names` as for `episode_timeline`. A stored time
    out of bounds is left out and reported."""
    audit_reads([episode], actor=actor, organisation=organisation, purpose="episode page")
    events, older = episode_timeline(episode=episode, before=before, names=names)
    page = page_facts(episode, last=SHOWN_HISTORY) if not full else None
    facts = page.facts if page is not None else episode_facts_of(episode)
    unreadable = [e.pk for e in events if not readable(e.at)]  # left out of the page
    out_of_bounds = stored_faults(facts)
    faults = (*out_of_bounds, *(f"event {pk}" for pk in unreadable))
    if faults:
        report_skipped(episode, faults, "episode page")
    computed = not out_of_bounds
    shown: list[Deadline] = []
    if computed and page is None:
        shown = deadlines(facts, now)
    elif computed:
        shown = abridged_deadlines(facts, now, met=SHOWN_HISTORY)
    return {
        "episode": episode,
        "facts": facts,
        "planning": planning_record(episode=episode, facts=facts, today=to_local_naive(now).date()),
        "events": [e for e in events if e.pk not in unreadable],
        "older_events": older,  # `before` for the page of older events, None at the first
        "faults": faults,  # for the page to say what it leaves out (issue 14 class 2)
        "deadlines": shown,
        "deadlines_total": (
            step_deadline_count(facts) + page.receipts if page and computed else len(shown)
        ),
        "estimates_total": page.estimates if page is not None else len(facts.estimates),
        "obligations": obligations(facts, now) if computed else [],
        "explanation": episode_explanation(episode=episode, now=now) if computed else None,
    }


def report_skipped(episode: Episode, faults: tuple[str, ...], where: str) -> None:
    """A stored time no computation can use: left out and logged, for the region's administrator
    to void the event it came from (`utskrivning void-event`)."""
    logger.warning(
        "episode %s left out of the %s: stored time out of bounds in %s",
        episode.external_id,
        where,
        ", ".join(faults),
    )


def messages_answered(*, events: list[EpisodeEvent]) -> dict[int, list[Message]]:
    """For each receipt among `events`, the messages it answered (each notice by its time), so
    the timeline says what an acknowledgement acknowledges; one query for the page's events."""
    answered: dict[int, list[Message]] = {}
    receipts = Acknowledgement.objects.filter(event__in=[e.pk for e in events])
    for receipt in receipts.select_related("message").order_by("message__sent_at"):
        answered.setdefault(receipt.event_id, []).append(receipt.message)
    return answered
