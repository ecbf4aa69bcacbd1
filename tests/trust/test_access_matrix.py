"""The access matrix, generated from the URL configuration and the one table of what each route
shows (`service.routes.ROUTE_DATA`, read permission per kind in `organisations.permissions.READ`).

1. Every route has its kind of data; a new route without one fails here (and is refused).
2. Every role of the patient's own organisations that the table does not let read a route's kind
   of data gets 403 on it, whatever the view would do (before: a case officer got 403 on the
   invoice basis over the API and 200 on the episode file behind it on the page).
3. Every role of an organisation that is not the patient's (GET and POST) gets no patient data
   and changes nothing; the patient's own organisations read it (the control that can fail)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from episodes.test_api import token_for
from service.factories import (
    MembershipFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.domain.process import Party
from utskrivning.episodes.models import Deviation, Episode, EpisodeEvent, Note, NoteReceipt
from utskrivning.episodes.notes import note_send
from utskrivning.imports import jobs as import_jobs
from utskrivning.organisations.models import ROLE_KINDS, Role
from utskrivning.organisations.permissions import Data, may_read
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.services import dispute_open
from utskrivning.service.routes import ROUTE_DATA, all_routes, route_data

from .conftest import ADMITTED

MONTH = "2026-10"


# Who of the patient's own organisations must read each of these with 200 (the control that the
# matrix can fail); every other route is placed by `service.routes.ROUTE_DATA` alone.
OWNERS: dict[str, str] = {
    "api/episodes/worklist": "officer_a",
    "api/episodes/worklist/summary": "officer_a",
    "api/episodes/<int:pk>": "officer_a",
    "api/payment/invoice-basis/<code>/<month>": "finance_a",
    "api/payment/files/<code>/<month>/basis.xlsx": "finance_a",
    "api/payment/files/<code>/<month>/episodes.csv": "finance_a",
    "api/deviations/episodes/<int:pk>": "nurse",
    "api/import-jobs/<uuidstr:pk>": "finance_region",
    "followup/report/<int:pk>/<str:month>.<str:fmt>": "finance_a",
    "": "nurse",
    "episodes/<int:pk>/": "nurse",
    "invoices/<str:code>/<str:month>/": "finance_a",
    "invoices/<str:code>/<str:month>/basis.xlsx": "finance_a",
    "invoices/<str:code>/<str:month>/basis.pdf": "finance_a",
    "invoices/<str:code>/<str:month>/episodes.csv": "finance_a",
    "import/<uuid:pk>/": "finance_region",
}


# Writes the outsiders try: the body that would do something if access let it through.
BODIES = {
    "api/episodes/": lambda w: {"personal_number": "19121212-1212", "name": "X",
                                "home_municipality": "2080", "ward_id": w.cast.ward.pk,
                                "care_type": "somatic"},
    "api/episodes/<int:pk>/events": lambda w: {"type": "estimated_discharge_changed",
                                               "estimated_discharge": "2026-10-20"},
    "api/episodes/<int:pk>/acknowledgements": lambda w: {"message": "admission_notice"},
    "api/episodes/<int:pk>/deviations": lambda w: {"category": "other", "text": "x"},
    "api/episodes/<int:pk>/notes": lambda w: {"text": "x", "parties": ["inpatient_care"]},
    "api/payment/disputes": lambda w: {"month": MONTH, "text": "x", "episode_id": w.episode.pk},
    "api/payment/disputes/<int:pk>/answer": lambda w: {"answer": "x", "outcome": "rejected"},
    "episodes/<int:pk>/events/": lambda w: {"type": "estimated_discharge_changed",
                                            "estimated_discharge": "2026-10-20"},
    "episodes/<int:pk>/deviations/": lambda w: {"category": "other", "text": "x"},
    "episodes/<int:pk>/notes/": lambda w: {"text": "x", "parties": ["inpatient_care"]},
    "disputes/<int:pk>/answer/": lambda w: {"answer": "x", "outcome": "rejected"},
    "invoices/<str:code>/<str:month>/disputes/": lambda w: {"text": "x"},
}  # fmt: skip
DENIED = frozenset({302, 400, 401, 403, 404, 405, 422})


ROUTES = sorted(set(all_routes()))


def _about_one_patient(route: str) -> bool:
    """A route naming an episode, a dispute, an import or a municipality's invoice: outsiders
    must be refused (4xx or a redirect away); other routes are the caller's own lists."""
    return route_data(route) is Data.ADMIN or bool(re.search(r"<(?:\w+:)?(pk|code)>", route))


def test_every_route_has_its_kind_of_data_in_the_one_table():
    assert [route for route in ROUTES if route_data(route) is None] == []
    assert set(ROUTE_DATA) - {"admin/"} <= set(ROUTES), "table rows for routes now gone"
    assert set(OWNERS) <= set(ROUTES)


