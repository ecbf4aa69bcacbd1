"""Writes: notices from the outbox's events and from time, and a person's choices.

`notices_from_events` runs in the outbox's transaction (`deviations.services.outbox_process_batch`
hands it each batch), so an event's notices and webhook deliveries are written exactly once: a
crash leaves the batch unprocessed and nothing half-done.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import deadlines, stored_faults
from utskrivning.episodes.models import (
    Acknowledgement,
    Episode,
    EpisodeEvent,
    EpisodeStatus,
    Message,
    NoteRecipient,
)
from utskrivning.episodes.projected import whole_facts
from utskrivning.episodes.services import recipient
from utskrivning.notifications.kinds import MESSAGE_NOTICE, default_kinds
from utskrivning.notifications.models import (
    Notice,
    NoticeKind,
    Subscription,
    Webhook,
    WebhookDelivery,
)
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.payment.models import ApprovedBasis


def local_day(now: datetime) -> tuple[datetime, datetime]:
    """Today on Stockholm's clock, as [start, end) instants."""
    today = now.astimezone(STOCKHOLM).date()
    start = datetime.combine(today, time.min, tzinfo=STOCKHOLM)
    return start, datetime.combine(today + timedelta(days=1), time.min, tzinfo=STOCKHOLM)


def _stored(notices: list[Notice]) -> list[Notice]:
    """Store new notices and a delivery to each of their organisation's active webhooks."""
    if not notices:
        return []
    with transaction.atomic():
        return _store(notices)


def _store(notices: list[Notice]) -> list[Notice]:
    created = Notice.objects.bulk_create(notices)
    hooks: dict[int, list[int]] = {}
    for hook, organisation in Webhook.objects.filter(
        active=True, organisation__in={n.organisation_id for n in created}
    ).values_list("pk", "organisation_id"):
        hooks.setdefault(organisation, []).append(hook)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook_id=hook, notice=notice, next_attempt=notice.created)
        for notice in created
        for hook in hooks.get(notice.organisation_id, ())
    )
    return created


def notices_from_events(event_ids: list[int], now: datetime) -> list[Notice]:
    """Each event's messages and notes become notices for their recipients, an acknowledgement
    one for the ward; then each episode's deadlines due today (`deadline_notices`)."""
    events = {
        e.pk: e
        for e in EpisodeEvent.objects.filter(pk__in=event_ids).select_related("episode__ward")
    }
    new: list[Notice] = []
    for message in Message.objects.filter(event__in=event_ids, organisation__isnull=False):
        event = events[message.event_id]
        new.append(_event_notice(event, message.organisation_id, MESSAGE_NOTICE[message.kind], now))
    # A note between the parties (issue 11 item 2) is a message to each organisation it names.
    for note_event, organisation in NoteRecipient.objects.filter(
        note__event__in=event_ids
    ).values_list("note__event_id", "organisation_id"):
        new.append(_event_notice(events[note_event], organisation, NoticeKind.MESSAGE, now))
    acknowledged = set(
        Acknowledgement.objects.filter(event__in=event_ids).values_list("event_id", flat=True)
    )
    for pk in acknowledged:
        event = events[pk]
        new.append(_event_notice(event, event.episode.ward_id, NoticeKind.ACKNOWLEDGEMENT, now))
    # Two messages of one event to one organisation (rare) are one notice of each kind.
    unique = {(n.event_id, n.organisation_id, n.kind): n for n in new}
    created = _stored(list(unique.values()))
    episodes = Episode.objects.filter(pk__in={e.episode_id for e in events.values()})
    return created + deadline_notices(episodes, now)


def _event_notice(event: EpisodeEvent, organisation: int, kind: str, now: datetime) -> Notice:
    return Notice(
        organisation_id=organisation,
        kind=kind,
        episode_id=event.episode_id,
        event=event,
        event_type=event.type,
        at=event.at,
        created=now,
    )


