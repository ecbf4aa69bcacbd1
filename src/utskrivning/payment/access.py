"""Who may read and question a municipality's invoice basis: one rule for the pages and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from utskrivning.lib.digits import is_digits
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, Data, can, may_read


def municipality_of(organisation: Organisation) -> Organisation | None:
    """A district answers for its municipality's invoices only through the municipality's code."""
    if organisation.kind == Kind.MUNICIPALITY:
        return organisation
    if organisation.kind == Kind.DISTRICT:
        return organisation.parent
    return None


def may_view_invoices(membership: Membership) -> bool:
    return may_read(membership, Data.INVOICES)


def may_dispute(membership: Membership, municipality: Organisation) -> bool:
    """The municipality's own finance staff question its basis (Dalarna §11)."""
    own = municipality_of(membership.organisation)
    return can(membership, Action.DISPUTE_INVOICE) and own is not None and own == municipality


def invoice_municipality(membership: Membership, code: str) -> Organisation:
    """The municipality whose basis this membership may read: its own, or any in its region."""
    if not may_view_invoices(membership) or not is_digits(code, 4):
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
