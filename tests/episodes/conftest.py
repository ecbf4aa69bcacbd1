"""The fixed cast: hospital H with a ward, municipalities A and B, a primary-care unit."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.factories import (
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import Event, EventType, Party
from utskrivning.episodes.services import episode_admit, episode_record_event
from utskrivning.organisations.models import Organisation, Role

ADMITTED = datetime(2026, 10, 5, 9, 0, tzinfo=STOCKHOLM)
PERSONAL_NUMBER = "19121212-1212"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Cast:
    def __init__(self) -> None:
        self.region = RegionFactory(name="Region Dalarna")
        self.hospital = HospitalFactory(name="Sjukhus H", parent=self.region)
        self.ward = WardFactory(name="Avdelning 12", parent=self.hospital)
        self.other_ward = WardFactory(name="Avdelning 14", parent=self.hospital)
        self.municipality_a = MunicipalityFactory(municipality_code="2080", parent=self.region)
        self.municipality_b = MunicipalityFactory(municipality_code="2081", parent=self.region)
        self.primary_care = PrimaryCareFactory(name="Vårdcentral C", parent=self.region)
        self.nurse = MembershipFactory(organisation=self.ward, role=Role.WARD_NURSE)
        self.physician = MembershipFactory(organisation=self.ward, role=Role.PHYSICIAN)
        self.other_nurse = MembershipFactory(organisation=self.other_ward, role=Role.WARD_NURSE)
        self.officer_a = MembershipFactory(organisation=self.municipality_a, role=Role.CASE_OFFICER)
        self.officer_b = MembershipFactory(organisation=self.municipality_b, role=Role.CASE_OFFICER)
        self.head = MembershipFactory(organisation=self.primary_care, role=Role.PRIMARY_CARE_HEAD)
        self.care_contact = MembershipFactory(
            organisation=self.primary_care, role=Role.CARE_CONTACT
        )
        self.finance_a = MembershipFactory(organisation=self.municipality_a, role=Role.FINANCE)
        self.finance_region = MembershipFactory(organisation=self.region, role=Role.FINANCE)

    def admit(self, at: datetime = ADMITTED, **kwargs):
        arguments = {
            "actor": self.nurse.user,
            "membership": self.nurse,
            "personal_number": PERSONAL_NUMBER,
            "name": "Tolvan Tolvansson",
            "address": "Storgatan 1, Falun",
            "home_municipality": self.municipality_a,
            "ward": self.ward,
            "care_type": "somatic",
            "primary_care": self.primary_care,
            "at": at,
            "recorded_at": at,  # the cast's history is written as it happens
        } | kwargs
        return episode_admit(**arguments).episode

    def notify(self, episode, at: datetime, **kwargs):
        return episode_record_event(
            episode=episode,
            event=Event(
                EventType.ADMISSION_NOTICE_SENT,
                parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}),
                estimated_discharge=at.date(),
            ),
            at=at,
            recorded_at=at,
            membership=self.nurse,
            **kwargs,
        )


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def on_ward(episodes: str, ward: Organisation) -> str:
    """An episode file's text with every row on `ward`: a region with several wards must be
    told each episode's (the import guesses none)."""
    header, *rows = episodes.splitlines()
    return "\n".join([f"{header},unit", *(f"{row},{ward.name}" for row in rows)]) + "\n"
