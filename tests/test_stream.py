"""The WebSocket protocol of /api/stream: start, frames, done; pause/resume/step/set/stop;
a new start replacing the old; bad messages; limits; disconnects; backpressure."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import WebSocketTestSession

import gradscape.core as core
from gradscape.core.runs import Race, RunSpec
from gradscape.server.app import create_app
from gradscape.server.config import Settings
from gradscape.server.encode import Rounding, rounded

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
SIX = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
DIGITS = Settings().stream_digits


def make_client(**settings: Any) -> TestClient:
    return TestClient(create_app(Settings(**settings)))


client = make_client(frame_steps=10)


def start_message(steps: int = 60, **extra: Any) -> dict[str, Any]:
    return {"type": "start", "surface": {"formula": ROSENBROCK}, "steps": steps,
            "runs": [{"optimizer": o, "params": {"lr": 1e-3}, "start": [-1.5, 2.0]}
                     for o in SIX], **extra}


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    """Messages up to and including the first of type `kind`."""
    seen = []
    while True:
        message = ws.receive_json()
        seen.append(message)
        if message["type"] == kind:
            return seen
        assert message["type"] != "error", message  # instead of waiting forever


def paths(frames: list[dict[str, Any]], runs: int) -> list[np.ndarray]:
    """Each run's points, joined across frames, checking each frame continues the path."""
    out: list[list[Any]] = [[] for _ in range(runs)]
    for f in frames:
        for i, run in enumerate(f["runs"]):
            if run["points"]:
                assert f["step"] == len(out[i])
            out[i].extend(run["points"])
    return [np.array(p) for p in out]


def reference(steps: int, retune: tuple[int, int, dict[str, Any]] | None = None) -> list[Any]:
    race = Race(core.surface(ROSENBROCK), [RunSpec(o, (-1.5, 2.0), {"lr": 1e-3}) for o in SIX],
                steps=steps)
    if retune is not None:
        at, run, params = retune
        race.advance(at)
        race.retune(run, params)
    return race.run()


def test_start_streams_the_race_then_done() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message())
        messages = until(ws, "done")
    started, frames, done = messages[0], messages[1:-1], messages[-1]
    assert started["type"] == "started" and started["race"] == 1 and started["steps"] == 60
    assert [r["optimizer"] for r in started["runs"]] == SIX
    assert started["runs"][5]["params"]["betas"] == [0.9, 0.999]  # defaults filled in
    assert all(f["type"] == "frame" and f["race"] == 1 for f in frames)
    # The first frame is the starts, before any step (the fastest first paint): each run's
    # point and its loss, f(-1.5, 2) = 2.5^2 + 100 * (2 - 2.25)^2 = 12.5, and no step's
    # details; then frames of 10 new points each, from path index 1.
    assert frames[0]["step"] == 0
    for run in frames[0]["runs"]:
        assert run["points"] == [[-1.5, 2.0]] and run["values"] == [12.5], run
        assert "lr" not in run and "inspector" not in run and run["status"] == "running"
    assert frames[1]["step"] == 1 and len(frames[1]["runs"][0]["points"]) == 10
    assert frames[2]["step"] == 11 and len(frames[2]["runs"][0]["points"]) == 10
    expected = reference(60)
    for got, want in zip(paths(frames, 6), expected, strict=True):
        np.testing.assert_allclose(got, want.points, rtol=1e-6, atol=1e-12)
    assert done["reason"] == "finished"
    assert [r["status"] for r in done["runs"]] == [t.status for t in expected]
    last = frames[-1]["runs"][0]
    assert set(last["inspector"]) == {"m", "sigma", "step"} and "lr" in last and "grad" in last


