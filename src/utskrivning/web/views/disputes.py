"""The disputes of invoice bases: the municipality follows its questions, the region answers them.

A `corrected` answer states its correction (Dalarna §11's joint analysis made concrete): the
episode left out of the basis, or its readiness time corrected; the invoice page then shows the
corrected basis beside the original one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from utskrivning.lib.paging import page_of
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required
from utskrivning.payment.access import may_view_invoices
from utskrivning.payment.selectors import disputes_read, disputes_visible_to, episode_by_file_id
from utskrivning.payment.services import dispute_answer
from utskrivning.web.forms import AnswerForm
from utskrivning.web.views.writes import attempt, is_htmx, refused_status


def _form(pk: int, data: Any = None) -> AnswerForm:
    # One form per open dispute on the page: the ids must differ for the labels to work.
    return AnswerForm(data, auto_id=f"answer-{pk}-%s", label_suffix="")


def _page(
    request: HttpRequest, *, answering: int | None = None, form: AnswerForm | None = None
) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    try:
        page = page_of(page=request.GET.get("page"), limit=request.GET.get("limit"))
    except ValidationError as refused:
        raise BadRequest(refused) from None  # a hand-made address: the Swedish 400 page
    disputes, paged = disputes_read(
        organisation=membership.organisation, actor=request.user, page=page
    )
    context: dict[str, Any] = {
        "membership": membership,
        "paged": paged,
        "rows": [(d, form if form and d.pk == answering else _form(d.pk)) for d in disputes],
        "may_answer": can(membership, Action.ANSWER_DISPUTE),
        "answered": answering if form is None else None,
    }
    status = refused_status(request, form) if form is not None else 200
    return render(request, "web/disputes.html", context, status=status)


@membership_required
def disputes(request: HttpRequest) -> HttpResponse:
    if not may_view_invoices(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied
    return _page(request)


@membership_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if not can(membership, Action.ANSWER_DISPUTE):
        raise PermissionDenied
    dispute = get_object_or_404(disputes_visible_to(organisation=membership.organisation), pk=pk)
    form = _form(pk, request.POST)
    if not form.is_valid():
        return _page(request, answering=pk, form=form)
    data = form.cleaned_data
    episode = episode_by_file_id(data["corrected_episode"], region=dispute.municipality.region)
    if data["corrected_episode"] and episode is None:
        form.add_error("corrected_episode", _("No such episode."))
        return _page(request, answering=pk, form=form)
    answered = attempt(
        form,
        lambda: dispute_answer(
            membership=membership,
            dispute=dispute,
            answer=data["answer"],
            outcome=data["outcome"],
            at=timezone.now(),
            correction=data["correction"],
            corrected_episode=episode,
            corrected_ready_at=data["corrected_ready_at"],
        ),
    )
    if answered is None:
        return _page(request, answering=pk, form=form)
    if not is_htmx(request):
        return redirect("web:disputes")
    return _page(request, answering=pk)
