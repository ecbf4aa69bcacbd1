"""The demo shows money: Dalarna's agreement, extended by its §13, and the national day rate cover
the months the demo's episodes are discharged in, so its invoice basis has amounts to show."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from utskrivning.domain import rulebooks
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.episodes.demo import seed_demo_episodes
from utskrivning.organisations.demo import seed_demo_organisations
from utskrivning.organisations.models import Kind, Organisation
from utskrivning.payment.basis import invoice_basis

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)
DATA = Path(rulebooks.__file__).parent / "data"


@pytest.mark.django_db
def test_the_demo_invoice_basis_has_a_liable_municipality_with_an_amount():
    seed_demo_organisations()
    seed_demo_episodes(count=150, now=NOW)
    amounts = {
        (municipality.municipality_code, month): sum(
            invoice.amount_sek
            for invoice in invoice_basis(municipality=municipality, month=month).invoices()
        )
        for municipality in Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        for month in ("2026-10", "2026-11")
    }
    for month in ("2026-10", "2026-11"):
        assert any(amount > 0 for (_, m), amount in amounts.items() if m == month), month
    # Falun is the demo case officer's municipality: the first invoice page anyone opens.
    assert amounts[("2080", "2026-10")] + amounts[("2080", "2026-11")] > 0


def test_every_national_day_rate_is_cited_or_assumed():
    """A year's rate the project has not seen published says so, never silently."""
    raw = tomllib.loads((DATA / "national-day-rates.toml").read_text(encoding="utf-8"))
    assert sorted(raw["rates"]) == sorted(raw["sources"])
    assert sorted(raw["assumed"]) == sorted(raw["assumptions"])
    assert not set(raw["rates"]) & set(raw["assumed"])
    assert all(text.strip() for text in (raw["sources"] | raw["assumptions"]).values())


@pytest.mark.django_db
def test_the_demo_invoice_lists_the_assumed_day_rate():
    """2026 has no published rate in the project: the service bills with 2022's 9 300 carried
    forward and every invoice of the month says so (payment-rules.md)."""
    seed_demo_organisations()
    seed_demo_episodes(count=60, now=NOW)
    falun = Organisation.objects.get(kind=Kind.MUNICIPALITY, municipality_code="2080")
    invoices = invoice_basis(municipality=falun, month="2026-10").invoices()
    assert invoices
    assert all(any(a.startswith("day_rate_2026 = 9300") for a in i.assumptions) for i in invoices)
