"""Reads: the header's counter (two indexed counts, polled by every open page) and the list of
what is new, whose patients are audited as read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from utskrivning.episodes.selectors import audit_reads, episodes_visible_to
from utskrivning.notifications.models import Notice, NoticeKind, Subscription
from utskrivning.notifications.services import local_day

PAGE = 200  # the newest this many; the page says when there are more


@dataclass(frozen=True)
class Counts:
    by_kind: dict[str, int]  # new since last seen; DEADLINE: due today and not met
    newest: str  # the newest notice's time: a page reloads itself when it moves

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def notice_counts(*, subscription: Subscription, now: datetime) -> Counts:
    """What is new for the person's organisation since they last looked, in the kinds they
    chose: one grouped count on (organisation, created), one on (organisation, kind, due_at)."""
    mine = Notice.objects.filter(organisation_id=subscription.organisation_id)
    kinds = set(subscription.kinds)
    by_kind = dict(
        mine.filter(created__gt=subscription.last_seen, kind__in=kinds - {NoticeKind.DEADLINE})
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    if NoticeKind.DEADLINE in kinds:
        start, end = local_day(now)
        due = mine.filter(kind=NoticeKind.DEADLINE, due_at__gte=start, due_at__lt=end, met=False)
        if n := due.count():
            by_kind[NoticeKind.DEADLINE] = n
    newest = mine.aggregate(newest=Max("created"))["newest"]
    ordered = {kind.value: by_kind[kind] for kind in NoticeKind if by_kind.get(kind)}
    return Counts(by_kind=ordered, newest=newest.isoformat() if newest else "")


def notices_new(*, subscription: Subscription, now: datetime, actor: object) -> list[Notice]:
    """The notices the counter counts, newest first, of episodes the organisation sees; their
    patients are noted as read."""
    counts_from = subscription.last_seen
    start, end = local_day(now)
    mine = Notice.objects.filter(
        organisation_id=subscription.organisation_id, kind__in=subscription.kinds
    )
    new = mine.filter(created__gt=counts_from).exclude(kind=NoticeKind.DEADLINE)
    due = mine.filter(kind=NoticeKind.DEADLINE, due_at__gte=start, due_at__lt=end, met=False)
    notices = list((new | due).select_related("episode__patient")[:PAGE])
    organisation = subscription.organisation
    visible = set(
        episodes_visible_to(organisation=organisation)
        .filter(pk__in={n.episode_id for n in notices if n.episode_id})
        .values_list("pk", flat=True)
    )
    shown = [n for n in notices if n.episode_id is None or n.episode_id in visible]
    audit_reads(
        list({n.episode_id: n.episode for n in shown if n.episode is not None}.values()),
        actor=actor,
        organisation=organisation,
        purpose="notices",
    )
    return shown
