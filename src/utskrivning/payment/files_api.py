"""The invoice page's downloads over the API: the disputed basis as XLSX and the month's episode
file, read with the page's access rule and audited as the page's downloads are."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.api.fields import PathKommunkod
from utskrivning.payment.access import invoice_municipality
from utskrivning.payment.basis import episodes_csv
from utskrivning.payment.export import basis_xlsx_attachment, episode_file_attachment
from utskrivning.payment.selectors import disputed_basis_read
from utskrivning.payment.services import checked_month

router = Router(tags=["payment"], auth=AUTH)


@router.get("/{code}/{month}/basis.xlsx", summary="The invoice basis as the page's XLSX")
def basis_xlsx(request: HttpRequest, code: PathKommunkod, month: str) -> HttpResponse:
    """The month's document as the page shows it, and the disputes."""
    membership = membership_of(request)
    municipality = invoice_municipality(membership, code)
    basis = disputed_basis_read(
        municipality=municipality,
        month=checked_month(month),
        actor=request.user,
        organisation=membership.organisation,
        purpose="invoice basis download (API)",
    )
    return basis_xlsx_attachment(municipality, month, basis)


@router.get(
    "/{code}/{month}/episodes.csv", summary="The month's episode file (docs/episode-file.md)"
)
def episode_file(request: HttpRequest, code: PathKommunkod, month: str) -> HttpResponse:
    membership = membership_of(request)
    text = episodes_csv(
        municipality=invoice_municipality(membership, code),
        month=checked_month(month),
        actor=request.user,
        organisation=membership.organisation,
    )
    return episode_file_attachment(text, code, month)
