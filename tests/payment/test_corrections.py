"""A `corrected` answer changes the invoice basis through the engine's own rules (Dalarna §11).

The case, by hand: Falun, March 2020, day rate 8 200 (Bilaga 1). E1 is ready 3 March 10:00
(before 14:00, so 3 March is day one) and discharged 20 March: 17 ready days, more than 7, so it
is billed individually for the days beyond 3: 14 days, 114 800 SEK. E2 has 1 ready day and is
counted in the average, which (1.00) does not exceed 2.0: nothing to pay for it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import polars as pl
import pytest
from django.core.exceptions import ValidationError

from episodes.conftest import Cast, fast_password_hasher, on_ward  # noqa: F401
from service.factories import MembershipFactory
from utskrivning.audit.models import AuditEntry
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.episodes import read_episodes
from utskrivning.episodes.models import Episode
from utskrivning.imports.services import import_episode_file
from utskrivning.lib.errors import NotVisibleError
from utskrivning.organisations.api_keys import api_key_issue
from utskrivning.organisations.models import Role
from utskrivning.payment.corrections import EpisodeCorrection, apply_corrections
from utskrivning.payment.selectors import disputed_invoice_basis, disputes_visible_to
from utskrivning.payment.services import dispute_answer, dispute_open

MONTH = "2020-03"
NOW = datetime(2020, 4, 10, 9, 0, tzinfo=STOCKHOLM)
# The frame holds local times without a zone, as the episode file writes them.
TEN_MARCH_LOCAL = datetime(2020, 3, 10, 10, 0, tzinfo=STOCKHOLM).replace(tzinfo=None)
EPISODES = (
    "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,ready_at,"
    "named_contact_at,discharged_at,status\n"
    "E1,19121212-1212,2080,somatic,2020-03-01 10:00,2020-03-01 11:00,2020-03-03 10:00,"
    "2020-03-01 12:00,2020-03-20 12:00,UTFÖRD\n"
    "E2,19121212-1212,2080,somatic,2020-03-08 10:00,2020-03-08 11:00,2020-03-10 10:00,"
    "2020-03-08 12:00,2020-03-11 12:00,UTFÖRD\n"
)


@pytest.fixture
def cast(db) -> Cast:
    cast = Cast()
    import_episode_file(data=on_ward(EPISODES, cast.ward).encode(), region=cast.region, actor=None)
    return cast


def _episode(external_id: str) -> Episode:
    return Episode.objects.get(external_id=external_id)


def _answer(cast, dispute, **correction):
    return dispute_answer(
        membership=cast.finance_region,
        dispute=dispute,
        answer="Gemensam analys gjord",
        outcome="corrected",
        at=NOW,
        **correction,
    )


def _totals(result) -> tuple[Decimal, int]:
    (invoice,) = result.invoices()
    return invoice.billable_days, invoice.amount_sek


def test_without_an_answer_the_basis_is_the_engine_s(cast):
    dispute_open(membership=cast.finance_a, month=MONTH, text="E1?", episode=_episode("E1"))
    basis = disputed_invoice_basis(municipality=cast.municipality_a, month=MONTH)
    assert _totals(basis.original) == (Decimal("14.00"), 114_800)
    assert basis.corrected is None
    assert [d.text for d in basis.disputes] == ["E1?"]


@pytest.mark.parametrize(
    ("hour", "ready_days", "billable", "amount"),
    [
        # 10 March 10:00, before 14:00: 10 ready days, 7 beyond 3, 7 × 8 200.
        (10, 10, Decimal("7.00"), 57_400),
        # 10 March 15:00, after 14:00: day one is 11 March, 9 ready days, 6 billed, 6 × 8 200.
        (15, 9, Decimal("6.00"), 49_200),
    ],
)
def test_a_later_readiness_time_takes_its_days_off_the_individual_bill(
    cast, hour, ready_days, billable, amount
):
    e1 = _episode("E1")
    dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="Klar 10/3", episode=e1)
    ready_at = datetime(2020, 3, 10, hour, 0, tzinfo=STOCKHOLM)
    _answer(cast, dispute, correction="ready_at", corrected_ready_at=ready_at)
    basis = disputed_invoice_basis(municipality=cast.municipality_a, month=MONTH)
    assert _totals(basis.original) == (Decimal("14.00"), 114_800)
    assert _totals(basis.corrected) == (billable, amount)
    (view,) = basis.invoices()
    line = next(v for v in view.lines if v.original.episode_id == "E1")
    assert (line.original.ready_days, line.corrected.ready_days) == (17, ready_days)
    assert line.disputes == (dispute,) == tuple(basis.corrections)


def test_an_episode_left_out_leaves_nothing_to_pay(cast):
    dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="Ej vår patient")
    _answer(cast, dispute, correction="exclude", corrected_episode=_episode("E1"))
    basis = disputed_invoice_basis(municipality=cast.municipality_a, month=MONTH)
    (corrected,) = basis.corrected.invoices()
    assert (corrected.counted_episodes, corrected.billable_days, corrected.amount_sek) == (
        1,
        Decimal("0.00"),
        0,
    )
    (view,) = basis.invoices()
    left_out = next(v for v in view.lines if v.original.episode_id == "E1")
    assert left_out.corrected is None


def test_rejected_and_upheld_answers_change_nothing(cast):
    for outcome in ("rejected", "upheld"):
        dispute = dispute_open(membership=cast.finance_a, month=MONTH, text=outcome)
        dispute_answer(
            membership=cast.finance_region, dispute=dispute, answer="Nej", outcome=outcome, at=NOW
        )
    assert disputed_invoice_basis(municipality=cast.municipality_a, month=MONTH).corrected is None


@pytest.mark.parametrize(
    ("line", "correction", "field"),
    [
        ("E1", {}, "correction"),
        ("E1", {"correction": "ready_at"}, "corrected_ready_at"),
        (
            "E1",
            {
                "correction": "ready_at",
                "corrected_ready_at": datetime(2020, 2, 1, tzinfo=STOCKHOLM),
            },
            "corrected_ready_at",
        ),
        (None, {"correction": "exclude"}, "corrected_episode_id"),
    ],
)
def test_a_corrected_answer_states_a_correction_the_engine_can_apply(cast, line, correction, field):
    episode = _episode(line) if line else None
    dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="?", episode=episode)
    with pytest.raises(ValidationError) as error:
        _answer(cast, dispute, **correction)
    assert field in error.value.message_dict
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_another_outcome_states_no_correction(cast):
    dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="?")
    with pytest.raises(ValidationError) as error:
        dispute_answer(
            membership=cast.finance_region,
            dispute=dispute,
            answer="Nej",
            outcome="rejected",
            at=NOW,
            correction="exclude",
            corrected_episode=_episode("E1"),
        )
    assert "correction" in error.value.message_dict


def test_municipality_b_can_neither_dispute_nor_see_a_s_lines(cast):
    finance_b = MembershipFactory(organisation=cast.municipality_b, role=Role.FINANCE)
    with pytest.raises(NotVisibleError):
        dispute_open(membership=finance_b, month=MONTH, text="?", episode=_episode("E1"))
    dispute_open(membership=cast.finance_a, month=MONTH, text="A:s fråga")
    assert not disputes_visible_to(organisation=cast.municipality_b).exists()
    assert disputes_visible_to(organisation=cast.region).count() == 1


def test_a_line_not_on_the_month_s_basis_cannot_be_questioned(cast):
    with pytest.raises(ValidationError) as error:
        dispute_open(membership=cast.finance_a, month="2020-04", text="?", episode=_episode("E1"))
    assert "episode_id" in error.value.message_dict


def test_opening_and_correcting_a_line_is_audited_with_the_patient(cast):
    dispute = dispute_open(membership=cast.finance_a, month=MONTH, text="?", episode=_episode("E1"))
    _answer(cast, dispute, correction="exclude")
    entries = AuditEntry.objects.filter(obj_type="invoice dispute", obj_id=str(dispute.pk))
    assert [e.purpose for e in entries.order_by("at", "id")] == [
        "invoice dispute opened",
        "invoice dispute corrected",
    ]
    assert all(e.patient_ref for e in entries)


def test_apply_corrections_drops_and_moves_rows_only():
    frame = read_episodes(EPISODES.encode()).frame
    corrected = apply_corrections(
        frame,
        [
            EpisodeCorrection("E1", ready_at=TEN_MARCH_LOCAL),
            EpisodeCorrection("E2", exclude=True),
        ],
    )
    assert corrected["episode_id"].to_list() == ["E1"]
    assert corrected["ready_at"][0] == TEN_MARCH_LOCAL
    assert corrected.schema == frame.schema
    unchanged = frame.filter(pl.col("episode_id") == "E1").drop("ready_at")
    assert corrected.drop("ready_at").equals(unchanged)


def test_the_api_answers_with_the_correction_and_the_corrected_basis(client, cast):
    def auth(membership):
        key = api_key_issue(membership=membership, name="ekonomisystem", issued_by=None)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    e1 = _episode("E1")
    opened = client.post(
        "/api/payment/disputes",
        {"month": MONTH, "text": "Klar 10/3", "episode_id": e1.pk},
        content_type="application/json",
        **auth(cast.finance_a),
    )
    assert opened.status_code == 201, opened.content
    answered = client.post(
        f"/api/payment/disputes/{opened.json()['id']}/answer",
        {"answer": "Ja", "outcome": "corrected", "correction": "ready_at",
         "corrected_ready_at": "2020-03-10T10:00:00"},  # local time, as in the file
        content_type="application/json",
        **auth(cast.finance_region),
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert (answered.json()["correction"], answered.json()["corrected_episode_id"]) == (
        "ready_at",
        e1.pk,
    )
    body = client.get(f"/api/payment/invoice-basis/2080/{MONTH}", **auth(cast.finance_a)).json()
    assert body["invoices"][0]["amount_sek"] == 114_800
    assert body["corrected"]["invoices"][0]["amount_sek"] == 57_400
    assert [c["id"] for c in body["corrected"]["corrections"]] == [opened.json()["id"]]
    listed = client.get("/api/payment/disputes", **auth(cast.finance_region)).json()
    assert [d["outcome"] for d in listed] == ["corrected"]
