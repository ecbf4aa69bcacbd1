"""The discharge process's records: patients, episodes, their append-only events and messages.

The events are the episode's history, audit trail and outbox. `Episode.facts` is their projection:
the process's facts as `replay` folds them from the events, written in the same transaction as
each event, so a write, the worklist and the episode page read one row, never the history. The
columns beside it are the facts the payment engine and the queries filter on, from the same fold.
What of the facts grows with the history (messages, estimates) has rows of its own beside it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utskrivning.audit.append_only import AppendOnlyModel
from utskrivning.domain import care
from utskrivning.domain.process import DeadlineKind, EpisodeState, EventType, MessageKind, Party
from utskrivning.organisations.kept import organisations_by_id
from utskrivning.organisations.models import Membership, Organisation


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


class EpisodeStatus(models.TextChoices):
    """The episode file's status column (docs/episode-file.md): "UTFÖRD" once closed."""

    OPEN = ""
    DONE = "UTFÖRD"


class CareType(models.TextChoices):
    """The domain's care types (`domain.care`), with their labels."""

    SOMATIC = care.CareType.SOMATIC.value, _("Somatic")
    GERIATRIC = care.CareType.GERIATRIC.value, _("Geriatric")
    PSYCHIATRIC = care.CareType.PSYCHIATRIC.value, _("Psychiatric")


