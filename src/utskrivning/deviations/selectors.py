"""Deviations followed up in aggregate (Stockholm §11–12: "avvikelser ska följas upp … på
strukturell nivå både regionalt och lokalt"; Dalarna §12: "avvikelser i planeringsprocessen på
aggregerad nivå"): counts per category, organisation and month, proposed beside reported.

A party sees the deviations on the episodes it sees (`deviations_visible_to`); the region's own
staff, who see no episode, follow up every deviation on their hospitals' wards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import translation

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.documents import csv_text, safe_cell
from utskrivning.episodes.models import Deviation, DeviationCategory, Episode
from utskrivning.episodes.selectors import audit_reads, episodes_visible_to
from utskrivning.lib.paging import Page, Paged
from utskrivning.organisations.models import Kind, Organisation


@dataclass(frozen=True)
class Tally:
    """One row of a count: its key's label, proposed (missed deadlines) and reported ones."""

    label: str
    proposed: int
    reported: int
    key: str = ""  # untranslated, for the API: the category's code, the organisation, YYYY-MM

    @property
    def total(self) -> int:
        return self.proposed + self.reported


@dataclass(frozen=True)
class Followup:
    by_category: list[Tally]
    by_organisation: list[Tally]
    by_month: list[Tally]
    deviations: list[Deviation]  # the page's
    paged: Paged

    @property
    def total(self) -> Tally:
        proposed = sum(t.proposed for t in self.by_category)
        return Tally("", proposed, sum(t.reported for t in self.by_category))


def deviations_visible_to(*, organisation: Organisation) -> QuerySet[Deviation]:
    return Deviation.objects.filter(
        episode__in=episodes_visible_to(organisation=organisation)
    ).select_related("episode__patient", "organisation")


def deviations_for_followup(
    *, organisation: Organisation, start: date, end: date, category: str = ""
) -> QuerySet[Deviation]:
    """The deviations created from `start` up to (not including) `end`, local dates."""
    if organisation.kind == Kind.REGION:
        deviations = Deviation.objects.filter(episode__ward__parent__parent=organisation)
    else:
        deviations = deviations_visible_to(organisation=organisation)
    deviations = deviations.filter(
        created__gte=datetime.combine(start, datetime.min.time(), STOCKHOLM),
        created__lt=datetime.combine(end, datetime.min.time(), STOCKHOLM),
    )
    if category:
        deviations = deviations.filter(category=category)
    return deviations.select_related("episode__patient", "organisation").order_by("-created", "-id")


def _tallies(deviations: QuerySet[Deviation], key: Any, label: Any) -> list[Tally]:
    rows = (
        deviations.order_by()
        .values(key=key)
        .annotate(
            n_proposed=Count("id", filter=Q(proposed=True)),
            n_reported=Count("id", filter=Q(proposed=False)),
        )
        .order_by("key")
    )
    return [_tally(row["key"], row["n_proposed"], row["n_reported"], label) for row in rows]


def _tally(key: Any, proposed: int, reported: int, label: Any) -> Tally:
    # A month's key is a datetime: its label (YYYY-MM) is already the untranslated key.
    return Tally(label(key), proposed, reported, key if isinstance(key, str) else label(key))


def deviation_followup(
    *,
    organisation: Organisation,
    start: date,
    end: date,
    category: str = "",
    actor: Any,
    page: Page,
    keep: tuple[tuple[str, str], ...] = (),
) -> Followup:
    """The follow-up page's counts over the period and a page of its list (`keep`: the filters,
    for the links to other pages); the list names episodes, so the page's reads are audited."""
    deviations = deviations_for_followup(
        organisation=organisation, start=start, end=end, category=category
    )
    listed = list(deviations[page.offset : page.offset + page.limit])
    _audit_episodes([d.episode for d in listed], actor, organisation, "deviation follow-up")
    return Followup(
        by_category=_tallies(deviations, F("category"), lambda k: DeviationCategory(k).label),
        by_organisation=_tallies(deviations, F("organisation__name"), lambda k: k or "–"),
        by_month=_tallies(
            deviations,
            TruncMonth("created", tzinfo=STOCKHOLM),
            lambda k: f"{k.astimezone(STOCKHOLM):%Y-%m}",
        ),
        deviations=listed,
        paged=Paged(page=page, total=deviations.count(), keep=keep),
    )


def _audit_episodes(
    episodes: Iterable[Episode], actor: Any, organisation: Organisation, purpose: str
) -> None:
    unique = list({e.pk: e for e in episodes}.values())
    audit_reads(unique, actor=actor, organisation=organisation, purpose=purpose)


# In Swedish for the people who open it in a spreadsheet (the JSON list is the machines'); the
# deadline and party as the codes the JSON list has: their words are the screens' (`web.labels`).
CSV_COLUMNS = ["Skapad", "Vårdtillfälle", "Kategori", "Föreslagen", "Organisation", "Text",
               "Tidsfrist (kod)", "Part (kod)", "Tidsfristens slut"]  # fmt: skip


def _local(at: datetime | None) -> str:
    return "" if at is None else f"{at.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"


def deviations_csv(
    *, organisation: Organisation, start: date, end: date, category: str = "", actor: Any
) -> str:
    """The follow-up's list as CSV for a spreadsheet, in Swedish whatever the reader's language
    (as the invoice basis's files); text cells made formula-safe."""
    deviations = list(
        deviations_for_followup(organisation=organisation, start=start, end=end, category=category)
    )
    _audit_episodes([d.episode for d in deviations], actor, organisation, "deviations download")
    with translation.override("sv"):
        categories = {value: str(label) for value, label in DeviationCategory.choices}
    rows = [
        [_local(d.created), d.episode.external_id, categories.get(d.category, d.category),
         "ja" if d.proposed else "nej", d.organisation.name if d.organisation else "", d.text,
         d.deadline_kind, d.deadline_party, _local(d.deadline_due_at)]
        for d in deviations
    ]  # fmt: skip
    return csv_text([CSV_COLUMNS, *([safe_cell(value) for value in row] for row in rows)])


def episode_deviations(*, episode: Episode, page: Page | None = None) -> list[Deviation]:
    """The episode page's deviations, newest first (the page's read is audited already); the
    API's `page` of them."""
    found = episode.deviations.select_related("organisation", "user").order_by("-created", "-id")
    return list(found if page is None else found[page.offset : page.offset + page.limit])
