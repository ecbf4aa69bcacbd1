"""Issue 14 class 6, walked from the URL configuration: every route with data leaves an audit
entry for the request, with who, the client's address, the path and the API key's name; a read of
the patient names the patient (one entry per request, listing every patient it read); a refused
try leaves a trace too. Class 9 on the same walk: no answer may be kept in a cache."""

from __future__ import annotations

import pytest

from service.factories import MembershipFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.audit.services import entries_naming
from utskrivning.domain.demo import generate_episodes
from utskrivning.domain.identity import PersonalNumber
from utskrivning.episodes.models import Patient
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Role
from utskrivning.organisations.permissions import Data, may_read
from utskrivning.service.routes import route_data

from .conftest import demo_file_for
from .test_access_matrix import OWNERS, ROUTES, World, world

__all__ = ["world"]

WITH_DATA = [r for r in ROUTES if route_data(r) not in (Data.NONE, Data.ADMIN)]


def _reader(world: World, route: str):
    """The route's owner if it has one, else a member of the patient's organisations whom the
    permission table lets read the route's data."""
    if route in OWNERS:
        return world.members[OWNERS[route]]
    data = route_data(route)
    return next(m for m in world.members.values() if may_read(m, data))


@pytest.mark.parametrize("route", WITH_DATA)
def test_every_route_with_data_is_audited_with_address_path_and_key(world, route):
    member = _reader(world, route)
    path = world.path(route)
    response = world.ask(member, route, "GET")
    entries = AuditEntry.objects.filter(path=path, user=member.user)
    assert entries.exists(), (route, response.status_code)
    assert all(e.ip == "127.0.0.1" and e.method == "GET" for e in entries), route
    if route.startswith("api/"):
        assert {e.api_key for e in entries} == {"test system"}, route
    shown = any(secret in response.content for secret in world.secrets)
    if shown:  # an answer that shows the patient is audited as a read naming the patient
        number = PersonalNumber(world.episode.patient.personal_number)
        assert entries_naming(number).filter(path=path).count() == 1, route
        assert entries.filter(action=AuditAction.READ).count() == 1, "one entry per request"


@pytest.mark.parametrize("route", [r for r in WITH_DATA if r in OWNERS])
def test_an_outsider_s_try_on_a_patient_s_route_is_audited_and_names_no_one(world, route):
    outsider = world.outsiders["case officer of B"]
    path = world.path(route)
    response = world.ask(outsider, route, "GET")
    entries = AuditEntry.objects.filter(path=path, user=outsider.user)
    assert entries.exists(), (route, response.status_code)
    if response.status_code in (403, 404):
        assert entries.filter(action=AuditAction.DENIED, status=response.status_code).exists()
    number = PersonalNumber(world.episode.patient.personal_number)
    assert not entries_naming(number).filter(user=outsider.user).exists()


@pytest.mark.parametrize("route", ROUTES)
def test_no_answer_is_kept_in_a_cache(world, route):
    member = _reader(world, route) if route in WITH_DATA else world.members["nurse"]
    response = world.ask(member, route, "GET")
    assert "no-store" in response.get("Cache-Control", ""), (route, response.status_code)


def test_an_enumeration_of_ids_leaves_a_trace(client, cast):
    client.force_login(cast.officer_b.user)
    for pk in range(1, 6):
        client.get(f"/episodes/{pk}/")
    denied = AuditEntry.objects.filter(action=AuditAction.DENIED, user=cast.officer_b.user)
    assert sorted(denied.values_list("path", flat=True)) == [
        f"/episodes/{pk}/" for pk in range(1, 6)
    ]


def test_an_import_names_every_patient_it_stored(cast):
    """Before: one entry for 99 950 patients, with no patient reference."""
    frame = generate_episodes(12, 2020, seed=7, municipalities=["2080"])
    import_episode_file(data=demo_file_for(cast, frame), membership=cast.finance_region)
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
    stored = Patient.objects.values_list("personal_number", flat=True)
    assert len(entry.patients.split()) == len(stored) > 0
    assert all(entries_naming(PersonalNumber(n)).filter(pk=entry.pk).exists() for n in stored)


def test_admin_changes_of_memberships_roles_and_passwords_are_audited(client, cast):
    staff = MembershipFactory(organisation=cast.region, role=Role.ADMINISTRATOR).user
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    membership = cast.officer_b
    response = client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        {"user": membership.user.pk, "organisation": membership.organisation.pk,
         "role": Role.FINANCE},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    password = client.post(
        f"/admin/auth/user/{membership.user.pk}/password/",
        {"password1": "ett nytt långt lösenord", "password2": "ett nytt långt lösenord",
         "usable_password": "true"},
    )  # fmt: skip
    assert password.status_code == 302, password.content[:500]
    changes = AuditEntry.objects.filter(action=AuditAction.ADMIN_CHANGE, user=staff)
    assert {e.obj_type for e in changes} == {"membership", "user"}
    assert all(e.ip and e.path.startswith("/admin/") for e in changes)
    assert not any("långt" in e.purpose for e in changes)
