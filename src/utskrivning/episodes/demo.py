"""Demo episodes in every state, recorded through the services like real ones.

Runs after `organisations.demo.seed_demo_organisations`; idempotent (episode ids `DEMO-0001`…
and idempotency keys per step), so the demo command can call it on every start.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from utskrivning.domain.identity import valid_personal_number
from utskrivning.domain.process import Event, EventType, HomeCriterion, MessageKind, Party
from utskrivning.episodes.models import CareType, Episode
from utskrivning.episodes.services import ProcessError, episode_admit, episode_record_event
from utskrivning.organisations.models import Kind, Membership, Organisation, Role

# The state each episode is left in, in turn; closed twice as often, as in a real register.
TARGETS = (
    "admitted",
    "notified",
    "awaiting_court_decision",
    "ready",
    "home_ready",
    "discharge_notified",
    "discharged",
    "closed",
    "closed",
)
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
        target = TARGETS[number % len(TARGETS)]
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
        # Older episodes got further; spread over the last ~two months.
        admitted = now - timedelta(days=5 + rng.randrange(55), hours=rng.randrange(24))
        # Most wait a day or two after readiness; one in five more than seven days, which
        # Dalarna §11 bills individually, so the demo's invoice basis has amounts to show.
        wait = rng.uniform(0, 48) if rng.random() < 0.8 else rng.uniform(8 * 24, 11 * 24)
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
                try:
                    episode_record_event(
                        episode=episode,
                        event=event,
                        at=min(at, now),
                        recorded_at=min(at, now),
                        membership=members[role],
                        idempotency_key=f"{external_id}-{index}-{type_.value}",
                    )
                except ProcessError:
                    continue  # a demo step the process refuses is left out, not forced
            if target != "admitted" and rng.random() < 0.6:
                officer = _member(Role.CASE_OFFICER, home)
                with contextlib.suppress(ProcessError):
                    episode_record_event(
                        episode=episode,
                        event=Event(
                            EventType.ACKNOWLEDGED,
                            party=Party.MUNICIPALITY,
                            message=MessageKind.ADMISSION_NOTICE,
                        ),
                        at=min(admitted + 5 * H, now),
                        recorded_at=min(admitted + 5 * H, now),
                        membership=officer,
                        idempotency_key=f"{external_id}-ack",
                    )
        created += 1
    return created