def deadline_notices(episodes: Iterable[Episode], now: datetime) -> list[Notice]:
    """A notice for each deadline of these episodes that falls due today and is not yet met,
    to the organisation that owes it; a met one's notice is marked met (the counter drops it)."""
    start, end = local_day(now)
    due: list[Notice] = []
    met = Q(pk__in=[])
    episodes = list(episodes)
    # A party other than the ward sees an episode once a message reached it (the selectors'
    # rule): no notice leads anyone to a patient they may not open.
    reached = set(
        Message.objects.filter(episode__in=episodes).values_list("episode_id", "organisation_id")
    )
    for episode, facts in zip(episodes, whole_facts(episodes), strict=True):
        if episode.status == EpisodeStatus.DONE or stored_faults(facts):
            continue
        for d in deadlines(facts, now):
            if d.met_at is not None:
                met |= Q(episode=episode, subject=d.kind.value, due_at=d.due_at)
            elif (
                start <= d.due_at < end
                and (owner := recipient(episode, d.party)) is not None
                and (owner.pk == episode.ward_id or (episode.pk, owner.pk) in reached)
            ):
                due.append(
                    Notice(
                        organisation=owner,
                        kind=NoticeKind.DEADLINE,
                        episode=episode,
                        subject=d.kind.value,
                        due_at=d.due_at,
                        at=now,
                        created=now,
                    )
                )
    # Read first: a pass with nothing new writes nothing (not even an UPDATE of no rows).
    now_met = list(
        Notice.objects.filter(met, kind=NoticeKind.DEADLINE, met=False).values_list("pk", flat=True)
    )
    if now_met:
        Notice.objects.filter(pk__in=now_met).update(met=True)
    if not due:
        return []
    known = set(
        Notice.objects.filter(
            kind=NoticeKind.DEADLINE, episode__in={n.episode_id for n in due}, event__isnull=True
        ).values_list("organisation_id", "episode_id", "subject", "due_at")
    )
    # One notice per organisation, episode, kind of deadline and time: two messages sent to a
    # party on one day are two receipts due at the same time, which one notice tells (and one
    # receipt meets). Stored twice, they broke the unique key and the worker's whole pass.
    unique = {(n.organisation_id, n.episode_id, n.subject, n.due_at): n for n in due}
    return _stored([n for key, n in unique.items() if key not in known])


def notices_due_today(*, now: datetime) -> list[Notice]:
    """The morning's deadlines: the open episodes whose next deadline (the worker keeps it on the
    row, `Episode.deadlines_checked_until`) falls today; one indexed query when none does."""
    start, end = local_day(now)
    episodes = Episode.objects.filter(
        status=EpisodeStatus.OPEN,
        deadlines_checked_until__gte=start,
        deadlines_checked_until__lt=end,
    ).select_related("ward", "home_municipality", "placing_municipality", "district")
    return deadline_notices(episodes, now)


def previous_month(now: datetime) -> str:
    first = now.astimezone(STOCKHOLM).date().replace(day=1)
    return f"{first - timedelta(days=1):%Y-%m}"


def invoice_notices(*, now: datetime) -> list[Notice]:
    """Once a month has ended, one notice to each region with a municipality whose basis for
    it is not yet approved: its finance approves them (Dalarna §11)."""
    month = previous_month(now)
    noticed = Notice.objects.filter(kind=NoticeKind.INVOICE, subject=month).values("organisation")
    approved = ApprovedBasis.objects.filter(month=month, reopened_at__isnull=True).values(
        "municipality"
    )
    waiting = (
        Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        .exclude(pk__in=approved)
        .values("parent")
    )
    regions = Organisation.objects.filter(kind=Kind.REGION, pk__in=waiting).exclude(pk__in=noticed)
    start, _ = local_day(now)
    notices = [
        Notice(organisation=r, kind=NoticeKind.INVOICE, subject=month, at=start, created=now)
        for r in regions
    ]
    return _stored(notices)


def subscription_of(membership: Membership) -> Subscription:
    """The person's choices; made with their role's defaults on first use, counting from now."""
    subscription, _ = Subscription.objects.get_or_create(
        membership=membership,
        defaults={
            "organisation": membership.organisation,
            "kinds": default_kinds(membership),
            "email": membership.user.email,
        },
    )
    return subscription


def subscription_seen(*, subscription: Subscription, now: datetime) -> None:
    """The person has looked at what is new: the counter counts from now."""
    Subscription.objects.filter(pk=subscription.pk).update(last_seen=now)
    subscription.last_seen = now


def subscription_update(
    *, subscription: Subscription, kinds: list[str], mode: str, digest_times: list[str], email: str
) -> None:
    """The person's choices as the settings form checked them."""
    subscription.kinds = [k for k in NoticeKind.values if k in kinds]
    subscription.mode = mode
    subscription.digest_times = digest_times
    subscription.email = email
    subscription.save(update_fields=["kinds", "mode", "digest_times", "email"])


def mailbox_add(
    *, organisation: Organisation, email: str, kinds: list[str], mode: str, digest_times: list[str]
) -> Subscription:
    """An organisation's shared mailbox hears of its notices as a person does."""
    return Subscription.objects.create(
        organisation=organisation,
        email=email,
        kinds=[k for k in NoticeKind.values if k in kinds],
        mode=mode,
        digest_times=digest_times,
    )


def mailbox_remove(*, mailbox: Subscription) -> None:
    mailbox.delete()
