from __future__ import annotations

import pytest

from utskrivning.organisations.models import Membership, Organisation, Role

from .factories import (
    MembershipFactory,
    MunicipalityFactory,
    RegionFactory,
    WardFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 takes half a second a hash on purpose; test_settings checks that it is used."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region() -> Organisation:
    return RegionFactory(name="Region Dalarna")


@pytest.fixture
def ward(region: Organisation) -> Organisation:
    return WardFactory(name="Medicinavdelning 12", parent__parent=region)


@pytest.fixture
def ward_nurse(ward: Organisation) -> Membership:
    return MembershipFactory(user__username="sjukskoterska", organisation=ward)


@pytest.fixture
def case_officer_falun(region: Organisation) -> Membership:
    falun = MunicipalityFactory(municipality_code="2080", parent=region)
    return MembershipFactory(
        user__username="handlaggare", organisation=falun, role=Role.CASE_OFFICER
    )
