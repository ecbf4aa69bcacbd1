"""Whose episodes a follow-up figure is computed from, read once and audited.

A municipality's figures are those of the episodes it is liable for (the placing municipality,
else the home municipality; Stockholm: the district), the same set as its invoice basis: follow-up
and payment must agree on whose days they are. A region's are those in its wards or for its
municipalities. Only aggregates are shown, but each patient's row is read, so each read is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from utskrivning.episodes.models import Episode
from utskrivning.episodes.selectors import audited_episode_frame
from utskrivning.lib import months
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, can

# Readmissions within 30 days (Stockholm's goal): a discharge late in the period needs the next
# admission after it, and the first months' payment looks back (Dalarna: two months before).
MARGIN = timedelta(days=31)


@dataclass(frozen=True)
class Scope:
    """The organisation acting (region, municipality, district) and what the filter narrowed to."""

    organisation: Organisation
    target: Organisation

    @property
    def region(self) -> Organisation | None:
        return self.organisation.region

    @property
    def regional(self) -> bool:
        return self.organisation.kind == Kind.REGION


def narrowing_choices(organisation: Organisation) -> QuerySet[Organisation]:
    """What a region may narrow to: its municipalities and its hospitals; others nothing."""
    if organisation.kind != Kind.REGION:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        parent=organisation, kind__in=(Kind.MUNICIPALITY, Kind.HOSPITAL)
    ).order_by("kind", "name")


def followup_scope(*, membership: Membership | None, organisation_id: int | None) -> Scope:
    """The scope this membership may see, narrowed to `organisation_id`; never wider."""
    if membership is None or not can(membership, Action.VIEW_FOLLOWUP):
        raise PermissionDenied
    own = membership.organisation
    if organisation_id is None or organisation_id == own.pk:
        return Scope(organisation=own, target=own)
    target = narrowing_choices(own).filter(pk=organisation_id).first()
    if target is None:
        raise PermissionDenied
    return Scope(organisation=own, target=target)


def _whose(target: Organisation) -> Q:
    if target.kind == Kind.REGION:
        # Ids of its organisations, not joins: a join each for three columns of 100 000 rows,
        # then an OR over them, was a fifth of the region's read.
        municipalities = Organisation.objects.filter(parent=target)
        return (
            Q(ward__in=Organisation.objects.filter(parent__parent=target))
            | Q(home_municipality__in=municipalities)
            | Q(placing_municipality__in=municipalities)
        )
    if target.kind == Kind.HOSPITAL:
        return Q(ward__parent=target)
    if target.kind == Kind.DISTRICT:
        return Q(district=target)
    return Q(placing_municipality=target) | Q(
        placing_municipality__isnull=True, home_municipality=target
    )


def scoped_episodes(*, scope: Scope, first: str, last: str) -> QuerySet[Episode]:
    """Episodes in care at some time from `first` to the end of `last`, a month either side."""
    start, end = months.bounds(first, last)
    return Episode.objects.filter(_whose(scope.target), admitted_at__lt=end + MARGIN).filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gte=start - MARGIN)
    )


def followup_frame(
    *, scope: Scope, first: str, last: str, actor: Any, purpose: str
) -> pl.DataFrame:
    """The scope's episodes as an episode frame; each patient's read is in the audit log."""
    return audited_episode_frame(
        queryset=scoped_episodes(scope=scope, first=first, last=last),
        actor=actor,
        organisation=scope.organisation,
        purpose=purpose,
    )
