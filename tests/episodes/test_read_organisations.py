"""An episode is read with its organisations in one query after its row, not six joins: the
planning of those joins (three outer) cost PostgreSQL 3–10 ms on every request that read an
episode (issue 15). Whatever reads the episodes then finds them without another query."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from utskrivning.domain.identity import valid_personal_number
from utskrivning.episodes.models import EPISODE_ORGANISATIONS, Episode
from utskrivning.episodes.selectors import episodes_visible_to

OTHER = valid_personal_number(date(1940, 3, 1), 2)


def test_an_episode_comes_with_its_organisations_read_in_one_more_query(cast):
    first = cast.admit()
    second = cast.admit(
        personal_number=OTHER,
        ward=cast.other_ward,
        membership=cast.other_nurse,
        actor=cast.other_nurse.user,
    )
    for organisation, episode in [(cast.ward, first), (cast.hospital, second)]:
        with CaptureQueriesContext(connection) as queries:
            read = episodes_visible_to(organisation=organisation).get(pk=episode.pk)
            named = {name: getattr(read, name) for name in EPISODE_ORGANISATIONS}
        assert len(queries) == 2
        row, organisations = (q["sql"] for q in queries)
        assert '"organisations_organisation"."name"' not in row  # a hospital filters by one
        assert '"organisations_organisation"."id" IN' in organisations
        assert named["ward"] == episode.ward and named["primary_care"] == cast.primary_care
        assert named["home_municipality"] == cast.municipality_a and named["district"] is None
        assert named["region"] == episode.region


def test_a_page_of_episodes_reads_their_organisations_once_a_minute(cast):
    cast.admit()
    cast.admit(personal_number=OTHER)
    with CaptureQueriesContext(connection) as queries:
        episodes = list(Episode.objects.with_organisations().order_by("pk"))
        wards = [e.ward.name for e in episodes]
        again = Episode.objects.with_organisations().filter(pk=episodes[0].pk).first()
    assert wards == ["Avdelning 12", "Avdelning 12"] and again.ward.name == "Avdelning 12"
    assert len(queries) == 3  # the rows twice, their organisations once (kept for a minute)
    cast.ward.name = "Avdelning 12 B"
    cast.ward.save()  # a change in this process is seen at once
    assert Episode.objects.with_organisations().first().ward.name == "Avdelning 12 B"
    assert Episode.objects.with_organisations().values_list("pk", flat=True).count() == 2
