"""Organisations obey the tree and the master data; a user's active membership per session."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from service.factories import (
    DistrictFactory,
    MembershipFactory,
    MunicipalityFactory,
    PrimaryCareFactory,
    UserFactory,
    WardFactory,
)
from utskrivning.organisations.models import Kind, Membership, Organisation, Role
from utskrivning.organisations.sessions import choose_membership, current_membership

pytestmark = pytest.mark.django_db


def test_a_municipality_needs_a_real_kommunkod(region):
    municipality = Organisation(kind=Kind.MUNICIPALITY, name="Ingenstans", parent=region)
    municipality.municipality_code = "2099"
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "municipality_code" in error.value.message_dict
    municipality.municipality_code = "2080"
    municipality.full_clean()


def test_the_database_refuses_a_municipality_without_code(region):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(kind=Kind.MUNICIPALITY, name="Falun", parent=region)


def test_a_municipality_exists_once(region):
    MunicipalityFactory(municipality_code="2080", parent=region)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(
            kind=Kind.MUNICIPALITY, name="Falu kommun", municipality_code="2080", parent=region
        )


@pytest.mark.parametrize("rulebook_id", ["no-such-rulebook", "../../etc/passwd.toml", ""])
def test_a_region_needs_a_known_rulebook(rulebook_id):
    region = Organisation(kind=Kind.REGION, name="Region X", rulebook_id=rulebook_id)
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "rulebook_id" in error.value.message_dict or "__all__" in error.value.message_dict


def test_a_ward_belongs_to_a_hospital(region):
    ward = Organisation(kind=Kind.WARD, name="Avdelning 1", parent=region)
    with pytest.raises(ValidationError) as error:
        ward.full_clean()
    assert "parent" in error.value.message_dict


def test_a_district_finds_its_region_through_its_municipality():
    district = DistrictFactory(name="Södermalm")
    assert district.region == district.parent.parent
    assert district.region.kind == Kind.REGION


def test_a_role_sits_only_in_its_kind_of_organisation():
    membership = MembershipFactory.build(
        user=UserFactory(), organisation=PrimaryCareFactory(), role=Role.WARD_NURSE
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "role" in error.value.message_dict


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


def test_the_only_membership_is_the_current_one(ward_nurse):
    assert current_membership(_request(ward_nurse.user)) == ward_nurse


def test_with_several_memberships_none_is_current_until_one_is_chosen(ward_nurse):
    other = MembershipFactory(user=ward_nurse.user, organisation=WardFactory())
    request = _request(ward_nurse.user)
    assert current_membership(request) is None
    choose_membership(request, other)
    assert current_membership(request) == other


def test_no_one_chooses_another_users_membership(ward_nurse, case_officer_falun):
    request = _request(ward_nurse.user)
    with pytest.raises(PermissionDenied):
        choose_membership(request, case_officer_falun)


def test_a_removed_membership_is_no_longer_current(ward_nurse):
    MembershipFactory(user=ward_nurse.user, organisation=WardFactory())
    request = _request(ward_nurse.user)
    choose_membership(request, ward_nurse)
    Membership.objects.filter(pk=ward_nurse.pk).delete()
    assert current_membership(request) is None