def test_detail_levels() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=20, detail="none"))
        frame = until(ws, "done")[1]
        assert set(frame["runs"][0]) == {"points", "values", "status", "stop_step"}
        ws.send_json(start_message(steps=20, detail="all"))
        frames = [m for m in until(ws, "done") if m["type"] == "frame"]
    run = frames[1]["runs"][0]
    assert len(run["grads"]) == len(run["points"]) and len(run["lrs"]) == len(run["points"])
    assert len(run["inspector"]["sigma"]) == len(run["points"])
    # Detail "all" sends every step's records, the first step's too: its first frame takes
    # that step (the starts-only opening frame would leave update 0 out).
    assert len(frames[0]["runs"][0]["lrs"]) == 1
    assert sum(len(f["runs"][0]["lrs"]) for f in frames) == 20


def test_a_mini_batch_race_opens_with_its_first_step() -> None:
    # The first evaluation of a mini-batch run draws the first batch, so its first frame is
    # that step (with its details), not a preview of the start.
    body = {"type": "start", "surface": "linear_regression", "steps": 20,
            "runs": [{"optimizer": "sgd", "params": {"lr": 0.01}, "batch_size": 4}]}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(body)
        frames = [m for m in until(ws, "done") if m["type"] == "frame"]
    first = frames[0]["runs"][0]
    assert len(first["points"]) == 1 and "lr" in first and "inspector" in first
    assert frames[1]["step"] == 1


def test_eigen_streams_each_points_hessian_decomposition() -> None:
    """With "eigen": true every point comes with its Hessian's eigenvalues and eigenvectors,
    checked against Himmelblau's Hessian written out by hand."""
    body = {"type": "start", "surface": "himmelblau", "steps": 30, "eigen": True,
            "runs": [{"optimizer": "sgd", "params": {"lr": 0.01}, "start": [0.5, 3.5]},
                     {"optimizer": "adam", "params": {"lr": 0.1}, "start": [-1.0, -1.0]}]}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(body)
        frames = [m for m in until(ws, "done") if m["type"] == "frame"]
    for i in range(2):
        points = np.array([p for f in frames for p in f["runs"][i]["points"]])
        lam = np.array([v for f in frames for v in f["runs"][i]["eigenvalues"]])
        vec = np.array([v for f in frames for v in f["runs"][i]["eigenvectors"]])
        assert len(points) == len(lam) == len(vec) == 31
        x, y = points[:, 0], points[:, 1]
        H = np.empty((len(x), 2, 2))
        H[:, 0, 0] = 12 * x**2 + 4 * y - 42
        H[:, 1, 1] = 4 * x + 12 * y**2 - 26
        H[:, 0, 1] = H[:, 1, 0] = 4 * x + 4 * y
        np.testing.assert_allclose(lam, np.linalg.eigvalsh(H), rtol=1e-5, atol=1e-4)
        for k in range(len(x)):  # columns are eigenvectors: H v = λ v
            for j in range(2):
                v = vec[k][:, j]
                np.testing.assert_allclose(H[k] @ v, lam[k, j] * v, rtol=1e-4, atol=1e-3)
    with client.websocket_connect("/api/stream") as ws:  # off by default: no extra bytes
        ws.send_json(start_message(steps=5))
        frame = until(ws, "done")[1]
    assert "eigenvalues" not in frame["runs"][0]


def test_statuses_reach_the_client() -> None:
    message = {"type": "start", "surface": "bowl", "steps": 500, "runs": [
        {"optimizer": "sgd", "params": {"lr": 0.5}, "start": [1, 1]},
        {"optimizer": "sgd", "params": {"lr": 5.0}, "start": [1, 1]},
        {"optimizer": "sgd", "params": {"lr": 0.001}, "start": [1, 1]}]}
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(message)
        messages = until(ws, "done")
    assert [r["status"] for r in messages[-1]["runs"]] == ["converged", "diverged", "max_steps"]
    frames = [m for m in messages if m["type"] == "frame"]
    converged, diverged, _ = paths(frames, 3)
    assert len(converged) < 500 and np.isfinite(diverged).all()


