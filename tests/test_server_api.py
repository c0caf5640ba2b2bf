"""REST endpoints: every route's success path and every error path (422 says what to change;
never a 500), against the app in-process."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import gradscape.core as core
from gradscape.core.surfaces import SURFACES
from gradscape.server.app import create_app
from gradscape.server.config import Settings

client = TestClient(create_app(Settings()))
small = TestClient(create_app(Settings(max_steps=50, max_runs=2, max_grid_resolution=20,
                                       max_basin_resolution=10, max_basin_steps=20,
                                       max_formula_length=20, max_message_bytes=2048)))

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def post(path: str, body: Any, c: TestClient = client) -> Any:
    response = c.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def unprocessable(path: str, body: Any, c: TestClient = client) -> dict[str, Any]:
    response = c.post(path, json=body)
    assert response.status_code == 422, response.text
    payload: dict[str, Any] = response.json()
    assert isinstance(payload["detail"], str) and payload["detail"]
    return payload


# --- meta -----------------------------------------------------------------------------------
def test_health() -> None:
    assert client.get("/api/health").json() == {"status": "ok", "version": core.__version__}


def test_limits_reflect_settings() -> None:
    assert small.get("/api/limits").json()["max_steps"] == 50
    assert client.get("/api/limits").json()["max_runs"] == Settings().max_runs


def test_openapi_documents_every_route() -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/api/health", "/api/surfaces", "/api/surfaces/{surface_id}/grid", "/api/grid",
                 "/api/formula", "/api/analyze", "/api/critical-points", "/api/graph",
                 "/api/optimizers", "/api/schedules", "/api/run", "/api/basins", "/api/export"]:
        assert path in paths
    error = paths["/api/run"]["post"]["responses"]["422"]["content"]["application/json"]
    assert error["schema"]["$ref"].endswith("/ErrorResponse")


# --- surfaces -------------------------------------------------------------------------------
def test_surfaces_list_the_registry() -> None:
    listed = client.get("/api/surfaces").json()
    assert [s["id"] for s in listed] == list(SURFACES)
    himmelblau = next(s for s in listed if s["id"] == "himmelblau")
    assert set(himmelblau) >= {"id", "name", "formula", "bounds", "kind", "description",
                               "critical_points", "start"}
    # Simplified as written, Traditional converted from it (server/hant.py)
    assert set(himmelblau["description"]) == {"en", "zh", "zh-Hant"}
    assert len(himmelblau["bounds"]) == 4
    minima = [p for p in himmelblau["critical_points"] if p["kind"] == "minimum"]
    assert len(minima) == 4 and all(abs(p["value"]) < 1e-9 for p in minima)


def test_datasets_list_options() -> None:
    listed = {d["id"]: d for d in client.get("/api/datasets").json()}
    assert {"linear_regression", "logistic_regression", "single_neuron"} <= set(listed)
    neuron = listed["single_neuron"]["options"]
    assert "sigmoid" in neuron["activation"]["choices"]
    assert listed["linear_regression"]["options"]["standardize"]["default"] is False


def test_grid_of_a_registered_surface_matches_core() -> None:
    body = client.get("/api/surfaces/himmelblau/grid", params={"resolution": 7}).json()
    xs, ys, Z = core.surface("himmelblau").grid(7)
    assert body["x"] == xs.tolist() and body["y"] == ys.tolist()
    np.testing.assert_allclose(np.array(body["z"]), Z)
    assert body["bounds"] == list(SURFACES["himmelblau"].bounds)


def test_grid_errors() -> None:
    assert client.get("/api/surfaces/nope/grid").status_code == 404
    assert client.get("/api/surfaces/bowl/grid", params={"resolution": 1}).status_code == 422
    assert client.get("/api/surfaces/bowl/grid", params={"resolution": "x"}).status_code == 422
    over = small.get("/api/surfaces/bowl/grid", params={"resolution": 21})
    assert over.status_code == 422 and "at most 20" in over.json()["detail"]


def test_post_grid_formula_dataset_and_nulls() -> None:
    body = post("/api/grid", {"surface": {"formula": "log(x)", "bounds": [-1, 1, 0, 1]},
                              "resolution": 3})
    assert body["z"][0][0] is None  # log(-1): nan goes out as null
    assert body["z"][0][2] == 0.0
    data = post("/api/grid", {"surface": {"dataset": "linear_regression",
                                          "options": {"standardize": True}}, "resolution": 4})
    assert all(v is not None and v >= 0 for row in data["z"] for v in row)
    assert post("/api/grid", {"surface": "logistic_regression", "resolution": 2})["z"]


@pytest.mark.parametrize(("surface", "needle"), [
    ({"formula": "x^2 +"}, "column"),
    ({"formula": "foo(x)"}, "foo"),
    ({"formula": "x^2", "bounds": [1, 0, 0, 1]}, "xmin < xmax"),
    ({"dataset": "nope"}, "unknown data set"),
    ({"dataset": "single_neuron", "options": {"activation": "cubic"}}, "activation"),
    ({"dataset": "linear_regression", "options": {"wat": 1}}, "wat"),
    ("nope", "unknown surface"),
    ("x^2 + y^2", "formula"),
])
def test_bad_surface_specs_say_what_to_change(surface: Any, needle: str) -> None:
    payload = unprocessable("/api/grid", {"surface": surface, "resolution": 4})
    assert needle in payload["detail"]


def test_malformed_requests_are_422() -> None:
    unprocessable("/api/grid", {"surface": {"formula": "x", "extra": 1}})
    unprocessable("/api/grid", {"surface": {"formula": "x", "bounds": [0, 1]}})
    unprocessable("/api/grid", [])
    response = client.post("/api/grid", content=b"{not json", headers={
        "content-type": "application/json"})
    assert response.status_code == 422
    # Python's json writes NaN literals; the server refuses non-finite numbers in requests.
    response = client.post("/api/analyze", content=b'{"surface": "bowl", "point": [NaN, 0]}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and "point" in response.json()["detail"]


def test_body_size_limit() -> None:
    padding = "x" * 4000
    response = small.post("/api/formula", json={"formula": padding})
    assert response.status_code == 413


# --- formula --------------------------------------------------------------------------------
def test_formula_ok() -> None:
    body = post("/api/formula", {"formula": " x^2 + 3*y^2 "})
    assert body["formula"] == "x^2 + 3*y^2"
    assert body["bounds"] == [-5.0, 5.0, -5.0, 5.0]
    assert body["nodes"] > 3 and body["canonical"]
    assert post("/api/formula", {"formula": "x", "bounds": [0, 1, 2, 3]})["bounds"] == \
        [0.0, 1.0, 2.0, 3.0]


def test_formula_errors_name_the_column() -> None:
    payload = unprocessable("/api/formula", {"formula": "x^2 + 3*y^"})
    assert payload["column"] == 11 and "column 11" in payload["detail"]
    assert "column" in unprocessable("/api/formula", {"formula": "(x + y"})
    assert "empty" in unprocessable("/api/formula", {"formula": "   "})["detail"]
    assert "at most 20" in unprocessable("/api/formula", {"formula": "x + " * 10 + "y"},
                                         small)["detail"]


def test_formula_cache_pays_once() -> None:
    app = create_app(Settings())
    c = TestClient(app)
    resolver = app.state.gradscape.resolver
    for _ in range(3):
        post("/api/formula", {"formula": "sin(x) * cos(y) + 0.1*x^2"}, c)
    post("/api/grid", {"surface": {"formula": "sin(x) * cos(y) + 0.1*x^2", "bounds": [0, 1, 0, 1]},
                       "resolution": 3}, c)
    assert resolver.surfaces.misses == 1 and resolver.surfaces.hits == 3


# --- analyze, critical points, graph ---------------------------------------------------------
def test_analyze_matches_core() -> None:
    body = post("/api/analyze", {"surface": {"formula": ROSENBROCK}, "point": [-1.0, 1.5]})
    s = core.surface(ROSENBROCK)
    v, g, H = s.value_grad_hessian([[-1.0, 1.5]])
    assert body["value"] == pytest.approx(v[0])
    np.testing.assert_allclose(body["grad"], g[0])
    np.testing.assert_allclose(body["numeric_grad"], g[0], rtol=1e-6)
    assert body["grad_rel_error"] < 1e-7
    np.testing.assert_allclose(body["hessian"], H[0])
    lam = np.linalg.eigvalsh(H[0])
    np.testing.assert_allclose(body["eigenvalues"], lam)
    V = np.array(body["eigenvectors"])
    np.testing.assert_allclose(H[0] @ V, V * lam, atol=1e-9)
    assert body["kind"] == "regular" and body["curvature"] == "indefinite"


@pytest.mark.parametrize(("surface", "point", "kind", "curvature"), [
    ("himmelblau", [3.0, 2.0], "minimum", "positive_definite"),
    ({"formula": "x^2 - y^2"}, [0.0, 0.0], "saddle", "indefinite"),
    ({"formula": "-(x^2) - y^2"}, [0.0, 0.0], "maximum", "negative_definite"),
    ("monkey_saddle", [0.0, 0.0], "degenerate", "semidefinite"),
    ("bowl", [1.0, 1.0], "regular", "positive_definite"),
])
def test_analyze_classifies(surface: Any, point: list[float], kind: str, curvature: str) -> None:
    body = post("/api/analyze", {"surface": surface, "point": point})
    assert (body["kind"], body["curvature"]) == (kind, curvature)


def test_analyze_non_finite_is_null() -> None:
    body = post("/api/analyze", {"surface": {"formula": "sqrt(x) + y"}, "point": [-1.0, 0.0]})
    assert body["value"] is None and body["curvature"] == "undefined"
    assert body["grad"][0] is None and body["grad"][1] == 1.0


def test_analyze_on_a_dataset_surface() -> None:
    body = post("/api/analyze", {"surface": {"dataset": "single_neuron",
                                             "options": {"activation": "tanh"}},
                                 "point": [0.5, -0.2]})
    assert body["grad_rel_error"] < 1e-6


def test_critical_points() -> None:
    body = post("/api/critical-points", {"surface": "himmelblau"})
    kinds = [p["kind"] for p in body["critical_points"]]
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4
    assert kinds.count("maximum") == 1
    for p in body["critical_points"]:
        assert len(p["point"]) == 2 and len(p["eigenvectors"]) == 2
    saddle = post("/api/critical-points", {"surface": {"formula": "x^2 - y^2"}})
    assert [p["kind"] for p in saddle["critical_points"]] == ["saddle"]
    assert post("/api/critical-points", {"surface": {"formula": "x + y"}}) == \
        {"critical_points": []}
    unprocessable("/api/critical-points", {"surface": {"formula": "x +* y"}})


def test_graph_shows_forward_values_and_gradients() -> None:
    body = post("/api/graph", {"surface": {"formula": "x*y + x"}, "point": [3.0, 2.0]})
    by_label = {n["label"]: n for n in body["nodes"]}
    assert by_label["x"]["value"] == 3.0 and by_label["x"]["grad"] == 3.0  # y + 1: summed
    assert by_label["y"]["grad"] == 3.0
    assert by_label["mul"]["note"]
    output = body["nodes"][body["output"]]
    assert output["value"] == 9.0 and output["grad"] == 1.0
    ids = {n["id"] for n in body["nodes"]}
    assert all(a in ids and b in ids for a, b in body["edges"])


def test_graph_of_a_dataset_has_null_data_values() -> None:
    body = post("/api/graph", {"surface": "linear_regression", "point": [1.0, 0.0]})
    assert any(n["op"] == "data" and n["value"] is None for n in body["nodes"])


def test_graph_too_large_is_422() -> None:
    big = "+".join(f"{i}*x" for i in range(1, 160))
    roomy = TestClient(create_app(Settings(max_formula_length=1000)))
    assert "too large" in unprocessable("/api/graph", {"surface": {"formula": big},
                                                       "point": [0, 0]}, roomy)["detail"]
    assert "at most 500" in unprocessable("/api/graph", {"surface": {"formula": big},
                                                         "point": [0, 0]})["detail"]


# --- optimizers and schedules ----------------------------------------------------------------
def test_optimizers_carry_json_schema_and_rule() -> None:
    listed = {o["id"]: o for o in client.get("/api/optimizers").json()}
    assert {"sgd", "momentum", "adam", "rmsprop", "adagrad", "newton"} <= set(listed)
    lr = listed["adam"]["params"]["properties"]["lr"]
    assert lr["type"] == "number" and lr["default"] == 0.001 and "exclusiveMinimum" in lr
    assert listed["adam"]["rule"] and listed["newton"]["needs_hessian"]
    assert listed["random_search"]["params"]["properties"] == {}


def test_schedules_and_curve() -> None:
    listed = {s["id"]: s for s in client.get("/api/schedules").json()}
    assert {"constant", "step", "cosine"} <= set(listed)
    assert "warmup_steps" in listed["cosine"]["params"]["properties"]
    lrs = post("/api/schedules/curve", {"schedule": "step", "lr": 0.1, "steps": 4,
                                        "params": {"step_size": 2, "gamma": 0.5}})["lrs"]
    assert lrs == pytest.approx([0.1, 0.1, 0.05, 0.05])
    assert "unknown schedule" in unprocessable("/api/schedules/curve",
                                               {"schedule": "nope"})["detail"]
    assert "gamma" in unprocessable("/api/schedules/curve", {
        "schedule": "step", "params": {"gamma": 2}})["detail"]


# --- runs -----------------------------------------------------------------------------------
def race(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"surface": "himmelblau", "steps": 40, "runs": [
        {"optimizer": "adam", "params": {"lr": 0.1}, "start": [-4, 4]},
        {"optimizer": "sgd", "params": {"lr": 0.01}},
    ]}
    body.update(extra)
    return body


def test_run_matches_core_optimize() -> None:
    body = post("/api/run", race())
    adam, sgd = body["runs"]
    expected = core.optimize(core.surface("himmelblau"), "adam", start=(-4, 4), steps=40, lr=0.1)
    np.testing.assert_allclose(adam["points"], expected.points)
    np.testing.assert_allclose(adam["values"], expected.values)
    assert adam["status"] == expected.status and adam["stop_step"] == 40
    assert adam["params"]["lr"] == 0.1 and adam["params"]["betas"] == [0.9, 0.999]
    assert len(adam["lrs"]) == len(adam["updates"]) == 40
    assert set(adam["inspector"]) == {"m", "sigma", "step"}
    assert sgd["points"][0] == list(SURFACES["himmelblau"].start)  # the suggested start


def test_run_replays_mid_run_changes_like_core() -> None:
    # GD on x^2 + 3y^2 has a closed form per stretch: x_{t+1} = (1 - 2 lr_t) x_t.
    body = post("/api/run", {"surface": {"formula": "x^2 + 3*y^2"}, "steps": 20, "runs": [
        {"optimizer": "sgd", "params": {"lr": 0.1}, "start": [1, -2],
         "changes": [{"step": 5, "params": {"lr": 0.05}}, {"step": 12, "params": {"lr": 0.2}}]}]})
    run = body["runs"][0]
    lrs = [0.1] * 5 + [0.05] * 7 + [0.2] * 8
    assert run["lrs"] == pytest.approx(lrs)
    x = np.cumprod([1.0] + [1 - 2 * lr for lr in lrs])
    np.testing.assert_allclose([p[0] for p in run["points"]], x, rtol=1e-12)
    assert run["params"]["lr"] == 0.2  # the settings in force at the end


@pytest.mark.parametrize(("changes", "needle"), [
    ([{"step": 0, "params": {"lr": 0.1}}], "step"),
    ([{"step": 9, "params": {"lr": 0.1}}, {"step": 3, "params": {"lr": 0.1}}], "rising"),
    ([{"step": 3, "params": {"lr": -1}}], "lr"),
    ([{"step": 3, "params": {"lr": 0.1}, "extra": 1}], "extra"),
    ([{"step": k, "params": {"lr": 0.1}} for k in range(1, 70)], "64"),
])
def test_run_change_errors_say_what_to_change(changes: list[Any], needle: str) -> None:
    payload = unprocessable("/api/run", {"surface": "bowl", "steps": 10, "runs": [
        {"optimizer": "sgd", "changes": changes}]})
    assert needle in payload["detail"], payload["detail"]


def test_run_statuses_converged_and_diverged() -> None:
    body = post("/api/run", {"surface": "bowl", "steps": 200, "runs": [
        {"optimizer": "sgd", "params": {"lr": 0.5}, "start": [1, 1]},
        {"optimizer": "sgd", "params": {"lr": 5.0}, "start": [1, 1]}]})
    converged, diverged = body["runs"]
    assert converged["status"] == "converged" and converged["stop_step"] < 200
    assert diverged["status"] == "diverged"
    assert all(v is not None and math.isfinite(v) for v in diverged["values"])


def test_run_options() -> None:
    body = post("/api/run", {"surface": {"dataset": "linear_regression"}, "steps": 10,
                             "eigen": True, "seed": 3, "runs": [
                                 {"optimizer": "sgd", "batch_size": 8,
                                  "schedule": "exponential", "schedule_params": {"gamma": 0.9}},
                                 {"optimizer": "momentum", "noise": 0.0}]})
    first = body["runs"][0]
    assert len(first["eigenvalues"]) == len(first["points"])
    assert first["lrs"][1] == pytest.approx(first["lrs"][0] * 0.9)
    assert first["schedule"] == "exponential"
    noisy = post("/api/run", {"surface": "bowl", "steps": 5, "runs": [
        {"optimizer": "sgd", "noise": 1.0, "params": {"lr": 0.1}}]})
    assert noisy["runs"][0]["status"] == "max_steps"


@pytest.mark.parametrize(("change", "needle"), [
    ({"runs": [{"optimizer": "nope"}]}, "unknown optimizer"),
    ({"runs": [{"optimizer": "adam", "params": {"lr": -1}}]}, "lr"),
    ({"runs": [{"optimizer": "adam", "params": {"wat": 1}}]}, "wat"),
    ({"runs": [{"optimizer": "adam", "params": {"lr": "fast"}}]}, "lr"),
    ({"runs": [{"optimizer": "adam", "schedule": "nope"}]}, "schedule"),
    ({"runs": [{"optimizer": "adam", "batch_size": 4}]}, "batch_size"),
    ({"runs": [{"optimizer": "adam", "start": [0, 1, 2]}]}, "start"),
    ({"runs": [{"optimizer": "adam", "noise": -1}]}, "noise"),
    ({"runs": []}, "runs"),
    ({"steps": 0}, "steps"),
    ({"seed": -1}, "seed"),
    ({"surface": {"formula": "x^"}}, "column"),
    ({"whatever": 1}, "whatever"),
])
def test_run_errors(change: dict[str, Any], needle: str) -> None:
    assert needle in unprocessable("/api/run", race(**change))["detail"]


def test_run_refuses_overflowing_numbers() -> None:
    raw = b'{"surface": "bowl", "runs": [{"optimizer": "sgd", "start": [0, 1e400]}]}'
    response = client.post("/api/run", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422 and "start" in response.json()["detail"]


def test_run_limits_from_settings() -> None:
    assert "at most 50" in unprocessable("/api/run", race(steps=51), small)["detail"]
    three = race(runs=[{"optimizer": "sgd"}] * 3)
    assert "at most 2" in unprocessable("/api/run", three, small)["detail"]


def test_basins() -> None:
    body = post("/api/basins", {"surface": "himmelblau", "optimizer": "sgd",
                                "params": {"lr": 0.01}, "steps": 200, "resolution": 8})
    assert len(body["labels"]) == 8 and len(body["labels"][0]) == 8
    assert len(body["x"]) == 8 and len(body["critical_points"]) == 9
    reached = {i for row in body["labels"] for i in row if i >= 0}
    assert reached and all(body["critical_points"][i]["kind"] == "minimum" for i in reached)
    names = body["status_names"]
    assert {names[c] for row in body["status"] for c in row} <= {"converged", "max_steps",
                                                                 "diverged"}


@pytest.mark.parametrize(("change", "needle"), [
    ({"optimizer": "nope"}, "unknown optimizer"),
    ({"params": {"lr": 0}}, "lr"),
    ({"params": {"seed": 1}}, "seed"),  # not a hyperparameter (nor a clash with basins' own)
    ({"resolution": 11}, "at most 10"),
    ({"steps": 21}, "at most 20"),
    ({"surface": {"formula": ")"}}, "column"),
])
def test_basin_errors(change: dict[str, Any], needle: str) -> None:
    body = {"surface": "bowl", "optimizer": "sgd", "steps": 10, "resolution": 4, **change}
    assert needle in unprocessable("/api/basins", body, small)["detail"]


@pytest.mark.parametrize(("formula", "kind", "curvature"), [
    ("x^2 + 3*y^2", "minimum", "positive_definite"),  # H = diag(2, 6) at the origin
    ("x^2 - y^2", "saddle", "indefinite"),  # H = diag(2, -2)
    ("-(x^2) - 2*y^2", "maximum", "negative_definite"),  # H = diag(-2, -4)
    ("x^4 + y^2", "degenerate", "semidefinite"),  # H = diag(0, 2)
])
def test_analyze_and_critical_points_classify_alike(formula: str, kind: str,
                                                    curvature: str) -> None:
    surface = {"formula": formula}
    body = post("/api/analyze", {"surface": surface, "point": [0.0, 0.0]})
    assert (body["kind"], body["curvature"]) == (kind, curvature)
    found = post("/api/critical-points", {"surface": surface})["critical_points"]
    at_origin = [c["kind"] for c in found if math.hypot(*c["point"]) < 1e-4]
    assert at_origin == [kind]


def test_run_statuses_are_cores() -> None:
    from gradscape.core.status import FINAL_STATUSES, RunStatus  # noqa: PLC0415

    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["RunStatus"]["enum"] == ["running", "converged", "diverged", "max_steps"]
    assert [s.value for s in RunStatus] == schemas["RunStatus"]["enum"]
    assert set(schemas["NetRunOut"]["properties"]["status"]["enum"]) <= set(RunStatus)
    basins = post("/api/basins", {"surface": "bowl", "optimizer": "sgd", "resolution": 4,
                                  "steps": 5})
    assert sorted(basins["status_names"]) == sorted(FINAL_STATUSES)


def test_limits_serve_cores_shared_rules() -> None:
    limits = client.get("/api/limits").json()
    assert limits["gradient_check_pass_below"] == 1e-4  # CS231n: above 1e-4 something is wrong
    assert limits["default_start_fraction"] == [0.2, 0.8]
    assert limits["default_start_digits"] == 4


@pytest.mark.parametrize(("bounds", "start"), [
    ([-5, 5, -5, 5], [-3.0, 3.0]),  # 1/5 across in x, 4/5 across in y
    ([-1, 2, 0, 3], [-0.4, 2.4]),
    ([0, 1, 0, 7], [0.2, 5.6]),
    ([-1, 0, 0, 1 / 3], [-0.8, 0.2667]),  # 0.8/3 rounded to 4 significant digits
])
def test_run_without_start_begins_at_the_default_start(bounds: list[float],
                                                       start: list[float]) -> None:
    body = post("/api/run", {"surface": {"formula": "x^2 + y^2", "bounds": bounds},
                             "steps": 2, "runs": [{"optimizer": "sgd"}]})
    assert body["runs"][0]["points"][0] == pytest.approx(start, rel=1e-12)


def test_analyze_serves_the_gradient_check_verdict() -> None:
    ok = post("/api/analyze", {"surface": {"formula": ROSENBROCK}, "point": [-1.0, 1.5]})
    assert ok["grad_rel_error"] < 1e-4 and ok["grad_check_passed"] is True
    # sqrt's gradient at x = -1 is nan: no verdict can pass
    bad = post("/api/analyze", {"surface": {"formula": "sqrt(x) + y"}, "point": [-1.0, 0.0]})
    assert bad["grad_check_passed"] is False


def test_grid_carries_the_exact_gradient_field() -> None:
    # f = x^3 - 3 x y^2 (the monkey saddle): ∂f/∂x = 3x^2 - 3y^2, ∂f/∂y = -6xy
    body = post("/api/grid", {"surface": {"formula": "x^3 - 3*x*y^2", "bounds": [-1, 3, -2, 2]},
                              "resolution": 20})
    field = body["field"]
    n = len(field["x"])
    assert n >= 8 and len(field["y"]) == n
    cell = 4 / n  # both sides of the bounds are 4 long
    np.testing.assert_allclose(field["x"], -1 + cell * (np.arange(n) + 0.5))
    np.testing.assert_allclose(field["y"], -2 + cell * (np.arange(n) + 0.5))
    X, Y = np.meshgrid(field["x"], field["y"])
    np.testing.assert_allclose(field["gx"], 3 * X**2 - 3 * Y**2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(field["gy"], -6 * X * Y, rtol=1e-12, atol=1e-12)
    # registered surfaces too, on their own bounds (GET)
    named = client.get("/api/surfaces/bowl/grid", params={"resolution": 10}).json()
    assert len(named["field"]["gx"]) == n
