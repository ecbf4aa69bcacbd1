"""A municipality's invoice basis for a month, on screen and as XLSX, PDF and the episode file."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from utskrivning.domain.payment import PaymentResult
from utskrivning.domain.payment.export import write_xlsx
from utskrivning.episodes.selectors import episodes_csv, invoice_basis
from utskrivning.organisations.models import Organisation
from utskrivning.web.pdf import invoice_pdf
from utskrivning.web.views.common import (
    invoice_municipality,
    may_view_invoices,
    membership_required,
    municipality_of,
)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(month: str) -> str:
    if not _MONTH.fullmatch(month):
        raise Http404
    return month


def _basis(request: HttpRequest, code: str, month: str) -> tuple[Organisation, PaymentResult]:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    return municipality, invoice_basis(municipality=municipality, month=_month(month))


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@membership_required
def current(request: HttpRequest) -> HttpResponse:
    """The month form and the navigation land here: the given month, else the current one."""
    membership = request.membership  # type: ignore[attr-defined]
    if not may_view_invoices(membership):
        raise PermissionDenied
    own = municipality_of(membership.organisation)
    code = own.municipality_code if own else request.GET.get("code", "")
    month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
    if not code:
        return render(
            request,
            "web/invoices_choose.html",
            {
                "membership": membership,
                "municipalities": _municipalities(membership),
                "month": month,
            },
        )
    return redirect("web:invoices", code=code, month=_month(month))


def _municipalities(membership: Any) -> Any:
    return Organisation.objects.filter(
        kind="municipality", parent=membership.organisation.region
    ).order_by("name")


@membership_required
def basis(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality, result = _basis(request, code, month)
    context = {
        "membership": request.membership,  # type: ignore[attr-defined]
        "municipality": municipality,
        "month": month,
        "invoices": result.invoices(),
    }
    return render(request, "web/invoices.html", context)


@membership_required
def xlsx(request: HttpRequest, code: str, month: str) -> HttpResponse:
    _, result = _basis(request, code, month)
    out = io.BytesIO()
    write_xlsx(result, out)
    return _attachment(out.getvalue(), XLSX, f"fakturaunderlag-{code}-{month}.xlsx")


@membership_required
def pdf(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality, result = _basis(request, code, month)
    title = _("Invoice basis %(municipality)s %(month)s") % {
        "municipality": municipality.name,
        "month": month,
    }
    content = invoice_pdf(
        title, result.invoices(), printed=datetime.now(tz=timezone.get_current_timezone())
    )
    return _attachment(content, "application/pdf", f"fakturaunderlag-{code}-{month}.pdf")


@membership_required
def csv(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    text = episodes_csv(municipality=municipality, month=_month(month))
    return _attachment(text, "text/csv; charset=utf-8", f"episoder-{code}-{month}.csv")
