"""`utskrivning demo-data --region dalarna` writes a file for the demo region: imported through
the real import into a demo-seeded database, no row is refused. Without --region the synthetic
file names the whole country's units, and the demo refuses it (the control that this can fail)."""

from __future__ import annotations

from datetime import datetime

import pytest
from typer.testing import CliRunner

from utskrivning.cli import app
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.episodes.demo import seed_demo_episodes
from utskrivning.episodes.models import Episode
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Membership
from utskrivning.service.commands import seed_demo

pytestmark = pytest.mark.django_db
ROWS = 400


def _demo_data(tmp_path, *region: str):
    output = tmp_path / "episodes.csv"
    arguments = ["demo-data", "--episodes", str(ROWS), "--year", "2020", "--seed", "7"]
    result = CliRunner().invoke(app, [*arguments, *region, "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_bytes()


@pytest.fixture
def finance():
    seed_demo()
    seed_demo_episodes(count=6, now=datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM))
    return Membership.objects.get(user__username="ekonom")


def test_a_file_for_the_demo_region_imports_with_no_row_refused(tmp_path, finance):
    before = Episode.objects.count()
    result = import_episode_file(
        data=_demo_data(tmp_path, "--region", "dalarna"), membership=finance
    )
    assert (result.imported, result.already_stored) == (ROWS, 0)
    assert Episode.objects.count() == before + ROWS
    wards = set(
        Episode.objects.filter(external_id__startswith="VT").values_list("ward__name", flat=True)
    )
    assert "Psykiatriavdelning 61" in wards and len(wards) == 5


def test_without_region_the_file_is_the_country_s_and_the_demo_refuses_it(tmp_path, finance):
    with pytest.raises(EpisodeFileError) as refused:
        import_episode_file(data=_demo_data(tmp_path), membership=finance)
    assert {error.column for error in refused.value.errors} <= {
        "municipality",
        "unit",
        "primary_care_unit",
        "placing_municipality",
    }


def test_an_unknown_region_is_refused_naming_the_option():
    result = CliRunner().invoke(
        app, ["demo-data", "--episodes", "5", "--year", "2020", "--region", "gotland"]
    )
    assert result.exit_code == 2
    assert "--region" in result.output
