"""The access matrix, generated from the URLconf: every route of the service, asked by every role
of an organisation that is not the patient's (GET and POST), answers without the patient's data
and changes nothing; the patient's own organisations read it (the control that the matrix can
fail). A route missing from EXPECTATIONS fails the test, so a new endpoint must be placed here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from episodes.test_api import token_for
from service.factories import (
    MembershipFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.episodes.models import Deviation, Episode, EpisodeEvent
from utskrivning.imports import jobs as import_jobs
from utskrivning.organisations.models import Role
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.services import dispute_open

from .conftest import ADMITTED

MONTH = "2026-10"


@dataclass(frozen=True)
class Expect:
    """`scope`: what the route is about. "patient": one patient's episode, import or the
    municipality's invoice (outsiders: 4xx or a redirect away); "list": the caller's own
    lists (200 allowed, the patient absent); "public": no patient data at all.
    `owner`: the member who must read it with 200 (GET)."""

    scope: str
    owner: str | None = None


PATIENT = Expect("patient")
LIST = Expect("list")
PUBLIC = Expect("public")
EXPECTATIONS: dict[str, Expect] = {
    "admin/": Expect("patient"),  # every admin route: staff only, and no member is staff
    "accounts/login/": PUBLIC,
    "accounts/logout/": PUBLIC,
    "accounts/organisation/": PUBLIC,
    "i18n/setlang/": PUBLIC,
    "api/": PUBLIC,
    "api/openapi.json": PUBLIC,
    "api/docs": PUBLIC,
    "api/health": PUBLIC,
    "api/^(?P<rest>[\\s\\S]*)$": PUBLIC,
    "api/episodes/worklist": Expect("list", owner="officer_a"),
    "api/episodes/<int:pk>": Expect("patient", owner="officer_a"),
    "api/episodes/": PATIENT,  # admit: to the outsider's own ward only
    "api/episodes/<int:pk>/events": PATIENT,
    "api/episodes/<int:pk>/acknowledgements": PATIENT,
    "api/episodes/<int:pk>/deviations": PATIENT,
    "api/episodes/deviations": LIST,
    "api/episodes/import": LIST,
    "api/payment/invoice-basis/<code>/<month>": Expect("patient", owner="finance_a"),
    "api/payment/invoice-basis/<code>/<month>/approval": PATIENT,
    "api/payment/invoice-basis/<code>/<month>/reopen": PATIENT,
    "api/payment/disputes": LIST,
    "api/payment/disputes/<int:pk>/answer": PATIENT,
    "api/payment/files/<code>/<month>/basis.xlsx": Expect("patient", owner="finance_a"),
    "api/payment/files/<code>/<month>/episodes.csv": Expect("patient", owner="finance_a"),
    "api/deviations/episodes/<int:pk>": Expect("patient", owner="nurse"),
    "api/deviations/followup": LIST,
    "api/deviations/followup.csv": LIST,
    "api/followup/dashboard": LIST,
    "api/import-jobs/": LIST,
    "api/import-jobs/<uuidstr:pk>": Expect("patient", owner="finance_region"),
    "followup/": LIST,
    "followup/data/<str:chart>.csv": LIST,
    "followup/report/<int:pk>/<str:month>.<str:fmt>": Expect("patient", owner="finance_a"),
    "": Expect("list", owner="nurse"),
    "episodes/new/": LIST,
    "episodes/<int:pk>/": Expect("patient", owner="nurse"),
    "episodes/<int:pk>/events/": PATIENT,
    "episodes/<int:pk>/deviations/": PATIENT,
    "deviations/": LIST,
    "deviations/deviations.csv": LIST,
    "disputes/": LIST,
    "disputes/<int:pk>/answer/": PATIENT,
    "invoices/": LIST,
    "invoices/<str:code>/<str:month>/": Expect("patient", owner="finance_a"),
    "invoices/<str:code>/<str:month>/disputes/": PATIENT,
    "invoices/<str:code>/<str:month>/approve/": PATIENT,
    "invoices/<str:code>/<str:month>/reopen/": PATIENT,
    "invoices/<str:code>/<str:month>/basis.xlsx": Expect("patient", owner="finance_a"),
    "invoices/<str:code>/<str:month>/basis.pdf": Expect("patient", owner="finance_a"),
    "invoices/<str:code>/<str:month>/episodes.csv": Expect("patient", owner="finance_a"),
    "import/": LIST,
    "import/<uuid:pk>/": Expect("patient", owner="finance_region"),
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
    "api/payment/disputes": lambda w: {"month": MONTH, "text": "x", "episode_id": w.episode.pk},
    "api/payment/disputes/<int:pk>/answer": lambda w: {"answer": "x", "outcome": "rejected"},
    "episodes/<int:pk>/events/": lambda w: {"type": "estimated_discharge_changed",
                                            "estimated_discharge": "2026-10-20"},
    "episodes/<int:pk>/deviations/": lambda w: {"category": "other", "text": "x"},
    "disputes/<int:pk>/answer/": lambda w: {"answer": "x", "outcome": "rejected"},
    "invoices/<str:code>/<str:month>/disputes/": lambda w: {"text": "x"},
    "invoices/<str:code>/<str:month>/reopen/": lambda w: {"reason": "x"},
    "api/payment/invoice-basis/<code>/<month>/reopen": lambda w: {"reason": "x"},
}  # fmt: skip
DENIED = frozenset({302, 400, 401, 403, 404, 405, 422})


def _routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ROUTES = sorted(set(_routes()))


def _expectation(route: str) -> Expect | None:
    return EXPECTATIONS.get("admin/" if route.startswith("admin/") else route)


def test_every_route_has_an_expectation():
    assert [route for route in ROUTES if _expectation(route) is None] == []
    assert set(EXPECTATIONS) - {"admin/"} <= set(ROUTES), "expectations for routes now gone"


class World:
    """The fixed cast's patient (ward 12, municipality A, primary care C), a dispute and an
    import of region 1, and members of every role in organisations that are not the patient's."""

    def __init__(self, cast) -> None:
        self.cast = cast
        self.episode = cast.admit()
        cast.notify(self.episode, ADMITTED.replace(hour=10))
        self.episode.refresh_from_db()
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
            "content_type_id": 1, "url": "x",
        }  # fmt: skip

    def path(self, route: str) -> str:
        if route.startswith("api/^"):
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
    expect = _expectation(route)
    before = world.state()
    for who, membership in world.outsiders.items():
        for method in ("GET", "POST"):
            response = world.ask(membership, route, method)
            content = getattr(response, "content", b"")
            leaked = [s for s in world.secrets if s in content]
            assert leaked == [], (who, method, world.path(route), response.status_code)
            if expect.scope == "patient":
                assert response.status_code in DENIED, (who, method, world.path(route))
    assert world.state() == before, route
    if expect.owner is not None:
        response = world.ask(world.members[expect.owner], route, "GET")
        assert response.status_code == 200, (expect.owner, world.path(route))
