"""Deviations: a party reports one on an episode; the service proposes one for each missed
deadline (Stockholm §11–12, Dalarna §12), swept by the worker and after each event (the outbox).

An event's messages and receipts are written with it (`episodes.services`), so what is left after
the fact is the deadlines it may have missed, and what the layers above do with each batch (the
worker passes `notifications`' notices as a handler).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from utskrivning.domain.process import (
    Deadline,
    EpisodeFacts,
    Event,
    EventType,
    deadlines,
    stored_faults,
)
from utskrivning.episodes.models import (
    Deviation,
    DeviationCategory,
    Episode,
    EpisodeEvent,
    EpisodeStatus,
)
from utskrivning.episodes.projected import whole_facts
from utskrivning.episodes.services import episode_record_event, recipient
from utskrivning.lib.text import MAX_NOTE, checked_text
from utskrivning.lib.writers import let_others_write
from utskrivning.organisations.models import Membership
from utskrivning.organisations.parties import party_of


def deviation_report(
    *,
    episode: Episode,
    membership: Membership,
    category: str,
    text: str,
    at: datetime | None = None,
    idempotency_key: str | None = None,
    recorded_at: datetime | None = None,
) -> Deviation:
    """A party reports a deviation: the process's event and the deviation's category and text."""
    if category not in DeviationCategory.values:
        raise ValidationError({"category": "Unknown category."})
    checked_text(text, field="text", max_length=MAX_NOTE, multiline=True)
    party = party_of(membership.organisation)
    with transaction.atomic():
        stored = episode_record_event(
            episode=episode,
            event=Event(EventType.DEVIATION_REPORTED, party=party),
            at=at,
            membership=membership,
            idempotency_key=idempotency_key,
            recorded_at=recorded_at,
        )
        deviation, _ = Deviation.objects.get_or_create(
            event=stored,
            defaults={
                "episode": episode,
                "organisation": membership.organisation,
                "user": membership.user,
                "category": category,
                "text": text,
            },
        )
        return deviation


PROPOSE_BATCH = 200
# "No deadline ahead": the episode is looked at again only when an event changes it.
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)


def _look(facts: EpisodeFacts, now: datetime) -> tuple[list[Deadline], datetime]:
    """An episode's missed deadlines, and when the next one falls due (NO_DEADLINE: none), from
    its facts read whole (each message's receipt has its deadline)."""
    if stored_faults(facts):  # reported by the reads; nothing to compute with
        return [], NO_DEADLINE
    found = deadlines(facts, now)
    ahead = [d.due_at for d in found if not d.missed and d.met_at is None]
    return [d for d in found if d.missed], min(ahead, default=NO_DEADLINE)


def _propose_for(episodes: QuerySet[Episode], now: datetime) -> list[Deviation]:
    """Propose what these episodes missed and note when to look at each again.

    Read first, outside any transaction; write only what is new, in one short transaction, so
    a look that finds nothing new takes no write lock (on SQLite the lock is the whole database's).
    The unique proposal per missed deadline makes a rerun (after a crash, or by a second worker
    at the same time) add only what is missing.
    """
    open_ = list(
        episodes.exclude(status=EpisodeStatus.DONE).select_related(
            "ward", "home_municipality", "placing_municipality", "district", "primary_care"
        )
    )
    looked = [
        (episode, *_look(facts, now))
        for episode, facts in zip(open_, whole_facts(open_), strict=True)
    ]
    proposed = set(
        Deviation.objects.filter(
            episode__in=[episode for episode, _, _ in looked], proposed=True
        ).values_list("episode_id", "deadline_kind", "deadline_party", "deadline_due_at")
    )
    new = [
        (episode, d)
        for episode, missed, _ in looked
        for d in missed
        if (episode.pk, d.kind.value, d.party.value, d.due_at) not in proposed
    ]
    moved = [(e, until) for e, _, until in looked if e.deadlines_checked_until != until]
    if not new and not moved:
        return []
    created: list[Deviation] = []
    with transaction.atomic():
        for episode, deadline in new:
            deviation, made = Deviation.objects.get_or_create(
                episode=episode,
                proposed=True,
                deadline_kind=deadline.kind.value,
                deadline_party=deadline.party.value,
                deadline_due_at=deadline.due_at,
                defaults={
                    "category": DeviationCategory.MISSED_DEADLINE,
                    "organisation": recipient(episode, deadline.party),
                    "text": f"{deadline.kind.value} due {deadline.due_at:%Y-%m-%d %H:%M}",
                },
            )
            if made:
                created.append(deviation)
        for episode, until in moved:
            Episode.objects.filter(pk=episode.pk).update(deadlines_checked_until=until)
    return created


def deviations_propose(*, now: datetime, batch: int = PROPOSE_BATCH) -> list[Deviation]:
    """Propose a deviation once for each missed deadline of the episodes still in progress.

    Deadlines pass with time, not only with events: the episodes looked at are those whose next
    deadline has come (or that no pass has seen since their last event), in batches by id. With
    nothing due the pass is one indexed query and no write.
    """
    created: list[Deviation] = []
    due = Episode.objects.exclude(status=EpisodeStatus.DONE).filter(
        Q(deadlines_checked_until__isnull=True) | Q(deadlines_checked_until__lte=now)
    )
    open_ids = due.order_by("pk").values_list("pk", flat=True)
    last = 0
    while ids := list(open_ids.filter(pk__gt=last)[:batch]):
        if last:
            let_others_write()
        created += _propose_for(Episode.objects.filter(pk__in=ids), now)
        last = ids[-1]
    return created


OUTBOX_BATCH = 200


# What else reads each batch of events, in the batch's transaction: (event ids, now) → anything.
# The service passes the layers above theirs (`notifications`), so this one imports none of them.
OutboxHandler = Callable[[list[int], datetime], object]


def outbox_process_batch(
    *, now: datetime, batch: int = OUTBOX_BATCH, handlers: Sequence[OutboxHandler] = ()
) -> int:
    """Process one batch of unprocessed events; returns how many (0 when the outbox is empty).

    An event's messages and receipts are written with it (`_store`), so what is left to do after
    the fact is to propose deviations for its episode's missed deadlines, run `handlers` (the
    notices), and set the flag. All in one transaction: a crash leaves the batch unprocessed and
    nothing half-done. On
    PostgreSQL `skip_locked` gives concurrent workers disjoint batches; SQLite has one writer at
    a time and Django leaves the lock out there. An empty outbox is seen without a transaction,
    so it takes no write lock.
    """
    if not outbox_waiting():
        return 0
    with transaction.atomic():
        taken = list(
            EpisodeEvent.objects.filter(processed=False)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", "episode_id")[:batch]
        )
        if not taken:
            return 0
        _propose_for(Episode.objects.filter(pk__in={episode for _, episode in taken}), now)
        for handle in handlers:
            handle([pk for pk, _ in taken], now)
        return EpisodeEvent.objects.filter(pk__in=[pk for pk, _ in taken], processed=False).update(
            processed=True
        )


def outbox_waiting() -> bool:
    """Whether an event waits: one look at the outbox's partial index, cheap every second."""
    return EpisodeEvent.objects.filter(processed=False).exists()


def outbox_drain(
    *, now: datetime, batch: int = OUTBOX_BATCH, handlers: Sequence[OutboxHandler] = ()
) -> int:
    """Process every event waiting, batch by batch; returns how many."""
    total = 0
    while done := outbox_process_batch(now=now, batch=batch, handlers=handlers):
        total += done
        if done == batch:  # more may wait: room for the web's writes before the next batch
            let_others_write()
    return total
