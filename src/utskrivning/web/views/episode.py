"""The episode page and its action forms; every write goes through `episode_record_event`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from utskrivning.deviations.selectors import episode_deviations
from utskrivning.deviations.services import deviation_report
from utskrivning.domain.process import (
    EventType,
    HomeCriterion,
    TransitionError,
)
from utskrivning.domain.process.clock import BACKDATING
from utskrivning.episodes.models import Episode
from utskrivning.episodes.notes import awaiting_receipt, episode_notes, episode_notes_latest
from utskrivning.episodes.selectors import (
    episode_detail,
    episodes_visible_to,
    messages_answered,
)
from utskrivning.episodes.services import episode_admit, episode_record_event
from utskrivning.lib.digits import MAX_ID, NumberError, bounded_int
from utskrivning.lib.errors import ConflictError, NotVisibleError
from utskrivning.organisations.models import Membership
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can
from utskrivning.organisations.sessions import membership_required
from utskrivning.web.actions import FormError, claimed_time, event_from_post, offers
from utskrivning.web.forms import AdmitForm, DeviationForm, NoteForm
from utskrivning.web.labels import DONE, FIELDS
from utskrivning.web.refusals import refusal, refusals
from utskrivning.web.timeline import timeline
from utskrivning.web.views.writes import attempt, is_htmx, refused_status


def visible_or_404(membership: Membership, pk: int) -> Episode:
    return get_object_or_404(episodes_visible_to(organisation=membership.organisation), pk=pk)


def _cursor(request: HttpRequest, name: str) -> int | None:
    """The row a page of older ones ends before (`?before=` events, `?notes_before=` notes)."""
    text = request.GET.get(name) if request.method == "GET" else None
    if text is None:
        return None
    try:
        return bounded_int(text, field=name, low=1, high=MAX_ID)
    except NumberError as refused:
        raise BadRequest(str(refused)) from None


def episode_context(request: HttpRequest, episode: Episode, **extra: Any) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    now = timezone.now()
    full = request.method == "GET" and request.GET.get("full") == "1"
    detail = episode_detail(
        episode=episode,
        organisation=membership.organisation,
        actor=request.user,
        now=now,
        before=_cursor(request, "before"),
        full=full,
    )
    facts = detail["facts"]
    party = party_of(membership.organisation)
    awaiting = sorted({a.kind for a in facts.awaiting if a.party is party})
    criteria = sorted(set(HomeCriterion) - facts.home_criteria)
    estimates = detail["planning"]["estimates"]
    return {
        **detail,
        "membership": membership,
        "state": facts.state,
        "offers": offers(
            membership, facts, awaiting=bool(awaiting), criteria=bool(criteria), now=now
        ),
        "criteria": criteria,
        # The discharge's bounds (domain.process.clock and the table's guard): not a day back,
        # before the admission or the readiness, nor after now; the service checks them again.
        "now": now,
        "earliest": max(t for t in (facts.admitted_at, facts.ready_at, now - BACKDATING) if t),
        "awaiting": awaiting,
        "full": full,
        "older_events_shown": "before" in request.GET,
        "estimates": estimates,
        "estimates_hidden": detail["estimates_total"] - len(estimates),
        "deviations": episode_deviations(episode=episode),
        "may_report_deviation": can(membership, Action.REPORT_DEVIATION),
        "deviation_form": DeviationForm(),
        **_notes(membership, episode, detail["events"], _cursor(request, "notes_before")),
        **extra,
    }


def _notes(
    membership: Membership, episode: Episode, events: list[Any], before: int | None
) -> dict[str, Any]:
    """The notes section (a page of the latest), and each note by its event for the timeline:
    those the page did not read are read by their events, so the timeline's page bounds them."""
    notes, older = episode_notes_latest(episode=episode, before=before)
    read = {note.event_id for note in notes}
    missing = [e.pk for e in events if e.type == EventType.NOTE_SENT and e.pk not in read]
    on_timeline = notes + (episode_notes(episode=episode, events=missing) if missing else [])
    organisation = membership.organisation
    return {
        "notes": notes,
        "older_notes": older,
        "notes_paged": before is not None,
        "awaiting_notes": awaiting_receipt(notes, organisation),
        "note_form": NoteForm(sender=party_of(organisation))
        if can(membership, Action.WRITE_NOTE)
        else None,
        "may_acknowledge": can(membership, Action.ACKNOWLEDGE),
        "timeline": timeline(events, on_timeline, messages_answered(events=events)),
    }