class Patient(models.Model):
    # Canonical 12 digits; never logged (the audit log keeps an HMAC of it).
    personal_number = models.CharField(_("personal number"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    home_municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")

    def __str__(self) -> str:
        return self.name


# An episode's organisations: read after its row, not joined to it (`with_organisations`).
EPISODE_ORGANISATIONS = (
    "ward", "home_municipality", "placing_municipality", "district", "region", "primary_care",
)  # fmt: skip


class EpisodeQuerySet(models.QuerySet["Episode"]):
    """`with_organisations()` sets the episodes' organisations on them after their rows are read
    (`organisations.kept`: one query for those not read in the last minute), instead of six
    joins: PostgreSQL spent 3–10 ms planning those joins, three of them outer, on every request
    that read an episode (issue 15), against 0.2 ms for the row and its patient."""

    _organisations = False

    def with_organisations(self) -> EpisodeQuerySet:
        clone = self._chain()
        clone._organisations = True
        return clone

    def _clone(self) -> EpisodeQuerySet:
        clone = super()._clone()
        clone._organisations = self._organisations
        return clone

    def _fetch_all(self) -> None:
        fetched = self._result_cache is not None
        super()._fetch_all()
        if self._organisations and not fetched:
            _attach_organisations([e for e in self._result_cache if isinstance(e, Episode)])


def _attach_organisations(episodes: list[Episode]) -> None:
    ids = {getattr(e, f"{name}_id") for e in episodes for name in EPISODE_ORGANISATIONS}
    found = organisations_by_id(ids - {None}) if episodes else {}
    for name in EPISODE_ORGANISATIONS:
        field = Episode._meta.get_field(name)
        for episode in episodes:
            if (pk := getattr(episode, f"{name}_id")) is not None:
                field.set_cached_value(episode, found[pk])


class Episode(models.Model):
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="episodes"
    )
    # The id of the episode file (vårdtillfälle), unique within its region: each region's systems
    # number their own, so another region's E1 is another stay. Generated in the service.
    external_id = models.CharField(_("episode id"), max_length=64)
    # The ward's region, kept on the row so the id's uniqueness is a constraint of the database.
    region = models.ForeignKey(
        Organisation, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    ward = models.ForeignKey(
        Organisation, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+"
    )
    home_municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placing_municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("placing municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    primary_care = models.ForeignKey(
        Organisation,
        verbose_name=_("primary care unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    care_type = models.CharField(_("care type"), max_length=16, choices=CareType.choices)
    state = models.CharField(_("state"), max_length=32, choices=_choices(EpisodeState))
    admitted_at = models.DateTimeField(_("admitted"))
    admission_notice_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    ready_declarations = models.PositiveIntegerField(default=0)
    named_contact_at = models.DateTimeField(null=True, blank=True)
    sip_needed = models.BooleanField(null=True, blank=True)
    sip_summoned_at = models.DateTimeField(null=True, blank=True)
    sip_held_at = models.DateTimeField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, blank=True)  # EpisodeStatus
    facts = models.JSONField(default=dict)  # the projection: `facts_to_json` of the folded events
    # When the worker must look at the episode's deadlines again without a new event: the next
    # one to fall due (null: not looked at since its last event). deviations.services keeps it.
    deadlines_checked_until = models.DateTimeField(null=True, blank=True)
    # Per party, its earliest deadline not met and whether it owes a step (`next_due`,
    # `owes_a_step`): the worklist's order, filters and counters, in the database.
    inpatient_care_due = models.DateTimeField(null=True, blank=True)
    primary_care_due = models.DateTimeField(null=True, blank=True)
    municipality_due = models.DateTimeField(null=True, blank=True)
    inpatient_care_owes = models.BooleanField(default=False)
    primary_care_owes = models.BooleanField(default=False)
    municipality_owes = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ("-admitted_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["region", "external_id"], name="episode_id_unique_per_region"
            ),
        )
        indexes = (
            models.Index(fields=["state"]),
            models.Index(fields=["discharged_at"]),
            # Every worklist: the few open episodes of a county's years, in admission order. With
            # it the planner starts from them, not from the thousands of an organisation's notices.
            models.Index(
                fields=["admitted_at", "id"],
                condition=Q(status=EpisodeStatus.OPEN),
                name="episode_open_admitted",
            ),
            # The worker's sweep: the open episodes whose next deadline has come.
            models.Index(fields=["deadlines_checked_until"], name="episode_deadline_check"),
            # Each party's worklist in deadline order, and its overdue and due-today counts.
            *(
                models.Index(
                    fields=[f"{party.value}_due", "id"],
                    condition=Q(status=EpisodeStatus.OPEN),
                    name=f"open_{party.value}_due",
                )
                for party in Party
            ),
            # A ward's (or its hospital's) worklist is its own open episodes, not the region's:
            # in the worklist's order (`worklist_query.ordered`), so a page is read off the
            # index, and its counts are counted in it.
            models.Index(
                fields=[
                    "ward",
                    "-inpatient_care_owes",
                    "inpatient_care_due",
                    "-admitted_at",
                    "-id",
                ],
                condition=Q(status=EpisodeStatus.OPEN),
                name="open_ward_worklist",
            ),
            # A municipality's or district's: its open episodes, whatever the region holds.
            *(
                models.Index(
                    fields=[column],
                    condition=Q(status=EpisodeStatus.OPEN),
                    name=f"open_{column}",
                )
                for column in ("home_municipality", "placing_municipality", "district")
            ),
        )

    def __str__(self) -> str:
        return self.external_id

    @property
    def liable_municipality(self) -> Organisation:
        return self.placing_municipality or self.home_municipality


class EpisodeEvent(AppendOnlyModel):
    history_name = "episode events"
    # The outbox flag is the one column that changes after the fact.
    mutable = frozenset({"processed"})

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(_("event"), max_length=40, choices=_choices(EventType))
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict)  # the `Event`'s details
    created = models.DateTimeField(default=timezone.now)
    processed = models.BooleanField(default=False)  # the outbox: notifications sent
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("episode event")
        verbose_name_plural = _("episode events")
        ordering = ("at", "id")
        indexes = (
            models.Index(fields=["processed"], condition=Q(processed=False), name="outbox"),
            # An episode's timeline, a page from its latest event back (selectors.episode_timeline).
            models.Index(fields=["episode", "at", "id"], name="episode_timeline"),
        )

    def __str__(self) -> str:
        return f"{self.episode_id} {self.type} {self.at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    """One message to one recipient party; `organisation` is the party's organisation if known."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="messages")
    event = models.ForeignKey(EpisodeEvent, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=40, choices=_choices(MessageKind))
    party = models.CharField(max_length=24, choices=_choices(Party))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("sent_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} → {self.party}"


class ProjectedMessage(models.Model):
    """One recipient party of one message of the episode's facts, and when it acknowledged it:
    the part of the projection that grows with the history, kept out of `Episode.facts` so a
    write reads and writes only its own (`episodes.projected`). Unlike `Message`, the record of
    what was sent, these are the fold's: a rebuild writes them anew."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()  # the message's place among the facts' messages
    kind = models.CharField(max_length=40, choices=_choices(MessageKind))
    party = models.CharField(max_length=24, choices=_choices(Party))
    sent_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("number", "party")
        constraints = (
            models.UniqueConstraint(
                fields=["episode", "number", "party"], name="one_projected_message_per_party"
            ),
        )
        indexes = (
            # A receipt's write: the party's messages of one kind still awaiting it.
            models.Index(
                fields=["episode", "party", "kind", "sent_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="projected_message_awaited",
            ),
            # The episode page: the latest receipts given, walked back from the newest.
            models.Index(
                fields=["episode", "number"],
                condition=Q(acknowledged_at__isnull=False),
                name="projected_message_answered",
            ),
        )


class ProjectedEstimate(models.Model):
    """One estimated discharge date as given (`EstimateEntry`), in the order given: the
    planning record's history of the date, out of `Episode.facts` as `ProjectedMessage` is."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    estimate = models.DateField()
    at = models.DateTimeField()
    by = models.JSONField(null=True, blank=True)  # the `Signature`, as `to_plain` writes it

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=["episode", "id"], name="projected_estimates"),)


