"""A personnummer is one patient, whoever admits it (docs/process.md, "Patient identity").

The first admission registers the patient; a later admission anywhere never changes the name or
address (before, any ward's admission overwrote them for every organisation). A correction is an
event of its own on the episode, shown in its timeline, by the staff of the ward that has the
patient. While a stay is open, a second admission of the same patient is refused, naming the
open stay: a move between wards is a discharge and a new admission.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import audit_record
from utskrivning.domain.identity import PersonalNumber
from utskrivning.domain.process import Event, EventType
from utskrivning.domain.refusals import Refusal
from utskrivning.episodes.events import store_administrative_event
from utskrivning.episodes.models import Episode, EpisodeEvent, EpisodeStatus, Patient
from utskrivning.episodes.selectors import episodes_visible_to
from utskrivning.lib.errors import NotVisibleError
from utskrivning.lib.text import MAX_ADDRESS, MAX_NAME, checked_text, refused
from utskrivning.organisations.models import Membership, Organisation
from utskrivning.organisations.permissions import Action, can


def patient_for_admission(
    *, number: PersonalNumber, name: str, address: str, home_municipality: Organisation
) -> Patient:
    """The patient to admit: registered now if new, else as registered (never overwritten).
    Refused, naming the open stay, while the patient has one. Call inside the admission's
    transaction: the row lock makes two admissions of one new patient wait for each other."""
    patient, _ = Patient.objects.select_for_update().get_or_create(
        personal_number=number.canonical,
        defaults={"name": name, "address": address, "home_municipality": home_municipality},
    )
    open_stay = (
        Episode.objects.filter(patient=patient, discharged_at__isnull=True)
        .exclude(status=EpisodeStatus.DONE)
        .select_related("ward")
        .first()
    )
    if open_stay is not None:
        since = timezone.localtime(open_stay.admitted_at)
        raise refused(
            "personal_number",
            Refusal(
                "The patient already has an open stay: episode %(episode)s on %(ward)s, admitted "
                "%(since)s. Discharge it before admitting again.",
                episode=open_stay.external_id, ward=open_stay.ward.name,
                since=f"{since:%Y-%m-%d %H:%M}",
            ),
        )  # fmt: skip
    return patient


def patient_details_change(
    *, episode: Episode, membership: Membership, name: str, address: str
) -> EpisodeEvent:
    """Correct the patient's name and address: an event on `episode`, in its timeline."""
    if not can(membership, Action.CHANGE_PATIENT_DETAILS):
        raise PermissionDenied("Your role may not change a patient's details.")
    visible = episodes_visible_to(organisation=membership.organisation)
    if not visible.filter(pk=episode.pk).exists():
        raise NotVisibleError("No such episode.")
    checked_text(name, field="name", max_length=MAX_NAME)
    checked_text(address, field="address", max_length=MAX_ADDRESS)
    if not name.strip():
        raise ValidationError({"name": "A patient has a name."})
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=episode.patient_id)
        before = {"name": patient.name, "address": patient.address}
        after = {"name": name, "address": address}
        if before == after:
            raise ValidationError({"name": "The name and address are already these."})
        stored = store_administrative_event(
            episode=episode,
            event=Event(EventType.PATIENT_DETAILS_CHANGED),
            membership=membership,
            extra={"before": before, "after": after},
        )
        Patient.objects.filter(pk=patient.pk).update(**after)
        # The worklists keep their rows by version: a new name is a new version.
        Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)
        audit_record(
            actor=membership.user,
            organisation=membership.organisation,
            action=AuditAction.WRITE,
            obj_type="patient",
            obj_id=patient.pk,
            patient_id=PersonalNumber(patient.personal_number),
            purpose="patient details changed",
        )
        return stored
