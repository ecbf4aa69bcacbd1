"""Factories for the service's models; other apps' tests import them as `service.factories`."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from utskrivning.domain.municipalities import MUNICIPALITY_CODES, municipality_name
from utskrivning.organisations.models import Kind, Membership, Organisation, Role

PASSWORD = "korrekt häst batteri häftklammer"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.django.Password(PASSWORD)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.REGION
    name = factory.Sequence(lambda n: f"Region {n}")
    rulebook_id = "dalarna-2020"


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.HOSPITAL
    name = factory.Sequence(lambda n: f"Sjukhus {n}")
    parent = factory.SubFactory(RegionFactory)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.WARD
    name = factory.Sequence(lambda n: f"Avdelning {n}")
    parent = factory.SubFactory(HospitalFactory)


class PrimaryCareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.PRIMARY_CARE
    name = factory.Sequence(lambda n: f"Vårdcentral {n}")
    parent = factory.SubFactory(RegionFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "municipality_code")

    kind = Kind.MUNICIPALITY
    municipality_code = factory.Iterator(sorted(MUNICIPALITY_CODES))
    name = factory.LazyAttribute(lambda o: municipality_name(o.municipality_code))
    parent = factory.SubFactory(RegionFactory)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.DISTRICT
    name = factory.Sequence(lambda n: f"Stadsdelsområde {n}")
    parent = factory.SubFactory(MunicipalityFactory, municipality_code="0180")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(WardFactory)
    role = Role.WARD_NURSE
