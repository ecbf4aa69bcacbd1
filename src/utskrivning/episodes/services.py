"""Writes on episodes: each one checks the role, the access and the process, then stores the event.

The process's rules are `domain.process`'s: the service reads the episode's facts from its row
(the projection; for a receipt also the messages it answers), lets `apply` judge the step, and
writes the event, its messages, the audit entry and what changed of the facts in one transaction,
so a write costs the same whatever the history's length. The history is folded again only by
`episodes.projection`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.domain.identity import PersonalNumber, parse_personal_number
from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    Party,
    Signature,
    TransitionError,
    apply,
    facts_to_json,
    next_due_by_party,
    parties_owing,
    row_facts,
    step_time,
    stored_faults,
)
from utskrivning.episodes.details import check_details
from utskrivning.episodes.events import event_to_payload
from utskrivning.episodes.models import (
    Acknowledgement,
    CareType,
    Episode,
    EpisodeEvent,
    EpisodeStatus,
    Message,
)
from utskrivning.episodes.patients import patient_for_admission
from utskrivning.episodes.projected import awaiting_messages, episode_row_facts, project_step
from utskrivning.episodes.selectors import episodes_visible_to
from utskrivning.lib.errors import ConflictError, NotVisibleError
from utskrivning.lib.text import MAX_ADDRESS, MAX_NAME, checked_text
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can


class ProcessError(TransitionError):
    """The process refuses the step; `reason` is the domain's sentence (a TransitionError too)."""


# Which permission each step needs (organisations.permissions holds the role table).
EVENT_ACTIONS: dict[EventType, Action] = {
    EventType.ADMITTED: Action.ADMIT,
    EventType.SUPPORT_NEED_ASSESSED: Action.SEND_ADMISSION_NOTICE,
    EventType.ADMISSION_NOTICE_SENT: Action.SEND_ADMISSION_NOTICE,
    EventType.ESTIMATED_DISCHARGE_CHANGED: Action.CHANGE_ESTIMATED_DISCHARGE,
    EventType.READY_DECLARED: Action.DECLARE_READY,
    EventType.READY_WITHDRAWN: Action.WITHDRAW_READY,
    EventType.NAMED_CONTACT_APPOINTED: Action.APPOINT_NAMED_CONTACT,
    EventType.CONSENT_RECORDED: Action.RECORD_CONSENT,
    # Any party judges whether the patient needs both parties' support.
    EventType.SIP_NEED_ASSESSED: Action.RECORD_CONSENT,
    EventType.SIP_SUMMONED: Action.SUMMON_SIP,
    EventType.SIP_HELD: Action.RECORD_SIP_HELD,
    EventType.HEMGANGSKLAR_CHECKED: Action.RECORD_HEMGANGSKLAR,
    EventType.DISCHARGE_NOTICE_SENT: Action.SEND_DISCHARGE_NOTICE,
    EventType.DISCHARGED: Action.DISCHARGE,
    EventType.CLOSED: Action.CLOSE,
    EventType.ACKNOWLEDGED: Action.ACKNOWLEDGE,
    EventType.DEVIATION_REPORTED: Action.REPORT_DEVIATION,
    # The ward's physician files the plan with the application and records the decision.
    EventType.COORDINATED_CARE_PLAN_RECORDED: Action.DECLARE_READY,
    EventType.COURT_DECISION_RECORDED: Action.DECLARE_READY,
}
# Steps a party takes for itself: the event's `party` must be the acting organisation's.
OWN_PARTY_EVENTS = frozenset(
    {EventType.CONSENT_RECORDED, EventType.ACKNOWLEDGED, EventType.DEVIATION_REPORTED}
)

# --- writing -----------------------------------------------------------------------------------


def _columns(facts: EpisodeFacts) -> dict[str, Any]:
    """The row's projection of `facts`: as JSON all but what has rows of its own
    (`episodes.projected`), and the columns queries filter on."""
    return {
        "facts": facts_to_json(facts),
        "state": facts.state.value if facts.state else "",
        "admission_notice_at": facts.admission_notice_at,
        "ready_at": facts.ready_at,
        "ready_declarations": facts.ready_declarations,
        "named_contact_at": facts.named_contact_at,
        "sip_needed": facts.sip_needed,
        "sip_summoned_at": facts.sip_summoned_at,
        "sip_held_at": facts.sip_held_at,
        "discharged_at": facts.discharged_at,
        "status": EpisodeStatus.DONE if facts.closed_at is not None else EpisodeStatus.OPEN,
        **party_columns(facts),
    }