def test_pause_step_resume() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=10_000))
        ws.send_json({"type": "pause"})
        before = until(ws, "paused")
        paused_at = before[-1]["step"]
        frames = [m for m in before if m["type"] == "frame"]
        assert sum(len(f["runs"][0]["points"]) for f in frames) == paused_at
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}  # nothing streamed while paused
        ws.send_json({"type": "step", "n": 25})
        stepped = until(ws, "paused")
        assert sum(len(f["runs"][0]["points"]) for f in stepped if f["type"] == "frame") == 25
        assert stepped[-1]["step"] == paused_at + 25
        ws.send_json({"type": "resume"})
        resumed = until(ws, "resumed")
        assert resumed[-1]["step"] == paused_at + 25
        ws.send_json({"type": "stop"})
        done = until(ws, "done")[-1]
    assert done["reason"] == "stopped" and done["runs"][0]["stop_step"] < 10_000


def test_set_retunes_one_run_and_the_path_continues() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=200))
        ws.send_json({"type": "pause"})
        before = until(ws, "paused")
        at = before[-1]["step"]
        ws.send_json({"type": "set", "run": 5, "params": {"lr": 0.01}})
        ack = until(ws, "set")[-1]
        assert ack["run"] == 5 and ack["params"]["lr"] == 0.01 and ack["step"] == at
        assert ack["params"]["betas"] == [0.9, 0.999]
        ws.send_json({"type": "resume"})
        after = until(ws, "done")
    frames = [m for m in before + after if m["type"] == "frame"]
    expected = reference(200, retune=(at, 5, {"lr": 0.01}))
    got = paths(frames, 6)
    np.testing.assert_allclose(got[5], expected[5].points, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(got[0], expected[0].points, rtol=1e-6, atol=1e-12)
    unchanged = reference(200)[5].points
    assert not np.allclose(got[5], unchanged)


def test_set_errors_keep_the_race() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=10_000))
        ws.send_json({"type": "pause"})
        until(ws, "paused")
        ws.send_json({"type": "set", "run": 9, "params": {"lr": 0.1}})
        assert "no run 9" in until(ws, "error")[-1]["message"]
        ws.send_json({"type": "set", "run": 0, "params": {"lr": -1}})
        assert "lr" in until(ws, "error")[-1]["message"]
        ws.send_json({"type": "set", "run": 0, "params": {"wat": 1}})
        assert "wat" in until(ws, "error")[-1]["message"]
        ws.send_json({"type": "step", "n": 3})
        frames = [m for m in until(ws, "paused") if m["type"] == "frame"]
        assert sum(len(f["runs"][0]["points"]) for f in frames) == 3


def test_new_start_replaces_the_old() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=10_000))
        until(ws, "frame")
        second = start_message(steps=30)
        second["runs"] = second["runs"][:2]
        ws.send_json(second)
        rest = until(ws, "started")[-1:]
        rest += until(ws, "done")
    assert rest[0]["race"] == 2
    assert all(m["race"] == 2 for m in rest)
    frames = [m for m in rest if m["type"] == "frame"]
    assert [len(p) for p in paths(frames, 2)] == [31, 31]


def test_invalid_start_keeps_the_running_race() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=10_000))
        ws.send_json({"type": "pause"})
        until(ws, "paused")
        ws.send_json({**start_message(), "runs": [{"optimizer": "nope"}]})
        assert "unknown optimizer" in until(ws, "error")[-1]["message"]
        ws.send_json({"type": "step", "n": 2})
        frame = until(ws, "frame")[-1]
        assert frame["race"] == 1


@pytest.mark.parametrize(("text", "needle"), [
    ("not json", "JSON"),
    ("[1, 2]", "JSON objects"),
    ('{"type": "jump"}', "unknown message type 'jump'"),
    ('{"no": "type"}', "unknown message type None"),
    ('{"type": "step", "n": 0}', "n"),
    ('{"type": "set", "run": 0}', "params"),
    ('{"type": "pause"}', "no race to pause"),
    ('{"type": "start", "surface": "bowl", "runs": []}', "runs"),
    ('{"type": "start", "surface": {"formula": "x^"}, "runs": [{"optimizer": "sgd"}]}',
     "column"),
    ('{"type": "start", "surface": "bowl", "steps": 1e400, "runs": [{"optimizer": "sgd"}]}',
     "steps"),
    ('{"type": "start", "surface": "bowl", "runs": [{"optimizer": "sgd"}], "x": 1}', "x"),
])
def test_bad_messages_get_an_error_and_the_connection_stays(text: str, needle: str) -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_text(text)
        error = ws.receive_json()
        assert error["type"] == "error" and needle in error["message"]
        ws.send_json(start_message(steps=5))
        assert until(ws, "done")[-1]["reason"] == "finished"


