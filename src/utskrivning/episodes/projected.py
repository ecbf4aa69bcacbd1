"""The episode's messages and estimated dates as rows beside its row: the facts that grow with
the history (`domain.process.snapshot.OWN_ROWS`), so a write's cost does not (issue 15).

A write reads the row (`row_facts`: what it keeps of the messages is bounded) and, for a receipt,
the messages of that kind still awaiting the party's; it adds the rows of what the step sent or
gave and marks what it acknowledged. The worker and a rebuild read them whole, the episode page
its latest (`page_facts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db import connection

from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    Message,
    MessageKind,
    Party,
    facts_from_json,
)
from utskrivning.domain.process.details import EstimateEntry, Signature, from_plain, to_plain
from utskrivning.episodes.models import Episode, ProjectedEstimate, ProjectedMessage


def whole_facts(episodes: Sequence[Episode]) -> list[EpisodeFacts]:
    """Each episode's facts with its messages and estimates: two queries for them all, read as
    tuples (a long history's page reads hundreds)."""
    ids = [episode.pk for episode in episodes]
    parts: dict[int, list[tuple[int, _Recipient]]] = {pk: [] for pk in ids}
    rows = ProjectedMessage.objects.filter(episode_id__in=ids).order_by("number", "party")
    for pk, number, *recipient in rows.values_list("episode_id", "number", *_RECIPIENT):
        parts[pk].append((number, tuple(recipient)))
    estimates: dict[int, list[EstimateEntry]] = {pk: [] for pk in ids}
    given = ProjectedEstimate.objects.filter(episode_id__in=ids).order_by("id")
    for pk, *entry in given.values_list("episode_id", *_ESTIMATE):
        estimates[pk].append(_estimate(*entry))
    return [
        replace(facts, messages=_messages(parts[pk]), estimates=tuple(estimates[pk]))
        for pk, facts in zip(ids, map(episode_row_facts, episodes), strict=True)
    ]


@dataclass(frozen=True)
class PageFacts:
    """`page_facts`: what a page shows of an episode's facts, and how much of them there is."""

    facts: EpisodeFacts
    receipts: int  # receipt deadlines in all: one per message and recipient
    estimates: int  # dates given in all


def page_facts(episode: Episode, *, last: int) -> PageFacts:
    """The row's facts (what is still awaited is on it), with the latest `last` acknowledged
    receipts as their messages and the latest `last` dates given: what the episode page shows of
    a long history, read by index, its cost the page's whatever the history (issue 15). Not facts
    to fold on: `messages` leaves out the unanswered, which `awaiting` keeps."""
    acknowledged = ProjectedMessage.objects.filter(
        episode_id=episode.pk, acknowledged_at__isnull=False
    ).order_by("-number", "party")[:last]
    parts = [(number, tuple(r)) for number, *r in acknowledged.values_list("number", *_RECIPIENT)]
    given = ProjectedEstimate.objects.filter(episode_id=episode.pk).order_by("-id")[:last]
    latest = [_estimate(*entry) for entry in given.values_list(*_ESTIMATE)][::-1]
    facts = replace(
        episode_row_facts(episode),
        messages=_messages(parts),
        estimates=tuple(latest),
    )
    return PageFacts(facts, *_counts(episode.pk))


def _counts(episode_id: int) -> tuple[int, int]:
    """The episode's receipts and dates given, counted in one statement (two index-only
    counts): two ORM counts cost the page more Python than they cost the database."""
    messages, estimates = ProjectedMessage._meta.db_table, ProjectedEstimate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {messages} WHERE episode_id = %s),"
            f" (SELECT count(*) FROM {estimates} WHERE episode_id = %s)",
            [episode_id, episode_id],
        )
        receipts, dates = cursor.fetchone()
    return receipts, dates


def episode_row_facts(episode: Episode) -> EpisodeFacts:
    """The facts as the row keeps them, no other table read: all a write needs but a receipt's
    messages (`awaiting_messages`), and all the worklist needs."""
    return facts_from_json(episode.facts)


