"""A person's HSA-id: the format SITHS cards carry, ASCII only, one person each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from service.factories import UserFactory
from utskrivning.organisations.models import StaffIdentity, normalise_hsa_id


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("SE2321000032-1234", "SE2321000032-1234"),
        ("se2321000032-ab12", "SE2321000032-AB12"),
        ("SE162321000255-O11111", "SE162321000255-O11111"),  # with the century prefix 16
        (" SE2120000829-K001 ", "SE2120000829-K001"),
    ],
)
def test_an_hsa_id_is_kept_in_capitals(given, stored):
    assert normalise_hsa_id(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "SE232100003-1234",  # nine digits
        "SE2321000032-",
        "SE2321000032 1234",
        "SE٢321000032-1234",  # an Arabic-Indic digit
        "SE2321000032-ÅÄÖ1",
        "SE2321000032-kıd",  # a dotless i, whose capital is an ASCII I
        "ſE2321000032-1234",  # a long s, whose capital is an ASCII S
        "SE2321000032-12345678901234567890",  # over 31 characters
        "2321000032-1234",
        "",
    ],
)
def test_anything_else_is_not_an_hsa_id(given):
    assert normalise_hsa_id(given) is None


@pytest.mark.django_db
def test_an_hsa_id_belongs_to_one_person_whatever_its_case():
    StaffIdentity.objects.create(user=UserFactory(), hsa_id="se2321000032-ab12")
    assert StaffIdentity.objects.get().hsa_id == "SE2321000032-AB12"
    second = StaffIdentity(user=UserFactory(), hsa_id="Se2321000032-Ab12")
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "hsa_id" in refused.value.message_dict


@pytest.mark.django_db
def test_a_malformed_hsa_id_is_refused_in_swedish_naming_the_field():
    identity = StaffIdentity(user=UserFactory(), hsa_id="SE12-3")
    with pytest.raises(ValidationError) as refused:
        identity.full_clean()
    assert "Ett HSA-id är SE, organisationsnumret" in refused.value.message_dict["hsa_id"][0]


@pytest.mark.django_db
def test_the_administrator_gives_a_user_the_hsa_id_on_the_users_page_and_finds_by_it(
    admin_client,
):
    user = UserFactory(username="handlaggare")
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/")
    assert 'name="identity-TOTAL_FORMS"' in page.text and "identity-__prefix__-hsa_id" in page.text
    StaffIdentity.objects.create(user=user, hsa_id="SE2321000032-K001")
    found = admin_client.get("/admin/auth/user/", {"q": "SE2321000032-K001"}).text
    other = admin_client.get("/admin/auth/user/", {"q": "SE2321000032-K002"}).text
    assert "handlaggare" in found and "handlaggare" not in other
