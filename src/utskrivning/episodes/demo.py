"""Demo episodes in every state, recorded through the services like real ones.

Runs after `organisations.demo.seed_demo_organisations`; idempotent (episode ids `DEMO-0001`…
and idempotency keys per step), so the demo command can call it on every start.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from utskrivning.domain.identity import valid_personal_number
from utskrivning.domain.process import (
    CareContact,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
)
from utskrivning.episodes.models import CareType, Episode, Message
from utskrivning.episodes.services import ProcessError, episode_admit, episode_record_event
from utskrivning.organisations.models import Kind, Membership, Organisation, Role

# Of every three demo episodes one is on a ward this morning, left in these states in turn, and
# two are the region's last two months, closed: its invoice basis and follow-up.
ON_WARD = (
    "admitted",
    "notified",
    "notified",
    "awaiting_court_decision",
    "ready",
    "home_ready",
    "discharge_notified",
    "discharged",
)
TARGETS = (*ON_WARD, "closed")
FIRST_NAMES = ("Anna", "Karl", "Maria", "Erik", "Elsa", "Lars", "Ingrid", "Nils", "Greta", "Olof")
LAST_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson")
STREETS = ("Storgatan", "Kyrkogatan", "Skolvägen", "Åsgatan", "Slaggatan", "Vasagatan")
H = timedelta(hours=1)
FALUN = "2080"


def demo_personal_number(rng: random.Random) -> str:
    born = date(1925, 1, 1) + timedelta(days=rng.randrange(365 * 75))
    return valid_personal_number(born, rng.randrange(1000))


def _member(kind_role: Role, organisation: Organisation) -> Membership:
    user, _ = get_user_model().objects.get_or_create(
        username=f"demo-system-{kind_role.value}-{organisation.pk}",
        defaults={"first_name": "Demo", "last_name": organisation.name, "is_active": False},
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=kind_role
    )
    return membership


def _steps(target: str, wait: float = 0) -> list[tuple[EventType, Role, Event, float]]:
    """The steps up to `target`: (type, role, event, hours after admission); the steps after
    readiness come `wait` hours later, the days a municipality may have to pay for."""
    notice = Event(
        EventType.ADMISSION_NOTICE_SENT,
        parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}),
        estimated_discharge=None,
    )
    steps: list[tuple[EventType, Role, Event, float]] = [
        (EventType.ADMISSION_NOTICE_SENT, Role.PHYSICIAN, notice, 3),
    ]
    if target == "notified":
        return steps
    if target == "awaiting_court_decision":
        plan = Event(EventType.COORDINATED_CARE_PLAN_RECORDED)
        return [*steps, (plan.type, Role.PHYSICIAN, plan, 30)]
    steps += [
        (
            EventType.NAMED_CONTACT_APPOINTED,
            Role.PRIMARY_CARE_HEAD,
            Event(EventType.NAMED_CONTACT_APPOINTED),
            20,
        ),
        (EventType.READY_DECLARED, Role.PHYSICIAN, Event(EventType.READY_DECLARED), 72),
    ]
    if target == "ready":
        return steps
    for offset, criterion in enumerate(HomeCriterion):
        checked = Event(EventType.HEMGANGSKLAR_CHECKED, criterion=criterion)
        steps.append((checked.type, Role.PHYSICIAN, checked, wait + 74 + offset * 0.1))
    if target == "home_ready":
        return steps
    notice_out = Event(EventType.DISCHARGE_NOTICE_SENT)
    steps.append((notice_out.type, Role.PHYSICIAN, notice_out, wait + 96))
    if target == "discharge_notified":
        return steps
    steps.append((EventType.DISCHARGED, Role.PHYSICIAN, Event(EventType.DISCHARGED), wait + 110))
    if target == "discharged":
        return steps
    steps.append((EventType.CLOSED, Role.PHYSICIAN, Event(EventType.CLOSED), wait + 112))
    return steps


def _timing(number: int, rng: random.Random, now: datetime) -> tuple[str, datetime, float]:
    """The episode's target state, admission and wait after readiness (hours), relative to
    `now`: a ward's morning (admissions of the last days, readiness declared this morning,
    the last night's patients still to be notified) and, before it, two months of closed
    stays. Every step has happened by `now`, so none is squeezed into the present."""
    if number % 3:
        # Most wait a day or two after readiness; one in five more than seven days, which
        # Dalarna §11 bills individually, so the demo's invoice basis has amounts to show.
        wait = rng.uniform(0, 48) if rng.random() < 0.8 else rng.uniform(8 * 24, 11 * 24)
        last = _steps("closed", wait)[-1][3]
        return "closed", now - (last + rng.uniform(12, 55 * 24)) * H, wait
    target = ON_WARD[(number // 3) % len(ON_WARD)]
    wait = rng.uniform(0, 20)
    last = _steps(target, wait)[-1][3] if target != "admitted" else 0
    # One in four of last night's admissions is past its 24 hours without a notice: missed.
    late = target == "admitted" and rng.random() < 0.25
    hours = rng.uniform(26, 40) if late else last + rng.uniform(0.5, 16)
    return target, now - hours * H, wait


def _acknowledge(
    episode: Episode, members: dict[Party, Membership], rng: random.Random, now: datetime
) -> None:
    """Most messages are acknowledged within hours, as a receipt covers its kind; a few are
    not, and their deadline (the next working day) is missed once it has passed."""
    sent = Message.objects.filter(episode=episode).order_by("sent_at")
    for kind, party, sent_at in sent.values_list("kind", "party", "sent_at").distinct():
        at = sent_at + rng.uniform(0.3, 6) * H
        if rng.random() < 0.08 or at > now:
            continue
        with contextlib.suppress(ProcessError):
            episode_record_event(
                episode=episode,
                event=Event(EventType.ACKNOWLEDGED, party=Party(party), message=MessageKind(kind)),
                at=at,
                recorded_at=at,
                membership=members[Party(party)],
                idempotency_key=f"{episode.external_id}-ack-{party}-{kind}",
            )


def _detailed(event: Event, rng: random.Random, unit: Organisation, at: datetime) -> Event:
    """The planning record's details of a demo step: a named care contact at `unit`, the
    discharge planned for the next morning."""
    if event.type is EventType.NAMED_CONTACT_APPOINTED:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        phone = f"023-{rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        return replace(event, contact=CareContact(name, phone, "Distriktssköterska", unit.name))
    if event.type is EventType.DISCHARGE_NOTICE_SENT:
        return replace(event, planned_discharge=at + 14 * H)
    return event


def seed_demo_episodes(*, count: int = 300, now: datetime) -> int:
    """Create up to `count` demo episodes (those already there are kept); returns how many new."""
    region = Organisation.objects.get(kind=Kind.REGION, name="Region Dalarna")
    wards = list(Organisation.objects.filter(kind=Kind.WARD, parent__parent=region))
    units = list(Organisation.objects.filter(kind=Kind.PRIMARY_CARE, parent=region))
    municipalities = list(Organisation.objects.filter(kind=Kind.MUNICIPALITY, parent=region))
    falun = next(m for m in municipalities if m.municipality_code == FALUN)
    existing = set(
        Episode.objects.filter(external_id__startswith="DEMO-").values_list(
            "external_id", flat=True
        )
    )
    created = 0
    for number in range(1, count + 1):
        external_id = f"DEMO-{number:04d}"
        if external_id in existing:
            continue
        rng = random.Random(number)
        target, admitted, wait = _timing(number, rng, now)
        ward = (
            next((w for w in wards if "Psykiatri" in w.name), wards[0])
            if target == "awaiting_court_decision"
            else rng.choice(wards)
        )
        care_type = (
            CareType.PSYCHIATRIC
            if "Psykiatri" in ward.name
            else rng.choice((CareType.SOMATIC, CareType.SOMATIC, CareType.GERIATRIC))
        )
        steps = _steps(target, wait) if target != "admitted" else []
        members = {
            Role.PHYSICIAN: _member(Role.PHYSICIAN, ward),
        }
        unit = rng.choice(units)
        members[Role.PRIMARY_CARE_HEAD] = _member(Role.PRIMARY_CARE_HEAD, unit)
        # Falun has the county hospital and the demo case officer: a quarter of the patients.
        home = falun if rng.random() < 0.25 else rng.choice(municipalities)
        with transaction.atomic():
            episode = episode_admit(
                actor=None,
                membership=members[Role.PHYSICIAN],
                personal_number=demo_personal_number(rng),
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                address=f"{rng.choice(STREETS)} {rng.randrange(1, 60)}, {home.name}",
                home_municipality=home,
                ward=ward,
                care_type=care_type,
                primary_care=unit,
                at=admitted,
                recorded_at=admitted,  # the demo's history is recorded as it happened
                external_id=external_id,
                idempotency_key=f"{external_id}-admitted",
            ).episode
            for index, (type_, role, event, hours) in enumerate(steps):
                at = admitted + hours * H
                if type_ is EventType.ADMISSION_NOTICE_SENT:
                    event = Event(
                        type_,
                        parties=event.parties,
                        estimated_discharge=(admitted + timedelta(days=7)).date(),
                    )
                event = _detailed(event, rng, unit, at)
                try:
                    episode_record_event(
                        episode=episode,
                        event=event,
                        at=at,
                        recorded_at=at,
                        membership=members[role],
                        idempotency_key=f"{external_id}-{index}-{type_.value}",
                    )
                except ProcessError:
                    continue  # a demo step the process refuses is left out, not forced
            recipients = {
                Party.MUNICIPALITY: _member(Role.CASE_OFFICER, home),
                Party.PRIMARY_CARE: _member(Role.CARE_CONTACT, unit),
            }
            _acknowledge(episode, recipients, rng, now)
        created += 1
    return created
