"""Which party of the law (Lag 2017:612) an organisation acts as: the one table, for the
services, the API and the screens alike."""

from __future__ import annotations

from utskrivning.domain.process import Party
from utskrivning.organisations.models import Kind, Organisation

PARTY_OF_KIND: dict[str, Party] = {
    Kind.WARD: Party.INPATIENT_CARE,
    Kind.HOSPITAL: Party.INPATIENT_CARE,
    Kind.PRIMARY_CARE: Party.PRIMARY_CARE,
    Kind.MUNICIPALITY: Party.MUNICIPALITY,
    Kind.DISTRICT: Party.MUNICIPALITY,
}


def party_of(organisation: Organisation) -> Party | None:
    """None for a region, which acts for no party (it imports and follows up)."""
    return PARTY_OF_KIND.get(organisation.kind)
