"""Schemathesis against /openapi.json, in-process.

1. Requests of every kind, valid and not, to every operation: never a 5xx, and responses
   match their documented schemas.
2. Schema-valid requests only (positive mode): the schema states the limits this server
   enforces (server/apischema.py), so the server must not refuse any of them for a reason
   the schema could have said: no request-validation 422, no "above this server's limit",
   no 4xx but the documented refusals.
Every 422 of both carries a stable error code, never the uncoded fallback `input.invalid`.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

from gradscape.server.app import create_app
from gradscape.server.config import Settings

# Small limits keep each generated request cheap; the checks are about shapes, not sizes.
# They are below every default in the models, so defaults must follow the limits too.
app = create_app(Settings(max_steps=200, max_runs=4, max_grid_resolution=40,
                          max_basin_resolution=12, max_basin_steps=50,
                          max_formula_length=120,
                          max_net_steps=20, max_net_samples=64, max_net_params=300,
                          # every schema-valid network fits max_net_params: the parameter
                          # count is the one network limit a JSON schema cannot state
                          max_net_layers=1, max_net_width=8, max_slice_resolution=9,
                          # generated bodies reach validation: hypothesis builds bodies of
                          # 100+ KB now and then, and a 413 is no schema's answer (the body
                          # limit has its own tests: test_server_bodylimit.py)
                          max_message_bytes=4 * 1024 * 1024))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
positive = schemathesis.openapi.from_asgi("/openapi.json", app)
positive.config.generation.update(modes=[GenerationMode.POSITIVE])

# Refusals a schema-valid request may still get, on grounds JSON Schema cannot state.
DOCUMENTED = {404, 413, 429}
# Size refusals: the schema states these limits, so a schema-valid request never meets one.
LIMIT = re.compile(r"above this server's limit|shorten it to at most")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case: schemathesis.Case) -> None:
    # Every other default check runs: no 5xx, documented status codes, content types and
    # response schemas, and schema-invalid requests refused. positive_data_acceptance is
    # left out here: test_schema_valid_requests_are_accepted below judges valid requests.
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert_coded(response)


def assert_coded(response: Any) -> None:
    """A refusal has a stable code (server/errorcodes.py), never core's uncoded fallback:
    that would reach the Chinese interface as English (tests/test_error_codes.py)."""
    if response.status_code == 422:
        body = response.json()
        assert body.get("code") not in (None, "input.invalid"), response.text
        # each field's problem has its own words, not pydantic's English in a Chinese frame
        others = [p for p in body.get("problems", []) if p["code"] == "validation.other"]
        assert not others, others


@positive.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_schema_valid_requests_are_accepted(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
    assert_coded(response)
    if response.status_code < 400 or response.status_code in DOCUMENTED:
        return
    body = response.json()
    # 422 is the documented answer to input that is well-formed but wrong on grounds JSON
    # Schema cannot state (a formula's grammar, an optimizer's id or hyperparameters, a
    # data set's options): a sentence in `detail`, never a per-field validation error,
    # which would mean the schema allowed what the models refuse.
    assert response.status_code == 422, (response.status_code, body)
    assert "errors" not in body, body
    assert not LIMIT.search(body["detail"]), body
