"""The start pages' table agrees with the routes' read permissions: a start page offered is one the
role may read (organisations.permissions.READ of its route's data), so a sign-in never lands on a
refusal."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from utskrivning.organisations.permissions import READ
from utskrivning.service.routes import route_data
from utskrivning.web.start import PAGES


@pytest.mark.parametrize("name", list(PAGES))
def test_each_start_page_needs_the_action_its_route_is_read_with(name):
    data = route_data(resolve(reverse(name)).route)
    assert data is not None, name
    assert READ[data] == PAGES[name], (name, data)