def test_binary_and_oversized_messages() -> None:
    tiny = make_client(max_message_bytes=1024, max_steps=100)
    with tiny.websocket_connect("/api/stream") as ws:
        ws.send_bytes(b"\x00\x01")
        assert "text" in ws.receive_json()["message"]
        ws.send_text(json.dumps({"type": "ping", "pad": "x" * 2000}))
        assert "too large" in ws.receive_json()["message"]
        ws.send_json(start_message(steps=101))
        assert "at most 100" in ws.receive_json()["message"]
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_finished_race_controls() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=5))
        until(ws, "done")
        ws.send_json({"type": "set", "run": 0, "params": {"lr": 0.1}})
        assert "finished" in ws.receive_json()["message"]
        ws.send_json({"type": "step"})
        assert "finished" in ws.receive_json()["message"]
        ws.send_json({"type": "pause"})
        assert ws.receive_json()["type"] == "paused"
        ws.send_json({"type": "stop"})
        assert ws.receive_json()["reason"] == "stopped"
        ws.send_json({"type": "stop"})
        assert "no race" in ws.receive_json()["message"]


def test_stream_limit() -> None:
    one = make_client(max_streams=1)
    with one.websocket_connect("/api/stream") as first:
        with one.websocket_connect("/api/stream") as second:
            error = second.receive_json()
            assert error["type"] == "error" and "busy" in error["message"]
        first.send_json({"type": "ping"})
        assert first.receive_json() == {"type": "pong"}
    with one.websocket_connect("/api/stream") as again:  # the slot was freed
        again.send_json({"type": "ping"})
        assert again.receive_json() == {"type": "pong"}


