"""Issue 16, item 7 on the WebSocket: a start naming a `network` streams a network race with
the surface races' protocol (start, frames, pause/step/set/stop, errors).

References: core.train on the same spec (losses, accuracies, gradient norms, sharpness), a
least-squares projection computed here (the plane's coordinates), prob.predict (the boundary)
and hand-written gradient descent with prob.grad (a mid-run `set`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

import gradscape.core as core
from gradscape.core.netrace import NetRace
from gradscape.core.slices import filter_normalized
from gradscape.server.app import create_app
from gradscape.server.config import Settings

DIGITS = Settings().stream_digits
client = TestClient(create_app(Settings(frame_steps=10)))
NET: dict[str, Any] = {"dataset": "circles", "hidden": [6, 6], "activation": "tanh",
                       "samples": 80, "test_samples": 30, "seed": 2}
RUNS: list[dict[str, Any]] = [
    {"optimizer": "sgd", "params": {"lr": 0.5}},
    {"optimizer": "adam", "params": {"lr": 0.03}, "batch_size": 16},
    {"optimizer": "momentum", "params": {"lr": 0.1, "momentum": 0.9}},
]


def prob_of(net: dict[str, Any]) -> core.network.NetworkProblem:
    return core.network_problem(**{k: tuple(v) if k == "hidden" else v for k, v in net.items()})


def start(**extra: Any) -> dict[str, Any]:
    return {"type": "start", "network": NET, "runs": RUNS, "steps": 35, "init_seed": 4,
            "seed": 1, **extra}


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        message = ws.receive_json()
        seen.append(message)
        if message["type"] == kind:
            return seen
        assert message["type"] != "error", message


def joined(frames: list[dict[str, Any]], run: int, key: str) -> np.ndarray:
    """A run's per-iterate (or per-update) records across frames, checking continuity."""
    out: list[Any] = []
    for f in frames:
        r = f["runs"][run]
        if key in ("points", "train_loss") and r["points"]:
            assert f["step"] == len(joined_points(frames[:frames.index(f)], run))
        out.extend(r.get(key, []))
    return np.array([np.nan if v is None else v for v in out], dtype=np.float64) \
        if out and not isinstance(out[0], list) else np.array(out, dtype=np.float64)


def joined_points(frames: list[dict[str, Any]], run: int) -> list[Any]:
    return [p for f in frames for p in f["runs"][run]["points"]]


def close(got: np.ndarray, want: np.ndarray) -> None:
    """Equal to the stream's significant digits."""
    np.testing.assert_allclose(got, want, rtol=2 * 10.0 ** (1 - DIGITS), atol=1e-12)


def test_frames_carry_what_core_train_computes() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start(sharpness_every=10, boundary_every=2, boundary_resolution=9,
                           plane_seed=6))
        messages = until(ws, "done")
    head = messages[0]
    assert head["type"] == "started" and head["steps"] == 35
    frames = [m for m in messages if m["type"] == "frame"]
    assert frames[0]["step"] == 0 and all(len(r["points"]) == 1 for r in frames[0]["runs"])
    prob = prob_of(NET)
    assert head["network"]["n_params"] == prob.n_params
    assert head["data"]["y"] == prob.y.tolist()
    np.testing.assert_allclose(np.array(head["data"]["X"]), prob.X, rtol=2e-4, atol=1e-9)
    assert [r["batch_size"] for r in head["runs"]] == [80, 16, 80]
    theta0 = prob.init(4)
    # the plane: through the shared start, two filter-normalized directions
    rng = np.random.default_rng([6, 9])
    dirs = np.stack([filter_normalized(prob, theta0, rng) for _ in range(2)])
    for i, run in enumerate(RUNS):
        tr = core.train(prob, run["optimizer"], steps=35, start=theta0,
                        batch_size=run.get("batch_size"), seed=1, sharpness_every=10,
                        **run["params"])
        coords, *_ = np.linalg.lstsq(dirs.T, (tr.thetas - theta0).T, rcond=None)
        close(joined(frames, i, "points"), coords.T)
        residual = tr.thetas - theta0 - coords.T @ dirs
        close(joined(frames, i, "distance"), np.linalg.norm(residual, axis=1))
        for key in ("train_loss", "test_loss", "train_acc", "test_acc", "grad_norm"):
            close(joined(frames, i, key), getattr(tr, key))
        # the effective step of every update, from the iterates core.train recorded
        close(joined(frames, i, "step_norm"), np.linalg.norm(np.diff(tr.thetas, axis=0), axis=1))
        sharp = joined(frames, i, "sharpness")
        np.testing.assert_array_equal(sharp[:, 0], tr.sharpness_steps)
        close(sharp[:, 1], tr.sharpness)
        close(sharp[:, 2], tr.threshold)
        # the boundary of the last frame is the final network's p(class 1) on the grid
        gx, gy = np.meshgrid(head["boundary"]["xs"], head["boundary"]["ys"])
        want = prob.predict(tr.thetas[-1], np.stack([gx.ravel(), gy.ravel()], axis=1))[:, 1]
        last = frames[-1]["runs"][i]["boundary"]
        np.testing.assert_allclose(last, want, atol=1e-3 * np.abs(want).max())
        # first frame and every second one carry a grid
        with_grid = [k for k, f in enumerate(frames)
                     if {"boundary", "boundary_of"} & set(f["runs"][i])]
        assert with_grid[:2] == [0, 2] and with_grid[-1] == len(frames) - 1
    assert messages[-1]["runs"] == [{"status": "max_steps", "stop_step": 35}] * 3
    # the opening's runs all sit at the shared start: its grid is sent once
    assert [r.get("boundary_of") for r in frames[0]["runs"]] == [None, 0, 0]
    assert "boundary" in frames[0]["runs"][0]