def party_columns(facts: EpisodeFacts) -> dict[str, Any]:
    """Each party's earliest unmet deadline and whether it owes a step, for the worklist.

    A history holding a time out of bounds (stored before the rules, or by hand) has none: its
    deadlines cannot be computed, and the reads report it instead (`stored_faults`). Judged on
    the row's facts, which are all a write has.
    """
    faulty = bool(stored_faults(row_facts(facts)))
    due = dict.fromkeys(Party) if faulty else next_due_by_party(facts)
    owing = frozenset() if faulty else parties_owing(facts)
    columns: dict[str, Any] = {}
    for party in Party:
        columns[f"{party.value}_due"] = due[party]
        columns[f"{party.value}_owes"] = party in owing
    return columns


def recipient(episode: Episode, party: Party) -> Organisation | None:
    if party is Party.MUNICIPALITY:
        return episode.district or episode.placing_municipality or episode.home_municipality
    if party is Party.PRIMARY_CARE:
        return episode.primary_care
    return episode.ward


def _patient_number(episode: Episode) -> PersonalNumber:
    return PersonalNumber(episode.patient.personal_number)


def signed(event: Event, membership: Membership) -> Event:
    """`event` with who takes it, as the planning record shows it (issue 11 item 1)."""
    user = membership.user
    name = user.get_full_name() or user.get_username()
    return replace(event, by=Signature(name, membership.organisation.name))


def _check_may_act(membership: Membership, episode: Episode, event: Event) -> None:
    if not can(membership, EVENT_ACTIONS[event.type]):
        raise PermissionDenied("Your role may not take this step.")
    organisation = membership.organisation
    if not episodes_visible_to(organisation=organisation).filter(pk=episode.pk).exists():
        # Primary care acts on a notice addressed to it by the notice's own step.
        raise NotVisibleError("No such episode.")
    if event.type in OWN_PARTY_EVENTS and event.party != party_of(organisation):
        raise PermissionDenied("An organisation acts for its own party only.")


def _existing(idempotency_key: str | None) -> EpisodeEvent | None:
    if idempotency_key is None:
        return None
    return EpisodeEvent.objects.filter(idempotency_key=idempotency_key).first()


