"""The follow-up dashboard's figures over the API: the page's own `dashboard_for`, as JSON, so a
region's analysis system reads the same numbers (and the same scoping and audit) as the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.followup.baseline import Baseline
from utskrivning.followup.figures import Figure, IndicatorRow
from utskrivning.followup.filters import Care, FilterError, Filters, parse_filters
from utskrivning.followup.selectors import narrowing_choices
from utskrivning.followup.services import CHARTS, dashboard_for
from utskrivning.lib.months import MONTH_PATTERN
from utskrivning.organisations.models import Organisation

router = Router(tags=["follow-up"], auth=AUTH)


class DashboardQuery(Schema):
    first: str | None = Field(
        None, alias="from", pattern=MONTH_PATTERN, description="YYYY-MM; 11 months before `to`"
    )
    to: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM; this month")
    care: Care = Care.ALL
    # Text, checked by the page's own `parse_filters`: ASCII digits, bounded, named when wrong.
    organisation: str | None = Field(
        None, pattern="^[0-9]{1,19}$", description="A region narrows to a municipality or hospital"
    )
    baseline: str | None = Field(
        None,
        pattern="^[0-9]{4}$",
        description="A year whose same months are compared (Stockholm: not above 2017)",
    )


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str


class FiltersOut(Schema):
    first: str
    last: str
    months: list[str]
    care: Care
    organisation: int | None
    baseline: int | None


class DashboardOut(Schema):
    organisation: OrganisationOut
    target: OrganisationOut
    filters: FiltersOut
    rulebook: str | None
    # The page's own dataclasses, so the API says what the page draws and cannot drift from it.
    trend: list[Figure]
    ranking: list[Figure]
    distribution: list[Figure]
    indicators: list[IndicatorRow]
    baseline: Baseline | None
    outside_agreement: list[str]
    narrowing: list[OrganisationOut]


def _filters(query: DashboardQuery) -> Filters:
    """The page's `parse_filters`, so the API and the page agree on defaults and limits."""
    params = query.model_dump(by_alias=True, exclude_none=True, mode="json")
    try:
        return parse_filters({k: str(v) for k, v in params.items()}, today=timezone.localdate())
    except FilterError as refused:
        raise ValidationError({refused.field or "from": refused.reason}) from None


def _organisation(organisation: Organisation) -> dict[str, object]:
    return {"id": organisation.pk, "name": organisation.name, "kind": organisation.kind}


@router.get("/dashboard", response=DashboardOut, summary="The follow-up dashboard's figures")
def dashboard(request: HttpRequest, query: Query[DashboardQuery]) -> dict[str, object]:
    """Only aggregates, but every patient's row is read for them: the read is audited."""
    board = dashboard_for(
        membership=membership_of(request),
        filters=_filters(query),
        actor=request.user,
        english=translation.get_language() == "en",
    )
    filters = board.filters
    return {
        "organisation": _organisation(board.scope.organisation),
        "target": _organisation(board.scope.target),
        "filters": {
            "first": filters.first,
            "last": filters.last,
            "months": filters.months,
            "care": filters.care,
            "organisation": filters.organisation,
            "baseline": filters.baseline,
        },
        "rulebook": board.rulebook.id if board.rulebook else None,
        **{chart: board.figures[chart] for chart in CHARTS},
        "indicators": board.indicators,
        "baseline": board.baseline,
        "outside_agreement": board.outside_agreement,
        "narrowing": [_organisation(o) for o in narrowing_choices(board.scope.organisation)],
    }
