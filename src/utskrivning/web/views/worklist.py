"""The start page: the day's worklist of the organisation the user acts for: its counters, its
filters and search, its own steps first by the soonest deadline, a page at a time."""

from __future__ import annotations

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from utskrivning.episodes.models import CareType
from utskrivning.episodes.worklist import (
    current_worklist_page,
    open_episodes_visible_to,
    worklist_summary,
)
from utskrivning.episodes.worklist_query import (
    OPEN_STATES,
    WorklistQuery,
    ward_choices,
    worklist_query,
)
from utskrivning.lib.paging import page_of
from utskrivning.organisations.models import MUNICIPAL_KINDS
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required
from utskrivning.web.start import start_page


@membership_required
def start(request: HttpRequest) -> HttpResponse:
    """Where a sign-in lands (settings.LOGIN_REDIRECT_URL): the role's own start page."""
    return redirect(start_page(request.membership))  # type: ignore[attr-defined]


@membership_required
def worklist(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    organisation = membership.organisation
    try:
        page = page_of(page=request.GET.get("page"), limit=request.GET.get("limit"))
    except ValidationError as refused:
        raise BadRequest(refused) from None  # a hand-made address: the Swedish 400 page
    errors: dict[str, list[str]] = {}
    try:
        query = worklist_query(request.GET)
    except ValidationError as refused:
        if set(refused.message_dict) != {"q"}:
            raise BadRequest(refused) from None  # the form's choices are not typed: hand-made
        errors, query = refused.message_dict, WorklistQuery()  # said beside the search field
    now = timezone.now()
    rows, paged = current_worklist_page(
        organisation=organisation, now=now, actor=request.user, page=page, query=query
    )
    # Counted each time, not kept with the rows: a receipt changes no episode's version.
    counts = worklist_summary(organisation=organisation, now=now)
    unread = counts.unread_by_episode
    context = {
        "membership": membership,
        "entries": [(row, unread.get(row.episode.pk, 0)) for row in rows],
        "paged": paged,
        "query": query,
        "errors": errors,
        "raw_search": request.GET.get("q", "")[:200],
        "counts": counts,
        "party": party_of(organisation),
        "states": OPEN_STATES,
        "care_types": CareType.choices,
        "wards": ward_choices(open_episodes_visible_to(organisation=organisation)),
        "municipal": organisation.kind in MUNICIPAL_KINDS,
        "may_admit": can(membership, Action.ADMIT),
    }
    return render(request, "web/worklist.html", context, status=400 if errors else 200)