def test_set_mid_run_changes_the_learning_rate_from_the_next_step() -> None:
    net = {**NET, "hidden": [5]}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "network": net, "steps": 200, "frame_steps": 4,
                      "runs": [{"optimizer": "sgd", "params": {"lr": 0.4}}]})
        before = until(ws, "frame") + until(ws, "frame")  # the opening, then one of steps
        ws.send_json({"type": "pause"})
        before += until(ws, "paused")
        k = before[-1]["step"]
        ws.send_json({"type": "set", "run": 0, "params": {"lr": 0.05}})
        reply = until(ws, "set")[-1]
        assert reply["step"] == k and reply["params"]["lr"] == 0.05
        ws.send_json({"type": "step", "n": 6})
        stepped = until(ws, "paused")
        assert stepped[-1]["step"] == k + 6
        ws.send_json({"type": "resume"})
        after = until(ws, "done")
    frames = [m for m in before + stepped + after if m["type"] == "frame"]
    # gradient descent by hand: lr 0.4 for the first k updates, 0.05 after
    prob = prob_of(net)
    theta, losses = prob.init(0), []
    for t in range(201):
        losses.append(prob.loss(theta)[0])
        theta = theta - (0.4 if t < k else 0.05) * prob.grad(theta)[0]
    close(joined(frames, 0, "train_loss"), np.array(losses))
    assert 4 <= k < 194


def test_regression_streams_the_fit() -> None:
    net = {"dataset": "sine", "hidden": [8], "samples": 40, "test_samples": 10}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "network": net, "steps": 12, "boundary_resolution": 7,
                      "runs": [{"optimizer": "adam", "params": {"lr": 0.05}}]})
        messages = until(ws, "done")
    head, frames = messages[0], [m for m in messages if m["type"] == "frame"]
    assert "ys" not in head["boundary"] and len(head["boundary"]["xs"]) == 7
    assert "train_acc" not in frames[0]["runs"][0]
    prob = prob_of(net)
    tr = core.train(prob, "adam", steps=12, lr=0.05)
    want = prob.predict(tr.thetas[-1], np.array(head["boundary"]["xs"])[:, None])
    np.testing.assert_allclose(frames[-1]["runs"][0]["boundary"], want,
                               atol=1e-3 * np.abs(want).max())


def test_stop_and_a_new_start_replace_the_race() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start(steps=2000, frame_steps=1))
        until(ws, "frame")
        ws.send_json({"type": "stop"})
        done = until(ws, "done")[-1]
        assert done["reason"] == "stopped" and all(r["stop_step"] < 2000 for r in done["runs"])
        ws.send_json(start(steps=5))
        messages = until(ws, "done")
        assert messages[-1]["reason"] == "finished" and messages[-1]["race"] == 2