class Acknowledgement(models.Model):
    message = models.OneToOneField(
        Message, on_delete=models.PROTECT, related_name="acknowledgement"
    )
    event = models.ForeignKey(EpisodeEvent, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()


class Note(AppendOnlyModel):
    """A note from one party to others about the patient's planning (issue 11 item 2); its
    event puts it in the timeline. Written once: a correction is a new note."""

    history_name = "notes"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    event = models.OneToOneField(EpisodeEvent, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(max_length=24, choices=_choices(Party))
    text = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("sent_at", "id")


class NoteRecipient(AppendOnlyModel):
    """One party a note is addressed to, and its organisation on the episode then."""

    history_name = "note recipients"

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="recipients")
    party = models.CharField(max_length=24, choices=_choices(Party))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("note", "party")
        constraints = (
            models.UniqueConstraint(fields=["note", "party"], name="one_recipient_per_party"),
        )


class NoteReceipt(AppendOnlyModel):
    """The receipt (kvittens): who of the recipient party read the note, in which organisation
    and when. One per recipient: the first reader's stands."""

    history_name = "note receipts"

    recipient = models.OneToOneField(
        NoteRecipient, on_delete=models.PROTECT, related_name="receipt"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()


class DeviationCategory(models.TextChoices):
    MISSED_DEADLINE = "missed_deadline", _("Missed deadline")
    STEP_NOT_DONE = "step_not_done", _("Step not done")
    OTHER = "other", _("Other")


class Deviation(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="deviations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=24, choices=DeviationCategory.choices)
    text = models.TextField(blank=True)
    event = models.OneToOneField(
        EpisodeEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="deviation"
    )
    proposed = models.BooleanField(default=False)  # by `deviations_propose`, not by a person
    # For a proposed deviation: the missed deadline, so each is proposed once.
    deadline_kind = models.CharField(max_length=24, blank=True, choices=_choices(DeadlineKind))
    deadline_party = models.CharField(max_length=24, blank=True)
    deadline_due_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["episode", "deadline_kind", "deadline_party", "deadline_due_at"],
                condition=Q(proposed=True),
                name="one_proposal_per_missed_deadline",
            ),
        )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking the file")
    PREPARING = "preparing", _("Checking the rows")
    SAVING = "saving", _("Saving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An episode file being imported in the background, so the page can poll its progress.

    The file is kept only until it is processed (it holds personal numbers); the rows go in in
    one transaction at the end, so a failed or interrupted job has saved nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255, blank=True)
    data = models.BinaryField(default=bytes)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    already_stored = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"line", "column", "reason"}]
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)  # the last sign of life
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.name or self.pk} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status not in (ImportStatus.DONE, ImportStatus.FAILED)
