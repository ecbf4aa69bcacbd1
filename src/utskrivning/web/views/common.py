"""What every page needs: a logged-in user acting for one organisation, and its party."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from utskrivning.domain.process import Party
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import current_membership

View = Callable[..., HttpResponse]

PARTY_OF_KIND: dict[str, Party] = {
    Kind.WARD: Party.INPATIENT_CARE,
    Kind.HOSPITAL: Party.INPATIENT_CARE,
    Kind.PRIMARY_CARE: Party.PRIMARY_CARE,
    Kind.MUNICIPALITY: Party.MUNICIPALITY,
    Kind.DISTRICT: Party.MUNICIPALITY,
}
MUNICIPAL_KINDS = frozenset({Kind.MUNICIPALITY, Kind.DISTRICT})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A download, for the pages and the API alike."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def membership_required(view: View) -> View:
    """Login, then the organisation the user acts for; `request.membership` is set for the view."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = current_membership(request)
        if membership is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('choose_organisation')}?{query}")
        request.membership = membership  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def party_of(membership: Membership) -> Party | None:
    return PARTY_OF_KIND.get(membership.organisation.kind)


def municipality_of(organisation: Organisation) -> Organisation | None:
    """A district answers for its municipality's invoices only through the municipality's code."""
    if organisation.kind == Kind.MUNICIPALITY:
        return organisation
    if organisation.kind == Kind.DISTRICT:
        return organisation.parent
    return None


def may_view_invoices(membership: Membership) -> bool:
    return can(membership, Action.VIEW_INVOICES) or membership.organisation.kind in MUNICIPAL_KINDS


def invoice_municipality(membership: Membership, code: str) -> Organisation:
    """The municipality whose basis this membership may read: its own, or any in its region."""
    if not may_view_invoices(membership):
        raise PermissionDenied
    own = municipality_of(membership.organisation)
    if own is not None:
        if own.municipality_code != code:
            raise PermissionDenied
        return own
    region = membership.organisation.region
    municipality = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, municipality_code=code, parent=region
    ).first()
    if municipality is None:
        raise PermissionDenied
    return municipality
