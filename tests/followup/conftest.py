"""The web tests' cast (region Dalarna, Falun as A, Borlänge as B, the region's finance) with
follow-up analysts for A and B, and a small hand-made episode file imported into the service."""

from __future__ import annotations

import pytest

from service.api_client import api  # noqa: F401  (for the follow-up API tests)
from service.factories import MembershipFactory
from utskrivning.domain.episodes import read_episodes
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Membership, Role
from web import conftest as web

from .data import BASELINE_EPISODES, episode_file

# The web tests' fixtures, shared rather than copied (a conftest's fixtures are its module's names).
fast_password_hasher = web.fast_password_hasher
region, ward, falun, borlange = web.region, web.ward, web.falun, web.borlange
nurse, officer_a, region_finance, login = web.nurse, web.officer_a, web.region_finance, web.login


@pytest.fixture
def episodes(region, ward, falun, borlange) -> None:
    import_episode_file(data=episode_file(), region=region)


@pytest.fixture
def baseline_episodes(episodes, region) -> None:
    """2017's episodes beside 2020's, imported as a second file."""
    import_episode_file(data=episode_file(BASELINE_EPISODES, first=101), region=region)


@pytest.fixture
def frame():
    """The same file read by the domain alone: the independent side of every comparison."""
    return read_episodes(episode_file()).frame


def _analyst(username: str, organisation) -> Membership:
    return MembershipFactory(user__username=username, organisation=organisation, role=Role.ANALYST)


@pytest.fixture
def analyst_a(falun) -> Membership:
    return _analyst("analytiker-falun", falun)


@pytest.fixture
def analyst_b(borlange) -> Membership:
    return _analyst("analytiker-borlange", borlange)
