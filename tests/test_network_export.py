"""The network scene's HTML export: gradscape.netfigures' figure against core (core.train and
core.landscape computed here, independently of the route), and POST /api/network/export's page,
headers and errors."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import gradscape.core as core
from gradscape import netfigures
from gradscape.server.app import create_app
from gradscape.server.config import Settings

client = TestClient(create_app(Settings()))

NET: dict[str, Any] = {"dataset": "moons", "hidden": [6], "samples": 40, "test_samples": 30,
                       "seed": 2}
RUNS: list[dict[str, Any]] = [{"optimizer": "sgd", "params": {"lr": 0.5}},
                              {"optimizer": "adam", "params": {"lr": 0.03}}]
BODY: dict[str, Any] = {"network": NET, "runs": RUNS, "steps": 30, "init_seed": 1,
                        "plane": "pca", "resolution": 9}


def decode(spec: Any) -> np.ndarray:
    """A plotly typed array (or a plain list) as float64."""
    if isinstance(spec, dict):
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.float32).astype(float)
    return np.asarray(spec, dtype=float)


def trained(plane: str) -> tuple[core.network.NetworkProblem, list[Any], Any]:
    prob = core.network_problem(dataset="moons", hidden=(6,), samples=40, test_samples=30,
                                seed=2)
    trs = [core.train(prob, r["optimizer"], steps=30, start=prob.init(1), **r["params"])
           for r in RUNS]
    return prob, trs, core.landscape(prob, trs, plane=plane, resolution=9, seed=0)


def curves(trs: list[Any]) -> list[netfigures.NetRunCurves]:
    return [netfigures.NetRunCurves(f"{i}: {t.optimizer}", t.train_loss, t.test_loss)
            for i, t in enumerate(trs)]


@pytest.mark.parametrize("plane", ["pca", "interpolate"])
def test_frames_put_each_head_on_its_projected_iterate(plane: str) -> None:
    _, trs, sl = trained(plane)
    fig = netfigures.network_figure(sl, curves(trs), "t")
    frames = fig["frames"]
    assert fig["layout"]["meta"] == {"gradscape": "network", "plane": sl.plane, "runs": 2,
                                     "frames": len(frames)}
    assert [int(f["name"]) for f in frames][-1] == 30 and frames[0]["name"] == "0"
    heads = fig["data"][frames[0]["traces"][-2]]
    assert heads["mode"] == "markers" and heads["xaxis"] == "x"
    for f in frames:
        k = int(f["name"])
        head, loss = f["data"][-2], f["data"][-1]
        want_x = [p.coords[k, 0] for p in sl.paths]
        # on a plane the head is (a, b); on a line it sits on the slice's loss there
        want_y = [p.coords[k, 1] if sl.ys is not None else p.slice_loss[k] for p in sl.paths]
        np.testing.assert_allclose(decode(head["x"]), want_x, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(decode(head["y"]), want_y, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(decode(loss["y"]), [t.train_loss[k] for t in trs],
                                   rtol=1e-6)
        # each run's trail ends at its head
        for i, trail in enumerate(f["data"][:2]):
            assert decode(trail["x"])[-1] == pytest.approx(want_x[i], abs=1e-6)


def test_loss_curves_are_the_runs_training_and_test_loss() -> None:
    _, trs, sl = trained("pca")
    fig = netfigures.network_figure(sl, curves(trs))
    lines = [t for t in fig["data"] if t.get("xaxis") == "x2" and t["mode"] == "lines"]
    assert [t["line"]["dash"] for t in lines] == ["solid", "dash", "solid", "dash"]
    for t, want in zip(lines, [trs[0].train_loss, trs[0].test_loss, trs[1].train_loss,
                               trs[1].test_loss], strict=True):
        np.testing.assert_allclose(decode(t["y"]), want[decode(t["x"]).astype(int)], rtol=1e-6)
    assert fig["layout"]["yaxis2"]["type"] == "log"
    ev = sl.explained_variance
    assert f"{100 * ev[0]:.1f}%" in fig["layout"]["xaxis"]["title"]["text"]


def test_upsample_keeps_the_samples_and_interpolates_between() -> None:
    Z = np.array([[0.0, 1.0], [2.0, 3.0]])
    up = netfigures.upsample(Z, 3)
    np.testing.assert_allclose(up, [[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]])


def test_a_figure_needs_one_path_per_run() -> None:
    _, trs, sl = trained("pca")
    with pytest.raises(ValueError, match="one path per run"):
        netfigures.network_figure(sl, curves(trs)[:1])


def test_the_route_returns_a_self_contained_page() -> None:
    r = client.post("/api/network/export", json={**BODY, "title": "<b>moons</b>"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert 'filename="gradscape-network-moons.html"' in r.headers["content-disposition"]
    assert "script-src 'sha256-" in r.headers["content-security-policy"]
    page = r.text
    assert page.lower().startswith("<!doctype html>") and not re.search(r"<script[^>]+src=", page)
    assert "<title>&lt;b&gt;moons&lt;/b&gt;</title>" in page
    assert '"gradscape":"network"' in page.replace(" ", "") and "Plotly.newPlot" in page
    assert "0: sgd (lr=0.5)" in page and "1: adam (lr=0.03)" in page


@pytest.mark.parametrize(("change", "needle"), [
    ({"format": "csv"}, "format"),
    ({"plane": "diagonal"}, "plane"),
    ({"steps": 10**7}, "steps"),
    ({"resolution": 10**4}, "resolution"),
    ({"runs": [{"optimizer": "sgd", "params": {"lr": -1}}]}, "lr"),
])
def test_bad_requests_are_422_saying_what_to_change(change: dict[str, Any], needle: str) -> None:
    r = client.post("/api/network/export", json={**BODY, **change})
    assert r.status_code == 422, r.text[:300]
    assert needle in r.text


def page_figure(page: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The data and layout a page hands to Plotly.newPlot (JSON after the div's id)."""
    start = page.index("Plotly.newPlot(")
    at = page.index("[", page.index('",', start))
    decoder = json.JSONDecoder()
    data, end = decoder.raw_decode(page, at)
    layout, _ = decoder.raw_decode(page, page.index("{", end))
    return data, layout


def test_the_page_replays_a_run_retuned_mid_race() -> None:
    """A scene whose first run was retuned at step 10 (the link's `changes`): the page's loss
    curve is core.train's with the same change, not the untouched run's."""
    change = {"step": 10, "params": {"lr": 2.0}}
    runs = [{**RUNS[0], "changes": [change]}, RUNS[1]]
    r = client.post("/api/network/export", json={**BODY, "runs": runs})
    assert r.status_code == 200, r.text[:300]
    data, layout = page_figure(r.text)
    assert layout["meta"]["gradscape"] == "network"
    curve = next(t for t in data if t.get("xaxis") == "x2" and t["mode"] == "lines")
    prob = core.network_problem(dataset="moons", hidden=(6,), samples=40, test_samples=30,
                                seed=2)
    retuned = core.train(prob, "sgd", steps=30, start=prob.init(1), lr=0.5,
                         changes=[(10, {"lr": 2.0})])
    plain = core.train(prob, "sgd", steps=30, start=prob.init(1), lr=0.5)
    steps = decode(curve["x"]).astype(int)
    np.testing.assert_allclose(decode(curve["y"]), retuned.train_loss[steps], rtol=1e-6)
    assert not np.allclose(retuned.train_loss[12:], plain.train_loss[12:], rtol=1e-3)