def _store(
    *,
    episode: Episode,
    event: Event,
    at: datetime,
    recorded_at: datetime,
    new_messages: tuple[Any, ...],
    membership: Membership | None,
    actor: Any,
    idempotency_key: str | None,
) -> EpisodeEvent | None:
    """Write the event, its messages and receipts; None when the key was used meanwhile.
    `at` is the time the step claims, `recorded_at` (the event's `created`) when it was stored."""
    try:
        with transaction.atomic():
            stored = EpisodeEvent.objects.create(
                episode=episode,
                type=event.type.value,
                at=at,
                created=recorded_at,
                actor=actor,
                organisation=membership.organisation if membership else None,
                membership=membership,
                payload=event_to_payload(event),
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return None
    for message in new_messages:
        Message.objects.bulk_create(
            Message(
                episode=episode,
                event=stored,
                kind=message.kind.value,
                party=party.value,
                organisation=recipient(episode, party),
                sent_at=at,
            )
            for party in sorted(message.recipients)
        )
    if event.type is EventType.ACKNOWLEDGED and event.party is not None:
        for message in Message.objects.filter(
            episode=episode,
            kind=event.message,
            party=event.party,
            sent_at__lte=at,
            acknowledgement__isnull=True,
        ):
            Acknowledgement.objects.create(
                message=message,
                event=stored,
                user=actor,
                organisation=membership.organisation if membership else None,
                at=at,
            )
    return stored


def episode_record_event(
    *,
    episode: Episode,
    event: Event,
    at: datetime | None = None,
    membership: Membership,
    expected_version: int | None = None,
    idempotency_key: str | None = None,
    recorded_at: datetime | None = None,
) -> EpisodeEvent:
    """Record one step of the process on `episode`; see the module docstring.

    `at` is the time the step claims (None: now), bounded by `domain.process.clock`;
    `recorded_at` is the service's clock (None: now; the demo passes its simulated one).
    `expected_version` None means the version read here: a concurrent write still conflicts.
    """
    recorded_at = recorded_at or timezone.now()
    at = step_time(event, at, recorded_at)
    event = signed(event, membership)
    with transaction.atomic():
        # Checked first, so a key cannot be used to read someone else's stored event.
        _check_may_act(membership, episode, event)
        check_details(event)
        if (existing := _existing(idempotency_key)) is not None:
            return existing
        current = Episode.objects.select_related("patient").with_organisations().get(pk=episode.pk)
        version = current.version if expected_version is None else expected_version
        if current.version != version:
            raise ConflictError("The episode has changed; reload it and try again.")
        before = episode_row_facts(current)
        if event.type is EventType.ACKNOWLEDGED and event.party and event.message:
            before = replace(
                before, messages=awaiting_messages(current, event.party, event.message)
            )
        try:
            _, after = apply(before, event, at, recorded_at=recorded_at)
        except TransitionError as refused:
            raise ProcessError(refused.reason, field=refused.field) from None
        actor = membership.user
        stored = _store(
            episode=current,
            event=event,
            at=at,
            recorded_at=recorded_at,
            # `apply` appends the messages a step sends; receipts keep the list's length.
            new_messages=after.messages[len(before.messages) :],
            membership=membership,
            actor=actor,
            idempotency_key=idempotency_key,
        )
        if stored is None:  # the same key won a race: the first one's event stands
            return EpisodeEvent.objects.get(idempotency_key=idempotency_key)
        updated = Episode.objects.filter(pk=current.pk, version=version).update(
            version=F("version") + 1, **_columns(after)
        )
        if updated == 0:
            raise ConflictError("The episode has changed; reload it and try again.")
        project_step(episode=current, before=before, after=after, event=event, at=at)
        audit_record(
            actor=actor,
            organisation=membership.organisation,
            action=AuditAction.WRITE,
            obj_type="episode",
            obj_id=current.pk,
            patient_id=_patient_number(current),
            purpose=f"episode event {event.type.value}",
        )
        episode.refresh_from_db()
        return stored


def episode_admit(
    *,
    actor: Any,
    membership: Membership,
    personal_number: str,
    name: str,
    address: str,
    home_municipality: Organisation,
    ward: Organisation,
    care_type: str,
    placing_municipality: Organisation | None = None,
    district: Organisation | None = None,
    primary_care: Organisation | None = None,
    at: datetime | None = None,
    support_needed: bool = True,
    estimated_discharge: date | None = None,
    external_id: str | None = None,
    idempotency_key: str | None = None,
    recorded_at: datetime | None = None,
) -> EpisodeEvent:
    """Admit a patient to `ward`: the patient (registered if new, never overwritten: see
    `episodes.patients`), the episode, its first event, perhaps with an estimated discharge date.
    `at` and `recorded_at` as for `episode_record_event`."""
    event = signed(
        Event(
            EventType.ADMITTED,
            support_needed=support_needed,
            estimated_discharge=estimated_discharge,
        ),
        membership,
    )
    recorded_at = recorded_at or timezone.now()
    at = step_time(event, at, recorded_at)
    if not can(membership, Action.ADMIT):
        raise PermissionDenied("Your role may not take this step.")
    if ward.kind != Kind.WARD or (
        membership.organisation_id != ward.pk and membership.organisation_id != ward.parent_id
    ):
        raise PermissionDenied("A ward admits to itself only.")
    try:
        number = parse_personal_number(personal_number, today=timezone.localdate(recorded_at))
    except ValueError as error:
        raise ValidationError({"personal_number": str(error)}) from None
    checked_text(name, field="name", max_length=MAX_NAME)
    checked_text(address, field="address", max_length=MAX_ADDRESS)
    if care_type not in CareType.values:
        raise ValidationError({"care_type": "Unknown care type."})
    if home_municipality.kind != Kind.MUNICIPALITY:
        raise ValidationError({"home_municipality": "Not a municipality."})
    if placing_municipality is not None and placing_municipality.kind != Kind.MUNICIPALITY:
        raise ValidationError({"placing_municipality": "Not a municipality."})
    if district is not None and district.kind != Kind.DISTRICT:
        raise ValidationError({"district": "Not a district."})
    if primary_care is not None and primary_care.kind != Kind.PRIMARY_CARE:
        raise ValidationError({"primary_care": "Not a primary care unit."})
    with transaction.atomic():
        if (existing := _existing(idempotency_key)) is not None:
            return existing
        try:
            _, facts = apply(EpisodeFacts(), event, at, recorded_at=recorded_at)
        except TransitionError as refused:
            raise ProcessError(refused.reason, field=refused.field) from None
        patient = patient_for_admission(
            number=number, name=name, address=address, home_municipality=home_municipality
        )
        episode = Episode.objects.create(
            patient=patient,
            external_id=external_id or uuid.uuid4().hex,
            region=ward.region,
            ward=ward,
            home_municipality=home_municipality,
            placing_municipality=placing_municipality,
            district=district,
            primary_care=primary_care,
            care_type=care_type,
            admitted_at=at,
            version=1,
            **_columns(facts),
        )
        stored = _store(
            episode=episode,
            event=event,
            at=at,
            recorded_at=recorded_at,
            new_messages=facts.messages,
            membership=membership,
            actor=actor,
            idempotency_key=idempotency_key,
        )
        if stored is None:
            # The same key won a race; roll this episode back and answer with the first.
            transaction.set_rollback(True)
            return EpisodeEvent.objects.get(idempotency_key=idempotency_key)
        project_step(episode=episode, before=EpisodeFacts(), after=facts, event=event, at=at)
        audit_record(
            actor=actor,
            organisation=membership.organisation,
            action=AuditAction.WRITE,
            obj_type="episode",
            obj_id=episode.pk,
            patient_id=number,
            purpose="admission",
        )
        return stored


__all__ = [
    "ConflictError",
    "NotVisibleError",
    "ProcessError",
    "episode_admit",
    "episode_record_event",
]
