"""Notes between the parties on an episode, and their receipts (issue 11 item 2).

A note is free text from one party to one or more of the others (the ward or its hospital, the
primary-care unit, the municipality), each of which must already see the episode: a note never
widens who sees a patient. Its event puts it in the timeline; each recipient party gives one
receipt (kvittens: who, in which organisation, when), and until then the note counts as unread
for that organisation (`unread_notes`, for the worklists).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.process import Event, EventType, Party
from utskrivning.episodes.events import store_administrative_event
from utskrivning.episodes.models import Episode, Note, NoteReceipt, NoteRecipient
from utskrivning.episodes.selectors import episodes_visible_to
from utskrivning.episodes.services import recipient
from utskrivning.lib.errors import NotVisibleError
from utskrivning.lib.paging import Page, page_back
from utskrivning.lib.text import MAX_NOTE, checked_text
from utskrivning.organisations.models import Membership, Organisation
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can

NO_TEXT = "Write the note."
NO_RECIPIENT = "Address the note to at least one other party."
OWN_PARTY = "A note goes to the other parties, not to your own."
NO_PRIMARY_CARE = "The episode has no primary care unit to write to."
NOT_NOTIFIED = "That party has not been notified of the episode, so it cannot read a note on it."
NOT_ADDRESSED = "The note is not addressed to your organisation."


def _visible(episode: Episode, organisation: Organisation) -> bool:
    return episodes_visible_to(organisation=organisation).filter(pk=episode.pk).exists()


def _audit(membership: Membership, episode: Episode, note: Note, purpose: str) -> None:
    audit_record(
        actor=membership.user,
        organisation=membership.organisation,
        action=AuditAction.WRITE,
        obj_type="note",
        obj_id=note.pk,
        patient_id=PersonalNumber(episode.patient.personal_number),
        purpose=purpose,
    )


def _addressees(
    episode: Episode, sender: Party, parties: Iterable[Party]
) -> dict[Party, Organisation]:
    """Each recipient party's organisation on the episode, refused naming `parties`."""
    chosen = frozenset(parties)
    if not chosen:
        raise ValidationError({"parties": NO_RECIPIENT})
    if sender in chosen:
        raise ValidationError({"parties": OWN_PARTY})
    found: dict[Party, Organisation] = {}
    for party in sorted(chosen):
        organisation = recipient(episode, party)
        if organisation is None:
            raise ValidationError({"parties": NO_PRIMARY_CARE})
        if not _visible(episode, organisation):
            raise ValidationError({"parties": NOT_NOTIFIED})
        found[party] = organisation
    return found


def note_send(
    *, episode: Episode, membership: Membership, text: str, parties: Iterable[Party]
) -> Note:
    """Write a note from the membership's party to `parties`; audited, in the timeline."""
    if not can(membership, Action.WRITE_NOTE):
        raise PermissionDenied("Your role may not write a note.")
    sender = party_of(membership.organisation)
    if sender is None:
        raise PermissionDenied("Your role may not write a note.")
    if not _visible(episode, membership.organisation):
        raise NotVisibleError("No such episode.")
    checked_text(text, field="text", max_length=MAX_NOTE, multiline=True)
    if not text.strip():
        raise ValidationError({"text": NO_TEXT})
    addressees = _addressees(episode, sender, parties)
    with transaction.atomic():
        stored = store_administrative_event(
            episode=episode,
            event=Event(EventType.NOTE_SENT, party=sender, parties=frozenset(addressees)),
            membership=membership,
            extra={},
        )
        note = Note.objects.create(
            episode=episode,
            event=stored,
            author=membership.user,
            organisation=membership.organisation,
            party=sender.value,
            text=text.strip(),
            sent_at=stored.at,
        )
        NoteRecipient.objects.bulk_create(
            NoteRecipient(note=note, party=party.value, organisation=organisation)
            for party, organisation in addressees.items()
        )
        _audit(membership, episode, note, "note sent")
    return note