def bad(change: dict[str, Any], c: TestClient = client) -> str:
    with c.websocket_connect("/api/stream") as ws:
        ws.send_json({**start(), **change})
        message = ws.receive_json()
        assert message["type"] == "error", message
        ws.send_json({"type": "ping"})  # the connection stays usable
        assert ws.receive_json()["type"] == "pong"
        text: str = message["message"]
        return text


def test_bad_specs_get_an_error_frame_naming_the_field() -> None:
    assert "network.dataset" in bad({"network": {**NET, "dataset": "swiss_roll"}})
    assert "network.hidden" in bad({"network": {**NET, "hidden": [65]}})
    assert "network.activation" in bad({"network": {**NET, "activation": "gelu"}})
    assert "runs[0].optimizer" in bad({"runs": [{"optimizer": "newton"}]})
    assert "runs[0]" in bad({"runs": [{"optimizer": "adam", "params": {"betas": [2, 0]}}]})
    assert "runs[0].batch_size" in bad({"runs": [{"optimizer": "sgd", "batch_size": 81}]})
    assert "boundary_resolution" in bad({"boundary_resolution": 500})
    assert "GRADSCAPE_MAX_NET_STEPS" in bad({"steps": 6000})
    assert "surface" not in bad({"network": {**NET, "hidden": "wide"}})
    # over this server's budget: refused before anything is built
    small = TestClient(create_app(Settings(max_work=1_000_000)))
    assert "GRADSCAPE_MAX_WORK" in bad({"steps": 2000}, small)


def first_error(ws: WebSocketTestSession) -> str:
    """The next error's message, skipping the frames still streaming."""
    while True:
        m = ws.receive_json()
        if m["type"] == "error":
            text: str = m["message"]
            return text


def test_set_on_a_network_race_names_the_bad_parameter() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start(steps=3000, frame_steps=1))
        until(ws, "frame")
        ws.send_json({"type": "set", "run": 0, "params": {"lr": -3}})
        assert "lr" in first_error(ws)
        ws.send_json({"type": "set", "run": 7, "params": {"lr": 0.1}})
        assert "run 7" in first_error(ws)
        ws.send_json({"type": "stop"})
        assert until(ws, "done")[-1]["reason"] == "stopped"


def test_landscape_of_the_paths_so_far_coarse_then_fine() -> None:
    net = {**NET, "hidden": [5]}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "network": net, "steps": 300, "frame_steps": 4,
                      "runs": [{"optimizer": "sgd", "params": {"lr": 0.4}},
                               {"optimizer": "adam", "params": {"lr": 0.02}}]})
        until(ws, "frame")
        until(ws, "frame")
        ws.send_json({"type": "pause"})
        k = until(ws, "paused")[-1]["step"]
        ws.send_json({"type": "set", "run": 0, "params": {"lr": 0.1}})
        until(ws, "set")
        ws.send_json({"type": "step", "n": 4})
        assert until(ws, "paused")[-1]["step"] == k + 4
        ws.send_json({"type": "landscape", "plane": "pca", "resolution": 15, "seed": 3})
        coarse = until(ws, "landscape")[-1]
        fine = until(ws, "landscape")[-1]
        ws.send_json({"type": "landscape", "resolution": 500})
        assert "resolution" in first_error(ws)
        ws.send_json({"type": "stop"})
        until(ws, "done")
    assert (coarse["resolution"], coarse["final"]) == (13, False)
    assert (fine["resolution"], fine["final"], fine["step"]) == (15, True, k + 4)
    # the reference paths: gradient descent by hand with the retune, Adam by core.train
    prob = prob_of(net)
    theta, sgd = prob.init(0), [prob.init(0)]
    for t in range(k + 4):
        theta = theta - (0.4 if t < k else 0.1) * prob.grad(theta)[0]
        sgd.append(theta)
    adam = core.train(prob, "adam", steps=k + 4, lr=0.02).thetas
    sl = core.landscape(prob, [np.array(sgd), adam], plane="pca", resolution=15, seed=3)
    close(np.array(fine["loss"], dtype=float), sl.loss)
    close(np.array(fine["xs"]), sl.xs)
    for got, want in zip(fine["paths"], sl.paths, strict=True):
        close(np.array(got["true_loss"]), want.true_loss)
        close(np.array(got["slice_loss"]), want.slice_loss)


