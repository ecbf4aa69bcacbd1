"""The episode file in and out: all or nothing, idempotent, and the engine runs on the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from episodes.conftest import ADMITTED
from process_histories import detailed
from utskrivning.domain.episodes import EpisodeFileError, read_episodes
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.process import Event, EventType
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.episodes.episode_file import export_episode_file
from utskrivning.episodes.models import Episode, EpisodeEvent, Patient
from utskrivning.episodes.selectors import episode_frame
from utskrivning.episodes.services import episode_record_event
from utskrivning.imports.services import import_episode_file
from utskrivning.payment.basis import invoice_basis

HEADER = (
    "episode_id;patient_id;municipality;care_type;unit;"
    "admitted_at;admission_notice_at;ready_at;discharged_at;status\n"
)
GOOD = (
    HEADER
    + "E1;19121212-1212;2080;somatic;Avdelning 12;2026-10-01 10:00;2026-10-01 12:00;"
    + "2026-10-03 10:00;2026-10-09 12:00;UTFÖRD\n"
    + "E2;200001010008;2080;geriatrisk;Avdelning 12;2026-10-02 10:00;2026-10-02 11:00;;;\n"
)


def test_import_creates_episodes_and_events_once(cast):
    result = import_episode_file(data=GOOD.encode(), region=cast.region, actor=None)
    assert (result.imported, result.already_stored) == (2, 0)
    e1 = Episode.objects.get(external_id="E1")
    assert e1.state == "closed" and e1.status == "UTFÖRD"
    assert Episode.objects.get(external_id="E2").state == "notified"
    events = EpisodeEvent.objects.count()
    again = import_episode_file(data=GOOD.encode(), region=cast.region, actor=None)
    assert (again.imported, again.already_stored) == (0, 2)
    assert EpisodeEvent.objects.count() == events
    assert Patient.objects.count() == 2


def test_a_file_with_an_error_stores_nothing_and_names_line_and_column(cast):
    bad = GOOD + "E3;19121212-1213;2080;somatic;Avdelning 12;2026-10-02 10:00;;;;\n"
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=bad.encode(), region=cast.region, actor=None)
    assert any(e.line == 4 and e.column == "patient_id" for e in error.value.errors)
    assert not Episode.objects.exists()


def test_an_unknown_municipality_stores_nothing(cast):
    bad = GOOD + "E3;199001010009;2023;somatic;Avdelning 12;2026-10-02 10:00;;;;\n"
    with pytest.raises(EpisodeFileError):
        import_episode_file(data=bad.encode(), region=cast.region, actor=None)
    assert not Episode.objects.exists()


EXTRA = (
    "episode_id;patient_id;municipality;care_type;unit;placing_municipality;primary_care_unit;"
    "admitted_at\n"
)
E3 = "E3;199001010009;2080;somatic;Avdelning 12;;;2026-10-02 10:00\n"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (E3.replace("Avdelning 12", "Avdelning 99"), "unit", "not an organisation of the region"),
        (E3.replace("Avdelning 12", ""), "unit", "required: the region has more than one ward"),
        (E3.replace(";;;", ";2081x;;"), "placing_municipality", "invalid kommunkod"),
        (E3.replace(";;;", ";1880;;"), "placing_municipality", "not an organisation of the region"),
        (E3.replace(";;;", ";;Vårdcentral Z;"), "primary_care_unit",
         "not an organisation of the region"),
        (E3.replace("199001010009", "P-4711"), "patient_id",
         "a personnummer or samordningsnummer, not a pseudonym"),
        (E3.replace("E3", "E" * 65), "episode_id", "longer than 64 characters"),
    ],
)  # fmt: skip
def test_a_name_the_region_does_not_have_is_refused_not_guessed(cast, row, column, reason):
    """A wrong ward would show the patient to staff not theirs; a wrong placing municipality
    would send the bill elsewhere; a pseudonym identifies no patient to the parties."""
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=(EXTRA + row).encode(), region=cast.region, actor=None)
    assert [(e.line, e.column) for e in error.value.errors] == [(2, column)]
    assert reason in error.value.errors[0].reason
    assert not Episode.objects.exists()


def test_the_named_organisations_are_the_episode_s(cast):
    row = E3.replace(";;;", f";{cast.municipality_b.municipality_code};{cast.primary_care.name};")
    import_episode_file(data=(EXTRA + row).encode(), region=cast.region, actor=None)
    episode = Episode.objects.get()
    assert (episode.ward, episode.placing_municipality, episode.primary_care) == (
        cast.ward,
        cast.municipality_b,
        cast.primary_care,
    )


def test_export_reads_back_as_the_same_frame(cast):
    import_episode_file(data=GOOD.encode(), region=cast.region, actor=None)
    text = export_episode_file(queryset=Episode.objects.order_by("external_id"))
    original = read_episodes(GOOD.encode()).frame.drop("line")
    exported = read_episodes(text.encode()).frame.drop("line")
    assert exported.schema == original.schema
    columns = ["episode_id", "patient_id", "municipality", "admitted_at", "ready_at", "status"]
    assert exported.sort("episode_id").select(columns).equals(original.select(columns))


def test_the_engine_runs_on_the_services_data(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    steps = [
        (EventType.READY_DECLARED, cast.physician, timedelta(days=1)),
        (EventType.NAMED_CONTACT_APPOINTED, cast.head, timedelta(days=1, hours=1)),
        (EventType.DISCHARGED, cast.nurse, timedelta(days=9)),
    ]
    for type_, who, after in steps:
        episode_record_event(
            episode=episode,
            event=detailed(Event(type_), ADMITTED + after),
            at=ADMITTED + after,
            recorded_at=ADMITTED + after,
            membership=who,
        )
    frame = episode_frame(queryset=Episode.objects.all())
    assert frame.schema == read_episodes(GOOD.encode()).frame.schema
    result = compute_payment(frame, load_rulebook("dalarna-2020"), months=["2026-10"])
    basis = invoice_basis(municipality=cast.municipality_a, month="2026-10")
    assert basis.line_frame.height == result.line_frame.height == 1
    assert basis.line_frame["ready_days"].to_list() == result.line_frame["ready_days"].to_list()
    assert invoice_basis(municipality=cast.municipality_b, month="2026-10").line_frame.height == 0


def test_invoice_basis_prices_ready_days_in_the_rulebooks_period(cast):
    episodes = (
        "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
        "ready_at,named_contact_at,discharged_at,status\n"
        "E1,19121212-1212,2080,somatic,Avdelning 12,2020-03-01 10:00,2020-03-01 11:00,"
        "2020-03-03 10:00,2020-03-01 12:00,2020-03-20 12:00,UTFÖRD\n"
    )
    import_episode_file(data=episodes.encode(), region=cast.region, actor=None)
    basis = invoice_basis(municipality=cast.municipality_a, month="2020-03")
    expected = compute_payment(
        read_episodes(episodes.encode()).frame, load_rulebook("dalarna-2020"), months=["2020-03"]
    )
    assert basis.line_frame["ready_days"].to_list() == expected.line_frame["ready_days"].to_list()
    assert basis.line_frame["ready_days"][0] > 0


def test_a_stay_already_present_under_another_id_is_a_bad_line_naming_it(cast):
    """Re-importing stays under new ids would bill their days twice (issue 16, closed months)."""
    import_episode_file(data=GOOD.encode(), region=cast.region, actor=None)
    renamed = GOOD.replace("E1;", "X1;").replace("E2;", "X2;")
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=renamed.encode(), region=cast.region, actor=None)
    refusals = {(e.line, e.column): e.reason for e in error.value.errors}
    assert set(refusals) == {(2, "episode_id"), (3, "episode_id")}
    assert refusals[(2, "episode_id")].endswith("already present as episode E1")
    assert not Episode.objects.filter(external_id__startswith="X").exists()


def test_the_service_s_own_export_under_new_ids_is_refused_though_it_drops_the_seconds(cast):
    """A stay admitted on the ward is stored to the microsecond; the episode file writes it to
    the second and a region's system to the minute. The same stay re-imported under a new id is
    the same stay still (issue 16: it changed an approved month): times are compared to the
    minute, which no two admissions of one patient share."""
    admitted = ADMITTED + timedelta(seconds=37, microseconds=123_456)
    episode = cast.admit(at=admitted, external_id="WARD-1")
    exported = export_episode_file(queryset=Episode.objects.filter(pk=episode.pk))
    assert ":37" in exported  # the seconds, not the microseconds
    for renamed in (
        exported.replace("WARD-1", "NEW-1"),
        exported.replace("WARD-1", "NEW-1").replace(":37", ":00"),
    ):
        with pytest.raises(EpisodeFileError) as error:
            import_episode_file(data=renamed.encode(), region=cast.region, actor=None)
        assert error.value.errors[0].reason.endswith("already present as episode WARD-1")
    assert Episode.objects.count() == 1


def test_the_same_stay_twice_in_one_file_is_refused_at_its_second_line(cast):
    twice = GOOD + GOOD.splitlines()[1].replace("E1;", "E9;") + "\n"
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=twice.encode(), region=cast.region, actor=None)
    assert [(e.line, e.column) for e in error.value.errors] == [(4, "episode_id")]
    assert "episode E1" in error.value.errors[0].reason
    assert not Episode.objects.exists()


def test_another_admission_of_the_same_patient_is_a_new_stay(cast):
    import_episode_file(data=GOOD.encode(), region=cast.region, actor=None)
    later = HEADER + "E3;19121212-1212;2080;somatic;Avdelning 12;2026-10-20 10:00;;;;\n"
    assert import_episode_file(data=later.encode(), region=cast.region, actor=None).imported == 1