def _named(field: str | None, reason: str) -> str:
    """A refusal (already in the reader's language) naming the field at fault when there is one."""
    if field in FIELDS:
        return f"{FIELDS[field]}: {reason}"
    return reason


def _done(event: EventType, at: datetime) -> str:
    """What happened, with its local time: "Inskrivningsmeddelande skickat 14:32"."""
    return str(DONE[event]) % {"time": timezone.localtime(at).strftime("%H:%M")}


@membership_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    episode = visible_or_404(membership, pk)
    return render(request, "web/episode.html", episode_context(request, episode))


@membership_required
@require_POST
def record_event(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    episode = visible_or_404(membership, pk)
    error = done = None
    try:
        event = event_from_post(request.POST, membership)
        stored = episode_record_event(
            episode=episode,
            event=event,
            at=claimed_time(request.POST, event.type, timezone.now()),
            membership=membership,
        )
        done = _done(event.type, stored.at)
    except FormError as refused:
        error = _named(refused.field, refusal(refused.reason))
    except TransitionError as refused:
        error = _named(refused.field, refusal(refused.reason))
    except NotVisibleError:
        raise Http404 from None
    except PermissionDenied as refused:
        error = _(str(refused) or "Your role may not take this step.")
    except ConflictError:
        error = _("The episode has changed; reload it and try again.")
    except ValidationError as invalid:
        named = refusals(invalid)
        error = " ".join(_named(field, m) for field, messages in named.items() for m in messages)
    if error is None and not request.headers.get("HX-Request"):
        return redirect("web:episode", pk=pk)
    episode.refresh_from_db()
    context = episode_context(request, episode, error=error, done=done)
    # htmx swaps only 2xx answers; a plain form post gets the refusal's proper status.
    htmx = bool(request.headers.get("HX-Request"))
    return render(request, "web/episode.html", context, status=422 if error and not htmx else 200)


@membership_required
@require_POST
def report_deviation(request: HttpRequest, pk: int) -> HttpResponse:
    """A party reports a deviation on the episode: an event on its timeline and a deviation."""
    membership = request.membership  # type: ignore[attr-defined]
    episode = visible_or_404(membership, pk)
    form = DeviationForm(request.POST)
    reported = form.is_valid() and attempt(
        form,
        lambda: deviation_report(
            episode=episode,
            membership=membership,
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            at=timezone.now(),
        ),
    )
    if reported and not is_htmx(request):
        return redirect("web:episode", pk=pk)
    episode.refresh_from_db()
    extra = (
        {"done": _done(EventType.DEVIATION_REPORTED, timezone.now())}
        if reported
        else {"deviation_form": form, "error": _("The deviation was not reported.")}
    )
    context = episode_context(request, episode, **extra)
    return render(request, "web/episode.html", context, status=refused_status(request, form))


@membership_required
@require_http_methods(["GET", "POST"])
def admit(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if not can(membership, Action.ADMIT):
        raise PermissionDenied
    form = AdmitForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        admitted = attempt(
            form,
            lambda: episode_admit(
                actor=request.user,
                membership=membership,
                ward=membership.organisation,
                at=timezone.now(),
                personal_number=data["personal_number"],
                name=data["name"],
                address=data["address"],
                home_municipality=data["home_municipality"],
                placing_municipality=data["placing_municipality"],
                care_type=data["care_type"],
                primary_care=data["primary_care_unit"],
                support_needed=data["support_needed"],
                estimated_discharge=data["estimated_discharge"],
            ),
        )
        if admitted is not None:
            messages.success(request, _("Patient admitted."))
            return redirect("web:episode", pk=admitted.episode_id)
    return render(request, "web/admit.html", {"membership": membership, "form": form})
