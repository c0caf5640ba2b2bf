"""Every JSON answer has a response model, and the real answers match it.

1. Walking /openapi.json: each operation's JSON success answer has a schema, and no part of
   it is a free-form object or an untyped value, except the few places that are free-form
   JSON on purpose (FREE_FORM, each with its reason).
2. Calling every JSON operation (each GET, a typical body for each POST): the answer
   validates against the schema the server documents for it (jsonschema, independent of
   the pydantic models that produced both). An operation added without a call here fails
   `test_every_json_operation_is_called`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from gradscape.lessons import LESSONS, Lesson
from gradscape.server.app import create_app
from gradscape.server.hant import add_hant

app = create_app()
client = TestClient(app)
OPENAPI: dict[str, Any] = client.get("/openapi.json").json()

# (component.property) free-form on purpose, and why.
FREE_FORM = {
    "OptimizerInfo.params": "a JSON Schema document (of the optimizer's hyperparameters)",
    "ScheduleInfo.params": "a JSON Schema document (of the schedule's parameters)",
    # A network lesson's scene holds a network race request as the lesson writes it, not
    # NetRaceRequest's schema, which states this server's (configurable) limits.
    "NetworkSceneOut.request": "the body of POST /api/network/train (validated in the tests)",
    # The default race (GET /api/network/datasets) is a request: its runs' settings are those
    # of the run's optimizer and schedule, whose schemas GET /api/optimizers|schedules give.
    "NetRunConfig.params": "the optimizer's hyperparameters (schema: GET /api/optimizers)",
    "NetRunConfig.schedule_params": "the schedule's parameters (schema: GET /api/schedules)",
    "NetRunChange.params": "the optimizer's hyperparameters that change (GET /api/optimizers)",
}
TYPED = ("type", "anyOf", "oneOf", "allOf", "$ref", "const", "enum")

NET = {"dataset": "moons", "hidden": [4], "activation": "tanh", "samples": 40,
       "test_samples": 20, "noise": 0.1, "seed": 3}
NET_RUNS = [{"optimizer": "sgd", "params": {"lr": 0.3}}, {"optimizer": "adam"}]
# (method, path template, concrete path, body): a typical request per operation. The run
# includes a diverging contestant (non-finite values go out as null) and eigen-decompositions.
CALLS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("get", "/api/health", "/api/health", None),
    ("get", "/api/limits", "/api/limits", None),
    ("get", "/api/surfaces", "/api/surfaces", None),
    ("get", "/api/datasets", "/api/datasets", None),
    ("get", "/api/surfaces/{surface_id}/grid", "/api/surfaces/himmelblau/grid?resolution=6",
     None),
    ("get", "/api/surfaces/{surface_id}/grid", "/api/surfaces/linear_regression/grid", None),
    ("get", "/api/optimizers", "/api/optimizers", None),
    ("get", "/api/schedules", "/api/schedules", None),
    ("get", "/api/lessons", "/api/lessons", None),
    *[("get", "/api/lessons/{lesson_id}", f"/api/lessons/{lesson.id}", None)
      for lesson in LESSONS],
    ("get", "/api/network/datasets", "/api/network/datasets", None),
    ("post", "/api/grid", "/api/grid", {"surface": {"formula": "exp(x*y)",
                                                    "bounds": [-30, 30, -30, 30]},
                                        "resolution": 7}),
    ("post", "/api/formula", "/api/formula", {"formula": "x^2 + 3*y^2"}),
    ("post", "/api/analyze", "/api/analyze", {"surface": "himmelblau", "point": [1.0, 2.0]}),
    ("post", "/api/critical-points", "/api/critical-points", {"surface": "himmelblau"}),
    ("post", "/api/graph", "/api/graph", {"surface": {"formula": "max(x, y) + x*y"},
                                          "point": [3.0, 2.0]}),
    ("post", "/api/schedules/curve", "/api/schedules/curve",
     {"schedule": "cosine", "params": {"T_max": 20}, "steps": 30}),
    ("post", "/api/run", "/api/run", {
        "surface": "himmelblau", "steps": 30, "eigen": True,
        "runs": [{"optimizer": "adam", "params": {"lr": 0.1}, "start": [0.0, 0.0]},
                 {"optimizer": "sgd", "params": {"lr": 50.0}, "start": [4.0, 4.0]},
                 {"optimizer": "sgd", "schedule": "step", "start": [1.0, 1.0]}]}),
    ("post", "/api/run", "/api/run", {
        "surface": {"dataset": "linear_regression"}, "steps": 10,
        "runs": [{"optimizer": "momentum", "batch_size": 4}]}),
    ("post", "/api/basins", "/api/basins", {"surface": "himmelblau", "optimizer": "sgd",
                                            "params": {"lr": 0.01}, "steps": 20,
                                            "resolution": 4}),
    ("post", "/api/network/train", "/api/network/train",
     {"network": NET, "runs": NET_RUNS, "steps": 6}),
    ("post", "/api/network/landscape", "/api/network/landscape",
     {"network": NET, "runs": NET_RUNS, "steps": 6, "resolution": 5, "plane": "pca"}),
    ("post", "/api/network/landscape", "/api/network/landscape",  # a line, not a plane
     {"network": NET, "runs": NET_RUNS[:1], "steps": 6, "resolution": 5,
      "plane": "interpolate"}),
    ("post", "/api/network/spectrum", "/api/network/spectrum",
     {"network": NET, "run": {"optimizer": "sgd"}, "steps": 5}),
]


def json_answers(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> the schema of its JSON success answer (None if it has none)."""
    out = {}
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            for code, response in op.get("responses", {}).items():
                if not code.startswith("2"):
                    continue
                content = response.get("content", {})
                if "application/json" in content:
                    out[method, path] = content["application/json"].get("schema")
    return out


