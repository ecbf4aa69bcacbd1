"""The cast of the apps' tests beyond `episodes`: the web tests' (Falun as A, Borlänge as B, the
region's finance), the follow-up's analysts and episode file, the API client, and the episodes
tests' `cast` for the services. A conftest takes them all (`from service.api_cast import *`): a
conftest's fixtures are its module's names."""

from __future__ import annotations

from episodes.conftest import cast
from followup import conftest as followup
from service.api_client import api
from web import conftest as web

fast_password_hasher, login = web.fast_password_hasher, web.login
region, ward, vardcentral, falun, borlange = (
    web.region, web.ward, web.vardcentral, web.falun, web.borlange,
)  # fmt: skip
nurse, physician, officer_a, officer_b, region_finance = (
    web.nurse, web.physician, web.officer_a, web.officer_b, web.region_finance,
)  # fmt: skip
episodes, analyst_a, analyst_b = followup.episodes, followup.analyst_a, followup.analyst_b

__all__ = [
    "analyst_a", "analyst_b", "api", "borlange", "cast", "episodes", "falun",
    "fast_password_hasher", "login", "nurse", "officer_a", "officer_b", "physician", "region",
    "region_finance", "vardcentral", "ward",
]  # fmt: skip
