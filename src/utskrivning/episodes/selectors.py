"""Reads of episodes: who sees which, the worklists, and the payment engine's input.

Access (issue #3): a ward sees its own episodes and a hospital its wards'; a primary-care unit those
notified to it; a municipality or district those it is home or placing municipality for and has
received a notice about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.audit.services import patient_reference
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.payment.explain import Explanation, explain_episode
from utskrivning.domain.process import (
    Deadline,
    EpisodeFacts,
    Obligation,
    Party,
    deadlines,
    obligations,
)
from utskrivning.domain.rulebooks import CountyAverage, load_rulebook
from utskrivning.episodes.imports import export_episode_file
from utskrivning.episodes.models import Deviation, Episode, EpisodeEvent, Message
from utskrivning.episodes.normalised import normalised_rows
from utskrivning.episodes.services import episode_facts_of
from utskrivning.followup import months
from utskrivning.organisations.models import Kind, Organisation

_RELATED = ("patient", "ward", "home_municipality", "placing_municipality", "district")


def _notified(party: Party, organisation: Organisation) -> Exists:
    return Exists(
        Message.objects.filter(episode=OuterRef("pk"), party=party.value, organisation=organisation)
    )


def episodes_visible_to(*, organisation: Organisation) -> QuerySet[Episode]:
    episodes = Episode.objects.select_related(*_RELATED, "primary_care")
    kind = organisation.kind
    if kind == Kind.WARD:
        return episodes.filter(ward=organisation)
    if kind == Kind.HOSPITAL:
        return episodes.filter(ward__parent=organisation)
    if kind == Kind.PRIMARY_CARE:
        return episodes.filter(
            Exists(
                Message.objects.filter(
                    episode=OuterRef("pk"),
                    party=Party.PRIMARY_CARE.value,
                    organisation=organisation,
                )
            )
        )
    if kind == Kind.MUNICIPALITY:
        # The notice went to the liable municipality's organisation (or its district).
        notified = Exists(
            Message.objects.filter(episode=OuterRef("pk"), party=Party.MUNICIPALITY.value).filter(
                Q(organisation=organisation) | Q(organisation__parent=organisation)
            )
        )
        return episodes.filter(
            Q(home_municipality=organisation) | Q(placing_municipality=organisation)
        ).filter(notified)
    if kind == Kind.DISTRICT:
        return episodes.filter(district=organisation).filter(
            _notified(Party.MUNICIPALITY, organisation)
        )
    return episodes.none()


def audit_reads(
    episodes: list[Episode], *, actor: Any, organisation: Organisation, purpose: str
) -> None:
    """One entry per patient read, in one query."""
    audit_patient_reads(
        [(e.pk, e.patient.personal_number) for e in episodes],
        actor=actor,
        organisation=organisation,
        purpose=purpose,
    )


def audit_patient_reads(
    reads: list[tuple[int, str]], *, actor: Any, organisation: Organisation, purpose: str
) -> None:
    """As `audit_reads`, for (episode id, personnummer) pairs read without their episodes."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user,
            organisation=organisation,
            action=AuditAction.READ,
            obj_type="episode",
            obj_id=str(pk),
            patient_ref=patient_reference(PersonalNumber(number)),
            purpose=purpose,
        )
        for pk, number in reads
    )


def episode_facts(*, episode: Episode) -> EpisodeFacts:
    return episode_facts_of(episode)


def episode_frame(*, queryset: QuerySet[Episode]) -> pl.DataFrame:
    """The episodes in the normalised shape of `read_episodes`, so the engine runs on them.

    Written as an episode file and read back: the one reader defines the shape and the rules.
    """
    return read_episodes(export_episode_file(queryset=queryset).encode()).frame


def _rulebook_for(organisation: Organisation) -> Any:
    region = organisation.region
    if region is None:
        return None
    return load_rulebook(region.rulebook_id)


def episode_explanation(
    *, episode: Episode, now: datetime, rulebook: Any = None
) -> Explanation | None:
    rulebook = rulebook or _rulebook_for(episode.ward)
    if rulebook is None:
        return None
    return explain_episode(normalised_rows([episode])[0], rulebook, now=now)


@dataclass
class WorklistRow:
    episode: Episode
    state: str
    facts: EpisodeFacts
    obligations: list[Obligation]
    deadlines_coming: list[Deadline] = field(default_factory=list)
    deadlines_missed: list[Deadline] = field(default_factory=list)
    explanation: Explanation | None = None

    @property
    def ready_days(self) -> int:
        return self.explanation.ready_days if self.explanation else 0


def open_episodes_visible_to(*, organisation: Organisation) -> QuerySet[Episode]:
    return episodes_visible_to(organisation=organisation).filter(status="")


def _events_in_time_order() -> Prefetch:
    # Made per call: a Prefetch holds its queryset, and gunicorn's threads would share one.
    return Prefetch("events", queryset=EpisodeEvent.objects.order_by("at", "id"))


def worklist_rows(
    episodes: list[Episode], *, organisation: Organisation, now: datetime
) -> list[WorklistRow]:
    """`episodes` as the organisation's worklist rows, in admission order; not audited."""
    episodes = sorted(episodes, key=lambda e: (e.admitted_at, e.pk))
    if not episodes:
        return []
    prefetch_related_objects(episodes, _events_in_time_order())
    rulebook = _rulebook_for(organisation)
    normalised = normalised_rows(episodes)
    party = _party(organisation)
    rows = []
    for episode, row in zip(episodes, normalised, strict=True):
        facts = episode_facts_of(episode)
        owed = obligations(facts, now, party=party) if party else obligations(facts, now)
        due = [d for d in deadlines(facts, now) if d.met_at is None]
        rows.append(
            WorklistRow(
                episode=episode,
                state=episode.state,
                facts=facts,
                obligations=owed,
                deadlines_coming=[d for d in due if not d.missed],
                deadlines_missed=[d for d in due if d.missed],
                explanation=explain_episode(row, rulebook, now=now) if rulebook else None,
            )
        )
    return rows