_Recipient = tuple[str, str, datetime, datetime | None]  # kind, party, sent, acknowledged
_RECIPIENT = ("kind", "party", "sent_at", "acknowledged_at")
_ESTIMATE = ("estimate", "at", "by")


def _messages(recipients: list[tuple[int, _Recipient]]) -> tuple[Message, ...]:
    """The messages of rows in the order of their numbers, one per number."""
    by_number: dict[int, list[_Recipient]] = {}
    for number, recipient in recipients:
        by_number.setdefault(number, []).append(recipient)
    return tuple(_message(parts) for _, parts in sorted(by_number.items()))


def _estimate(estimate: date, at: datetime, by: Any) -> EstimateEntry:
    return EstimateEntry(estimate, at, from_plain(Signature | None, by))


def _message(recipients: list[_Recipient]) -> Message:
    kind, _, sent_at, _ = recipients[0]
    return Message(
        MessageKind(kind),
        sent_at,
        frozenset(Party(party) for _, party, _, _ in recipients),
        tuple((Party(party), at) for _, party, _, at in recipients if at is not None),
    )


def awaiting_messages(episode: Episode, party: Party, kind: MessageKind) -> tuple[Message, ...]:
    """The messages of `kind` awaiting `party`'s receipt (each as if to it alone): what a
    receipt's fold reads to know the oldest one left after it (`transitions._acknowledge`)."""
    sent = ProjectedMessage.objects.filter(
        episode=episode, party=party.value, kind=kind.value, acknowledged_at__isnull=True
    ).values_list("sent_at", flat=True)
    return tuple(Message(kind, at, frozenset({party})) for at in sent.order_by("number"))


def project_step(
    *, episode: Episode, before: EpisodeFacts, after: EpisodeFacts, event: Event, at: datetime
) -> None:
    """Write what one step at `at` added to the facts: the messages it sent, the date it gave,
    and the receipt it recorded, marked as the fold marks it."""
    sent = after.messages[len(before.messages) :]
    ProjectedMessage.objects.bulk_create(
        _message_rows(episode.pk, sent, first=before.messages_sent)
    )
    ProjectedEstimate.objects.bulk_create(
        _estimate_rows(episode.pk, after.estimates[len(before.estimates) :])
    )
    if event.type is EventType.ACKNOWLEDGED and event.party and event.message:
        ProjectedMessage.objects.filter(
            episode=episode,
            party=event.party.value,
            kind=event.message.value,
            sent_at__lte=at,
            acknowledged_at__isnull=True,
        ).update(acknowledged_at=at)


def project_all(*, episode: Episode, facts: EpisodeFacts) -> None:
    """Write the rows anew from whole facts (a rebuild's fold)."""
    ProjectedMessage.objects.filter(episode=episode).delete()
    ProjectedEstimate.objects.filter(episode=episode).delete()
    messages, estimates = projected_rows(episode.pk, facts)
    ProjectedMessage.objects.bulk_create(messages)
    ProjectedEstimate.objects.bulk_create(estimates)


def projected_rows(
    episode_id: int, facts: EpisodeFacts
) -> tuple[list[ProjectedMessage], list[ProjectedEstimate]]:
    """The rows of whole facts, unsaved: for a rebuild, a bulk fill and the migration that moved
    the messages and estimates out of the row."""
    return (
        _message_rows(episode_id, facts.messages, first=0),
        _estimate_rows(episode_id, facts.estimates),
    )


def _message_rows(
    episode_id: int, messages: Iterable[Message], *, first: int
) -> list[ProjectedMessage]:
    return [
        ProjectedMessage(
            episode_id=episode_id,
            number=number,
            kind=m.kind.value,
            party=party.value,
            sent_at=m.sent_at,
            acknowledged_at=m.acknowledged_at(party),
        )
        for number, m in enumerate(messages, start=first)
        for party in sorted(m.recipients)
    ]


def _estimate_rows(episode_id: int, entries: Iterable[EstimateEntry]) -> list[ProjectedEstimate]:
    return [
        ProjectedEstimate(episode_id=episode_id, estimate=e.estimate, at=e.at, by=to_plain(e.by))
        for e in entries
    ]
