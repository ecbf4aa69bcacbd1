"""The demo region is complete and seeding it twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model

from utskrivning.organisations.models import Kind, Membership, Organisation, Role
from utskrivning.organisations.permissions import Action, can
from utskrivning.payment.access import may_dispute
from utskrivning.service.commands import seed_demo

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )


def test_seeding_twice_changes_nothing():
    first = seed_demo()
    counts = _counts()
    assert seed_demo() == first
    assert _counts() == counts


def test_the_demo_region_is_dalarna_with_its_fifteen_municipalities():
    seed_demo()
    region = Organisation.objects.get(kind=Kind.REGION)
    assert (region.name, region.rulebook_id) == ("Region Dalarna", "dalarna-2020")
    codes = sorted(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY).values_list(
            "municipality_code", flat=True
        )
    )
    assert len(codes) == 15
    assert (codes[0], codes[-1]) == ("2021", "2085")
    hospitals = Organisation.objects.filter(kind=Kind.HOSPITAL).values_list("name", flat=True)
    assert set(hospitals) == {"Falu lasarett", "Mora lasarett"}
    assert Organisation.objects.filter(kind=Kind.WARD, parent__kind=Kind.HOSPITAL).count() >= 2
    assert Organisation.objects.filter(kind=Kind.PRIMARY_CARE).count() == 4


def test_one_user_per_role_logs_in_with_the_demo_password():
    logins = seed_demo()
    assert {login.role for login in logins} == set(Role)
    for login in logins:
        user = authenticate(username=login.username, password="demo")
        assert user is not None
        assert user.memberships.get().role == login.role


def test_the_municipal_finance_login_may_dispute_falun_s_basis_and_the_region_s_may_not():
    """Dalarna §11: the municipality questions its own invoice basis; the region answers."""
    logins = {login.username: login for login in seed_demo()}
    falun = Organisation.objects.get(kind=Kind.MUNICIPALITY, municipality_code="2080")
    borlange = Organisation.objects.get(kind=Kind.MUNICIPALITY, municipality_code="2081")
    municipal = Membership.objects.get(user__username="kommunekonom")
    regional = Membership.objects.get(user__username="ekonom")
    assert logins["kommunekonom"].role == Role.FINANCE
    assert logins["kommunekonom"].organisation == falun.name
    assert may_dispute(municipal, falun)
    assert not may_dispute(municipal, borlange)
    assert not may_dispute(regional, falun)
    assert can(regional, Action.ANSWER_DISPUTE) and not can(municipal, Action.ANSWER_DISPUTE)
