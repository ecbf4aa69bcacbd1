"""The episode's row as a projection of its events: rebuilt from the history, and corrected by a
compensating event, never by changing the history.

Every write keeps the row (`Episode.facts` and the columns, and the rows of its messages and
estimates) in step with its event; these are the two cases that fold the whole history again:
`utskrivning rebuild` after a change of the fold (or to check that nothing drifted), and an
administrator voiding a wrong event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.domain.process import EpisodeFacts, Event, EventType
from utskrivning.episodes.events import (
    episode_facts_of,
    episode_history_facts,
    store_administrative_event,
)
from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.episodes.projected import project_all
from utskrivning.episodes.services import _columns, _patient_number
from utskrivning.organisations.models import Membership
from utskrivning.organisations.permissions import Action, can

REASON_LENGTH = 500
# The first event makes the episode; voiding it would leave a row with no admission.
NOT_VOIDABLE = frozenset({EventType.ADMITTED, EventType.IMPORTED, EventType.EVENT_VOIDED})


def _differs(episode: Episode, facts: EpisodeFacts, columns: dict[str, Any]) -> bool:
    """The facts compared as facts, read whole: their JSON spells a time in the zone it was
    written in (a step at 09:00+02:00 folds back from the database as 07:00+00:00), the same
    instant."""
    return episode_facts_of(episode) != facts or any(
        getattr(episode, name) != value for name, value in columns.items() if name != "facts"
    )


def episode_rebuild(*, episode: Episode) -> bool:
    """Write the row from the history; True when it differed (the version then moves on).

    A row that differed had deadlines the worker never saw (or saw wrongly), and no new event
    tells it: the worker's next pass looks at the episode again, as after an event.
    """
    with transaction.atomic():
        current = Episode.objects.select_for_update().get(pk=episode.pk)
        facts = episode_history_facts(current)
        columns = _columns(facts)
        if not _differs(current, facts, columns):
            return False
        Episode.objects.filter(pk=current.pk).update(
            version=F("version") + 1, deadlines_checked_until=None, **columns
        )
        project_all(episode=current, facts=facts)
        return True


def episodes_rebuild(*, batch: int = 500) -> Iterator[tuple[str, bool]]:
    """`episode_rebuild` for every episode, by id; yields (episode id, whether it differed)."""
    ids = Episode.objects.order_by("pk").values_list("pk", flat=True)
    last = 0
    while chunk := list(ids.filter(pk__gt=last)[:batch]):
        for episode in Episode.objects.filter(pk__in=chunk).order_by("pk"):
            yield episode.external_id, episode_rebuild(episode=episode)
        last = chunk[-1]


def event_void(*, event: EpisodeEvent, membership: Membership, reason: str) -> EpisodeEvent:
    """An administrator of the episode's region neutralises a wrong event (a step dated 9999,
    a readiness on the wrong patient): a compensating event names it, and the row is folded
    again without it. The history keeps both."""
    if not can(membership, Action.VOID_EVENT):
        raise PermissionDenied("Your role may not void an event.")
    episode = event.episode
    if episode.ward.region != membership.organisation:  # the role table allows regions only
        raise PermissionDenied("An event is voided by its own region's administrator.")
    reason = reason.strip()
    if not reason or len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": f"Give a reason of at most {REASON_LENGTH} characters."})
    if event.type in NOT_VOIDABLE:
        raise ValidationError({"event": "This event cannot be voided."})
    with transaction.atomic():
        if episode.events.filter(type=EventType.EVENT_VOIDED, payload__voids=event.pk).exists():
            raise ValidationError({"event": "This event is already voided."})
        stored = store_administrative_event(
            episode=episode,
            event=Event(EventType.EVENT_VOIDED, voids=event.pk),
            membership=membership,
            extra={"reason": reason},
        )
        episode_rebuild(episode=episode)
        audit_record(
            actor=membership.user,
            organisation=membership.organisation,
            action=AuditAction.WRITE,
            obj_type="episode",
            obj_id=episode.pk,
            patient_id=_patient_number(episode),
            purpose=f"event {event.pk} voided",
        )
        return stored