def loose_spots(schema: dict[str, Any], node: Any, where: str,
                seen: set[str] | None = None) -> list[str]:
    """Where a schema is free-form: an untyped value, or an object with neither properties
    nor a typed value schema. Follows $refs (each component once)."""
    seen = set() if seen is None else seen
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return loose_spots(schema, schema["components"]["schemas"][name], name, seen)
    found = []
    if where in FREE_FORM:
        return []
    extra = node.get("additionalProperties", True)
    if not any(k in node for k in TYPED) or (
            node.get("type") == "object" and not node.get("properties")
            and (extra is True or extra == {})):
        found.append(where)
    for name, sub in node.get("properties", {}).items():
        found += loose_spots(schema, sub, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        found += loose_spots(schema, node.get(key), f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in node.get(key, []):
            found += loose_spots(schema, sub, where, seen)
    return found


def test_every_json_answer_has_a_typed_schema() -> None:
    answers = json_answers(OPENAPI)
    assert ("get", "/api/lessons") in answers and len(answers) >= 20
    for (method, path), schema in answers.items():
        assert schema, f"{method.upper()} {path}: no schema for its JSON answer"
        assert loose_spots(OPENAPI, schema, f"{method.upper()} {path}") == [], (method, path)
    # The exceptions are still there (a stale entry would hide nothing, but mislead).
    components = OPENAPI["components"]["schemas"]
    for spot in FREE_FORM:
        model, prop = spot.split(".")
        assert prop in components[model]["properties"], spot


class Loose(BaseModel):
    value: Any


def test_the_walk_finds_a_free_form_answer() -> None:
    """What the test above guards against: a route answering dict[str, Any] (as
    /api/lessons did), or a model with an untyped field."""
    loose = FastAPI()

    @loose.get("/a")
    def a() -> dict[str, Any]:
        return {}

    @loose.get("/b")
    def b() -> Loose:
        return Loose(value=1)

    schema = loose.openapi()
    spots = {path: loose_spots(schema, s, path) for (_, path), s in
             json_answers(schema).items()}
    assert spots == {"/a": ["/a"], "/b": ["Loose.value"]}


def test_every_json_operation_is_called() -> None:
    answers = json_answers(OPENAPI)
    assert {(m, p) for m, p, _, _ in CALLS} == set(answers)


@pytest.mark.parametrize(("method", "template", "path", "body"), CALLS,
                         ids=[f"{m} {p}" for m, _, p, _ in CALLS])
def test_the_answer_validates_against_its_schema(method: str, template: str, path: str,
                                                 body: dict[str, Any] | None) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    schema = json_answers(OPENAPI)[method, template]
    validator = Draft202012Validator({**schema, "components": OPENAPI["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}"[:200]
              for e in validator.iter_errors(response.json())]
    assert errors == []


def test_a_wrong_answer_would_not_validate() -> None:
    """The validation above can fail: a run's points with a string in them, or a lesson
    missing its claim, are refused by the documented schemas."""
    run = client.post("/api/run", json={"surface": "bowl", "steps": 3,
                                        "runs": [{"optimizer": "sgd"}]}).json()
    run["runs"][0]["points"][0][0] = "1.0"
    lesson = client.get("/api/lessons/saddle_point").json()
    del lesson["claim"]
    for template, answer in [("/api/run", run), ("/api/lessons/{lesson_id}", lesson)]:
        method = "post" if template == "/api/run" else "get"
        schema = json_answers(OPENAPI)[method, template]
        validator = Draft202012Validator({**schema, "components": OPENAPI["components"]})
        assert not validator.is_valid(answer), template


def test_lessons_are_served_as_written() -> None:
    """The lesson models neither drop nor add a field: each answer is the lesson's own data
    with zh-Hant beside every zh (numbers equal; 3 may be sent as 3.0)."""
    def written(lesson: Lesson) -> Any:
        return json.loads(json.dumps(add_hant(asdict(lesson))))  # tuples as lists

    assert client.get("/api/lessons").json() == [written(lesson) for lesson in LESSONS]
    for lesson in LESSONS[:3]:
        assert client.get(f"/api/lessons/{lesson.id}").json() == written(lesson)
