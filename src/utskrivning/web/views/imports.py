"""Importing an episode file: all of it or, when any line is wrong, nothing and the errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.episodes.imports import import_episode_file
from utskrivning.organisations.permissions import Action, can
from utskrivning.web.forms import ImportForm
from utskrivning.web.views.common import membership_required


@membership_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if not can(membership, Action.IMPORT_EPISODES):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"membership": membership, "form": form, "imported": None, "errors": []}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = import_episode_file(data=form.cleaned_data["file"], membership=membership)
        except EpisodeFileError as error:
            context["errors"] = error.errors
            status = 422 if not request.headers.get("HX-Request") else 200
        else:
            context["imported"] = result.imported
    return render(request, "web/import.html", context, status=status)
