"""A municipality's invoice basis for a month, on screen and as XLSX, PDF and the episode file.

The basis is shown as the engine computed it and, beside it, as the region's answers to the
municipality's disputes correct it; the municipality's finance questions the month or a line here,
and the region's finance approves (fastställer) the month or reopens it with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from utskrivning.domain.payment import PaymentError
from utskrivning.domain.rulebooks.parameters import NATIONAL_RATE
from utskrivning.episodes.selectors import rulebook_for
from utskrivning.lib import months
from utskrivning.lib.http import attachment
from utskrivning.lib.payment_words import missing_value
from utskrivning.organisations.models import Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required
from utskrivning.payment.access import (
    invoice_municipality,
    may_dispute,
    may_view_invoices,
    municipality_of,
)
from utskrivning.payment.approvals import basis_approve, basis_reopen
from utskrivning.payment.basis import episodes_csv
from utskrivning.payment.closed_months import month_document
from utskrivning.payment.export import basis_xlsx_attachment, episode_file_attachment
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.selectors import (
    DisputedBasis,
    disputed_basis_read,
    episode_by_file_id,
)
from utskrivning.payment.services import dispute_open
from utskrivning.web.forms import ApproveForm, DisputeForm, ReopenForm
from utskrivning.web.pdf import invoice_pdf
from utskrivning.web.views.writes import attempt, is_htmx, refused_status


def _computable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The month's page, downloads and approval, or, when the region's rulebook lacks a figure
    the month needs (a year's day rate, the county average), a page saying which (409): the
    engine guesses none, and no basis is shown or approved without it."""

    @wraps(view)
    def answer(request: HttpRequest, code: str, month: str) -> HttpResponse:
        try:
            return view(request, code, month)
        except PaymentError as error:
            municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
            rulebook = rulebook_for(municipality)
            national = NATIONAL_RATE.fullmatch(error.parameter or "")
            context = {
                "membership": request.membership,  # type: ignore[attr-defined]
                "municipality": municipality,
                "month": month,
                "rulebook": rulebook,
                "parameter": error.parameter,
                # What the value is, for the reader; the name beside it is the rulebook's.
                "missing": missing_value(rulebook, error.parameter, _),
                # Socialstyrelsen's rate for a year: the administrator writes the parameter anew.
                "year": national["year"] if national else None,
                "file": f"{rulebook.id}.toml",
                # The engine's English sentence only where it names no parameter (a stage's own
                # table of rates without the year, a county average the rulebook does not name):
                # then it alone says which value, and the administrator is shown it as it is.
                "detail": str(error) if error.parameter is None else None,
            }
            return render(request, "web/invoices_unavailable.html", context, status=409)

    return answer


def _month(month: str) -> str:
    if not months.is_month(month):
        raise Http404
    return month


def _basis(
    request: HttpRequest, municipality: Organisation, month: str, purpose: str
) -> DisputedBasis:
    membership = request.membership  # type: ignore[attr-defined]
    return disputed_basis_read(
        municipality=municipality,
        month=_month(month),
        actor=request.user,
        organisation=membership.organisation,
        purpose=purpose,
    )


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


def _page(
    request: HttpRequest,
    municipality: Organisation,
    month: str,
    form: DisputeForm | None = None,
    opened: InvoiceDispute | None = None,
    approval_form: ApproveForm | ReopenForm | None = None,
) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    basis = _basis(request, municipality, month, "invoice basis")
    shown = month_document(municipality, month, basis)
    lines = {line.original.episode_id: line for view in basis.invoices() for line in view.lines}
    context = {
        "membership": membership,
        "municipality": municipality,
        "month": month,
        "basis": basis,
        "shown": shown,
        "document": shown.document,
        "invoices": basis.invoices(),
        "rows": [
            [(line, lines.get(line.episode_id)) for line in section.lines]
            for section in shown.document.sections
        ],
        "may_dispute": may_dispute(membership, municipality),
        "may_approve": can(membership, Action.APPROVE_INVOICE),
        "form": form or DisputeForm(),
        "approval_form": approval_form or ReopenForm(),
        "opened": opened,
    }
    refused = form or approval_form
    status = refused_status(request, refused) if refused is not None else 200
    return render(request, "web/invoices.html", context, status=status)


@membership_required
@_computable
def basis(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    return _page(request, municipality, month)


@membership_required
@require_POST
@_computable
def dispute(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """Question the month's basis, or one episode line on it (the form's `episode`)."""
    membership = request.membership  # type: ignore[attr-defined]
    municipality = invoice_municipality(membership, code)
    if not may_dispute(membership, municipality):
        raise PermissionDenied
    form = DisputeForm(request.POST)
    opened = None
    if form.is_valid():
        named = form.cleaned_data["episode"]
        episode = episode_by_file_id(named, region=municipality.region)
        if named and episode is None:
            form.add_error(None, _("No such episode."))
        else:
            opened = attempt(
                form,
                lambda: dispute_open(
                    membership=membership,
                    month=_month(month),
                    text=form.cleaned_data["text"],
                    episode=episode,
                ),
            )
            if opened is not None and not is_htmx(request):
                return redirect("web:invoices", code=code, month=month)
    return _page(request, municipality, month, None if opened else form, opened)


def _approval_answer(
    request: HttpRequest,
    code: str,
    month: str,
    form: ApproveForm | ReopenForm,
    write: Callable[..., Any],
) -> HttpResponse:
    """Approve or reopen through the service; a refusal is shown on the page's approval form."""
    membership = request.membership  # type: ignore[attr-defined]
    municipality = invoice_municipality(membership, code)
    arguments = {"membership": membership, "municipality": municipality, "at": timezone.now()}
    done = attempt(form, lambda: write(**arguments, month=_month(month)))
    if done is not None and not is_htmx(request):
        return redirect("web:invoices", code=code, month=month)
    return _page(request, municipality, month, approval_form=None if done else form)


@membership_required
@require_POST
@_computable
def approve(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """The region's finance approves (fastställer) the month's basis as shown."""
    form = ApproveForm(request.POST)
    form.is_valid()  # no fields: it only carries a refusal
    return _approval_answer(request, code, month, form, basis_approve)


@membership_required
@require_POST
@_computable
def reopen(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """The region's finance reopens an approved month, saying why (audited)."""
    form = ReopenForm(request.POST)
    if not form.is_valid():
        municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
        return _page(request, municipality, month, approval_form=form)
    reason = form.cleaned_data["reason"]
    return _approval_answer(
        request, code, month, form, lambda **kw: basis_reopen(**kw, reason=reason)
    )


@membership_required
@_computable
def xlsx(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    basis = _basis(request, municipality, month, "invoice basis download")
    return basis_xlsx_attachment(municipality, month, basis)


@membership_required
@_computable
def pdf(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    basis = _basis(request, municipality, month, "invoice basis download")
    title = _("Invoice basis %(municipality)s %(month)s") % {
        "municipality": municipality.name,
        "month": month,
    }
    shown = month_document(municipality, month, basis)
    printed = datetime.now(tz=timezone.get_current_timezone())
    content = invoice_pdf(title, shown, basis, printed=printed)
    return attachment(content, "application/pdf", f"fakturaunderlag-{code}-{month}.pdf")


@membership_required
def csv(request: HttpRequest, code: str, month: str) -> HttpResponse:
    municipality = invoice_municipality(request.membership, code)  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    text = episodes_csv(
        municipality=municipality,
        month=_month(month),
        actor=request.user,
        organisation=membership.organisation,
    )
    return episode_file_attachment(text, code, month)
