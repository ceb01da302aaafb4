"""The workbench's JSON API against its own OpenAPI document, with schemathesis over loopback: every
GET operation, a few generated examples each (kept small so the whole run takes seconds), must answer
without a server error, as JSON (or the raw download), with the security headers."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from sitroom.present.web import WebSettings, create_app  # noqa: E402
from sitroom.present.web.server import serving  # noqa: E402
from tests.web_fixtures import demo_ws  # noqa: E402, F401  (fixture)

EXAMPLES = 6


def header(response, name: str) -> str:
    """One header of a schemathesis response (its headers map names to lists of values)."""
    value = response.headers.get(name) or response.headers.get(name.title()) or ""
    return value[0] if isinstance(value, list) else value


def test_api_conforms_to_its_openapi_document(demo_ws):  # noqa: F811
    with serving(create_app(demo_ws, WebSettings(read_only=True))) as base:
        schema = schemathesis.openapi.from_url(base + "/api/openapi.json").include(method="GET")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 20
        calls = []
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def check(case):
                response = case.call(timeout=30)
                calls.append(response.status_code)
                where = (
                    case.path,
                    case.path_parameters,
                    case.query,
                    response.status_code,
                    response.text[:300],
                )
                assert response.status_code < 500, where
                assert header(response, "x-content-type-options") == "nosniff"
                if response.status_code == 200:
                    kind = header(response, "content-type")
                    assert kind.startswith(("application/json", "application/octet-stream")), where

            check()
        assert 200 in calls and len(calls) >= len(operations)
