"""Writes on invoice disputes (Dalarna §11: "Om fakturering blir ifrågasatt ska en gemensam analys
genomföras"): the municipality questions its basis or one episode line, the region answers once.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.refusals import Refusal
from utskrivning.episodes.models import Episode
from utskrivning.lib import months
from utskrivning.lib.errors import ConflictError, NotVisibleError
from utskrivning.lib.text import MAX_NOTE, checked_text, refused
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.models import Correction, DisputeOutcome, DisputeStatus, InvoiceDispute


def checked_month(month: str) -> str:
    if not months.is_month(month):
        raise refused(
            "month",
            Refusal("A month is YYYY-MM, from %(first)s to %(last)s.",
                    first=months.FIRST_YEAR, last=months.LAST_YEAR),
        )  # fmt: skip
    return month


def _on_basis(episode: Episode, municipality: Organisation, month: str) -> bool:
    """An episode line of the month's basis: liable municipality, discharged in the month."""
    discharged = episode.discharged_at
    return (
        episode.liable_municipality.pk == municipality.pk
        and discharged is not None
        and f"{discharged.astimezone(STOCKHOLM):%Y-%m}" == month
    )


def audit_write(
    membership: Membership, obj_type: str, obj_id: int, why: str, episode: Episode | None = None
) -> None:
    """A payment write in the audit log: who, for which organisation, what and why."""
    audit_record(
        actor=membership.user,
        organisation=membership.organisation,
        action=AuditAction.WRITE,
        obj_type=obj_type,
        obj_id=obj_id,
        patient_id=PersonalNumber(episode.patient.personal_number) if episode else None,
        purpose=why,
    )


def dispute_open(
    *, membership: Membership, month: str, text: str, episode: Episode | None = None
) -> InvoiceDispute:
    """A municipality questions its invoice basis for `month`, or one episode's line on it."""
    if not can(membership, Action.DISPUTE_INVOICE):
        raise PermissionDenied("Your role may not take this step.")
    own = membership.organisation
    municipality = own if own.kind == Kind.MUNICIPALITY else own.parent
    if municipality is None:
        raise PermissionDenied("No municipality.")
    checked_month(month)
    if episode is not None and episode.liable_municipality.pk != municipality.pk:
        raise NotVisibleError("No such episode.")
    if episode is not None and not _on_basis(episode, municipality, month):
        raise ValidationError({"episode_id": "The episode is not on this month's basis."})
    if not text.strip():
        raise ValidationError({"text": "Say what is questioned."})
    checked_text(text, field="text", max_length=MAX_NOTE, multiline=True)
    region = municipality.region
    with transaction.atomic():
        dispute = InvoiceDispute.objects.create(
            municipality=municipality,
            month=month,
            rulebook_id=region.rulebook_id if region else "",
            episode=episode,
            text=text,
            opened_by=membership.user,
        )
        audit_write(membership, "invoice dispute", dispute.pk, "invoice dispute opened", episode)
        return dispute


def _checked_correction(
    dispute: InvoiceDispute,
    outcome: str,
    correction: str,
    episode: Episode | None,
    ready_at: datetime | None,
) -> Episode | None:
    """The corrected episode; a `corrected` answer must state a correction the engine can apply."""
    if outcome != DisputeOutcome.CORRECTED:
        if correction or episode is not None or ready_at is not None:
            raise ValidationError({"correction": "Only a corrected outcome states a correction."})
        return None
    if correction not in Correction.values:
        raise ValidationError({"correction": "A corrected outcome states its correction."})
    if dispute.episode is not None and episode is not None and episode.pk != dispute.episode_id:
        raise ValidationError({"corrected_episode_id": "Correct the questioned episode."})
    episode = episode or dispute.episode
    if episode is None:
        raise ValidationError({"corrected_episode_id": "Name the corrected episode."})
    if not _on_basis(episode, dispute.municipality, dispute.month):
        raise ValidationError({"corrected_episode_id": "The episode is not on this basis."})
    if correction == Correction.READY_AT:
        if ready_at is None:
            raise ValidationError({"corrected_ready_at": "Give the corrected readiness time."})
        assert episode.discharged_at is not None  # _on_basis: discharged in the month
        if not episode.admitted_at <= ready_at <= episode.discharged_at:
            raise ValidationError(
                {"corrected_ready_at": "Readiness falls between admission and discharge."}
            )
    elif ready_at is not None:
        raise ValidationError({"corrected_ready_at": "Only a readiness correction has a time."})
    return episode


def dispute_answer(
    *,
    membership: Membership,
    dispute: InvoiceDispute,
    answer: str,
    outcome: str,
    at: datetime,
    correction: str = "",
    corrected_episode: Episode | None = None,
    corrected_ready_at: datetime | None = None,
) -> InvoiceDispute:
    """The region answers a dispute with its outcome, once; `corrected` states the correction."""
    if not can(membership, Action.ANSWER_DISPUTE):
        raise PermissionDenied("Your role may not take this step.")
    if dispute.municipality.region != membership.organisation:
        raise NotVisibleError("No such dispute.")
    if outcome not in DisputeOutcome.values:
        raise ValidationError({"outcome": "Unknown outcome."})
    if not answer.strip():
        raise ValidationError({"answer": "Give the answer."})
    checked_text(answer, field="answer", max_length=MAX_NOTE, multiline=True)
    if corrected_ready_at is not None and corrected_ready_at.tzinfo is None:
        corrected_ready_at = corrected_ready_at.replace(tzinfo=STOCKHOLM)  # local, as in the file
    episode = _checked_correction(
        dispute, outcome, correction, corrected_episode, corrected_ready_at
    )
    with transaction.atomic():
        updated = InvoiceDispute.objects.filter(pk=dispute.pk, status=DisputeStatus.OPEN).update(
            status=DisputeStatus.ANSWERED,
            answer=answer,
            outcome=outcome,
            answered_by=membership.user,
            answered_at=at,
            correction=correction,
            corrected_episode=episode,
            corrected_ready_at=corrected_ready_at,
        )
        if updated == 0:
            raise ConflictError("The dispute is already answered.")
        dispute.refresh_from_db()
        audit_write(
            membership,
            "invoice dispute",
            dispute.pk,
            f"invoice dispute {outcome}",
            episode or dispute.episode,
        )
        return dispute
