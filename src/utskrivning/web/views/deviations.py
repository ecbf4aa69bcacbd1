"""The deviation follow-up (Stockholm §11–12): counts and list of what the organisation may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from utskrivning.deviations.selectors import deviation_followup, deviations_csv
from utskrivning.lib.http import attachment
from utskrivning.lib.paging import page_of
from utskrivning.organisations.models import Kind
from utskrivning.organisations.sessions import membership_required
from utskrivning.web.forms import FollowupForm

FILTERS = ("start", "end", "category")


def _filters(request: HttpRequest) -> tuple[FollowupForm, date, date, str]:
    """Any filter given binds the form, so a wrong or partial period is refused, never replaced
    by the default one (`?end=9999-12` alone, or a download of a period that was not asked for)."""
    given = any(name in request.GET for name in FILTERS)
    form = FollowupForm(request.GET if given else None)
    start, end = form.period(timezone.localdate())
    return form, start, end, form.chosen_category


@membership_required
def followup(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form, start, end, category = _filters(request)
    try:
        page = page_of(page=request.GET.get("page"), limit=request.GET.get("limit"))
    except ValidationError as refused:
        raise BadRequest(refused) from None  # a hand-made address: the Swedish 400 page
    keep = tuple((k, request.GET[k]) for k in FILTERS if k in request.GET)
    context: dict[str, Any] = {
        "membership": membership,
        "form": form,
        "start": start,
        "last": end - timedelta(days=1),  # the period's last month, for the month inputs
        "category": category,
        "followup": deviation_followup(
            organisation=membership.organisation,
            start=start,
            end=end,
            category=category,
            actor=request.user,
            page=page,
            keep=keep,
        ),
        # The region's staff see no episode page: the list names the episode without a link.
        "links": membership.organisation.kind != Kind.REGION,
    }
    return render(request, "web/deviations.html", context, status=400 if form.errors else 200)


@membership_required
def followup_csv(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form, start, end, category = _filters(request)
    if form.errors:
        raise BadRequest(form.errors.as_text())  # a hand-made address: the Swedish 400 page
    text = deviations_csv(
        organisation=membership.organisation,
        start=start,
        end=end,
        category=category,
        actor=request.user,
    )
    name = f"avvikelser-{start:%Y-%m}-{end - timedelta(days=1):%Y-%m}.csv"
    return attachment(text, "text/csv; charset=utf-8", name)
