"""The access rules as a matrix: role × own or other organisation × action, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from process_histories import CONTACT
from utskrivning.domain.process import Event, EventType, MessageKind, Party
from utskrivning.episodes.models import EpisodeEvent
from utskrivning.episodes.selectors import episodes_visible_to
from utskrivning.episodes.services import episode_record_event
from utskrivning.episodes.worklist import current_worklist

from .conftest import ADMITTED

H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("nurse", True),
        ("other_nurse", False),
        ("officer_a", True),
        ("officer_b", False),
        ("head", True),
        ("finance_region", False),
    ],
)
def test_who_sees_a_notified_episode(cast, who, sees):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    organisation = getattr(cast, who).organisation
    assert episodes_visible_to(organisation=organisation).filter(pk=episode.pk).exists() is sees


def test_hospital_sees_its_wards_episodes(cast):
    episode = cast.admit()
    assert list(episodes_visible_to(organisation=cast.hospital)) == [episode]


@pytest.mark.parametrize("who", ["officer_a", "head"])
def test_nothing_is_visible_before_the_notice(cast, who):
    cast.admit()
    assert not episodes_visible_to(organisation=getattr(cast, who).organisation).exists()


def test_placing_municipality_sees_the_episode_and_home_municipality_too(cast):
    episode = cast.admit(placing_municipality=cast.municipality_b)
    cast.notify(episode, ADMITTED + H)
    assert episodes_visible_to(organisation=cast.municipality_b).filter(pk=episode.pk).exists()


EVENTS = {
    "declare_ready": Event(EventType.READY_DECLARED),
    "change_estimate": Event(
        EventType.ESTIMATED_DISCHARGE_CHANGED, estimated_discharge=ADMITTED.date() + H * 48
    ),
    "appoint_contact": Event(EventType.NAMED_CONTACT_APPOINTED, contact=CONTACT),
    "acknowledge_municipality": Event(
        EventType.ACKNOWLEDGED, party=Party.MUNICIPALITY, message=MessageKind.ADMISSION_NOTICE
    ),
    "consent_municipality": Event(EventType.CONSENT_RECORDED, party=Party.MUNICIPALITY),
}


@pytest.mark.parametrize(
    ("who", "action", "allowed"),
    [
        ("physician", "declare_ready", True),
        ("nurse", "declare_ready", False),
        ("other_nurse", "change_estimate", False),
        ("nurse", "change_estimate", True),
        ("officer_a", "declare_ready", False),
        ("head", "appoint_contact", True),
        ("care_contact", "appoint_contact", False),
        ("officer_a", "appoint_contact", False),
        ("officer_a", "acknowledge_municipality", True),
        ("officer_b", "acknowledge_municipality", False),
        ("nurse", "acknowledge_municipality", False),
        ("officer_a", "consent_municipality", True),
        ("officer_b", "consent_municipality", False),
        ("head", "consent_municipality", False),
    ],
)
def test_role_organisation_action_matrix(cast, who, action, allowed):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    before = EpisodeEvent.objects.count()
    record = {
        "episode": episode,
        "event": EVENTS[action],
        "at": ADMITTED + 2 * H,
        "recorded_at": ADMITTED + 2 * H,
        "membership": getattr(cast, who),
    }
    if allowed:
        episode_record_event(**record)
        assert EpisodeEvent.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            episode_record_event(**record)
        assert EpisodeEvent.objects.count() == before


def test_worklist_rows_have_obligations_and_constant_queries(cast, django_assert_max_num_queries):
    for number in ("19121212-1212", "200001010008", "199001010009"):
        episode = cast.admit(personal_number=number)
        cast.notify(episode, ADMITTED + H)
    now = ADMITTED + timedelta(days=2)
    with django_assert_max_num_queries(12):
        rows = current_worklist(organisation=cast.municipality_a, now=now, actor=None)
    assert len(rows) == 3
    assert all(row.state == "notified" for row in rows)
    assert current_worklist(organisation=cast.municipality_b, now=now, actor=None) == []
