"""Facts the browser takes from the server rather than keeping its own copy: the default start
(GridResponse.start), the gradient check's verdict (AnalyzeResponse.grad_check_passed) and
the limits a link is bounded by (GET /api/limits)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gradscape.core.runs import MAX_CHANGES
from gradscape.core.surfaces import SURFACES
from gradscape.server.app import create_app

client = TestClient(create_app())


def post(path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_default_start_of_a_typed_formula_is_four_fifths_across_its_bounds() -> None:
    body = post("/api/grid", {"surface": {"formula": "x^2 + y^2", "bounds": [-2, 2, -1, 3]},
                              "resolution": 5})
    assert body["start"] == pytest.approx([-2 + 0.8 * 4, -1 + 0.8 * 4])


def test_default_start_of_a_registered_surface_is_its_own() -> None:
    body = post("/api/grid", {"surface": "himmelblau", "resolution": 5})
    assert body["start"] == pytest.approx(list(SURFACES["himmelblau"].start))
    # A race without a start begins there too (the same rule, on the server).
    race = post("/api/run", {"surface": "himmelblau", "steps": 1,
                              "runs": [{"optimizer": "sgd", "params": {"lr": 0.001}}]})
    assert race["runs"][0]["points"][0] == pytest.approx(body["start"])


def test_gradient_check_verdict_passes_smooth_and_fails_across_a_kink() -> None:
    ok = post("/api/analyze", {"surface": {"formula": "x^2 + 3*y^2"}, "point": [0.3, -0.2]})
    assert ok["grad_check_passed"] is True
    # 1e-9 right of relu's kink: the exact slope is 1, a central difference straddles the kink
    # and sees about 1/2, a relative error near 0.5 (far above any tolerance).
    bad = post("/api/analyze", {"surface": {"formula": "relu(x) + y^2"}, "point": [1e-9, 0.0]})
    assert bad["grad"][0] == pytest.approx(1.0)
    assert bad["grad_rel_error"] > 0.1
    assert bad["grad_check_passed"] is False


def test_limits_serve_the_changes_per_run() -> None:
    assert client.get("/api/limits").json()["max_changes"] == MAX_CHANGES
