"""Reads of invoices and disputes: the basis as the engine computed it and as answers correct it.

A correction belongs to its episode, not to the dispute's month: the basis of a later month, whose
history looks back at the corrected one (Dalarna's two of three months), is corrected too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Case, QuerySet, When

from utskrivning.audit.services import audit_patients_read
from utskrivning.domain.calendar import to_local_naive
from utskrivning.domain.payment import Invoice, InvoiceLine, PaymentResult
from utskrivning.episodes.models import Episode
from utskrivning.lib.paging import Page, Paged
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.payment.basis import invoice_basis, invoice_episodes, invoice_lines_audit
from utskrivning.payment.corrections import EpisodeCorrection, apply_corrections
from utskrivning.payment.models import Correction, DisputeStatus, InvoiceDispute

_RELATED = ("municipality", "episode", "corrected_episode", "opened_by", "answered_by")


@dataclass(frozen=True)
class LineView:
    original: InvoiceLine
    corrected: InvoiceLine | None  # None: the basis is not corrected, or the line is left out
    disputes: tuple[InvoiceDispute, ...]


@dataclass(frozen=True)
class InvoiceView:
    original: Invoice
    corrected: Invoice | None  # None: the basis is not corrected, or nothing is left of the group
    lines: tuple[LineView, ...]


@dataclass(frozen=True)
class DisputedBasis:
    original: PaymentResult
    corrected: PaymentResult | None  # None when no answered correction touches the basis
    disputes: list[InvoiceDispute]  # the month's, questioning the basis or a line on it
    corrections: list[InvoiceDispute]  # the answered corrections applied, any month's
    episodes: dict[str, Episode] = field(default_factory=dict)  # by file id, when read for a person

    @property
    def effective(self) -> PaymentResult:
        """What the month comes to: the corrected basis where answers correct it."""
        return self.corrected or self.original

    def invoices(self) -> list[InvoiceView]:
        """Each original invoice beside its corrected one, line by line."""
        corrected = {
            (i.group, i.district): i for i in (self.corrected.invoices() if self.corrected else [])
        }
        cited = [*self.disputes, *(c for c in self.corrections if c not in self.disputes)]
        views = []
        for invoice in self.original.invoices():
            twin = corrected.get((invoice.group, invoice.district))
            twin_lines = {line.episode_id: line for line in twin.lines} if twin else {}
            lines = tuple(
                LineView(
                    original=line,
                    corrected=twin_lines.get(line.episode_id),
                    disputes=tuple(d for d in cited if _concerns(d, line.episode_id)),
                )
                for line in invoice.lines
            )
            views.append(InvoiceView(invoice, twin, lines))
        return views

    @property
    def is_corrected(self) -> bool:
        return self.corrected is not None

    def episode_ids(self) -> list[str]:
        return self.original.line_frame["episode_id"].to_list()


def _concerns(dispute: InvoiceDispute, episode_id: str) -> bool:
    return any(
        e is not None and e.external_id == episode_id
        for e in (dispute.episode, dispute.corrected_episode)
    )


def _correction(dispute: InvoiceDispute) -> EpisodeCorrection:
    assert dispute.corrected_episode is not None  # the model's constraint
    ready_at = dispute.corrected_ready_at
    return EpisodeCorrection(
        episode_id=dispute.corrected_episode.external_id,
        exclude=dispute.correction == Correction.EXCLUDE,
        ready_at=to_local_naive(ready_at) if ready_at else None,
    )


def disputed_invoice_basis(*, municipality: Organisation, month: str) -> DisputedBasis:
    """The municipality's basis for the month, its disputes, and the basis their answers correct."""
    frame = invoice_episodes(municipality=municipality, month=month)
    original = invoice_basis(municipality=municipality, month=month, frame=frame)
    ids = frame["episode_id"].to_list()
    answered = (
        InvoiceDispute.objects.select_related(*_RELATED)
        .filter(municipality=_invoiced(municipality), corrected_episode__external_id__in=ids)
        .exclude(correction="")
        .order_by("answered_at", "id")  # a later answer about the same episode wins
    )
    corrections = list(answered)
    corrected = (
        invoice_basis(
            municipality=municipality,
            month=month,
            frame=apply_corrections(frame, map(_correction, corrections)),
        )
        if corrections
        else None
    )
    disputes = list(
        InvoiceDispute.objects.select_related(*_RELATED).filter(
            municipality=_invoiced(municipality), month=month
        )
    )
    return DisputedBasis(original, corrected, disputes, corrections)


