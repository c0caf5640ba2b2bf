"""Issue 16, item 7 over REST: /api/network/{datasets,train,landscape,spectrum}.

The server steps races with core.netrace (a chunk at a time, cancellable); the reference
here is core.train / core.landscape / core.hessian_spectrum called directly on the same spec,
and the torch-exactness of those is asserted by tests/test_network_*.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import gradscape.core as core
from gradscape.core.netdata import make_data
from gradscape.server.app import create_app
from gradscape.server.config import Settings

client = TestClient(create_app(Settings()))
NET: dict[str, Any] = {"dataset": "moons", "hidden": [8, 8], "activation": "tanh",
                       "samples": 96, "test_samples": 40, "noise": 0.15, "seed": 3}
RUNS: list[dict[str, Any]] = [
    {"optimizer": "sgd", "params": {"lr": 0.3}},
    {"optimizer": "momentum", "params": {"lr": 0.05, "momentum": 0.9}, "schedule": "cosine"},
    {"optimizer": "adam", "params": {"lr": 0.02}, "batch_size": 32},
]


def prob_of(net: dict[str, Any]) -> core.network.NetworkProblem:
    return core.network_problem(**{k: tuple(v) if k == "hidden" else v for k, v in net.items()})


def arr(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def refused(path: str, body: dict[str, Any], c: TestClient = client) -> str:
    r = c.post(path, json=body)
    assert r.status_code == 422, r.text[:400]
    detail: str = r.json()["detail"]
    return detail


def test_datasets_lists_every_set_with_limits_and_both_languages() -> None:
    r = client.get("/api/network/datasets")
    assert r.status_code == 200
    body = r.json()
    ids = {d["id"] for d in body["datasets"]}
    assert ids == {"moons", "circles", "spirals", "xor", "blobs", "sine"}
    for d in body["datasets"]:
        assert d["description"]["en"] and d["description"]["zh"]
        assert d["options"]["samples"]["maximum"] == Settings().max_net_samples
    assert {d["id"]: d["task"] for d in body["datasets"]}["sine"] == "regression"
    assert body["limits"]["max_net_width"] == 64 and "adam" in body["optimizers"]
    # a stricter server reports its own limits
    strict = TestClient(create_app(Settings(max_net_samples=300, max_net_width=16)))
    limits = strict.get("/api/network/datasets").json()["limits"]
    assert limits["max_net_samples"] == 300 and limits["max_net_width"] == 16


def test_previews_are_the_data_sets_own_samples() -> None:
    """The picker's thumbnails are core's generator at the default noise, not a sketch."""
    for d in client.get("/api/network/datasets").json()["datasets"]:
        data = make_data(d["id"], samples=len(d["preview"]["x"]), test_samples=1, seed=0)
        np.testing.assert_allclose(d["preview"]["x"], data.X, atol=5e-4)
        np.testing.assert_allclose(d["preview"]["y"], np.asarray(data.y, float).reshape(-1),
                                   atol=5e-4)
        if d["task"] == "classification":  # every class shows in the thumbnail
            assert set(d["preview"]["y"]) == set(range(data.classes))


def test_every_optimizers_first_settings_train_and_the_default_race_runs() -> None:
    """The browser keeps no defaults: what it is served must be accepted as it is, and each
    optimizer's first settings must lower the default network's loss in a few steps."""
    body = client.get("/api/network/datasets").json()
    assert set(body["optimizer_defaults"]) == set(body["optimizers"])
    race = dict(body["default_request"], steps=40, sharpness_every=0)
    race["runs"] = [{"optimizer": o, "params": p} for o, p in body["optimizer_defaults"].items()]
    r = client.post("/api/network/train", json=race)
    assert r.status_code == 200, r.text
    for run in r.json()["runs"]:
        assert run["train_loss"][-1] < run["train_loss"][0], run["optimizer"]
    first = client.post("/api/network/train", json=dict(body["default_request"], steps=5))
    assert first.status_code == 200, first.text
    assert len(first.json()["runs"]) == len(body["default_request"]["runs"]) >= 2


def test_train_equals_core_train_for_every_run() -> None:
    body = {"network": NET, "runs": RUNS, "steps": 60, "init_seed": 5, "seed": 2,
            "sharpness_every": 20, "thetas": True}
    r = client.post("/api/network/train", json=body)
    assert r.status_code == 200, r.text[:300]
    out = r.json()
    prob = prob_of(NET)
    theta0 = prob.init(5)
    assert out["n_params"] == prob.n_params == (2 + 1) * 8 + (8 + 1) * 8 + (8 + 1) * 2
    np.testing.assert_array_equal(arr(out["start"]), theta0)
    for run, got in zip(RUNS, out["runs"], strict=True):
        tr = core.train(prob, run["optimizer"], steps=60, start=theta0,
                        batch_size=run.get("batch_size"), seed=2,
                        schedule=run.get("schedule", "constant"), sharpness_every=20,
                        **run["params"])
        assert got["status"] == tr.status and got["updates"] == tr.updates == 60
        np.testing.assert_allclose(np.array(got["thetas"]), tr.thetas, rtol=0, atol=1e-12)
        np.testing.assert_allclose(arr(got["theta"]), tr.thetas[-1], rtol=0, atol=1e-12)
        for name in ("train_loss", "test_loss", "grad_norm", "lrs", "epochs", "sharpness",
                     "threshold", "train_acc", "test_acc"):
            np.testing.assert_allclose(arr(got[name]), getattr(tr, name), rtol=1e-12,
                                       err_msg=name)
        assert got["sharpness_steps"] == [0, 20, 40, 60]
        assert got["batch_size"] == (run.get("batch_size") or 96)
    # Adam's preconditioned sharpness comes with it; plain SGD has none.
    assert out["runs"][2]["preconditioned"] is not None and out["runs"][0]["preconditioned"] \
        is None
    assert out["runs"][1]["schedule"] == "cosine" and out["runs"][2]["params"]["lr"] == 0.02


def test_train_replays_changes_and_reports_state_norms() -> None:
    runs = [{"optimizer": "adam", "params": {"lr": 0.02},
             "changes": [{"step": 10, "params": {"lr": 0.004}}]},
            {"optimizer": "sgd", "params": {"lr": 0.3}}]
    r = client.post("/api/network/train", json={"network": NET, "runs": runs, "steps": 25,
                                                "init_seed": 1})
    assert r.status_code == 200, r.text[:300]
    adam, sgd = r.json()["runs"]
    prob = prob_of(NET)
    tr = core.train(prob, "adam", steps=25, start=prob.init(1), lr=0.02,
                    changes=[(10, {"lr": 0.004})])
    np.testing.assert_allclose(arr(adam["theta"]), tr.thetas[-1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(arr(adam["lrs"]), [0.02] * 10 + [0.004] * 15, rtol=1e-12)
    assert adam["params"]["lr"] == 0.02  # the settings it started with
    assert set(adam["state_norms"]) == {"exp_avg", "exp_avg_sq"}
    for name, want in tr.state_norms.items():
        np.testing.assert_allclose(arr(adam["state_norms"][name]), want, rtol=1e-12)
    assert sgd["state_norms"] == {}


def test_regression_network_has_no_accuracy_and_divergence_is_reported() -> None:
    net = {"dataset": "sine", "hidden": [6], "samples": 50, "test_samples": 20}
    r = client.post("/api/network/train", json={
        "network": net, "steps": 40,
        "runs": [{"optimizer": "sgd", "params": {"lr": 0.1}},
                 {"optimizer": "sgd", "params": {"lr": 900.0}}]})
    assert r.status_code == 200, r.text[:300]
    fine, blown = r.json()["runs"]
    assert fine["train_acc"] is None and fine["status"] == "max_steps"
    tr = core.train(prob_of(net), "sgd", steps=40, lr=900.0)
    assert tr.status == "diverged"  # gradient descent far above 2/λmax
    assert blown["status"] == "diverged" and blown["updates"] == tr.updates
    np.testing.assert_allclose(arr(blown["train_loss"]), tr.train_loss, rtol=1e-12)


@pytest.mark.parametrize("plane", ["pca", "random", "interpolate"])
def test_landscape_equals_core_landscape(plane: str) -> None:
    body = {"network": NET, "runs": RUNS[:2], "steps": 40, "init_seed": 1, "plane": plane,
            "resolution": 7, "plane_seed": 4}
    r = client.post("/api/network/landscape", json=body)
    assert r.status_code == 200, r.text[:300]
    out = r.json()
    prob = prob_of(NET)
    trs = [core.train(prob, run["optimizer"], steps=40, start=prob.init(1),
                      schedule=run.get("schedule", "constant"), **run["params"])
           for run in RUNS[:2]]
    sl = core.landscape(prob, trs, plane=plane, resolution=7, seed=4)
    np.testing.assert_allclose(arr(out["xs"]), sl.xs, rtol=1e-12)
    np.testing.assert_allclose(np.array(out["loss"], dtype=float), sl.loss, rtol=1e-10)
    for got, want in zip(out["paths"], sl.paths, strict=True):
        np.testing.assert_allclose(np.array(got["coords"]), want.coords, rtol=1e-9, atol=1e-12)
        # the projection error is reported: the true loss is the path's own loss
        np.testing.assert_allclose(arr(got["true_loss"]), want.true_loss, rtol=1e-12)
        np.testing.assert_allclose(arr(got["slice_loss"]), want.slice_loss, rtol=1e-10)
    if plane == "pca":
        ev = out["explained_variance"]
        assert ev is not None and 0 <= ev[1] <= ev[0] <= 1
    if plane == "interpolate":
        assert out["ys"] is None and len(out["loss"]) == 7


def test_spectrum_equals_core_and_the_trace_of_the_hessian() -> None:
    net = {**NET, "hidden": [5]}
    prob = prob_of(net)
    tr = core.train(prob, "sgd", steps=30, start=prob.init(0), lr=0.5)
    r = client.post("/api/network/spectrum", json={
        "network": net, "run": {"optimizer": "sgd", "params": {"lr": 0.5}}, "steps": 30})
    assert r.status_code == 200, r.text[:300]
    out = r.json()
    sp = core.hessian_spectrum(prob, tr.thetas[-1])
    np.testing.assert_allclose(arr(out["eigenvalues"]), sp.eigenvalues, rtol=1e-9, atol=1e-12)
    # Independent of the eigen-solver: the eigenvalues sum to the Hessian's trace, and the
    # trace is the sum of e_i·H e_i over central differences of the gradient.
    theta, h = tr.thetas[-1], 1e-5
    trace = sum((prob.grad(theta + h * e)[0][i] - prob.grad(theta - h * e)[0][i]) / (2 * h)
                for i, e in enumerate(np.eye(prob.n_params)))
    assert abs(sum(out["eigenvalues"]) - trace) < 1e-5 * max(1.0, abs(trace))
    assert out["min_ratio"] == pytest.approx(out["positive"] / prob.n_params)
    assert out["lambda_max"] == max(out["eigenvalues"])
    # a given theta
    r = client.post("/api/network/spectrum", json={"network": net, "theta": list(theta)})
    np.testing.assert_allclose(arr(r.json()["eigenvalues"]), sp.eigenvalues, rtol=1e-9,
                               atol=1e-12)


@pytest.mark.parametrize(("path", "change", "field"), [
    ("/api/network/train", {"network": {**NET, "dataset": "swiss_roll"}}, "network.dataset"),
    ("/api/network/train", {"network": {**NET, "hidden": [8, 0]}}, "network.hidden"),
    ("/api/network/train", {"network": {**NET, "hidden": [65]}}, "network.hidden"),
    ("/api/network/train", {"network": {**NET, "hidden": [4] * 5}}, "network.hidden"),
    ("/api/network/train", {"network": {**NET, "activation": "gelu"}}, "network.activation"),
    ("/api/network/train", {"network": {**NET, "samples": 1}}, "network.samples"),
    ("/api/network/train", {"network": {**NET, "wdith": 3}}, "network.wdith"),
    ("/api/network/train", {"runs": [{"optimizer": "newton"}]}, "runs[0].optimizer"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "params": {"lr": -1}}]}, "runs[0]"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd"}, {"optimizer": "adam",
                                                            "batch_size": 97}]},
     "runs[1].batch_size"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "schedule": "zigzag"}]}, "schedule"),
    ("/api/network/train", {"steps": 0}, "steps"),
    ("/api/network/train", {"steps": 6000}, "GRADSCAPE_MAX_NET_STEPS"),
    ("/api/network/landscape", {"plane": "diagonal"}, "plane"),
    ("/api/network/landscape", {"resolution": 150}, "GRADSCAPE_MAX_SLICE_RESOLUTION"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "changes": [
        {"step": 21, "params": {"lr": 0.1}}]}]}, "runs[0]: changes[0]: Invalid step"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "changes": [
        {"step": 5, "params": {"lr": 0.1}}, {"step": 3, "params": {"lr": 0.2}}]}]},
     "runs[0]: changes[1]: Invalid step"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "changes": [
        {"step": 5, "params": {"lr": 0}}]}]}, "runs[0]: changes[0]: Invalid lr"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "changes": [
        {"step": k, "params": {"lr": 0.1}} for k in range(1, 66)]}]}, "runs[0].changes"),
    ("/api/network/train", {"runs": [{"optimizer": "sgd", "changes": [
        {"step": 0, "params": {"lr": 0.1}}]}]}, "runs[0].changes[0].step"),
    ("/api/network/spectrum", {"theta": [0.1, 0.2]}, "theta"),
    ("/api/network/spectrum", {"steps": 10}, "run"),
])
def test_bad_specs_are_422_naming_the_field(path: str, change: dict[str, Any],
                                           field: str) -> None:
    body: dict[str, Any] = {"network": NET}
    if not path.endswith("spectrum"):
        body.update(runs=RUNS[:1], steps=20)
    body.update(change)
    assert field in refused(path, body)


def test_server_limits_are_the_settings() -> None:
    strict = TestClient(create_app(Settings(max_net_width=16, max_net_layers=2,
                                            max_net_params=200, max_net_samples=100)))
    body = {"runs": RUNS[:1], "steps": 5}
    assert "GRADSCAPE_MAX_NET_WIDTH" in refused(
        "/api/network/train", {**body, "network": {**NET, "hidden": [32]}}, strict)
    assert "GRADSCAPE_MAX_NET_LAYERS" in refused(
        "/api/network/train", {**body, "network": {**NET, "hidden": [4, 4, 4]}}, strict)
    # 2-16-16-2 has 3*16 + 17*16 + 17*2 = 354 parameters
    assert "354 parameters" in refused(
        "/api/network/train", {**body, "network": {**NET, "hidden": [16, 16]}}, strict)
    assert "GRADSCAPE_MAX_NET_SAMPLES" in refused(
        "/api/network/train", {**body, "network": {**NET, "samples": 101}}, strict)


def test_over_budget_is_refused_before_any_work() -> None:
    big = {**NET, "hidden": [64, 64], "samples": 1024, "test_samples": 1024}
    detail = refused("/api/network/train", {"network": big, "steps": 5000,
                                            "runs": [{"optimizer": "adam"}] * 4})
    assert "GRADSCAPE_MAX_WORK" in detail and "use at most" in detail
    # the advice is right: the largest step count it names fits
    fits = int(detail.split("use at most ")[1].split()[0])
    assert 0 < fits < 5000
    small = TestClient(create_app(Settings(max_work=200_000_000)))
    assert "GRADSCAPE_MAX_WORK" in refused(
        "/api/network/landscape", {"network": big, "steps": 10, "runs": [{"optimizer": "sgd"}],
                                   "resolution": 101}, small)
    assert "GRADSCAPE_MAX_WORK" in refused(
        "/api/network/spectrum", {"network": {**big, "hidden": [32, 32]}}, small)


def test_openapi_states_this_servers_network_limits() -> None:
    for settings in (Settings(), Settings(max_net_layers=2, max_net_width=12,
                                          max_net_samples=300, max_net_steps=77,
                                          max_slice_resolution=31)):
        c = TestClient(create_app(settings))
        schema = c.get("/openapi.json").json()["components"]["schemas"]
        spec = schema["NetworkSpec"]["properties"]
        assert spec["hidden"]["maxItems"] == settings.max_net_layers
        assert spec["hidden"]["items"]["maximum"] == settings.max_net_width
        assert spec["samples"]["maximum"] == settings.max_net_samples
        assert spec["test_samples"]["maximum"] == settings.max_net_samples
        for model in ("NetTrainRequest", "NetLandscapeRequest", "NetSpectrumRequest"):
            assert schema[model]["properties"]["steps"]["maximum"] == settings.max_net_steps
        resolution = schema["NetLandscapeRequest"]["properties"]["resolution"]
        assert resolution["maximum"] == settings.max_slice_resolution
        # and the server accepts exactly that: the bound itself, not one more
        body = {"network": {**NET, "samples": settings.max_net_samples + 1}, "steps": 1,
                "runs": [{"optimizer": "sgd"}]}
        assert "GRADSCAPE_MAX_NET_SAMPLES" in refused("/api/network/train", body, c)