class World:
    """The fixed cast's patient (ward 12, municipality A, primary care C), a dispute and an
    import of region 1, and members of every role in organisations that are not the patient's."""

    def __init__(self, cast) -> None:
        self.cast = cast
        self.episode = cast.admit()
        cast.notify(self.episode, ADMITTED.replace(hour=10))
        self.episode.refresh_from_db()
        self.note = note_send(
            episode=self.episode, membership=cast.nurse, text="Hej", parties={Party.MUNICIPALITY}
        )
        self.dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="Varför?")
        self.job = import_jobs.import_job_create(
            membership=cast.finance_region, data=b"episode_id\n", name="x.csv"
        )
        other_region = RegionFactory(name="Region Gävleborg")
        other_care = PrimaryCareFactory(parent=cast.region)
        b = cast.municipality_b
        self.members = {
            "nurse": cast.nurse, "officer_a": cast.officer_a, "finance_a": cast.finance_a,
            "finance_region": cast.finance_region,
            "administrator": _member(cast.ward, Role.ADMINISTRATOR),
        }  # fmt: skip
        self.outsiders = {
            "nurse of another ward": cast.other_nurse,
            "physician of another ward": _member(cast.other_ward, Role.PHYSICIAN),
            "head of another unit": _member(other_care, Role.PRIMARY_CARE_HEAD),
            "care contact of another unit": _member(other_care, Role.CARE_CONTACT),
            "case officer of B": cast.officer_b,
            "finance of B": _member(b, Role.FINANCE),
            "analyst of B": _member(b, Role.ANALYST),
            "administrator of B": _member(b, Role.ADMINISTRATOR),
            "finance of another region": _member(other_region, Role.FINANCE),
            "analyst of another region": _member(other_region, Role.ANALYST),
            "administrator of another region": _member(other_region, Role.ADMINISTRATOR),
            "nurse of another region": _member(
                WardFactory(parent__parent=other_region), Role.WARD_NURSE
            ),
        }
        self.secrets = [
            self.episode.patient.name.encode(),
            self.episode.patient.personal_number.encode(),
            b"19121212-1212",
            self.episode.external_id.encode(),
        ]
        self._clients: dict[int, Client] = {}

    def params(self, route: str) -> dict[str, object]:
        pk = {
            "import/<uuid:pk>/": self.job.pk,
            "api/import-jobs/<": self.job.pk,
            "followup/report": self.cast.municipality_a.pk,
        }
        dispute = "disputes/<int:pk>" in route
        return {
            "pk": next((v for k, v in pk.items() if route.startswith(k)), None)
            or (self.dispute.pk if dispute else self.episode.pk),
            "code": "2080", "month": MONTH, "chart": "trend", "fmt": "pdf", "rest": "nothing",
            "object_id": self.episode.pk, "id": self.episode.pk, "app_label": "episodes",
            "content_type_id": 1, "url": "x", "note_id": self.note.pk,
        }  # fmt: skip

    def path(self, route: str) -> str:
        if route.startswith("api/(?P<rest>"):
            return "/api/nothing"
        route = re.sub(r"\^|\$|\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m[1]}>" if m[1] else "", route)
        params = self.params(route)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m[1]]), route)

    def client(self, membership) -> Client:
        if membership.pk not in self._clients:
            client = Client()
            client.force_login(membership.user)
            self._clients[membership.pk] = client
        return self._clients[membership.pk]

    def ask(self, membership, route: str, method: str):
        path, client = self.path(route), self.client(membership)
        headers = {}
        if route.startswith("api/"):
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token_for(membership)}"
        if method == "GET":
            return client.get(path, **headers)
        body = BODIES.get(route, lambda w: {})(self)
        if route.startswith("api/"):
            return client.post(path, body, content_type="application/json", **headers)
        return client.post(path, body, **headers)

    def state(self) -> tuple:
        return (
            Episode.objects.count(),
            EpisodeEvent.objects.count(),
            Deviation.objects.count(),
            Note.objects.count(),
            NoteReceipt.objects.count(),
            InvoiceDispute.objects.count(),
            InvoiceDispute.objects.get(pk=self.dispute.pk).status,
            Episode.objects.get(pk=self.episode.pk).version,
        )


def _member(organisation, role):
    return MembershipFactory(organisation=organisation, role=role)


@pytest.fixture
def world(cast) -> World:
    return World(cast)


@pytest.mark.parametrize("route", ROUTES)
def test_no_role_of_another_organisation_reads_or_writes_the_patient(world, route):
    before = world.state()
    for who, membership in world.outsiders.items():
        for method in ("GET", "POST"):
            response = world.ask(membership, route, method)
            content = getattr(response, "content", b"")
            leaked = [s for s in world.secrets if s in content]
            assert leaked == [], (who, method, world.path(route), response.status_code)
            if _about_one_patient(route):
                assert response.status_code in DENIED, (who, method, world.path(route))
    assert world.state() == before, route
    if route in OWNERS:
        response = world.ask(world.members[OWNERS[route]], route, "GET")
        assert response.status_code == 200, (OWNERS[route], world.path(route))


def _own_members(cast) -> dict[str, object]:
    """One member of every role that can sit in each of the patient's own organisations."""
    organisations = [cast.ward, cast.hospital, cast.primary_care, cast.municipality_a, cast.region]
    return {
        f"{role.value} of {organisation.name}": _member(organisation, role)
        for organisation in organisations
        for role in Role
        if organisation.kind in ROLE_KINDS[role]
    }


def test_each_role_is_refused_every_route_whose_data_the_table_keeps_from_it(world):
    members = _own_members(world.cast)
    refused = [
        (route, who, membership)
        for route in ROUTES
        for who, membership in members.items()
        if not may_read(membership, route_data(route))
    ]
    assert {route_data(route) for route, _, _ in refused} >= {Data.INVOICES, Data.PROCESS}
    for route, who, membership in refused:
        response = world.ask(membership, route, "GET")
        # "/" sends a role that may not read the worklist on to its own start page (web.start).
        expected = (302, "/start/") if route == "" else (403, None)
        got = (response.status_code, response.headers.get("Location"))
        assert got == expected, (who, world.path(route), got)
        assert not [s for s in world.secrets if s in response.content], (who, route)
