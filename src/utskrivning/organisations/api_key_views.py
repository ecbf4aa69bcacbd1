"""The API keys of the organisation an administrator acts for: who holds which, until when, last
used; issuing one (shown once) and revoking one. The route's data kind gates the page
(`service.routes`); each view also checks the role, since a page must not rely on its URL alone."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from utskrivning.lib.forms import AsciiDigitsForm
from utskrivning.organisations.api_keys import (
    MAX_VALIDITY,
    ApiKeyError,
    api_key_issue,
    api_key_revoke,
    api_keys_of,
)
from utskrivning.organisations.models import Membership
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required


class IssueForm(AsciiDigitsForm):
    holder = forms.ModelChoiceField(label=_("Acts as"), queryset=Membership.objects.none())
    name = forms.CharField(label=_("System"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_VALIDITY.days, initial=365
    )

    def __init__(self, *args: object, membership: Membership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ModelChoiceField)
        holder.queryset = Membership.objects.filter(
            organisation=membership.organisation
        ).select_related("user")


def _administrator(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    if not can(membership, Action.MANAGE_API_KEYS):
        raise PermissionDenied
    return membership


@membership_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    membership = _administrator(request)
    form = IssueForm(request.POST or None, membership=membership)
    issued = None
    if form.is_valid():
        try:
            issued = api_key_issue(
                membership=form.cleaned_data["holder"],
                name=form.cleaned_data["name"],
                issued_by=membership,
                valid_for=timedelta(days=form.cleaned_data["days"]),
            )
        except ApiKeyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
    context = {
        "membership": membership,
        "keys": api_keys_of(organisation=membership.organisation),
        "form": IssueForm(membership=membership) if issued else form,
        "issued": issued,
    }
    status = 422 if request.method == "POST" and not issued else 200
    return render(request, "organisations/api_keys.html", context, status=status)


@membership_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _administrator(request)
    found = get_object_or_404(api_keys_of(organisation=membership.organisation), pk=pk)
    api_key_revoke(api_key=found, revoked_by=membership)
    return redirect("api_keys")
