"""schemathesis against the service's own OpenAPI schema: no 5xx, and every 4xx is JSON naming
what was wrong. Bounded (a few examples an operation and mode) so the suite stays fast; `make fuzz`
runs the same test with many more (UTSKRIVNING_FUZZ_EXAMPLES).

Beside schemathesis's own values, each example has some of its text replaced by hostile text
(other scripts' digits, superscripts, control characters, NUL, direction overrides, long text)
and some of its numbers by extreme ones (0, negatives, past 64 bits): what issue 14's probes
sent. Not a lone surrogate, which schemathesis cannot send as UTF-8 (test_hardening sends it)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


HOSTILE_TEXT = st.one_of(
    st.sampled_from([
        "٢٠٢٠-٠٣", "２０２０-０３", "²⁰²⁰-⁰³", "2020-03\x00", "१२", "1_000", " 12 ", "12.0", "NaN",
        "Infinity", "1e999999", "\u202e=2+5", "ok;=2+5", "=HYPERLINK(\"file:///x\")",
        "<b>x</b>&", "\r\n\t", "x" * 70_000, "9" * 400,
    ]),
    st.text(st.characters(categories=["Cc", "Cf", "Nd", "No", "Zs"]), max_size=40),
)  # fmt: skip
EXTREME_NUMBER = st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30])


def _roughened(value, draw):
    """`value` with some of its strings and whole numbers replaced by hostile ones, recursively."""
    if isinstance(value, dict):
        return {key: _roughened(item, draw) for key, item in value.items()}
    if isinstance(value, list):
        return [_roughened(item, draw) for item in value]
    if isinstance(value, bool) or not draw(st.booleans()):
        return value
    if isinstance(value, str):
        return draw(HOSTILE_TEXT)
    if isinstance(value, int):
        return draw(EXTREME_NUMBER)
    return value


def roughen(case, draw) -> None:
    for name in ("path_parameters", "query", "body"):
        value = getattr(case, name, None)
        if value:
            setattr(case, name, _roughened(value, draw))


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

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def check(case, data):
        roughen(case, data.draw)
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
