"""Disputes: the municipality questions its invoice basis, the region answers once (Dalarna §11)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from episodes.conftest import Cast, fast_password_hasher  # noqa: F401
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.lib.errors import ConflictError
from utskrivning.organisations.api_keys import api_key_issue
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.services import dispute_answer, dispute_open

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def test_a_municipality_opens_and_the_region_answers(cast):
    dispute = dispute_open(membership=cast.finance_a, month="2026-10", text="Dag 3 saknas")
    assert dispute.municipality == cast.municipality_a
    assert dispute.rulebook_id == "dalarna-2020"
    assert dispute.status == "open"
    answered = dispute_answer(
        membership=cast.finance_region,
        dispute=dispute,
        answer="Underlaget stämmer inte",
        outcome="upheld",
        at=NOW,
    )
    assert (answered.status, answered.outcome) == ("answered", "upheld")
    with pytest.raises(ConflictError):
        dispute_answer(
            membership=cast.finance_region,
            dispute=dispute,
            answer="Igen",
            outcome="rejected",
            at=NOW,
        )


@pytest.mark.parametrize("who", ["officer_a", "nurse", "finance_region"])
def test_only_municipal_finance_opens_a_dispute(cast, who):
    with pytest.raises(PermissionDenied):
        dispute_open(membership=getattr(cast, who), month="2026-10", text="?")
    assert not InvoiceDispute.objects.exists()


def test_only_the_region_answers(cast):
    dispute = dispute_open(membership=cast.finance_a, month="2026-10", text="?")
    with pytest.raises(PermissionDenied):
        dispute_answer(
            membership=cast.finance_a, dispute=dispute, answer="x", outcome="upheld", at=NOW
        )


def test_an_unknown_outcome_names_the_field(cast):
    dispute = dispute_open(membership=cast.finance_a, month="2026-10", text="?")
    with pytest.raises(ValidationError) as error:
        dispute_answer(
            membership=cast.finance_region, dispute=dispute, answer="x", outcome="maybe", at=NOW
        )
    assert "outcome" in error.value.message_dict


def _auth(membership) -> dict[str, str]:
    key = api_key_issue(membership=membership, name="test system", issued_by=None)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_disputes_over_the_api(client, cast):
    response = client.post(
        "/api/payment/disputes",
        {"month": "2026-13", "text": "?"},
        content_type="application/json",
        **_auth(cast.finance_a),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "month"
    response = client.post(
        "/api/payment/disputes",
        {"month": "2026-10", "text": "Dag 3 saknas"},
        content_type="application/json",
        **_auth(cast.finance_a),
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.post(
        f"/api/payment/disputes/{pk}/answer",
        {"answer": "Nej", "outcome": "rejected"},
        content_type="application/json",
        **_auth(cast.finance_region),
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "rejected"


def test_invoice_basis_over_the_api_is_scoped(client, cast):
    from utskrivning.imports.services import import_episode_file

    episodes = (
        "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
        "ready_at,named_contact_at,discharged_at,status\n"
        "E1,19121212-1212,2080,somatic,Avdelning 12,2026-10-01 10:00,2026-10-01 11:00,"
        "2026-10-03 10:00,2026-10-01 12:00,2026-10-20 12:00,UTFÖRD\n"
    )
    import_episode_file(data=episodes.encode(), region=cast.region, actor=None)
    url = "/api/payment/invoice-basis/2080/2026-10"
    response = client.get(url, **_auth(cast.finance_a))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [line["episode_id"] for line in body["lines"]] == ["E1"]
    assert body["lines"][0]["ready_at"] == "2026-10-03T10:00:00"
    assert (body["municipality"], body["rulebook"]) == ("2080", "dalarna-2020")
    assert client.get(url, **_auth(cast.finance_region)).status_code == 200
    assert (
        client.get("/api/payment/invoice-basis/2081/2026-10", **_auth(cast.finance_a)).status_code
        == 404
    )
    assert client.get(url, **_auth(cast.officer_a)).status_code == 403
    bad = client.get("/api/payment/invoice-basis/2080/2026-13", **_auth(cast.finance_a))
    assert (bad.status_code, bad.json()["field"]) == (422, "month")