def test_landscape_of_a_finished_race_is_the_rest_answer_without_a_replay(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The stream slices the iterates it kept; POST /api/network/landscape trains the same
    # race from scratch (an independent path to the same numbers). Once the race is done, no
    # training step may run again in the stream: a replay would have to take one.
    def no_replay(*_: Any, **__: Any) -> None:
        raise AssertionError("the stream replayed the race")

    race = {"network": NET, "runs": RUNS, "steps": 30, "init_seed": 4, "seed": 1}
    for plane in ("pca", "random"):
        with client.websocket_connect("/api/stream") as ws:
            ws.send_json({"type": "start", **race})
            until(ws, "done")
            monkeypatch.setattr(NetRace, "opening", no_replay)
            monkeypatch.setattr(NetRace, "advance", no_replay)
            ws.send_json({"type": "landscape", "plane": plane, "resolution": 17, "seed": 5})
            passes = [until(ws, "landscape")[-1], until(ws, "landscape")[-1]]
            monkeypatch.undo()
        # coarse first, then the resolution asked for
        assert [(p["resolution"], p["final"]) for p in passes] == [(13, False), (17, True)]
        # the coarse picture's paths come without the loss at each projected iterate (the
        # fine one brings it); what they have is the fine one's
        for c, f in zip(passes[0]["paths"], passes[1]["paths"], strict=True):
            assert "slice_loss" not in c and len(f["slice_loss"]) == 31
            assert all(c[key] == f[key] for key in ("coords", "true_loss", "distance"))
        r = client.post("/api/network/landscape",
                        json={**race, "plane": plane, "resolution": 17, "plane_seed": 5})
        assert r.status_code == 200, r.text[:300]
        want, fine = r.json(), passes[1]
        assert fine["step"] == 30 and fine["plane"] == want["plane"] == plane
        for key in ("xs", "ys"):
            close(np.array(fine[key]), np.array(want[key]))
        close(np.array(fine["loss"], dtype=float), np.array(want["loss"], dtype=float))
        if plane == "pca":
            close(np.array(fine["explained_variance"]), np.array(want["explained_variance"]))
        assert len(fine["paths"]) == len(want["paths"]) == len(RUNS)
        for got, ref in zip(fine["paths"], want["paths"], strict=True):
            assert len(got["coords"]) == 31  # iterates 0..30
            for key in ("coords", "true_loss", "slice_loss", "distance"):
                close(np.array(got[key]), np.array(ref[key]))


def test_a_race_too_large_to_keep_has_its_landscape_refused() -> None:
    # parameters x (steps + 1) x runs: the circles net [6, 6] has 2*6+6 + 6*6+6 + 6*2+2 = 74
    # parameters, so 2 runs of 9 steps need 74 * 10 * 2 = 1480 numbers
    need = 74 * 10 * 2
    for limit, refused in ((need, False), (need - 1, True)):
        small = TestClient(create_app(Settings(frame_steps=10, max_kept_floats=limit)))
        with small.websocket_connect("/api/stream") as ws:
            ws.send_json({"type": "start", "network": NET, "runs": RUNS[:2], "steps": 9})
            assert until(ws, "done")[-1]["reason"] == "finished"  # the race itself runs
            ws.send_json({"type": "landscape", "plane": "random", "resolution": 5})
            if refused:
                text = first_error(ws)
                assert "GRADSCAPE_MAX_KEPT_FLOATS" in text and "1,480" in text, text
                assert "fewer steps" in text and f"{limit:,}" in text, text
            else:
                assert until(ws, "landscape")[-1]["final"]


def test_landscape_needs_a_network_race() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "surface": "himmelblau", "steps": 5,
                      "runs": [{"optimizer": "sgd"}]})
        until(ws, "done")
        ws.send_json({"type": "landscape"})
        assert "network" in first_error(ws)


def test_a_diverged_run_stops_and_the_others_go_on() -> None:
    net = {"dataset": "sine", "hidden": [6], "samples": 50, "test_samples": 20}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "network": net, "steps": 40, "frame_steps": 3,
                      "runs": [{"optimizer": "sgd", "params": {"lr": 900.0}},
                               {"optimizer": "sgd", "params": {"lr": 0.1}}]})
        messages = until(ws, "done")
    frames = [m for m in messages if m["type"] == "frame"]
    prob = prob_of(net)
    for i, lr in enumerate((900.0, 0.1)):
        tr = core.train(prob, "sgd", steps=40, lr=lr)
        close(joined(frames, i, "train_loss"), tr.train_loss)  # checks each frame's step
    blown = core.train(prob, "sgd", steps=40, lr=900.0)
    assert blown.status == "diverged"
    assert messages[-1]["runs"] == [{"status": "diverged", "stop_step": blown.updates},
                                    {"status": "max_steps", "stop_step": 40}]


