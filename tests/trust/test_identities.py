"""Issue 14 class 12: identities across regions and names. An episode id is unique within its
region (another region's E1 was answered `already_stored` and dropped, telling the importer that
id exists elsewhere), and a ward name two hospitals share is a bad line naming both, never a
guess."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from service.factories import HospitalFactory, MunicipalityFactory, RegionFactory, WardFactory
from utskrivning.domain.episodes import EpisodeFileError
from utskrivning.episodes.episode_file import export_episode_file
from utskrivning.episodes.models import Episode
from utskrivning.imports.services import import_episode_file

HEADER = "episode_id,patient_id,municipality,care_type,unit,admitted_at,discharged_at\n"


def _file(unit: str, municipality: str = "2080", episode_id: str = "E1") -> bytes:
    row = f"{episode_id},19121212-1212,{municipality},somatic,{unit},2026-10-01 10:00,"
    return (HEADER + row + "2026-10-09 12:00\n").encode()


@pytest.fixture
def other_region(db):
    """Region Värmland with a ward of its own and the municipality Karlstad."""
    region = RegionFactory(name="Region Värmland")
    ward = WardFactory(name="Avdelning 3", parent=HospitalFactory(name="CSK", parent=region))
    MunicipalityFactory(municipality_code="1780", parent=region)
    return region, ward


def test_an_id_another_region_uses_is_imported_as_its_own(cast, other_region):
    region_b, _ = other_region
    import_episode_file(data=_file("Avdelning 12"), region=cast.region)

    result = import_episode_file(data=_file("Avdelning 3", "1780"), region=region_b)

    assert (result.imported, result.already_stored) == (1, 0)
    assert sorted(Episode.objects.values_list("external_id", "ward__name")) == [
        ("E1", "Avdelning 12"), ("E1", "Avdelning 3")
    ]  # fmt: skip
    again = import_episode_file(data=_file("Avdelning 3", "1780"), region=region_b)
    assert (again.imported, again.already_stored) == (0, 1)


def test_another_regions_stay_of_the_same_patient_is_not_named(cast, other_region):
    """The same personnummer admitted at the same time elsewhere: not this region's stay, and its
    id is not the importer's to learn."""
    region_b, _ = other_region
    import_episode_file(data=_file("Avdelning 12", episode_id="SECRET-A"), region=cast.region)
    result = import_episode_file(data=_file("Avdelning 3", "1780", "B7"), region=region_b)
    assert result.imported == 1


def test_the_database_holds_an_id_once_per_region(cast):
    import_episode_file(data=_file("Avdelning 12"), region=cast.region)
    episode = Episode.objects.get()
    episode.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        episode.save()


@pytest.fixture
def shared_name(cast):
    """A second hospital of the same region with its own Avdelning 12."""
    hospital = HospitalFactory(name="Sjukhus K", parent=cast.region)
    return WardFactory(name="Avdelning 12", parent=hospital)


def test_a_ward_name_two_hospitals_share_is_a_bad_line_naming_both(cast, shared_name):
    with pytest.raises(EpisodeFileError) as refused:
        import_episode_file(data=_file("Avdelning 12"), region=cast.region)
    [error] = refused.value.errors
    assert (error.line, error.column) == (2, "unit")
    assert "'Sjukhus H / Avdelning 12'" in error.reason
    assert "'Sjukhus K / Avdelning 12'" in error.reason
    assert not Episode.objects.exists()


def test_the_hospital_named_too_picks_the_ward_and_the_export_writes_it_so(cast, shared_name):
    with transaction.atomic():
        import_episode_file(data=_file("Sjukhus K / Avdelning 12"), region=cast.region)
        assert Episode.objects.get().ward == shared_name
        exported = export_episode_file(queryset=Episode.objects.all())
        transaction.set_rollback(True)
    assert ",Sjukhus K / Avdelning 12," in exported
    import_episode_file(data=exported.encode(), region=cast.region)  # the round trip holds
    assert Episode.objects.get().ward == shared_name


def test_a_ward_name_only_one_ward_has_stays_plain_in_the_export(cast):
    import_episode_file(data=_file("Avdelning 12"), region=cast.region)
    assert ",Avdelning 12," in export_episode_file(queryset=Episode.objects.all())
