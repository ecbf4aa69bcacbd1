"""The web tests' cast (Falun as A, Borlänge as B, the region's finance), the follow-up's analysts
and episode file, and a client that calls the API with a system's Bearer token."""

from __future__ import annotations

import pytest

from episodes.test_api import auth
from followup import conftest as followup
from web import conftest as web

# Shared rather than copied (a conftest's fixtures are its module's names).
fast_password_hasher, login = web.fast_password_hasher, web.login
region, ward, vardcentral, falun, borlange = (
    web.region, web.ward, web.vardcentral, web.falun, web.borlange,
)  # fmt: skip
nurse, physician, officer_a, officer_b, region_finance = (
    web.nurse, web.physician, web.officer_a, web.officer_b, web.region_finance,
)  # fmt: skip
episodes, analyst_a, analyst_b = followup.episodes, followup.analyst_a, followup.analyst_b


@pytest.fixture
def api(client):
    """`api(membership, path, **query)`: a GET as the system holding the membership's token."""

    def get(membership, path, **query):
        return client.get(f"/api/{path}", query, **auth(membership))

    return get