def test_frames_carry_state_norms_and_replay_a_runs_changes() -> None:
    runs = [{**RUNS[0], "changes": [{"step": 7, "params": {"momentum": 0.8}}]},
            {**RUNS[1], "changes": [{"step": 12, "params": {"lr": 0.003}},
                                    {"step": 20, "params": {"betas": [0.5, 0.9]}}]}]
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start(runs=runs))
        messages = until(ws, "done")
    frames = [m for m in messages if m["type"] == "frame"]
    prob = prob_of(NET)
    for i, run in enumerate(runs):
        tr = core.train(prob, run["optimizer"], steps=35, start=prob.init(4),
                        batch_size=run.get("batch_size"), seed=1, **run["params"],
                        changes=[(c["step"], c["params"]) for c in run["changes"]])
        close(joined(frames, i, "train_loss"), tr.train_loss)
        assert tr.state_norms and set(tr.state_norms) == set(frames[-1]["runs"][i]["state_norms"])
        for name, want in tr.state_norms.items():
            got = [v for f in frames for v in f["runs"][i].get("state_norms", {}).get(name, [])]
            close(np.array(got), want)
    # the opening frame has no update, so no state
    assert all("state_norms" not in r for r in frames[0]["runs"])
    assert [set(f["runs"][1]["state_norms"]) for f in frames[1:]] == \
        [{"exp_avg", "exp_avg_sq"}] * (len(frames) - 1)


def test_a_change_beyond_the_race_is_an_error_naming_it() -> None:
    runs = [{**RUNS[0], "changes": [{"step": 36, "params": {"lr": 0.1}}]}]
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start(runs=runs))
        error = ws.receive_json()
    assert error["type"] == "error" and "runs[0]" in error["message"] \
        and "changes[0]: Invalid step" in error["message"], error


def test_a_start_asking_for_the_slice_gets_it_when_the_race_ends_unasked() -> None:
    # the same slice as a "landscape" message after "done" would bring, begun on the last
    # frame instead; checked against POST /api/network/landscape (trains the race anew)
    race = {"network": NET, "runs": RUNS, "steps": 30, "init_seed": 4, "seed": 1}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", **race,
                      "landscape": {"plane": "random", "resolution": 15, "seed": 2}})
        seen: list[dict[str, Any]] = []
        while not (seen and seen[-1]["type"] == "landscape" and seen[-1]["final"]):
            seen.append(ws.receive_json())
            assert seen[-1]["type"] != "error", seen[-1]
        kinds = [m["type"] for m in seen]
        assert "done" in kinds
    passes = [m for m in seen if m["type"] == "landscape"]
    assert [(p["resolution"], p["final"], p["step"]) for p in passes] == [(13, False, 30),
                                                                        (15, True, 30)]
    # nothing of the slice before the race's last frame
    last_frame = max(i for i, k in enumerate(kinds) if k == "frame")
    assert kinds.index("landscape") > last_frame
    r = client.post("/api/network/landscape",
                    json={**race, "plane": "random", "resolution": 15, "plane_seed": 2})
    want = r.json()
    close(np.array(passes[1]["loss"], dtype=float), np.array(want["loss"], dtype=float))
    for got, ref in zip(passes[1]["paths"], want["paths"], strict=True):
        close(np.array(got["coords"]), np.array(ref["coords"]))


def test_a_start_asking_for_a_slice_above_the_limit_gets_an_error_at_the_end() -> None:
    strict = TestClient(create_app(Settings(frame_steps=10, max_slice_resolution=21)))
    with strict.websocket_connect("/api/stream") as ws:
        ws.send_json(start(landscape={"resolution": 41}))
        seen = []
        while not seen or seen[-1]["type"] != "done":
            seen.append(ws.receive_json())
    errors = [m for m in seen if m["type"] == "error"]
    assert len(errors) == 1 and "GRADSCAPE_MAX_SLICE_RESOLUTION" in errors[0]["message"]
    assert not any(m["type"] == "landscape" for m in seen)
