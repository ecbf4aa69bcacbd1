"""Stockholm 2020 etapp 2: the threshold is the county's average, so the service's invoice basis
for one municipality must be computed with the whole county's episodes of the window.

By hand: municipality B (2081) has two episodes in March 2020, each ready one calendar day
(ready 2 March, discharged 3 March), and a psychiatric day-zero in every other month of the
window. Municipality A (2080) has one in November 2020, ready 2 and discharged 4 November: two
days. Etapp 2's threshold is the county's average over January to
October 2020, below the cap 2.0, so A's average of 2 days exceeds it; with A's episodes alone the
engine cannot compute it and stops.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from episodes.conftest import Cast, fast_password_hasher, on_ward  # noqa: F401
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.payment import PaymentError, compute_payment
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.imports.services import import_episode_file
from utskrivning.payment.basis import invoice_basis

HEADER = (
    "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,ready_at,"
    "named_contact_at,discharged_at,status\n"
)
WINDOW = (
    "B1,19121212-1212,2081,somatic,2020-03-01 08:00,2020-03-01 09:00,2020-03-02 10:00,"
    "2020-03-01 10:00,2020-03-03 12:00,UTFÖRD\n"
    "B2,19121212-1212,2081,somatic,2020-03-05 08:00,2020-03-05 09:00,2020-03-06 10:00,"
    "2020-03-05 10:00,2020-03-07 12:00,UTFÖRD\n"
) + "".join(
    # A psychiatric day-zero in B each other month of etapp 1: the county's episodes cover the
    # window, which the engine needs to compute the average (payment-rules.md).
    f"F{m},19121212-1212,2081,psychiatric,2020-{m:02d}-14 08:00,2020-{m:02d}-14 09:00,"
    f"2020-{m:02d}-15 10:00,2020-{m:02d}-14 10:00,2020-{m:02d}-15 16:00,UTFÖRD\n"
    for m in (1, 2, 4, 5, 6, 7, 8, 9, 10)
)
NOVEMBER = (
    "A1,19121212-1212,2080,somatic,2020-11-01 08:00,2020-11-01 09:00,2020-11-02 10:00,"
    "2020-11-01 10:00,2020-11-04 12:00,UTFÖRD\n"
)


@pytest.fixture
def cast(db) -> Cast:
    cast = Cast()
    cast.region.rulebook_id = "stockholm-2020"
    cast.region.save()
    episodes = on_ward(HEADER + WINDOW + NOVEMBER, cast.ward)
    import_episode_file(data=episodes.encode(), region=cast.region, actor=None)
    return cast


def _invoice(result):
    (invoice,) = result.invoices()
    return invoice


def test_the_county_average_is_the_whole_county_s_not_the_municipality_s(cast):
    served = _invoice(invoice_basis(municipality=cast.municipality_a, month="2020-11"))
    whole_file = read_episodes((HEADER + WINDOW + NOVEMBER).encode()).frame
    engine = [
        i
        for i in compute_payment(
            whole_file, load_rulebook("stockholm-2020"), months=["2020-11"]
        ).invoices()
        if i.municipality == "2080"
    ]
    # The same invoice as the engine's run on the whole county's file (line numbers aside).
    assert replace(served, lines=()) == replace(engine[0], lines=())
    assert served.threshold_days < Decimal("2.0")
    assert served.liable and served.amount_sek > 0


def test_without_the_county_the_run_stops_naming_the_parameter(cast):
    """Why the selector reads the county: A's episodes alone cannot give the county average,
    and the engine never falls back on the cap silently (payment-rules.md)."""
    alone = read_episodes((HEADER + NOVEMBER).encode()).frame
    with pytest.raises(PaymentError, match="county_average_2020"):
        compute_payment(alone, load_rulebook("stockholm-2020"), months=["2020-11"])


def test_the_county_s_episodes_are_not_on_the_municipality_s_basis(cast):
    served = invoice_basis(municipality=cast.municipality_a, month="2020-11")
    assert served.line_frame["episode_id"].to_list() == ["A1"]