def _party(organisation: Organisation) -> Party | None:
    from utskrivning.episodes.services import party_of

    return party_of(organisation)


def episode_detail(*, episode: Episode, organisation: Organisation, actor: Any, now: datetime):
    """The episode page's data; audited as a read."""
    audit_reads([episode], actor=actor, organisation=organisation, purpose="episode page")
    prefetch_related_objects([episode], _events_in_time_order())  # one read for facts and timeline
    events = list(episode.events.all())
    facts = episode_facts_of(episode)
    return {
        "episode": episode,
        "facts": facts,
        "events": events,
        "deadlines": deadlines(facts, now),
        "obligations": obligations(facts, now),
        "explanation": episode_explanation(episode=episode, now=now),
    }


def _liable_episodes(municipality: Organisation, month: str) -> QuerySet[Episode]:
    start, end = months.bounds(month, month)
    # Dalarna's rule looks back two months, so three months before are given to the engine too.
    back = (start.replace(day=1) - timedelta(days=95)).replace(day=1)
    liable = Q(placing_municipality=municipality) | Q(
        placing_municipality__isnull=True, home_municipality=municipality
    )
    if municipality.kind == Kind.DISTRICT:
        liable = Q(district=municipality)
    return Episode.objects.filter(liable, discharged_at__gte=back, discharged_at__lt=end)


def _county_window(rulebook: Any, month: str) -> tuple[datetime, datetime] | None:
    """The discharge window of a county-average threshold in force in `month`, if one is."""
    start, _end = months.bounds(month, month)
    if rulebook is None or not rulebook.in_force(start.date()):
        return None
    rules = [
        stage.threshold
        for group in rulebook.groups
        if (stage := group.stage_for(start.date())) is not None
        and isinstance(stage.threshold, CountyAverage)
    ]
    if not rules:
        return None
    first = min(rule.county_average_from for rule in rules)
    last = max(rule.county_average_to for rule in rules)
    return (
        datetime(first.year, first.month, first.day, tzinfo=STOCKHOLM),
        datetime(last.year, last.month, last.day, tzinfo=STOCKHOLM) + timedelta(days=1),
    )


def invoice_episodes(*, municipality: Organisation, month: str) -> pl.DataFrame:
    """The engine's input for a municipality's month: its liable episodes, history months too.

    A county-average threshold (Stockholm 2020, stage 2) is the whole county's figure, so the
    region's episodes of its window go in as well; `invoice_basis` keeps only this unit's lines.
    """
    queryset = _liable_episodes(municipality, month)
    region = municipality.region
    window = _county_window(_rulebook_for(municipality), month)
    if window is not None and region is not None:
        county = Q(placing_municipality__parent=region) | Q(
            placing_municipality__isnull=True, home_municipality__parent=region
        )
        queryset = queryset | Episode.objects.filter(
            county, discharged_at__gte=window[0], discharged_at__lt=window[1]
        )
    return episode_frame(queryset=queryset.distinct())


def invoice_basis(
    *, municipality: Organisation, month: str, frame: pl.DataFrame | None = None
) -> PaymentResult:
    """The engine's invoice basis for one municipality and month from the service's episodes.

    `frame` is `invoice_episodes`' answer, perhaps corrected by a dispute (payment.corrections).
    """
    rulebook = _rulebook_for(municipality)
    if frame is None:
        frame = invoice_episodes(municipality=municipality, month=month)
    result = compute_payment(frame, rulebook, months=[month])
    code = municipality.municipality_code or (
        municipality.parent.municipality_code if municipality.parent else ""
    )
    mine = pl.col("liable_municipality") == code
    if municipality.kind == Kind.DISTRICT:
        mine &= pl.col("liable_district") == municipality.name
    return PaymentResult(
        rulebook=result.rulebook,
        invoice_frame=result.invoice_frame.filter(mine),
        line_frame=result.line_frame.filter(mine),
    )


def invoice_lines_audit(
    *,
    municipality: Organisation,
    month: str,
    external_ids: list[str],
    actor: Any,
    organisation: Organisation,
    purpose: str,
) -> list[Episode]:
    """Each episode line of a basis is a patient's data: its read is audited, in one query.

    Returns the episodes, which the invoice document names its patients from."""
    episodes = list(
        _liable_episodes(municipality, month)
        .filter(external_id__in=external_ids)
        .select_related("patient")
    )
    audit_reads(episodes, actor=actor, organisation=organisation, purpose=purpose)
    return episodes


def episodes_csv(
    *, municipality: Organisation, month: str, actor: Any, organisation: Organisation
) -> str:
    """The month's episode file: every patient in it is read, so each is audited."""
    start, _end = months.bounds(month, month)
    queryset = _liable_episodes(municipality, month).filter(discharged_at__gte=start)
    audit_reads(
        list(queryset.select_related("patient")),
        actor=actor,
        organisation=organisation,
        purpose="episode file download",
    )
    return export_episode_file(queryset=queryset)


def deviations_visible_to(*, organisation: Organisation) -> QuerySet[Deviation]:
    return Deviation.objects.filter(
        episode__in=episodes_visible_to(organisation=organisation)
    ).select_related("episode", "organisation")


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")
