"""The notebook API (`import gradscape as gs`): races, figures, HTML pages, playground links.

Expected values come from elsewhere than the code under test: the core's own entry points
(gradscape.core.runs), frontend/js/lib/palette.js and state.js (read or run with node), and the
running app in chromium.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

import gradscape as gs
from gradscape import scene
from gradscape.core.optimizers import default_runs
from gradscape.core.runs import optimize as core_optimize

REPO = Path(__file__).resolve().parents[1]
STATE_JS = REPO / "frontend" / "js" / "lib" / "state.js"
PALETTE_JS = REPO / "frontend" / "js" / "lib" / "palette_data.js"  # palette.js's table

# state.js as the page has it once its catalog is in: the default runs GET /api/limits serves.
STATE = (f"import {{ fromHash, toHash, defaultState, makeRun, setDefaultRuns }} from "
         f"'{STATE_JS.as_uri()}'; setDefaultRuns({json.dumps(default_runs())});")

RUNS: list[Any] = [("adam", {"lr": 0.05}), ("sgd", {"lr": 0.01, "momentum": 0.9})]


def node(script: str) -> Any:
    """Run an ES module snippet with node; it prints one JSON value."""
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def saddle_race() -> gs.Race:
    return gs.race(gs.surface("x^2 - y^2"), runs=RUNS, start=(-1.5, 0.05), steps=80, seed=0)


# --- races and runs -------------------------------------------------------------------------
def test_race_runs_are_the_trajectories_optimize_returns(saddle_race: gs.Race) -> None:
    surf = gs.surface("x^2 - y^2")
    for run, (optimizer, params) in zip(saddle_race.runs, RUNS, strict=True):
        alone = core_optimize(surf, optimizer, (-1.5, 0.05), 80, **params)
        np.testing.assert_array_equal(run.points, alone.points)
        np.testing.assert_array_equal(run.values, alone.values)
        assert run.status == alone.status and run.stop_step == alone.stop_step
        again = gs.optimize(surf, optimizer, (-1.5, 0.05), 80, **params)
        np.testing.assert_array_equal(again.points, alone.points)
    # plain gradient descent on x^2 - y^2 from (x0, y0): x_k = x0 (1 - 2 lr)^k, y_k grows
    sgd = gs.optimize("x^2 - y^2", "sgd", start=(1.0, 0.01), steps=20, lr=0.1)
    k = np.arange(21)
    np.testing.assert_allclose(sgd.points[:, 0], 0.8 ** k, rtol=1e-12)
    np.testing.assert_allclose(sgd.points[:, 1], 0.01 * 1.2 ** k, rtol=1e-12)


def test_run_dicts_take_schedule_noise_batch_size_and_their_own_start() -> None:
    r = gs.race("single_neuron", runs=[
        {"optimizer": "sgd", "params": {"lr": 0.1}, "batch_size": 8, "start": (1.0, -1.0)},
        {"optimizer": "adam", "params": {"lr": 0.05}, "schedule": "cosine",
         "schedule_params": {"T_max": 30}},
    ], start=(0.5, 0.5), steps=30, seed=3)
    assert tuple(r.runs[0].points[0]) == (1.0, -1.0)
    assert tuple(r.runs[1].points[0]) == (0.5, 0.5)
    # cosine annealing from 0.05 over T_max = 30: lr_k = 0.05 (1 + cos(pi k / 30)) / 2
    k = np.arange(len(r.runs[1].lrs))
    np.testing.assert_allclose(r.runs[1].lrs, 0.05 * (1 + np.cos(np.pi * k / 30)) / 2,
                               rtol=1e-9, atol=1e-15)
    noisy = gs.race("x^2 + y^2", runs=[{"optimizer": "sgd", "params": {"lr": 0.1},
                                        "noise": 0.5}], start=(1, 1), steps=5, seed=1)
    clean = gs.optimize("x^2 + y^2", "sgd", (1, 1), 5, lr=0.1)
    assert not np.array_equal(noisy.runs[0].points, clean.points)


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({"runs": []}, "at least one run"),
    ({"runs": [("nope", {})]}, "unknown optimizer"),
    ({"runs": [{"optimizer": "sgd", "lr": 0.1}]}, "unknown key"),
    ({"runs": [{"params": {}}]}, "optimizer"),
    ({"runs": [42]}, "expected"),
    ({"runs": ["sgd"], "start": (1, float("nan"))}, "finite"),
    ({"runs": ["sgd"], "start": "here"}, "two numbers"),
    ({"runs": [("sgd", {"lr": -1})]}, "lr"),
    ({"runs": ["sgd"] * 17}, "at most 16"),
])
def test_bad_races_raise_value_errors_that_say_what_to_change(kwargs: dict[str, Any],
                                                               needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        gs.race("x^2 + y^2", **kwargs)


def test_surface_errors_and_data_set_options() -> None:
    with pytest.raises(ValueError, match="column"):
        gs.surface("x^^2")
    with pytest.raises(ValueError, match="only to data sets"):
        gs.surface("x^2", activation="tanh")
    tanh = gs.surface("single_neuron", activation="tanh")
    sigmoid = gs.surface("single_neuron")
    assert not np.allclose(tanh.value(np.array([[1.0, 1.0]])),
                           sigmoid.value(np.array([[1.0, 1.0]])))


def test_check_gradient_of_a_surface_and_of_functions() -> None:
    ok = gs.check_gradient(gs.surface("sin(x) * y^2"))
    assert ok.passed.all() and ok.relative_error.shape == (25,)
    P = np.array([[0.3, -1.2], [2.0, 0.5]])
    at = gs.check_gradient(gs.surface("sin(x) * y^2"), points=P)
    x, y = P[:, 0], P[:, 1]  # d/dx = cos(x) y^2, d/dy = 2 sin(x) y
    np.testing.assert_allclose(at.analytic, np.column_stack([np.cos(x) * y**2,
                                                             2 * np.sin(x) * y]), rtol=1e-12)
    wrong = gs.check_gradient(lambda p: (p ** 2).sum(axis=1), lambda p: 3 * p,
                              np.array([[1.0, 2.0]]))
    assert not wrong.passed.any()
    with pytest.raises(ValueError, match="check_gradient"):
        gs.check_gradient(lambda p: p)


def test_critical_points_are_a_list_that_draws_itself() -> None:
    cps = gs.critical_points("x^2 - y^2")
    assert len(cps) == 1 and cps[0].kind == "saddle"
    np.testing.assert_allclose(cps[0].point, [0, 0], atol=1e-9)
    fig = cps.figure()
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data if t.legendgroup == "critical"] == ["saddle"]


def test_basins_draw_one_tint_per_minimum() -> None:
    b = gs.basins("himmelblau", "sgd", steps=300, resolution=24, lr=0.01)
    assert b.labels.shape == (24, 24)
    # Himmelblau's four minima each have a basin; every start cell is coloured by its label
    reached = set(np.unique(b.labels)) - {-1}
    assert len(reached) == 4
    fig = b.figure().to_plotly_json()
    heat = fig["data"][0]
    assert heat["type"] == "heatmap"
    z = decode(heat["z"]).reshape(24, 24)
    np.testing.assert_array_equal(z, b.labels + 1)  # -1 (none) is the grey band 0


# --- figures --------------------------------------------------------------------------------
def palette_colors() -> list[str]:
    text = PALETTE_JS.read_text()
    block = re.search(r"RUN_COLORS = \[(.*?)\]", text, re.S)
    assert block
    return re.findall(r"[\"'](#[0-9A-Fa-f]{6})[\"']", block.group(1))


def decode(value: Any) -> np.ndarray:
    """A trace array as numbers, whether plain or a plotly typed array."""
    import base64

    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value, dtype=float)


def test_race_figure_has_the_apps_look_runs_frames_and_critical_points(
        saddle_race: gs.Race) -> None:
    fig = saddle_race.figure()
    assert isinstance(fig, go.Figure)
    d = fig.to_plotly_json()
    named = [t for t in d["data"] if t.get("name", "").startswith(("0:", "1:"))
             and t.get("showlegend") is not False]
    assert [t["line"]["color"] for t in named] == palette_colors()[:2]
    heads = next(t for t in d["data"] if t.get("marker", {}).get("size") == 13)
    assert list(heads["marker"]["symbol"]) == ["circle", "square"]  # palette.js RUN_SHAPES
    # the saddle at the origin, with a downward (dashed) and an upward eigen-arrow
    kinds = {t["name"] for t in d["data"] if t.get("legendgroup") == "critical"}
    assert kinds == {"saddle"}
    eigen = {t["line"]["dash"]: t for t in d["data"] if t.get("legendgroup") == "eigen"}
    assert set(eigen) == {"solid", "dash"}
    up = decode(eigen["solid"]["y"])  # λ = 2 along x: a horizontal arrow through (0, 0)
    np.testing.assert_allclose(up[~np.isnan(up)], 0, atol=1e-6)
    down = decode(eigen["dash"]["x"])  # λ = -2 along y: a vertical one
    np.testing.assert_allclose(down[~np.isnan(down)], 0, atol=1e-6)
    # frames: the heads sit on each run's point of that step, the slider names the steps
    frames = d["frames"]
    assert 2 <= len(frames) <= 100 and frames[-1]["name"] == "80"
    assert [s["label"] for s in d["layout"]["sliders"][0]["steps"]] == [f["name"]
                                                                        for f in frames]
    head_index = d["data"].index(heads)
    for frame in (frames[0], frames[len(frames) // 2], frames[-1]):
        k = int(frame["name"])
        head = frame["data"][frame["traces"].index(head_index)]
        expected = np.array([r.points[min(k, len(r.points) - 1)] for r in saddle_race.runs])
        np.testing.assert_allclose(decode(head["x"]), expected[:, 0], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(decode(head["y"]), expected[:, 1], rtol=1e-6, atol=1e-6)
    buttons = d["layout"]["updatemenus"][0]["buttons"]
    assert buttons[0]["method"] == "animate" and "play" in buttons[0]["label"]
    # the contour picture is a PNG inlined in the figure
    assert d["layout"]["images"][0]["source"].startswith("data:image/png;base64,")


def test_to_html_writes_the_servers_page(saddle_race: gs.Race, tmp_path: Path) -> None:
    out = tmp_path / "race.html"
    page = saddle_race.to_html(out)
    assert out.read_text(encoding="utf-8") == page
    assert page.lower().startswith("<!doctype html>")
    assert not re.search(r"<script[^>]+src=", page)
    assert "<title>gradscape: adam, sgd on x^2 - y^2 (80 steps)</title>" in page
    html = saddle_race._repr_html_()
    assert "Plotly.newPlot" in html and "<html" not in html.lower()[:200]


def test_the_server_export_is_the_library_page() -> None:
    """POST /api/export and Race.to_html make the same page for the same race."""
    from fastapi.testclient import TestClient

    from gradscape.server.app import create_app
    from gradscape.server.config import Settings

    body = {"surface": "himmelblau", "steps": 40, "seed": 0,
            "runs": [{"optimizer": "adam", "params": {"lr": 0.05}, "start": [-4.0, 4.0]},
                     {"optimizer": "sgd", "params": {"lr": 0.01, "momentum": 0.9},
                      "start": [-4.0, 4.0]}]}
    served = TestClient(create_app(Settings())).post("/api/export", json=body).text
    mine = gs.race("himmelblau", runs=RUNS, start=(-4, 4), steps=40).to_html(
        title="gradscape: adam, sgd on himmelblau (40 steps)")
    strip = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # div id
    assert strip.sub("ID", served) == strip.sub("ID", mine)


# --- links ----------------------------------------------------------------------------------
def test_numbers_in_links_are_written_as_javascript_writes_them() -> None:
    values = [0, 1, -1, 300.0, 0.1, 0.005, 1e-5, 1e-7, 1.5e-7, 123456789012345680000.0, 1e21,
              2.5e22, -0.000001, 0.1994, 1 / 3, 5e-324, 1.7976931348623157e308]
    js = node(f"console.log(JSON.stringify({json.dumps(values)}.map(x => String(Number(x)))))")
    assert [scene.js_number(v) for v in values] == js


def test_links_parse_in_state_js_as_the_same_scene(saddle_race: gs.Race) -> None:
    fancy = gs.race(gs.surface("rosenbrock", bounds=(-2, 2, -1, 3)), runs=[
        {"optimizer": "adam", "params": {"lr": 0.02, "betas": [0.8, 0.99], "amsgrad": True},
         "schedule": "cosine", "schedule_params": {"T_max": 100}},
        {"optimizer": "sgd", "params": {"lr": 0.001}, "noise": 0.25, "start": (-1.5, 2.5)},
    ], start=(-1.2, 1), steps=120, seed=7)
    neuron = gs.race(gs.surface("single_neuron", activation="tanh"),
                     runs=[{"optimizer": "sgd", "params": {"lr": 0.1}, "batch_size": 8}],
                     start=(0.5, -0.5), steps=50)
    for r in (saddle_race, fancy, neuron):
        link = r.url(base="http://example.org:8000")
        assert link.startswith("http://example.org:8000/#")
        hash_ = link.split("#", 1)[1]
        state = node(f"{STATE} console.log(JSON.stringify(fromHash({json.dumps(hash_)})))")
        expected = r.scene()
        assert state["surface"] == expected["surface"]
        assert state["formula"] == expected.get("formula", "")
        assert state["bounds"] == expected.get("bounds")
        assert state["options"] == expected.get("options", {})
        assert state["start"] == expected["start"]
        assert (state["steps"], state["seed"]) == (r.steps, r.seed)
        assert len(state["runs"]) == len(r.runs)
        for got, spec, run in zip(state["runs"], r.specs, r.runs, strict=True):
            assert got["optimizer"] == spec["optimizer"] and got["params"] == spec["params"]
            assert got["schedule"] == spec.get("schedule", "constant")
            assert got["schedule_params"] == spec.get("schedule_params", {})
            assert got["noise"] == spec.get("noise", 0)
            assert got["batch_size"] == spec.get("batch_size")
            start = got["start"] or state["start"]
            assert start == list(run.points[0])
        # and the app writes back the same hash
        again = node(f"{STATE} console.log(JSON.stringify(toHash(fromHash({json.dumps(hash_)}))))")
        assert scene.from_hash(again) == scene.from_hash(hash_)


def test_from_url_reruns_the_same_race(saddle_race: gs.Race) -> None:
    back = gs.from_url(saddle_race.url())
    for a, b in zip(saddle_race.runs, back.runs, strict=True):
        np.testing.assert_array_equal(a.points, b.points)
    # a link the app wrote (state.js toHash) opens in Python
    hash_ = node(f"{STATE} "
                 "const s = defaultState(); s.surface = 'rosenbrock'; s.start = [-1.2, 1];"
                 "s.runs = [makeRun({optimizer: 'adam', params: {lr: 0.05}}),"
                 " makeRun({optimizer: 'sgd', params: {lr: 0.001, momentum: 0.9}})];"
                 "s.steps = 60; console.log(JSON.stringify(toHash(s)))")
    r = gs.from_url(f"http://127.0.0.1:8000/#{hash_}")
    alone = core_optimize(gs.surface("rosenbrock"), "sgd", (-1.2, 1), 60, lr=0.001,
                          momentum=0.9)
    np.testing.assert_array_equal(r.runs[1].points, alone.points)
    # the app's defaults when the hash is empty
    default = gs.from_url("http://127.0.0.1:8000/")
    assert [r.optimizer for r in default.runs] == ["adam", "sgd"] and default.steps == 500
    with pytest.raises(ValueError, match="unknown surface"):
        gs.from_url("http://x/#s=nowhere")
    with pytest.raises(ValueError, match="no formula"):
        gs.from_url("http://x/#s=custom")


@pytest.mark.browser
def test_the_app_opens_a_python_link_as_the_same_race(browser: Any, base_url: str) -> None:
    """The running playground, given race.url(), shows this race: same state, same path."""
    from browser_support import open_app

    r = gs.race("rosenbrock", runs=[("adam", {"lr": 0.02}),
                                    {"optimizer": "sgd", "params": {"lr": 0.001},
                                     "schedule": "step", "schedule_params": {"step_size": 20}}],
                start=(-1.5, 2.0), steps=90, seed=0)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        pg = context.new_page()
        hash_ = r.url(base=base_url).split("#", 1)[1]
        open_app(pg, base_url, hash_)
        pg.wait_for_function("() => window.gradscape.race.race.available >= 90",
                             timeout=20000)
        state = pg.evaluate("() => JSON.parse(JSON.stringify(window.gradscape.state))")
        assert state["surface"] == "rosenbrock" and state["start"] == [-1.5, 2.0]
        assert state["steps"] == 90
        assert [run["optimizer"] for run in state["runs"]] == ["adam", "sgd"]
        assert state["runs"][1]["schedule"] == "step"
        runs = pg.evaluate("() => window.gradscape.race.race.runs.map("
                           "r => [Array.from(r.x.slice(0, 91)), Array.from(r.y.slice(0, 91))])")
        for (xs, ys), run in zip(runs, r.runs, strict=True):
            np.testing.assert_allclose(xs, run.points[:, 0], rtol=1e-6, atol=1e-9)
            np.testing.assert_allclose(ys, run.points[:, 1], rtol=1e-6, atol=1e-9)
    finally:
        context.close()


def test_the_network_functions_are_at_the_top() -> None:
    # A one-hidden-layer tanh network's gradient at its initialization against centred
    # differences of gs's own loss: the top-level names reach the real engine.
    prob = gs.network_problem(dataset="moons", hidden=(3,), activation="tanh", samples=40,
                              test_samples=10, noise=0.1, seed=0)
    theta = prob.init(seed=0)
    grad = prob.grad(theta[None, :])[0]
    h = 1e-6
    for k in (0, prob.n_params // 2, prob.n_params - 1):
        e = np.zeros(prob.n_params)
        e[k] = h
        up, down = prob.loss((theta + e)[None, :])[0], prob.loss((theta - e)[None, :])[0]
        numeric = (up - down) / (2 * h)
        assert abs(numeric - grad[k]) < 1e-6 * max(1.0, abs(grad[k]))
    trained = gs.train(prob, "sgd", steps=20, start=theta, lr=0.5)
    assert trained.train_loss[-1] < trained.train_loss[0]
    spectrum = gs.hessian_spectrum(prob, trained.thetas[-1])
    assert spectrum.eigenvalues.shape == (prob.n_params,)
    assert gs.landscape(prob, [trained], plane="pca", resolution=5) is not None
    with pytest.raises(ValueError, match="hidden"):
        gs.network_problem(dataset="moons", hidden=(0,))
