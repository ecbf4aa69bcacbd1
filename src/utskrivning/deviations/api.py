"""Deviations over the API: reporting one, and the follow-up (Stockholm §11–12, Dalarna §12), the
page's counts per category, organisation and month and its list, from the same selector, scoped and
audited alike."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.deviations.filters import deviation_period
from utskrivning.deviations.selectors import (
    deviation_followup,
    deviations_csv,
    deviations_visible_to,
    episode_deviations,
)
from utskrivning.deviations.services import deviation_report
from utskrivning.episodes.api import EpisodeId, Instant, visible_episode
from utskrivning.episodes.models import Deviation, DeviationCategory, Episode
from utskrivning.episodes.selectors import audit_reads
from utskrivning.lib.months import MONTH_PATTERN
from utskrivning.lib.paging import Paged, page_of, paged_headers

router = Router(tags=["deviations"], auth=AUTH)
# Reporting and listing live under /api/episodes/, where the API has always had them.
episode_router = Router(tags=["episodes"], auth=AUTH)


class FollowupQuery(Schema):
    start: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM; 11 months back")
    end: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM; this month")
    category: DeviationCategory | None = None


class DeviationIn(Schema):
    category: str
    text: str = ""
    at: Instant | None = None


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
    start, end = deviation_period(start=query.start, end=query.end, today=timezone.localdate())
    organisation = membership_of(request).organisation
    return {"organisation": organisation, "start": start, "end": end,
            "category": query.category or "", "actor": request.user}  # fmt: skip


@router.get(
    "/followup", response=FollowupOut, summary="Deviations in aggregate, a page of the list"
)
def followup(
    request: HttpRequest,
    response: HttpResponse,
    query: Query[FollowupQuery],
    page: str | None = None,
    limit: str | None = None,
) -> dict[str, object]:
    """The region's staff see every deviation on their wards; a party those on its episodes.
    The counts cover the period; `deviations` is page `page` of `limit` (1–500, default 50),
    `X-Total-Count` counts the list and `Link` names the next and previous pages."""
    selection = _selection(request, query)
    keep = tuple((k, request.GET[k]) for k in ("start", "end", "category") if k in request.GET)
    result = deviation_followup(**selection, page=page_of(page=page, limit=limit), keep=keep)
    response["X-Total-Count"] = str(result.paged.total)
    if links := result.paged.link_header(request.path):
        response["Link"] = links
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
def of_episode(
    request: HttpRequest,
    response: HttpResponse,
    pk: EpisodeId,
    page: str | None = None,
    limit: str | None = None,
) -> list[dict[str, object]]:
    """The episode page's list, newest first, for whoever sees the episode, a page of `limit`
    (1–500, default 50) with `X-Total-Count` and `Link`; the read is audited as the page's is."""
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    chosen = page_of(page=page, limit=limit)
    audit_reads([episode], actor=request.user, organisation=membership.organisation,
                purpose="episode deviations")  # fmt: skip
    paged_headers(response, Paged(page=chosen, total=episode.deviations.count()), request.path)
    return [_deviation(d, episode) for d in episode_deviations(episode=episode, page=chosen)]


@router.get("/followup.csv", summary="The follow-up's list as CSV, as the page downloads it")
def followup_csv(request: HttpRequest, query: Query[FollowupQuery]) -> HttpResponse:
    text = deviations_csv(**_selection(request, query))
    return HttpResponse(text, content_type="text/csv; charset=utf-8")


@episode_router.post("/{int:pk}/deviations", response={201: dict}, summary="Report a deviation")
def report_deviation(request: HttpRequest, pk: EpisodeId, body: DeviationIn) -> Status:
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    deviation = deviation_report(
        episode=episode,
        membership=membership,
        category=body.category,
        text=body.text,
        at=body.at or timezone.now(),
    )
    return Status(201, {"id": deviation.pk, "category": deviation.category, "text": deviation.text})


@episode_router.get("/deviations", summary="Deviations on the episodes the caller sees, a page")
def deviations(
    request: HttpRequest, response: HttpResponse, page: str | None = None, limit: str | None = None
) -> list[dict[str, Any]]:
    """Newest first, `limit` (1–500, default 50) of page `page`, with `X-Total-Count` and `Link`:
    unpaged, the answer grew with every deviation ever reported on the caller's episodes."""
    membership = membership_of(request)
    chosen = page_of(page=page, limit=limit)
    visible = deviations_visible_to(organisation=membership.organisation).order_by(
        "-created", "-id"
    )
    found = list(visible[chosen.offset : chosen.offset + chosen.limit])
    paged_headers(response, Paged(page=chosen, total=visible.count()), request.path)
    audit_reads(
        [d.episode for d in found],
        actor=request.user,
        organisation=membership.organisation,
        purpose="deviations (API)",
    )
    return [
        {
            "id": d.pk,
            "episode_id": d.episode_id,
            "category": d.category,
            "text": d.text,
            "proposed": d.proposed,
            "organisation_id": d.organisation_id,
            "created": d.created,
        }
        for d in found
    ]
