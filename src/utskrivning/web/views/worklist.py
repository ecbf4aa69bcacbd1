"""The start page: the worklist of the organisation the user acts for, a page at a time."""

from __future__ import annotations

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from utskrivning.episodes.worklist import current_worklist_page
from utskrivning.lib.paging import page_of
from utskrivning.organisations.models import MUNICIPAL_KINDS
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required


@membership_required
def worklist(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    try:
        page = page_of(page=request.GET.get("page"), limit=request.GET.get("limit"))
    except ValidationError as refused:
        raise BadRequest(refused) from None  # a hand-made address: the Swedish 400 page
    rows, paged = current_worklist_page(
        organisation=membership.organisation, now=timezone.now(), actor=request.user, page=page
    )
    context = {
        "membership": membership,
        "rows": rows,
        "paged": paged,
        "municipal": membership.organisation.kind in MUNICIPAL_KINDS,
        "may_admit": can(membership, Action.ADMIT),
    }
    return render(request, "web/worklist.html", context)
