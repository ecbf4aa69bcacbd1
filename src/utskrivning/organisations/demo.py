"""The demo region: Region Dalarna with its municipalities, two hospitals, four vårdcentraler
and one user per role (finance twice: the region's approves an invoice basis, Falun's questions
it). Idempotent, so `utskrivning demo` can run it on every start."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from utskrivning.domain.demo_regions import DALARNA
from utskrivning.domain.municipalities import MUNICIPALITY_CODES, municipality_name
from utskrivning.organisations.models import Kind, Membership, Organisation, Role

DEMO_PASSWORD = "demo"


class DemoLogin(NamedTuple):
    username: str
    role: Role
    organisation: str


def _organisation(
    kind: Kind, name: str, parent: Organisation | None, **fields: str
) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        kind=kind, name=name, parent=parent, defaults=fields
    )
    if created:
        organisation.full_clean()  # the demo data obeys the same rules as the admin's
    return organisation


@transaction.atomic
def seed_demo_organisations() -> list[DemoLogin]:
    region = _organisation(Kind.REGION, DALARNA.name, None, rulebook_id=DALARNA.rulebook)
    municipalities = {
        code: _organisation(
            Kind.MUNICIPALITY, municipality_name(code), region, municipality_code=code
        )
        for code in sorted(MUNICIPALITY_CODES)
        if code.startswith(DALARNA.county)  # a kommunkod's first two digits: its län
    }
    wards = [
        _organisation(Kind.WARD, ward, _organisation(Kind.HOSPITAL, hospital, region))
        for hospital, names in DALARNA.hospitals.items()
        for ward in names
    ]
    units = [_organisation(Kind.PRIMARY_CARE, name, region) for name in DALARNA.primary_care]
    falun = municipalities["2080"]
    cast = [
        ("sjukskoterska", "Sara", "Sjuksköterska", Role.WARD_NURSE, wards[0]),
        ("lakare", "Lars", "Läkare", Role.PHYSICIAN, wards[0]),
        ("verksamhetschef", "Vera", "Verksamhetschef", Role.PRIMARY_CARE_HEAD, units[0]),
        ("vardkontakt", "Vilma", "Vårdkontakt", Role.CARE_CONTACT, units[0]),
        ("handlaggare", "Hanna", "Handläggare", Role.CASE_OFFICER, falun),
        ("ekonom", "Erik", "Ekonom", Role.FINANCE, region),
        # Only a municipality's own finance questions its invoice basis (Dalarna §11).
        ("kommunekonom", "Klara", "Kommunekonom", Role.FINANCE, falun),
        ("analytiker", "Anna", "Analytiker", Role.ANALYST, region),
        ("administrator", "Adam", "Administratör", Role.ADMINISTRATOR, region),
    ]
    logins = []
    for username, first_name, last_name, role, organisation in cast:
        _member(username, first_name, last_name, role, organisation)
        logins.append(DemoLogin(username, role, organisation.name))
    return logins


def _member(
    username: str, first_name: str, last_name: str, role: Role, organisation: Organisation
) -> None:
    is_admin = role == Role.ADMINISTRATOR
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    if created:
        # Set once: a password changed during the demo stays changed.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
