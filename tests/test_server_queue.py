"""Issue 13, fair shares: heavy work goes through a bounded queue per process, a client
beyond its share (or a full queue) gets 429 with Retry-After, the wall-clock limit and a
disconnect stop work between chunks, and SIGTERM ends the process within seconds."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gradscape.core.cancel import Cancelled
from gradscape.server import cost
from gradscape.server.app import create_app
from gradscape.server.config import Settings
from gradscape.server.heavy import _step_aside
from gradscape.server.priority import StartGate
from gradscape.server.spawn import spawned_process
from gradscape.server.workqueue import Busy, Ticket, WorkQueue

# ~1-2 s of work on the reference machine: long enough to overlap other requests
SLOW_BASINS = {"surface": "himmelblau", "optimizer": "adam", "params": {"lr": 0.05},
               "resolution": 200, "steps": 2000}
# 100 x 100 starts x 200 steps x 1024 samples: ~2e9 units, well over 10 s if not stopped
VERY_SLOW_BASINS = {"surface": {"dataset": "linear_regression", "options": {"samples": 1024}},
                    "optimizer": "sgd", "params": {"lr": 0.001}, "resolution": 100,
                    "steps": 200}


# --- the queue itself -------------------------------------------------------------------
def test_a_freed_thread_goes_to_the_client_with_the_fewest_running() -> None:
    order: list[str] = []

    def job(name: str) -> None:
        order.append(name)
        time.sleep(0.05)

    async def scenario() -> None:
        queue = WorkQueue(threads=1, queue_size=10, share=3, timeout=10)
        flood = [asyncio.create_task(queue.run("A", Ticket(10), job, f"A{i}")) for i in range(3)]
        await asyncio.sleep(0.01)  # A0 runs, A1 and A2 wait
        honest = asyncio.create_task(queue.run("B", Ticket(10), job, "B0"))
        await asyncio.gather(*flood, honest)

    asyncio.run(scenario())
    assert order == ["A0", "B0", "A1", "A2"]  # B did not wait behind A's whole flood


def test_beyond_the_share_or_the_queue_the_answer_is_busy_with_a_retry_time() -> None:
    async def scenario() -> None:
        queue = WorkQueue(threads=1, queue_size=1, share=2, timeout=10)
        running = asyncio.create_task(queue.run("A", Ticket(10), time.sleep, 0.2))
        waiting = asyncio.create_task(queue.run("A", Ticket(10), time.sleep, 0.01))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy, match="GRADSCAPE_CLIENT_SHARE") as share:
            queue.admit("A")
        with pytest.raises(Busy, match="GRADSCAPE_QUEUE_SIZE") as full:
            queue.admit("B")  # B has no share used, but the one waiting place is taken
        assert share.value.seconds >= 1 and full.value.seconds >= 1
        await asyncio.gather(running, waiting)
        queue.admit("B")  # all done: room again
        assert queue.running == {} and queue.waiting == []

    asyncio.run(scenario())


def test_a_cancelled_ticket_leaves_the_queue_without_running() -> None:
    ran: list[int] = []

    async def scenario() -> None:
        queue = WorkQueue(threads=1, queue_size=5, share=5, timeout=10)
        first = asyncio.create_task(queue.run("A", Ticket(10), time.sleep, 0.6))
        ticket = Ticket(10)
        second = asyncio.create_task(queue.run("A", ticket, ran.append, 1))
        await asyncio.sleep(0.05)
        ticket.cancel("the client disconnected")
        with pytest.raises(Cancelled):
            await second
        assert queue.waiting == []
        await first

    asyncio.run(scenario())
    assert ran == []


def test_a_ticket_stops_work_at_its_deadline_or_when_cancelled() -> None:
    ticket = Ticket(0.05)
    ticket()  # not started: no deadline yet
    ticket.start()
    ticket()
    time.sleep(0.06)
    with pytest.raises(Cancelled, match="GRADSCAPE_REQUEST_TIMEOUT"):
        ticket()
    # time spent stepping aside for stream starts does not count against the limit
    polite = Ticket(0.05, pause=lambda: time.sleep(0.03))
    polite.start()
    for _ in range(4):
        polite()  # 0.12 s in all, all of it paused
    other = Ticket(10)
    other.cancel("the server is shutting down")
    with pytest.raises(Cancelled, match="shutting down"):
        other()


def test_heavy_work_yields_half_its_time_while_stream_chunks_wait() -> None:
    gate = StartGate(quiet=0.003, longest=0.1)  # no start marked: no burst to step aside for
    compute = SimpleNamespace(waiting=False)
    pause = _step_aside(gate, compute)  # type: ignore[arg-type]

    def paused_after(work: float) -> float:
        time.sleep(work)  # a chunk of heavy work
        began = time.monotonic()
        pause()
        return time.monotonic() - began

    assert paused_after(0.04) < 0.02  # no stream waits: the work goes straight on
    compute.waiting = True
    assert paused_after(0.04) >= 0.035  # as long as its chunk ran: about half the time
    assert 0.095 <= paused_after(0.5) < 0.4  # never longer than `longest` at one check
    compute.waiting = False
    assert paused_after(0.04) < 0.02


# --- over HTTP, in process --------------------------------------------------------------
def _in_background(client: TestClient, path: str, body: Any,
                   out: dict[str, Any], headers: dict[str, str] | None = None) -> threading.Thread:
    def call() -> None:
        out["response"] = client.post(path, json=body, headers=headers or {})

    thread = threading.Thread(target=call)
    thread.start()
    return thread


def _wait_running(app: Any, n: int = 1) -> None:
    deadline = time.monotonic() + 10
    while sum(app.state.gradscape.work.running.values()) < n:
        assert time.monotonic() < deadline, "the heavy request never started"
        time.sleep(0.01)


def test_rest_beyond_the_clients_share_is_429_and_other_clients_still_get_served() -> None:
    app = create_app(Settings(client_share=1, work_threads=1, light_work=0,
                              trusted_proxies="testclient"))
    client = TestClient(app)
    first: dict[str, Any] = {}
    thread = _in_background(client, "/api/basins", SLOW_BASINS, first)
    _wait_running(app)
    again = client.post("/api/grid", json={"surface": "bowl", "resolution": 50})
    assert again.status_code == 429
    seconds = int(again.headers["retry-after"])
    assert seconds >= 1 and again.json()["retry_after"] == seconds
    assert "GRADSCAPE_CLIENT_SHARE" in again.json()["detail"]
    # another client (behind the trusted proxy) waits its turn and is served
    other = client.post("/api/grid", json={"surface": "bowl", "resolution": 50},
                        headers={"x-forwarded-for": "198.51.100.4"})
    assert other.status_code == 200
    thread.join()
    assert first["response"].status_code == 200


def test_a_repeat_over_quota_is_refused_before_any_route_parses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(Settings(client_share=1, work_threads=1))
    gate = app.state.gradscape.heavy_requests
    client = TestClient(app)
    first: dict[str, Any] = {}
    thread = _in_background(client, "/api/basins", SLOW_BASINS, first)
    _wait_running(app)  # this client now holds its whole share
    estimated: list[object] = []
    real_check = cost.check
    monkeypatch.setattr(cost, "check", lambda *a: (estimated.append(a), real_check(*a)))

    # the same heavy request again: 429 from the gate, the route never ran (no estimate)
    again = client.post("/api/basins", json=SLOW_BASINS)
    assert again.status_code == 429 and estimated == [] and gate.refused == 1
    assert "GRADSCAPE_CLIENT_SHARE" in again.json()["detail"]
    assert int(again.headers["retry-after"]) == again.json()["retry_after"] >= 1
    assert "content-security-policy" in again.headers  # the answer passes the usual headers

    # a heavy request not seen before is parsed and estimated, and refused the same way
    other_map = {**SLOW_BASINS, "steps": 1999}
    routed = client.post("/api/basins", json=other_map)
    assert routed.status_code == 429 and len(estimated) == 1 and gate.refused == 1
    assert routed.json()["detail"].split(";")[0] == again.json()["detail"].split(";")[0]
    # light work from the same client is still served while its share is held
    light = client.post("/api/grid", json={"surface": "bowl", "resolution": 20})
    assert light.status_code == 200 and gate.refused == 1
    # the same bytes read differently (not as JSON) are the route's to answer: a 422
    raw = client.post("/api/basins", content=json.dumps(SLOW_BASINS),
                      headers={"content-type": "text/plain"})
    assert raw.status_code == 422 and gate.refused == 1
    thread.join()
    assert first["response"].status_code == 200
    # with the share free again, the remembered request runs as before
    assert client.post("/api/basins", json=SLOW_BASINS).status_code == 200


def test_a_request_over_its_wall_clock_limit_is_stopped_between_chunks() -> None:
    client = TestClient(create_app(Settings(request_timeout=0.3, max_work=10**11)))
    began = time.perf_counter()
    response = client.post("/api/basins", json=VERY_SLOW_BASINS)
    elapsed = time.perf_counter() - began
    assert response.status_code == 422
    assert "GRADSCAPE_REQUEST_TIMEOUT" in response.json()["detail"]
    assert elapsed < 3.0  # the map alone would take well over 10 s


def test_a_heavy_stream_beyond_the_share_gets_a_busy_error_frame() -> None:
    client = TestClient(create_app(Settings(client_share=1, light_work=0)))
    start = {"type": "start", "surface": "rosenbrock", "steps": 10000,
             "runs": [{"optimizer": "adam"}]}
    with client.websocket_connect("/api/stream") as first, \
            client.websocket_connect("/api/stream") as second:
        first.send_json(start)
        first.send_json({"type": "pause"})  # still holds its place while paused
        assert first.receive_json()["type"] == "started"
        second.send_json(start)
        error = second.receive_json()
        assert error["type"] == "error" and error["code"] == "request.busy"
        assert error["retry_after"] >= 1 and "GRADSCAPE_CLIENT_SHARE" in error["message"]
        first.send_json({"type": "stop"})
        while first.receive_json()["type"] != "done":
            pass
        second.send_json(start)  # the place is free again
        assert second.receive_json()["type"] == "started"
        second.send_json({"type": "pause"})
        second.send_json(start)  # a new heavy race replacing its own keeps the one place
        while second.receive_json()["type"] != "started":
            pass
        second.send_json({"type": "pause"})
        first.send_json(start)  # ...so the share is still taken
        while (message := first.receive_json())["type"] not in ("error", "started"):
            pass
        assert message.get("code") == "request.busy"


# --- a real process: disconnects and SIGTERM ---------------------------------------------
def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0  # utime + stime, in clock ticks


def _send_post(url: str, path: str, body: Any) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    payload = json.dumps(body).encode()
    sock = socket.create_connection((host, int(port)))
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
    return sock


@pytest.mark.slow
def test_a_client_that_disconnects_cancels_its_running_work() -> None:
    env = {"GRADSCAPE_MAX_WORK": str(10**11), "GRADSCAPE_REQUEST_TIMEOUT": "600"}
    with spawned_process(env) as (process, url):
        sock = _send_post(url, "/api/basins", VERY_SLOW_BASINS)
        time.sleep(1.0)
        busy_before = _cpu_seconds(process.pid)
        time.sleep(1.0)
        working = _cpu_seconds(process.pid) - busy_before  # control: it is computing
        sock.close()
        time.sleep(1.0)  # cancelled at the next chunk (a few ms)
        idle_before = _cpu_seconds(process.pid)
        time.sleep(1.5)
        after = _cpu_seconds(process.pid) - idle_before
    # (the machine is shared: the control only asks for some CPU, an idle server uses ~0)
    assert working > 0.1, f"the basin map should be computing ({working:.2f} CPU-s in 1 s)"
    assert after < 0.08, f"still computing after the client left: {after:.2f} CPU-s in 1.5 s"


@pytest.mark.slow
def test_sigterm_cancels_running_work_and_the_process_exits_within_seconds() -> None:
    env = {"GRADSCAPE_MAX_WORK": str(10**11), "GRADSCAPE_REQUEST_TIMEOUT": "600"}
    with spawned_process(env) as (process, url):
        sock = _send_post(url, "/api/basins", VERY_SLOW_BASINS)
        time.sleep(1.0)
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        took = time.monotonic() - began
        answer = sock.recv(4096).decode("latin-1")
        sock.close()
    assert took < 5.0, f"exit took {took:.1f} s"
    assert answer.startswith("HTTP/1.1 503"), answer[:200]
