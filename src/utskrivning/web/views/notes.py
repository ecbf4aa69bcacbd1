"""The episode page's notes: write one to the other parties, acknowledge one addressed to us."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from utskrivning.episodes.models import Episode, Note
from utskrivning.episodes.notes import note_mark_read, note_send
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.sessions import membership_required
from utskrivning.web.forms import AsciiDigitsForm, NoteForm
from utskrivning.web.views.episode import episode_context, visible_or_404
from utskrivning.web.views.writes import attempt, is_htmx, refused_status


@membership_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    episode = visible_or_404(membership, pk)
    form = NoteForm(request.POST, sender=party_of(membership.organisation))
    sent = form.is_valid() and attempt(
        form,
        lambda: note_send(
            episode=episode,
            membership=membership,
            text=form.cleaned_data["text"],
            parties=form.cleaned_data["parties"],
        ),
    )
    refused = {"note_form": form, "error": _("The note was not sent.")}
    return _answer(request, episode, form, bool(sent), _("The note was sent."), refused)


@membership_required
@require_POST
def read(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    episode = visible_or_404(membership, pk)
    note = Note.objects.filter(episode=episode, pk=note_id).first()
    if note is None:
        raise Http404
    form = AsciiDigitsForm(request.POST)
    read = attempt(form, lambda: note_mark_read(note=note, membership=membership))
    refused = {"error": " ".join(str(e) for e in form.non_field_errors())}
    return _answer(
        request, episode, form, read is not None, _("The note is marked as read."), refused
    )


def _answer(
    request: HttpRequest,
    episode: Episode,
    form: forms.Form,
    done: bool,
    said: str,
    refused: dict[str, Any],
) -> HttpResponse:
    """A plain post goes back to the page with `said` as a message; htmx gets the page with it."""
    if done and not is_htmx(request):
        messages.success(request, said)
        return redirect("web:episode", pk=episode.pk)
    extra = {"done": said} if done else refused
    context = episode_context(request, episode, **extra)
    return render(request, "web/episode.html", context, status=refused_status(request, form))
