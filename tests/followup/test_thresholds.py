"""The trend's threshold under a county-average stage (Stockholm 2020 etapp 2): the payment
engine's county average, drawn per month, not the cap.

January–October 2020 across the county: Solna 1 and 2 ready days, Huddinge 2 and 2 → 7/4 = 1.75
(as tests/domain/payment/test_stockholm.py); Solna alone would be 1.5. November and December
are etapp 2.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from audit.reads import patients_read, references
from service.factories import (
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.episodes.models import Episode
from utskrivning.followup.filters import Care
from utskrivning.followup.thresholds import county_window, month_thresholds
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Role

from .data import episode_file

SOLNA, HUDDINGE = "0184", "0126"
EPISODES = (
    ("S1", SOLNA, "somatic", "2020-03-01 08:00", "2020-03-02 10:00", "2020-03-03 12:00"),  # 1
    ("S2", SOLNA, "somatic", "2020-05-03 08:00", "2020-05-04 10:00", "2020-05-06 12:00"),  # 2
    ("H1", HUDDINGE, "somatic", "2020-05-30 08:00", "2020-06-01 10:00", "2020-06-03 12:00"),  # 2
    ("H2", HUDDINGE, "somatic", "2020-10-04 08:00", "2020-10-05 10:00", "2020-10-07 12:00"),  # 2
    ("S3", SOLNA, "somatic", "2020-11-01 08:00", "2020-11-02 10:00", "2020-11-05 12:00"),  # 3
    ("H3", HUDDINGE, "somatic", "2020-11-30 08:00", "2020-12-01 10:00", "2020-12-02 12:00"),  # 1
    # A day-zero psychiatric discharge in each other month of etapp 1: the county's episodes then
    # cover the window, as the engine requires to compute its average (payment-rules.md).
    *(
        (f"P{m}", HUDDINGE, "psychiatric", f"2020-{m:02d}-14 08:00", f"2020-{m:02d}-15 10:00",
         f"2020-{m:02d}-15 16:00")
        for m in (1, 2, 4, 7, 8, 9)
    ),
)  # fmt: skip
MONTHS = ["2020-10", "2020-11", "2020-12"]


@pytest.fixture
def stockholm():
    return load_rulebook("stockholm-2020")


def _days(thresholds) -> dict[str, tuple[Decimal, str]]:
    return {t.month: (t.days, t.basis) for t in thresholds}


def test_the_county_average_is_the_engine_s_over_the_whole_county(stockholm):
    county = read_episodes(episode_file(EPISODES)).frame
    assert _days(month_thresholds(stockholm, MONTHS, Care.ALL, county=county)) == {
        "2020-10": (Decimal("2.0"), "agreed"),  # etapp 1
        "2020-11": (Decimal("1.75"), "county_average"),
        "2020-12": (Decimal("1.75"), "county_average"),
    }


def test_without_the_county_s_episodes_the_cap_is_drawn_and_named(stockholm):
    assert _days(month_thresholds(stockholm, MONTHS[1:], Care.ALL)) == {
        "2020-11": (Decimal("2.0"), "cap"),
        "2020-12": (Decimal("2.0"), "cap"),
    }


def test_a_county_that_does_not_cover_the_window_draws_the_cap(stockholm):
    """The engine computes the county average only from every month of etapp 1; short of that
    the trend draws the cap and its note says the episodes cannot give the average."""
    county = read_episodes(episode_file(EPISODES[:6])).frame
    assert _days(month_thresholds(stockholm, MONTHS[1:], Care.ALL, county=county)) == {
        "2020-11": (Decimal("2.0"), "cap"),
        "2020-12": (Decimal("2.0"), "cap"),
    }


def test_psychiatric_care_has_no_county_average(stockholm):
    assert county_window(stockholm, MONTHS, Care.PSYCHIATRIC) is None
    assert county_window(stockholm, MONTHS[:1], Care.ALL) is None  # etapp 1 only
    assert county_window(stockholm, MONTHS, Care.SOMATIC) == (date(2020, 1, 1), date(2020, 10, 31))


@pytest.fixture
def solna_analyst(db):
    region = RegionFactory(name="Region Stockholm", rulebook_id="stockholm-2020")
    WardFactory(name="Medicinavdelning 12", parent=HospitalFactory(parent=region))
    solna = MunicipalityFactory(municipality_code=SOLNA, parent=region)
    MunicipalityFactory(municipality_code=HUDDINGE, parent=region)
    import_episode_file(data=episode_file(EPISODES), region=region)
    return MembershipFactory(user__username="analytiker-solna", organisation=solna,
                             role=Role.ANALYST)  # fmt: skip


@pytest.mark.django_db
def test_a_municipality_s_trend_is_drawn_against_the_county_average(client, login, solna_analyst):
    login(solna_analyst)
    response = client.get("/followup/data/trend.csv?from=2020-10&to=2020-12")
    rows = {r["Nyckel"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert {month: rows[month]["Gräns"] for month in MONTHS} == {
        "2020-10": "2", "2020-11": "1.75", "2020-12": "1.75",
    }  # fmt: skip
    assert rows["2020-11"]["Värde"] == "3"  # Solna's own November: S3
    page = client.get("/followup/?from=2020-10&to=2020-12").text
    assert 'class="muted threshold-note"' in page and "1,75" in page
    # Huddinge's episodes of the window are read for the threshold, and logged as such.
    read = patients_read(purpose__contains="follow-up county average")
    huddinge = Episode.objects.filter(external_id__in=["H1", "H2"]).select_related("patient")
    assert references(huddinge) <= read


@pytest.mark.django_db
def test_the_report_s_trend_has_the_county_average_too(client, login, solna_analyst):
    login(solna_analyst)
    solna = solna_analyst.organisation
    content = client.get(f"/followup/report/{solna.pk}/2020-12.xlsx").content
    header, *rows = openpyxl.load_workbook(io.BytesIO(content))["Trend"].iter_rows(values_only=True)
    threshold = {row[0]: row[header.index("Gräns")] for row in rows}
    assert (threshold["2020-10"], threshold["2020-11"], threshold["2020-12"]) == (2, 1.75, 1.75)