def _addressed_to(organisation: Organisation) -> Q:
    """A recipient row of `organisation`: its own, or a unit's under it (a hospital's ward, a
    municipality's district), as the selectors let them see those units' episodes."""
    return Q(organisation=organisation) | Q(organisation__parent=organisation)


def note_mark_read(*, note: Note, membership: Membership) -> NoteReceipt:
    """The receipt of the membership's organisation for `note`; the first one stands, so
    marking it again answers with that one."""
    if not can(membership, Action.ACKNOWLEDGE):
        raise PermissionDenied("Your role may not acknowledge a note.")
    organisation = membership.organisation
    episode = note.episode
    if not _visible(episode, organisation):
        raise NotVisibleError("No such episode.")
    addressed = note.recipients.filter(_addressed_to(organisation)).first()
    if addressed is None:
        raise ValidationError({"note": NOT_ADDRESSED})
    if (existing := NoteReceipt.objects.filter(recipient=addressed).first()) is not None:
        return existing
    try:
        with transaction.atomic():
            receipt = NoteReceipt.objects.create(
                recipient=addressed,
                user=membership.user,
                organisation=organisation,
                at=timezone.now(),
            )
            _audit(membership, episode, note, "note read")
    except IntegrityError:  # another reader of the party was first
        return NoteReceipt.objects.get(recipient=addressed)
    return receipt


NOTES_PAGE = 20  # notes the episode page shows, the latest first read


def _with_receipts(notes: QuerySet[Note]) -> list[Note]:
    recipients = NoteRecipient.objects.select_related(
        "organisation", "receipt", "receipt__user", "receipt__organisation"
    )
    return list(
        notes.select_related("author", "organisation", "event").prefetch_related(
            Prefetch("recipients", queryset=recipients)
        )
    )


def episode_notes(
    *,
    episode: Episode,
    note_id: int | None = None,
    page: Page | None = None,
    events: Iterable[int] | None = None,
) -> list[Note]:
    """The episode's notes (or the one `note_id`, a `page` of them, or those of the `events`)
    with their recipients and receipts, oldest first; the caller audits the read (the episode
    page's or the API's entry)."""
    notes = Note.objects.filter(episode=episode)
    if note_id is not None:
        notes = notes.filter(pk=note_id)
    if events is not None:
        notes = notes.filter(event__in=list(events))
    if page is not None:
        notes = notes.order_by("sent_at", "id")[page.offset : page.offset + page.limit]
    return _with_receipts(notes)


def episode_notes_latest(
    *, episode: Episode, before: int | None = None, limit: int = NOTES_PAGE
) -> tuple[list[Note], int | None]:
    """The latest `limit` notes oldest first, or those before the note `before`; and the note
    to page on from for older ones (None: none are older), as the timeline pages its events."""
    return page_back(
        Note.objects.filter(episode=episode),
        at="sent_at",
        before=before,
        limit=limit,
        read=_with_receipts,
    )


def unread_notes(
    *, organisation: Organisation, episodes: QuerySet[Episode] | Iterable[int] | None = None
) -> dict[int, int]:
    """Per episode id, the notes addressed to `organisation` (or a unit under it) that it has
    not yet acknowledged; episodes without any are left out. `episodes` narrows the count to
    those (a worklist's page); only episodes the organisation sees are ever counted."""
    rows = NoteRecipient.objects.filter(
        _addressed_to(organisation),
        receipt__isnull=True,
        note__episode__in=episodes_visible_to(organisation=organisation).values("pk"),
    )
    if episodes is not None:
        rows = rows.filter(note__episode__in=episodes)
    counted = rows.values("note__episode_id").annotate(unread=Count("id"))
    return {row["note__episode_id"]: row["unread"] for row in counted}


def awaiting_receipt(notes: Iterable[Note], organisation: Organisation) -> set[int]:
    """The ids of `notes` (as `episode_notes` read them) addressed to `organisation`, or a unit
    under it, that it has not acknowledged: where the page offers "mark as read"."""
    return {
        note.pk
        for note in notes
        for addressed in note.recipients.all()
        if organisation.pk in (addressed.organisation_id, addressed.organisation.parent_id)
        and not hasattr(addressed, "receipt")
    }
