"""POST /api/network/train: a race of optimizers on a tiny network over REST, its numbers
checked against core (and core's against torch elsewhere), its limits and bad specs (422)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import core
from server.app import create_app
from server.config import Settings

client = TestClient(create_app(Settings(max_network_steps=300, max_network_params=600)))

BODY: dict[str, Any] = {
    "network": {"dataset": "moons", "hidden": [8, 8], "samples": 80, "test_samples": 40},
    "runs": [{"optimizer": "adam", "params": {"lr": 0.02, "betas": [0.9, 0.99]}},
             {"optimizer": "sgd", "params": {"lr": 0.3}, "batch_size": 16}],
    "steps": 60, "init_seed": 1, "sharpness_every": 20, "resolution": 9,
    "boundary_resolution": 11, "spectrum": True,
}


def test_train_race_matches_core() -> None:
    r = client.post("/api/network/train", json=BODY)
    assert r.status_code == 200, r.text
    out = r.json()
    prob = core.network_problem("moons", hidden=(8, 8), samples=80, test_samples=40)
    assert out["n_params"] == prob.n_params and out["task"] == "classification"
    start = prob.init(1)
    ref = core.train(prob, "adam", 60, start, lr=0.02, betas=(0.9, 0.99), sharpness_every=20)
    run = out["runs"][0]
    np.testing.assert_allclose(run["train_loss"], ref.train_loss, rtol=1e-12)
    np.testing.assert_allclose(run["sharpness"]["lambda_max"], ref.sharpness, rtol=1e-9)
    assert run["sharpness"]["preconditioned"][0] is None  # no statistics before step one
    assert run["status"] == "max_steps" and run["updates"] == 60
    assert out["runs"][1]["epochs"][-1] == pytest.approx(60 * 16 / 80)
    # one shared PCA plane; every path with its projection error
    sl = out["landscape"]
    assert np.array(sl["loss"]).shape == (9, 9) and 0 <= sum(sl["explained_variance"]) <= 1
    for r_ in out["runs"]:
        path = r_["path"]
        assert len(path["coords"]) == 61
        np.testing.assert_allclose(path["error"], np.abs(np.array(path["true_loss"])
                                                         - np.array(path["slice_loss"])))
        spec = r_["spectrum"]
        assert spec["min_ratio"] == spec["positive"] / prob.n_params
    # the decision boundary: class probabilities on an 11x11 grid around the data
    probs = np.array(out["boundary"]["values"][0])
    assert probs.shape == (11, 11, 2)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    xs, ys = out["boundary"]["xs"], out["boundary"]["ys"]
    grid = np.array([[xs[3], ys[5]]])
    np.testing.assert_allclose(probs[5, 3], prob.predict(ref.thetas[-1], grid)[0], atol=1e-12)


def test_regression_boundary_is_a_curve() -> None:
    body = {**BODY, "network": {"dataset": "sine", "hidden": [6], "samples": 30},
            "plane": "interpolate", "spectrum": False}
    out = client.post("/api/network/train", json=body).json()
    assert out["task"] == "regression" and out["runs"][0]["train_acc"] is None
    assert len(out["boundary"]["values"][0]) == 11 and out["landscape"]["ys"] is None


def test_datasets_listed() -> None:
    ids = {d["id"] for d in client.get("/api/network/datasets").json()}
    assert {"moons", "circles", "spirals", "xor", "blobs", "sine"} <= ids


@pytest.mark.parametrize(("change", "needle"), [
    ({"steps": 301}, "steps"),
    ({"network": {"dataset": "mnist"}}, "dataset"),
    ({"network": {"dataset": "moons", "hidden": [64, 64]}}, "network.hidden"),
    ({"network": {"dataset": "moons", "hidden": [0]}}, "hidden"),
    ({"network": {"dataset": "moons", "activation": "gelu"}}, "activation"),
    ({"network": {"dataset": "moons", "samples": 5000}}, "network.samples"),
    ({"runs": [{"optimizer": "newton"}]}, "optimizer"),
    ({"runs": [{"optimizer": "adam", "params": {"lr": -1}}]}, "lr"),
    ({"runs": [{"optimizer": "sgd", "batch_size": 0}]}, "batch_size"),
    ({"runs": []}, "runs"),
    ({"resolution": 500}, "resolution"),
    ({"plane": "tsne"}, "plane"),
    ({"sharpness_every": 1, "steps": 300}, "sharpness_every"),
    ({"network": {"dataset": "moons", "noise": "big"}}, "noise"),
])
def test_bad_specs_are_422_naming_the_field(change: dict[str, Any], needle: str) -> None:
    r = client.post("/api/network/train", json={**BODY, **change})
    assert r.status_code == 422, r.text
    assert needle in r.json()["detail"]
