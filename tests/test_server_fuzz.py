"""Schemathesis against /openapi.json, in-process: generated requests (valid and not) to
every operation never get a 5xx, and responses match their documented schemas."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from gradscape.server.app import create_app
from gradscape.server.config import Settings

# Small limits keep each generated request cheap; the checks are about shapes, not sizes.
app = create_app(Settings(max_steps=200, max_runs=4, max_grid_resolution=40,
                          max_basin_resolution=12, max_basin_steps=50))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case: schemathesis.Case) -> None:
    # Every other default check runs: no 5xx, documented status codes, content types and
    # response schemas, and schema-invalid requests refused. positive_data_acceptance is
    # left out on purpose: many schema-valid requests are still wrong on purpose-built
    # grounds JSON Schema cannot state (a formula's grammar, an optimizer's id and its
    # hyperparameters, this server's configured limits), and those get a 422 that says so.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