def test_disconnect_stops_the_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = Race.advance

    def counting(self: Race, n: int) -> Any:
        calls.append(n)
        return original(self, n)

    monkeypatch.setattr(Race, "advance", counting)
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json(start_message(steps=100_000 // 10))
        until(ws, "frame")
    # Leaving the block disconnects and waits for the server's handler to return.
    stopped_at = len(calls)
    time.sleep(0.2)
    assert len(calls) == stopped_at
    assert sum(calls) < 10_000


def test_backpressure_bounds_the_work_ahead_of_a_slow_client(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that stops reading: the server computes at most `stream_buffer` frames
    (plus the one being handed to the socket) ahead, then waits; disconnecting ends it."""
    steps: list[int] = []
    original = Race.advance

    def counting(self: Race, n: int) -> Any:
        steps.append(n)
        return original(self, n)

    monkeypatch.setattr(Race, "advance", counting)
    settings = Settings(frame_steps=10, first_frame_steps=10, stream_buffer=3)
    app = create_app(settings)

    async def scenario() -> tuple[int, int]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await inbox.put({"type": "websocket.connect"})
        await inbox.put({"type": "websocket.receive",
                         "text": json.dumps(start_message(steps=10_000))})
        sent: list[dict[str, Any]] = []
        blocked = asyncio.Event()

        async def receive() -> dict[str, Any]:
            return await inbox.get()

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if len([m for m in sent if m["type"] == "websocket.send"]) >= 3:
                await blocked.wait()  # the client stops reading: the socket never drains

        scope = {"type": "websocket", "path": "/api/stream", "raw_path": b"/api/stream",
                 "query_string": b"", "headers": [], "scheme": "ws", "server": ("t", 80),
                 "client": ("c", 1), "root_path": "", "subprotocols": [], "app": app,
                 "asgi": {"version": "3.0"}}
        task = asyncio.create_task(app(scope, receive, send))
        await asyncio.sleep(0.5)
        computed = len(steps)
        await asyncio.sleep(0.3)
        still = len(steps)
        await inbox.put({"type": "websocket.disconnect", "code": 1000})
        blocked.set()
        await asyncio.wait_for(task, 5)
        return computed, still

    computed, still = asyncio.run(scenario())
    # accepted + started + first frame sent, 1 frame in the blocked send, 3 queued, 1 waiting
    # for room in the queue: 6 chunks at most, then nothing more while the client is stuck.
    assert computed == still
    assert computed <= 1 + 1 + settings.stream_buffer + 1


def test_rounded_encoding() -> None:
    values = np.array([1.23456789, -2.0000001e-5, np.nan, np.inf, 1e-300, 0.1 + 0.2])
    out = rounded(values, 7)
    assert out[:2] == [1.234568, -2e-05] and out[2] is None and out[3] is None
    assert out[4] == 1e-300 and out[5] == 0.3
    rng = np.random.default_rng(0)
    x = rng.standard_normal(10_000) * 10.0 ** rng.integers(-12, 12, 10_000)
    np.testing.assert_allclose(rounded(x, 7), x, rtol=5.1e-7)
    assert json.dumps(rounded(np.array([[1.0, np.nan]]), DIGITS)) == "[[1.0, null]]"


def test_rounding_many_arrays_in_one_pass() -> None:
    target: dict[str, Any] = {}
    batch = Rounding(4)
    batch.put(target, "scalar", np.float64(np.pi))
    batch.put(target, "vector", [1.23456, np.inf])
    batch.put(target, "matrix", [[1.0, 2.0], [3.0, 4.00001]])
    batch.put(target, "empty", np.zeros((0, 2)))
    batch.put(target, "cube", np.ones((2, 1, 2)))
    batch.fill()
    assert target == {"scalar": 3.142, "vector": [1.235, None],
                      "matrix": [[1.0, 2.0], [3.0, 4.0]], "empty": [],
                      "cube": [[[1.0, 1.0]], [[1.0, 1.0]]]}


# --- property-based: random message sequences never break the connection ----------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(-1e3, 1e3)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6)
SURFACES = st.sampled_from(["bowl", "himmelblau", "nope", {"formula": "x^2 + y"},
                            {"formula": "x^"}, {"dataset": "single_neuron"}, 3, None])
RUN = st.fixed_dictionaries({"optimizer": st.sampled_from(["sgd", "adam", "newton", "nope"])},
                            optional={"params": st.dictionaries(
                                st.sampled_from(["lr", "momentum", "wat"]), JSON, max_size=2),
                                "start": st.lists(st.floats(-3, 3), min_size=1, max_size=3),
                                "batch_size": st.integers(-1, 8)})
MESSAGE = st.fixed_dictionaries(
    {"type": st.sampled_from(["start", "pause", "resume", "step", "set", "stop", "ping",
                              "bogus"])},
    optional={"surface": SURFACES, "runs": st.lists(RUN, max_size=3),
              "steps": st.integers(-1, 40), "n": st.integers(-1, 30),
              "run": st.integers(-1, 3), "params": JSON, "detail": JSON, "extra": JSON})
fuzz_client = make_client(max_steps=40, frame_steps=5, first_frame_steps=2)


@given(st.lists(MESSAGE | JSON, min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_messages_never_break_the_stream(messages: list[Any]) -> None:
    with fuzz_client.websocket_connect("/api/stream") as ws:
        for message in messages:
            ws.send_text(json.dumps(message))
        ws.send_json({"type": "ping"})
        while True:
            reply = ws.receive_json()
            assert "internal" not in reply.get("message", ""), reply
            if reply["type"] == "pong":
                break
        ws.send_json({"type": "start", "surface": "bowl", "steps": 3,
                      "runs": [{"optimizer": "sgd"}]})
        while (reply := ws.receive_json())["type"] != "done":
            assert "internal" not in reply.get("message", ""), reply
