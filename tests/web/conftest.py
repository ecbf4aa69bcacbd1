"""The fixed cast of the access tests: a ward in hospital H, a primary-care unit, municipality A
(Falun) and municipality B (Borlänge) who must see nothing of A's, and the region's finance."""

from __future__ import annotations

import pytest

from service.factories import (
    PASSWORD,
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.organisations.models import Membership, Organisation, Role


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region() -> Organisation:
    return RegionFactory(name="Region Dalarna")


@pytest.fixture
def ward(region) -> Organisation:
    hospital = HospitalFactory(name="Falu lasarett", parent=region)
    return WardFactory(name="Medicinavdelning 12", parent=hospital)


@pytest.fixture
def vardcentral(region) -> Organisation:
    return PrimaryCareFactory(name="Vårdcentral Britsarvet", parent=region)


@pytest.fixture
def falun(region) -> Organisation:
    return MunicipalityFactory(municipality_code="2080", parent=region)


@pytest.fixture
def borlange(region) -> Organisation:
    return MunicipalityFactory(municipality_code="2081", parent=region)


def _member(username: str, organisation: Organisation, role: Role) -> Membership:
    return MembershipFactory(user__username=username, organisation=organisation, role=role)


@pytest.fixture
def nurse(ward) -> Membership:
    return _member("sjukskoterska", ward, Role.WARD_NURSE)


@pytest.fixture
def physician(ward) -> Membership:
    return _member("lakare", ward, Role.PHYSICIAN)


@pytest.fixture
def head_of_unit(vardcentral) -> Membership:
    return _member("verksamhetschef", vardcentral, Role.PRIMARY_CARE_HEAD)


@pytest.fixture
def care_contact(vardcentral) -> Membership:
    return _member("vardkontakt", vardcentral, Role.CARE_CONTACT)


@pytest.fixture
def officer_a(falun) -> Membership:
    return _member("handlaggare-falun", falun, Role.CASE_OFFICER)


@pytest.fixture
def officer_b(borlange) -> Membership:
    return _member("handlaggare-borlange", borlange, Role.CASE_OFFICER)


@pytest.fixture
def finance_falun(falun) -> Membership:
    return _member("ekonom-falun", falun, Role.FINANCE)


@pytest.fixture
def finance_borlange(borlange) -> Membership:
    return _member("ekonom-borlange", borlange, Role.FINANCE)


@pytest.fixture
def region_finance(region) -> Membership:
    return _member("ekonom", region, Role.FINANCE)


@pytest.fixture
def login(client):
    def log_in(membership: Membership):
        assert client.login(username=membership.user.username, password=PASSWORD)
        return client

    return log_in
