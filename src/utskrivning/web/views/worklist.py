"""The start page: the worklist of the organisation the user acts for."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from utskrivning.episodes.worklist import current_worklist
from utskrivning.organisations.models import MUNICIPAL_KINDS
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required


@membership_required
def worklist(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    rows = current_worklist(
        organisation=membership.organisation, now=timezone.now(), actor=request.user
    )
    context = {
        "membership": membership,
        "rows": rows,
        "municipal": membership.organisation.kind in MUNICIPAL_KINDS,
        "may_admit": can(membership, Action.ADMIT),
    }
    return render(request, "web/worklist.html", context)
