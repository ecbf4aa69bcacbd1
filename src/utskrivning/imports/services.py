"""The episode file (docs/episode-file.md) into the service.

Import is all or nothing: `read_episodes` validates the whole file first, and the rows are stored
in one transaction. An episode_id already stored is left as it is, so a re-import adds nothing;
the same stay under another id (same personnummer and admission time) is a bad line, since
storing it twice would bill its days twice and change months already approved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record, patient_references
from utskrivning.domain.calendar import STOCKHOLM, to_local_naive
from utskrivning.domain.documents import runs_as_formula
from utskrivning.domain.episodes import EpisodeFileError, RowError, read_episodes
from utskrivning.domain.process import EpisodeFacts, Event, EventType, FileRecord, Party, fold
from utskrivning.domain.refusals import Refusal
from utskrivning.episodes.events import event_to_payload
from utskrivning.episodes.models import Episode, ImportStatus
from utskrivning.episodes.services import _columns
from utskrivning.imports.rows import Row
from utskrivning.imports.staging import PROJECTION, stage, stage_begin, stage_end, store_staged
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

    def __init__(self, line: int, column: str, reason: str | Refusal) -> None:
        self.error = (
            RowError.refused(line, column, reason)
            if isinstance(reason, Refusal)
            else RowError(line, column, reason)
        )


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
            row["line"],
            "unit",
            Refusal("%(count)s wards of the region have this name: %(names)s",
                    count=len(found), names=candidates),
        )  # fmt: skip
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
        longer = Refusal("longer than %(most)s characters", most=EPISODE_ID_LENGTH)
        raise _Refused(row["line"], "episode_id", longer)
    if runs_as_formula(row["episode_id"]):
        # It would come back out in every download; refused here, it never needs neutralising.
        raise _Refused(row["line"], "episode_id", "starts as a spreadsheet formula (=, +, -, @)")


Stay = tuple[str, datetime]  # personnummer, admission minute (local, naive, as the frame holds it)


def _minute(at: datetime) -> datetime:
    """An admission to the minute: the ward stores it to the microsecond, the episode file writes
    it to the second and a region's system to the minute, and one stay is one stay in all three.
    No patient is admitted twice in a minute."""
    return at.replace(second=0, microsecond=0)


def _stored_stays(frame: pl.DataFrame, region: Organisation) -> dict[Stay, str]:
    """The region's stored episodes' ids by stay, for the file's patients and admission times
    (another region's stay is its own record, and its id is not the importer's to learn)."""
    if frame.height == 0:
        return {}
    day = timedelta(days=1)  # the bounds only narrow the query: a day covers any DST hour
    stored = Episode.objects.filter(
        region=region,
        admitted_at__gte=_aware(frame["admitted_at"].min() - day),
        admitted_at__lte=_aware(frame["admitted_at"].max() + day),
    )
    return {
        (number, _minute(to_local_naive(at))): external_id
        for chunk in _chunks(frame["patient_id"].unique().to_list())
        for number, at, external_id in stored.filter(
            patient__personal_number__in=chunk
        ).values_list("patient__personal_number", "admitted_at", "external_id")
    }


def _checked_stay(row: dict[str, Any], stays: dict[Stay, str]) -> None:
    """The stay is new, or stored under this very id; the first row of a stay claims it.
    Stays are compared to the minute (`_minute`)."""
    stay = (row["patient_id"], _minute(row["admitted_at"]))
    present = stays.setdefault(stay, row["episode_id"])
    if present != row["episode_id"]:
        raise _Refused(
            row["line"],
            "episode_id",
            Refusal(
                "the same stay (personnummer and admission time) is already present as episode "
                "%(episode)s",
                episode=present,
            ),
        )


def _plan(
    row: dict[str, Any], orgs: _Organisations, stays: dict[Stay, str], now: datetime, actor: Any
) -> Row | RowError:
    """The row checked, folded, as its staged row (`staging.COLUMNS`), or the first refusal."""
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
    event, admitted = _imported(row)
    columns = _columns(fold(EpisodeFacts(), event, admitted))
    columns["facts"] = json.dumps(columns["facts"])
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return (
        row["line"], row["patient_id"], home.pk,
        row["episode_id"], orgs.region.pk, ward.pk, home.pk, placing.pk if placing else None,
        primary_care.pk if primary_care else None, row["care_type"], admitted, 1, now,
        *(columns[name] for name in PROJECTION),
        event.type.value, admitted, actor_id, orgs.region.pk,
        json.dumps(event_to_payload(event)), now, False,
    )  # fmt: skip


_BATCH = 10_000  # ids looked up per query: within any database's limit of parameters


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _save(
    region: Organisation, actor: Any, *, total: int, saved: Callable[[ImportResult], None] | None
) -> ImportResult:
    """Store the staged rows in one transaction (others may have stored some meanwhile)."""
    with transaction.atomic():
        imported, numbers = store_staged(region.pk)
        audit_record(
            actor=actor,
            organisation=region,
            action=AuditAction.IMPORT,
            obj_type="episode_file",
            obj_id=f"{imported} episodes",
            patients=patient_references(numbers),
            purpose="import of an episode file",
        )
        result = ImportResult(imported=imported, already_stored=total - imported)
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
    stored = {
        external_id
        for chunk in _chunks(frame["episode_id"].to_list())
        for external_id in Episode.objects.filter(region=region, external_id__in=chunk).values_list(
            "external_id", flat=True
        )
    }
    stays = _stored_stays(frame, region)
    errors: list[RowError] = []
    every = max(1, total // 100)
    now = timezone.now()
    stage_begin()
    try:
        batch: list[Row] = []
        for index, row in enumerate(frame.iter_rows(named=True), start=1):
            if row["episode_id"] not in stored:
                result = _plan(row, orgs, stays, now, actor)
                if isinstance(result, RowError):
                    errors.append(result)
                elif not errors:  # a file with a bad line stores nothing: only checked on
                    batch.append(result)
                stored.add(row["episode_id"])
            if index % every == 0 or index == total:
                stage(batch)
                batch = []
                progress(ImportStatus.PREPARING, index, total)
        if errors:
            raise EpisodeFileError(errors)
        progress(ImportStatus.SAVING, total, total)
        return _save(region, actor, total=total, saved=saved)
    finally:
        stage_end()
