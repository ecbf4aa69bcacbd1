"""The deviation follow-up over the API (Stockholm §11–12, Dalarna §12): the page's counts per
category, organisation and month and its list, from the same selector, scoped and audited alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.episodes.api import EpisodeId, visible_episode
from utskrivning.episodes.deviation_followup import (
    deviation_followup,
    deviations_csv,
    episode_deviations,
)
from utskrivning.episodes.models import Deviation, DeviationCategory, Episode
from utskrivning.episodes.selectors import audit_reads
from utskrivning.followup.api import MONTH_PATTERN
from utskrivning.web.forms import FollowupForm

router = Router(tags=["deviations"], auth=AUTH)


class FollowupQuery(Schema):
    start: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM; 11 months back")
    end: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM; this month")
    category: DeviationCategory | None = None


class TallyOut(Schema):
    key: str
    label: str  # in the request's language, as the page shows it
    proposed: int
    reported: int
    total: int

    @field_validator("label", mode="before")
    @classmethod
    def _translated(cls, label: object) -> str:
        return str(label)  # the categories' labels are lazy translations


class DeviationOut(Schema):
    id: int
    episode_id: int
    episode_external_id: str
    category: DeviationCategory
    proposed: bool
    organisation: str | None
    text: str
    created: datetime
    deadline_kind: str
    deadline_party: str
    deadline_due_at: datetime | None


class FollowupOut(Schema):
    start: date
    end: date  # the first day after the period
    category: DeviationCategory | None
    total: TallyOut
    by_category: list[TallyOut]
    by_organisation: list[TallyOut]
    by_month: list[TallyOut]
    deviations: list[DeviationOut]


def _selection(request: HttpRequest, query: FollowupQuery) -> dict[str, Any]:
    """The page's form decides, with its defaults for what is left out; a wrong period names
    `end` (the form's own error is the whole form's)."""
    today = timezone.localdate()
    start, end = FollowupForm().period(today)
    form = FollowupForm(
        {
            "start": query.start or f"{start:%Y-%m}",
            "end": query.end or f"{end - timedelta(days=1):%Y-%m}",
            "category": query.category or "",
        }
    )
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {
                ("end" if f == NON_FIELD_ERRORS else f): [e["message"] for e in es]
                for f, es in errors.items()
            }
        )
    start, end = form.period(today)
    organisation = membership_of(request).organisation
    return {"organisation": organisation, "start": start, "end": end,
            "category": form.chosen_category, "actor": request.user}  # fmt: skip


@router.get("/followup", response=FollowupOut, summary="Deviations in aggregate, and their list")
def followup(request: HttpRequest, query: Query[FollowupQuery]) -> dict[str, object]:
    """The region's staff see every deviation on their wards; a party those on its episodes."""
    selection = _selection(request, query)
    result = deviation_followup(**selection)
    return {
        "start": selection["start"],
        "end": selection["end"],
        "category": selection["category"] or None,
        "total": result.total,
        "by_category": result.by_category,
        "by_organisation": result.by_organisation,
        "by_month": result.by_month,
        "deviations": [_deviation(d, d.episode) for d in result.deviations],
    }


def _deviation(d: Deviation, episode: Episode) -> dict[str, object]:
    return {
        "id": d.pk,
        "episode_id": episode.pk,
        "episode_external_id": episode.external_id,
        "category": d.category,
        "proposed": d.proposed,
        "organisation": d.organisation.name if d.organisation else None,
        "text": d.text,
        "created": d.created,
        "deadline_kind": d.deadline_kind,
        "deadline_party": d.deadline_party,
        "deadline_due_at": d.deadline_due_at,
    }


@router.get("/episodes/{int:pk}", response=list[DeviationOut], summary="One episode's deviations")
def of_episode(request: HttpRequest, pk: EpisodeId) -> list[dict[str, object]]:
    """The episode page's list, newest first, for whoever sees the episode; the read is audited
    as the page's is."""
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    audit_reads([episode], actor=request.user, organisation=membership.organisation,
                purpose="episode deviations")  # fmt: skip
    return [_deviation(d, episode) for d in episode_deviations(episode=episode)]


@router.get("/followup.csv", summary="The follow-up's list as CSV, as the page downloads it")
def followup_csv(request: HttpRequest, query: Query[FollowupQuery]) -> HttpResponse:
    text = deviations_csv(**_selection(request, query))
    return HttpResponse(text, content_type="text/csv; charset=utf-8")
