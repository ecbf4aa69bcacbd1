"""schemathesis against the service's own OpenAPI schema: no 5xx, and every 4xx is JSON naming
what was wrong. Bounded (a few examples an operation and mode) so the suite stays fast; `make fuzz`
runs the same test with many more (UTSKRIVNING_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from episodes.test_api import token_for
from utskrivning.service.api import api

EXAMPLES = int(os.environ.get("UTSKRIVNING_FUZZ_EXAMPLES", "6"))
# A 4xx for a request whose body or parameters were wrong names the field.
FIELD_STATUSES = frozenset({400, 422})
RAW = api.get_openapi_schema(path_prefix="/api/")
SCHEMA = schemathesis.openapi.from_dict(RAW)
# Negative cases need something to break: a parameter, a body or the credentials.
BREAKABLE = ("parameters", "requestBody", "security")
CASES = [
    (operation, mode)
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or any(RAW["paths"][operation.path][operation.method.lower()].get(key) for key in BREAKABLE)
]


@pytest.fixture
def wsgi_app():
    """Django in-process on the test's own connection: like the test client, the request must not
    close the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    ("operation", "mode"), CASES, ids=[f"{o.label} {m.value}" for o, m in CASES]
)
def test_generated_requests_get_no_server_error(operation, mode, cast, notified, wsgi_app):
    headers = {"Authorization": f"Bearer {token_for(cast.nurse)}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def check(case):
        # Half the generated ids are replaced by an episode the caller sees, to reach past 404.
        if (
            isinstance((case.path_parameters or {}).get("pk"), int)
            and case.path_parameters["pk"] % 2
        ):
            case.path_parameters["pk"] = notified.pk
        response = case.call(app=wsgi_app, headers=headers)
        assert response.status_code < 500, (response.status_code, case.as_curl_command())
        if 400 <= response.status_code < 500:
            assert response.headers["content-type"][0].startswith("application/json"), (
                response.status_code, response.text[:200], case.as_curl_command(),
            )  # fmt: skip
            body = response.json()
            assert isinstance(body.get("detail"), str) and body["detail"], body
            if response.status_code in FIELD_STATUSES:
                assert body.get("field"), (body, case.as_curl_command())

    check()