def disputed_basis_read(
    *, municipality: Organisation, month: str, actor: Any, organisation: Organisation, purpose: str
) -> DisputedBasis:
    """The disputed basis for a reader: its episode lines are patient data, their read audited."""
    basis = disputed_invoice_basis(municipality=municipality, month=month)
    episodes = invoice_lines_audit(
        municipality=municipality,
        month=month,
        external_ids=basis.episode_ids(),
        actor=actor,
        organisation=organisation,
        purpose=purpose,
    )
    return replace(basis, episodes={e.external_id: e for e in episodes})


def _invoiced(organisation: Organisation) -> Organisation:
    """Disputes are the municipality's, also when a district questions its part."""
    if organisation.kind == Kind.DISTRICT and organisation.parent is not None:
        return organisation.parent
    return organisation


def disputes_visible_to(*, organisation: Organisation) -> QuerySet[InvoiceDispute]:
    """The region sees its municipalities' disputes, a municipality its own; open ones first."""
    open_first = Case(When(status=DisputeStatus.OPEN, then=0), default=1)
    disputes = InvoiceDispute.objects.select_related(*_RELATED).order_by(
        open_first, "-opened_at", "-id"
    )
    if organisation.kind == Kind.REGION:
        return disputes.filter(municipality__parent=organisation)
    if organisation.kind in (Kind.MUNICIPALITY, Kind.DISTRICT):
        return disputes.filter(municipality=_invoiced(organisation))
    return disputes.none()


def disputes_read(
    *, organisation: Organisation, actor: Any, page: Page
) -> tuple[list[InvoiceDispute], Paged]:
    """A page of the disputes list (fifty 1 MB disputes made one page of 51 MB): a line's
    dispute names a patient's episode, so the page's reads are audited."""
    visible = disputes_visible_to(organisation=organisation)
    disputes = list(
        visible.select_related("episode__patient", "corrected_episode__patient")[
            page.offset : page.offset + page.limit
        ]
    )
    audit_patients_read(
        [
            episode.patient.personal_number
            for dispute in disputes
            for episode in (dispute.episode, dispute.corrected_episode)
            if episode is not None
        ],
        actor=actor,
        organisation=organisation,
        purpose="invoice disputes",
    )
    return disputes, Paged(page=page, total=visible.count())


def episode_by_file_id(external_id: str, *, region: Organisation | None) -> Episode | None:
    """The episode a form names by its episode file id, which is unique within a region only;
    the services check whose it is."""
    if not external_id or region is None:
        return None
    found = Episode.objects.select_related("patient").filter(region=region, external_id=external_id)
    return found.first()


def dispute_out(dispute: InvoiceDispute) -> dict[str, Any]:
    """A dispute for the API and the downloads: the question, the answer and the correction."""
    return {
        "id": dispute.pk,
        "municipality": dispute.municipality.municipality_code,
        "month": dispute.month,
        "rulebook_id": dispute.rulebook_id,
        "episode_id": dispute.episode_id,
        "text": dispute.text,
        "status": dispute.status,
        "answer": dispute.answer,
        "outcome": dispute.outcome,
        "answered_at": dispute.answered_at,
        "correction": dispute.correction or None,
        "corrected_episode_id": dispute.corrected_episode_id,
        "corrected_ready_at": dispute.corrected_ready_at,
    }
