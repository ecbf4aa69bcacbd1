"""Notes between the parties through the API: list, write (with `Idempotency-Key`, as every
write), acknowledge, and the caller's unread notes per episode. The services of `notes`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.api.fields import PathId
from utskrivning.domain.process import Party
from utskrivning.episodes.api import visible_episode
from utskrivning.episodes.models import Episode, Note
from utskrivning.episodes.notes import episode_notes, note_mark_read, note_send, unread_notes
from utskrivning.episodes.selectors import audit_reads
from utskrivning.lib.errors import NotVisibleError
from utskrivning.lib.paging import Paged, page_of, paged_headers

router = Router(tags=["notes"], auth=AUTH)


class NoteIn(Schema):
    text: str
    parties: frozenset[Party]


class ReceiptOut(Schema):
    party: str
    organisation: str  # the recipient organisation on the episode
    read_at: datetime | None
    read_by: str | None  # who read it, and in which organisation
    read_by_organisation: str | None


class NoteOut(Schema):
    id: int
    episode_id: int
    event_id: int
    sent_at: datetime
    party: str
    organisation: str
    author: str
    text: str
    recipients: list[ReceiptOut]


class UnreadOut(Schema):
    episode_id: int
    unread: int


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def note_out(note: Note) -> dict[str, Any]:
    recipients = []
    for addressed in note.recipients.all():
        receipt = getattr(addressed, "receipt", None)
        recipients.append(
            {
                "party": addressed.party,
                "organisation": addressed.organisation.name,
                "read_at": receipt.at if receipt else None,
                "read_by": _person(receipt.user) if receipt else None,
                "read_by_organisation": receipt.organisation.name if receipt else None,
            }
        )
    return {
        "id": note.pk,
        "episode_id": note.episode_id,
        "event_id": note.event_id,
        "sent_at": note.sent_at,
        "party": note.party,
        "organisation": note.organisation.name,
        "author": _person(note.author),
        "text": note.text,
        "recipients": recipients,
    }


def _one(episode: Episode, note_id: int) -> dict[str, Any]:
    found = episode_notes(episode=episode, note_id=note_id)
    if not found:
        raise NotVisibleError("No such note.")
    return note_out(found[0])


@router.get(
    "/notes/unread", response=list[UnreadOut], summary="My unread notes per episode, a page"
)
def unread(
    request: HttpRequest, response: HttpResponse, page: str | None = None, limit: str | None = None
) -> list[dict[str, int]]:
    """The episodes with notes addressed to the caller's organisation that it has not
    acknowledged, and how many (the worklist shows the same counts), by episode id: `limit`
    (1–500, default 50) of page `page`, with `X-Total-Count` and `Link`."""
    membership = membership_of(request)
    chosen = page_of(page=page, limit=limit)
    counts = sorted(unread_notes(organisation=membership.organisation).items())
    shown = counts[chosen.offset : chosen.offset + chosen.limit]
    episodes = list(
        Episode.objects.filter(pk__in=[pk for pk, _ in shown]).select_related("patient")
    )
    audit_reads(
        episodes, actor=membership.user, organisation=membership.organisation, purpose="unread"
    )
    paged_headers(response, Paged(page=chosen, total=len(counts)), request.path)
    return [{"episode_id": pk, "unread": n} for pk, n in shown]


@router.get("/{int:pk}/notes", response=list[NoteOut], summary="The episode's notes, a page")
def notes(
    request: HttpRequest,
    response: HttpResponse,
    pk: PathId,
    page: str | None = None,
    limit: str | None = None,
) -> list[dict[str, Any]]:
    """Oldest first, `limit` (1–500, default 50) of page `page`; `X-Total-Count` counts them
    and `Link` names the next and previous pages."""
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    chosen = page_of(page=page, limit=limit)
    paged = Paged(page=chosen, total=Note.objects.filter(episode=episode).count())
    audit_reads(
        [episode], actor=membership.user, organisation=membership.organisation, purpose="notes"
    )
    response["X-Total-Count"] = str(paged.total)
    if links := paged.link_header(request.path):
        response["Link"] = links
    return [note_out(n) for n in episode_notes(episode=episode, page=chosen)]


@router.post("/{int:pk}/notes", response={201: NoteOut}, summary="Write a note to other parties")
def write(request: HttpRequest, pk: PathId, body: NoteIn) -> Status:
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    note = note_send(episode=episode, membership=membership, text=body.text, parties=body.parties)
    return Status(201, _one(episode, note.pk))


@router.post(
    "/{int:pk}/notes/{int:note_id}/receipt",
    response={201: NoteOut},
    summary="Acknowledge a note (kvittens) for the caller's organisation",
)
def acknowledge(request: HttpRequest, pk: PathId, note_id: PathId) -> Status:
    """Once per recipient organisation: acknowledging again answers with the first receipt."""
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    note = Note.objects.filter(episode=episode, pk=note_id).first()
    if note is None:
        raise NotVisibleError("No such note.")
    note_mark_read(note=note, membership=membership)
    return Status(201, _one(episode, note.pk))
