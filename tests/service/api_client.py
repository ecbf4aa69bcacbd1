"""A client that calls the API with a system's Bearer token: every app's API tests take it, with
the follow-up's cast (`followup.conftest`: the web tests' cast and a small episode file)."""

from __future__ import annotations

import pytest

from episodes.test_api import auth


@pytest.fixture
def api(client):
    """`api(membership, path, **query)`: a GET as the system holding the membership's token."""

    def get(membership, path, **query):
        return client.get(f"/api/{path}", query, **auth(membership))

    return get
