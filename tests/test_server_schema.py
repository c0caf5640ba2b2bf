"""/openapi.json states the limits the server enforces, from its settings; integers may be
written as floats without a fraction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.config import Settings

LOW = Settings(max_steps=200, max_runs=3, max_grid_resolution=30, max_basin_resolution=9,
               max_basin_steps=40, max_formula_length=80)


def schema_of(settings: Settings) -> dict[str, Any]:
    return dict(TestClient(create_app(settings)).get("/openapi.json").json())


@pytest.mark.parametrize("settings", [Settings(), LOW], ids=["defaults", "lowered"])
def test_the_schema_states_the_settings_limits(settings: Settings) -> None:
    s = schema_of(settings)["components"]["schemas"]

    def prop(model: str, name: str) -> dict[str, Any]:
        return dict(s[model]["properties"][name])

    assert prop("GridRequest", "resolution")["maximum"] == settings.max_grid_resolution
    assert prop("BasinRequest", "resolution")["maximum"] == settings.max_basin_resolution
    assert prop("BasinRequest", "steps")["maximum"] == settings.max_basin_steps
    for model in ("RunRequest", "ExportRequest"):
        assert prop(model, "steps")["maximum"] == settings.max_steps
        assert prop(model, "runs")["maxItems"] == settings.max_runs
    for model in ("FormulaSurface", "FormulaRequest"):
        assert prop(model, "formula")["maxLength"] == settings.max_formula_length
    # No default above its limit.
    assert prop("RunRequest", "steps")["default"] <= settings.max_steps
    assert prop("GridRequest", "resolution")["default"] <= settings.max_grid_resolution


def test_the_defaults_are_the_issues_numbers() -> None:
    # The issue: the schema said 2,000 / 400 / 1,000 / 16 runs / 100,000 steps while the
    # server enforced 400 / 200 / 500 / 12 / 10,000.
    s = schema_of(Settings())["components"]["schemas"]
    assert s["GridRequest"]["properties"]["resolution"]["maximum"] == 400
    assert s["BasinRequest"]["properties"]["resolution"]["maximum"] == 200
    assert s["FormulaSurface"]["properties"]["formula"]["maxLength"] == 500
    assert s["RunRequest"]["properties"]["runs"]["maxItems"] == 12
    assert s["RunRequest"]["properties"]["steps"]["maximum"] == 10_000


def test_json_schema_keywords_only() -> None:
    # pydantic writes bounds it cannot place as raw "ge"/"le", which no client reads.
    text = json.dumps(schema_of(Settings()))
    assert '"ge":' not in text and '"le":' not in text


def test_the_stated_limit_is_the_enforced_one() -> None:
    client = TestClient(create_app(LOW))
    run = {"surface": "himmelblau", "runs": [{"optimizer": "sgd", "params": {"lr": 1e-5}}]}
    assert client.post("/api/run", json={**run, "steps": 200}).status_code == 200
    assert client.post("/api/run", json={**run, "steps": 201}).status_code == 422
    # The default (500) lowered to the limit, as the schema says.
    answer = client.post("/api/run", json=run)
    assert answer.status_code == 200 and len(answer.json()["runs"][0]["points"]) == 201
    grid = client.get("/api/surfaces/himmelblau/grid")
    assert grid.status_code == 200 and len(grid.json()["x"]) == 30
    basins = client.post("/api/basins", json={"surface": "himmelblau", "optimizer": "sgd",
                                              "params": {"lr": 0.01}})
    assert basins.status_code == 200 and len(basins.json()["x"]) == 9


def test_an_integer_written_as_a_float() -> None:
    client = TestClient(create_app(Settings()))
    run = {"surface": "himmelblau", "runs": [{"optimizer": "sgd", "params": {"lr": 1e-5}}]}
    answer = client.post("/api/run", json={**run, "steps": 37.0})
    assert answer.status_code == 200 and len(answer.json()["runs"][0]["points"]) == 38
    refused = client.post("/api/run", json={**run, "steps": 37.5})
    assert refused.status_code == 422 and "steps" in refused.json()["detail"]
    assert client.post("/api/run", json={**run, "steps": True}).status_code == 422
    grid = client.post("/api/grid", json={"surface": "himmelblau", "resolution": 12.0})
    assert grid.status_code == 200 and len(grid.json()["x"]) == 12
