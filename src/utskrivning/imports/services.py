"""The episode file (docs/episode-file.md) into the service.

Import is all or nothing: `read_episodes` validates the whole file first, and the rows are stored
in one transaction. An episode_id already stored is left as it is, so a re-import adds nothing;
the same stay under another id (same personnummer and admission time) is a bad line, since
storing it twice would bill its days twice and change months already approved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record, patient_reference
from utskrivning.domain.calendar import STOCKHOLM, to_local_naive
from utskrivning.domain.documents import runs_as_formula
from utskrivning.domain.episodes import EpisodeFileError, RowError, read_episodes
from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.process import EpisodeFacts, Event, EventType, FileRecord, Party, fold
from utskrivning.episodes.events import event_to_payload
from utskrivning.episodes.models import Episode, EpisodeEvent, ImportStatus, Patient
from utskrivning.episodes.services import _columns
from utskrivning.lib.digits import is_digits
from utskrivning.organisations.models import Kind, Membership, Organisation, qualified_unit
from utskrivning.organisations.permissions import Action, can


@dataclass(frozen=True)
class ImportResult:
    imported: int
    already_stored: int


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=STOCKHOLM)


def _imported(row: dict[str, Any]) -> tuple[Event, datetime]:
    """The row as one `imported` event at its admission: the region's record, folded as it is,
    so the row's projection and a rebuild agree whatever the times (issue 13: a history the
    guards would refuse lost its discharge before)."""
    admitted = _aware(row["admitted_at"])
    assert admitted is not None  # a required column: the reader refused blank ones
    record = FileRecord(
        recipients=frozenset({Party.MUNICIPALITY})
        | ({Party.PRIMARY_CARE} if row["primary_care_unit"] or row["named_contact_at"] else set()),
        admission_notice_at=_aware(row["admission_notice_at"]),
        ready_at=_aware(row["ready_at"]),
        ready_declarations=row["ready_declarations"] or 0,
        named_contact_at=_aware(row["named_contact_at"]),
        sip_needed=row["sip_needed"],
        sip_summoned_at=_aware(row["sip_summoned_at"]),
        sip_held_at=_aware(row["sip_held_at"]),
        discharged_at=_aware(row["discharged_at"]),
        closed=row["status"] == "done",
    )
    return Event(EventType.IMPORTED, record=record), admitted


Progress = Callable[[ImportStatus, int, int], None]  # phase, rows done, rows in the file


def _no_progress(phase: ImportStatus, done: int, total: int) -> None:
    pass


@dataclass
class _Planned:
    """One row ready to store: its episode (without patient yet) and its events."""

    patient_id: str
    home: Organisation
    episode: Episode
    step: tuple[Event, datetime]


EPISODE_ID_LENGTH = Episode._meta.get_field("external_id").max_length


@dataclass
class _Organisations:
    region: Organisation
    municipalities: dict[str, Organisation]
    # Every ward by its name and by "hospital / ward" (`qualified_unit`): two hospitals may each
    # have an Avdelning 12, and the plain name then names both.
    wards: dict[str, list[Organisation]]
    primary_cares: dict[str, Organisation]

    @classmethod
    def of(cls, region: Organisation) -> _Organisations:
        wards: dict[str, list[Organisation]] = {}
        for ward in Organisation.objects.filter(
            kind=Kind.WARD, parent__parent=region
        ).select_related("parent"):
            for name in {ward.name, qualified_unit(ward)}:
                wards.setdefault(name, []).append(ward)
        return cls(
            region,
            {
                o.municipality_code: o
                for o in Organisation.objects.filter(kind=Kind.MUNICIPALITY, parent=region)
            },
            wards,
            {o.name: o for o in Organisation.objects.filter(kind=Kind.PRIMARY_CARE, parent=region)},
        )


class _Refused(Exception):
    """A row the region cannot store, raised from the checks so `_plan` reports the first."""

    def __init__(self, line: int, column: str, reason: str) -> None:
        self.error = RowError(line, column, reason)


def _named(row: dict[str, Any], column: str, known: dict[str, Organisation]) -> Organisation | None:
    """The organisation a column names; None when blank. A name the region does not have is an
    error, never a guess: a wrong ward would show the patient to staff not theirs, a wrong
    placing municipality would send the bill elsewhere."""
    name = row[column] or ""
    if not name:
        return None
    if name not in known:
        raise _Refused(row["line"], column, "not an organisation of the region")
    return known[name]


def _ward(row: dict[str, Any], orgs: _Organisations) -> Organisation:
    """The unit's ward; a file without units fits only a region with a single ward. A name two
    hospitals share is refused naming both, never guessed (the patient would be shown to the
    wrong ward's staff)."""
    name = row["unit"] or ""
    if not name:
        every = {ward.pk: ward for found in orgs.wards.values() for ward in found}
        if len(every) != 1:
            raise _Refused(row["line"], "unit", "required: the region has more than one ward")
        return next(iter(every.values()))
    found = orgs.wards.get(name, [])
    if not found:
        raise _Refused(row["line"], "unit", "not an organisation of the region")
    if len(found) > 1:
        candidates = "; ".join(sorted(f"'{qualified_unit(ward)}'" for ward in found))
        raise _Refused(
            row["line"], "unit", f"{len(found)} wards of the region have this name: {candidates}"
        )
    return found[0]


def _checked_keys(row: dict[str, Any]) -> None:
    """The keys the service stores: a personnummer (a pseudonym identifies no one to the three
    parties), and an episode id the database column holds."""
    patient = row["patient_id"]
    if not is_digits(patient, 12):
        raise _Refused(
            row["line"], "patient_id", "a personnummer or samordningsnummer, not a pseudonym"
        )
    if len(row["episode_id"]) > EPISODE_ID_LENGTH:
        raise _Refused(row["line"], "episode_id", f"longer than {EPISODE_ID_LENGTH} characters")
    if runs_as_formula(row["episode_id"]):
        # It would come back out in every download; refused here, it never needs neutralising.
        raise _Refused(row["line"], "episode_id", "starts as a spreadsheet formula (=, +, -, @)")


Stay = tuple[str, datetime]  # personnummer, admission time (local, naive, as the frame holds it)


def _stored_stays(frame: pl.DataFrame, region: Organisation) -> dict[Stay, str]:
    """The region's stored episodes' ids by stay, for the file's patients and admission times
    (another region's stay is its own record, and its id is not the importer's to learn)."""
    if frame.height == 0:
        return {}
    day = timedelta(days=1)  # the bounds only narrow the query: a day covers any DST hour
    stored = Episode.objects.filter(
        region=region,
        patient__personal_number__in=frame["patient_id"].unique().to_list(),
        admitted_at__gte=_aware(frame["admitted_at"].min() - day),
        admitted_at__lte=_aware(frame["admitted_at"].max() + day),
    ).values_list("patient__personal_number", "admitted_at", "external_id")
    return {(number, to_local_naive(at)): external_id for number, at, external_id in stored}


def _checked_stay(row: dict[str, Any], stays: dict[Stay, str]) -> None:
    """The stay is new, or stored under this very id; the first row of a stay claims it."""
    stay = (row["patient_id"], row["admitted_at"])
    present = stays.setdefault(stay, row["episode_id"])
    if present != row["episode_id"]:
        raise _Refused(
            row["line"],
            "episode_id",
            f"the same stay (personnummer and admission time) is already present as episode "
            f"{present}",
        )


def _plan(row: dict[str, Any], orgs: _Organisations, stays: dict[Stay, str]) -> _Planned | RowError:
    try:
        _checked_keys(row)
        _checked_stay(row, stays)
        home = _named(row, "municipality", orgs.municipalities)
        ward = _ward(row, orgs)
        placing = _named(row, "placing_municipality", orgs.municipalities)
        primary_care = _named(row, "primary_care_unit", orgs.primary_cares)
    except _Refused as refused:
        return refused.error
    assert home is not None  # a required column: the reader refused blank ones
    step = _imported(row)
    episode = Episode(
        external_id=row["episode_id"],
        region=orgs.region,
        ward=ward,
        home_municipality=home,
        placing_municipality=placing,
        primary_care=primary_care,
        care_type=row["care_type"],
        admitted_at=_aware(row["admitted_at"]),
        version=1,
        **_columns(fold(EpisodeFacts(), *step)),
    )
    return _Planned(row["patient_id"], home, episode, step)


def _save(
    planned: list[_Planned],
    region: Organisation,
    actor: Any,
    *,
    total: int,
    saved: Callable[[ImportResult], None] | None,
) -> ImportResult:
    """Store the planned rows in one transaction (others may have stored some meanwhile).

    Ids are read back by their unique keys rather than from `bulk_create`, which returns them
    on PostgreSQL and recent SQLite only.
    """
    with transaction.atomic():
        stored = set(
            Episode.objects.filter(
                region=region, external_id__in=[p.episode.external_id for p in planned]
            ).values_list("external_id", flat=True)
        )
        fresh = [p for p in planned if p.episode.external_id not in stored]
        numbers: dict[str, Organisation] = {}
        for p in fresh:  # a patient's first row gives the home municipality, as a re-import would
            numbers.setdefault(p.patient_id, p.home)
        known = set(
            Patient.objects.filter(personal_number__in=numbers).values_list(
                "personal_number", flat=True
            )
        )
        Patient.objects.bulk_create(
            Patient(personal_number=number, name="", home_municipality=home)
            for number, home in numbers.items()
            if number not in known
        )
        patients = dict(
            Patient.objects.filter(personal_number__in=numbers).values_list("personal_number", "pk")
        )
        for p in fresh:
            p.episode.patient_id = patients[p.patient_id]
        Episode.objects.bulk_create((p.episode for p in fresh), batch_size=500)
        ids = dict(
            Episode.objects.filter(
                region=region, external_id__in=[p.episode.external_id for p in fresh]
            ).values_list("external_id", "pk")
        )
        EpisodeEvent.objects.bulk_create(
            (
                EpisodeEvent(
                    episode_id=ids[p.episode.external_id],
                    type=p.step[0].type.value,
                    at=p.step[1],
                    actor=actor,
                    organisation=region,
                    payload=event_to_payload(p.step[0]),
                )
                for p in fresh
            ),
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            organisation=region,
            action=AuditAction.IMPORT,
            obj_type="episode_file",
            obj_id=f"{len(fresh)} episodes",
            patients=[patient_reference(PersonalNumber(n)) for n in {p.patient_id for p in fresh}],
            purpose="import of an episode file",
        )
        result = ImportResult(imported=len(fresh), already_stored=total - len(fresh))
        if saved is not None:
            saved(result)
    return result


def check_may_import(membership: Membership) -> None:
    """The one refusal of a role that may not import, for the import and its jobs alike."""
    if not can(membership, Action.IMPORT_EPISODES):
        raise PermissionDenied("Your role may not import episodes.")


def _importer(
    region: Organisation | None, actor: Any, membership: Membership | None
) -> tuple[Organisation, Any]:
    if membership is not None:
        check_may_import(membership)
        region, actor = membership.organisation.region, membership.user
    if region is None or region.kind != Kind.REGION:
        raise PermissionDenied("Episodes are imported for a region.")
    return region, actor


def import_episode_file(
    *,
    data: bytes | Any,
    region: Organisation | None = None,
    actor: Any = None,
    membership: Membership | None = None,
    progress: Progress = _no_progress,
    saved: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Store the file's episodes for `region` (or the membership's); raises `EpisodeFileError`
    with every bad line. The rows are checked first, outside any transaction, so `progress`
    can be committed as it goes; then they are stored in one short transaction, in which
    `saved` is called with the result (a job records that it is done with its rows)."""
    if hasattr(data, "read"):
        data = data.read()
    region, actor = _importer(region, actor, membership)
    progress(ImportStatus.VALIDATING, 0, 0)
    frame = read_episodes(data, today=timezone.localdate()).frame
    total = frame.height
    orgs = _Organisations.of(region)
    # Ids are the region's own: another region's E1 is another stay, and stored here it would be
    # answered "already stored" and dropped, telling the importer that region has it.
    stored = set(
        Episode.objects.filter(
            region=region, external_id__in=frame["episode_id"].to_list()
        ).values_list("external_id", flat=True)
    )
    stays = _stored_stays(frame, region)
    planned: list[_Planned] = []
    errors: list[RowError] = []
    every = max(1, total // 100)
    for index, row in enumerate(frame.iter_rows(named=True), start=1):
        if row["episode_id"] not in stored:
            result = _plan(row, orgs, stays)
            (errors if isinstance(result, RowError) else planned).append(result)  # type: ignore[arg-type]
            stored.add(row["episode_id"])
        if index % every == 0 or index == total:
            progress(ImportStatus.PREPARING, index, total)
    if errors:
        raise EpisodeFileError(errors)
    progress(ImportStatus.SAVING, total, total)
    return _save(planned, region, actor, total=total, saved=saved)
