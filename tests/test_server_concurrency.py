"""Heavy work runs off the event loop: while one client's basin map computes, the server
still answers health checks at once and another client's stream runs to the end."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.config import Settings


@pytest.mark.slow
def test_a_basin_map_does_not_stall_a_stream() -> None:
    client = TestClient(create_app(Settings(max_basin_resolution=400, max_basin_steps=5000)))
    result: dict[str, float] = {}

    def basin_map() -> None:
        began = time.perf_counter()
        response = client.post("/api/basins", json={
            "surface": "himmelblau", "optimizer": "adam", "params": {"lr": 0.05},
            "steps": 2000, "resolution": 200})
        assert response.status_code == 200
        result["basins"] = time.perf_counter() - began

    worker = threading.Thread(target=basin_map)
    worker.start()
    time.sleep(0.3)  # the basin map is under way
    slowest = 0.0
    for _ in range(5):
        began = time.perf_counter()
        assert client.get("/api/health").status_code == 200
        slowest = max(slowest, time.perf_counter() - began)
    began = time.perf_counter()
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", "surface": "rosenbrock", "steps": 300,
                      "runs": [{"optimizer": "adam"}, {"optimizer": "sgd"}]})
        while ws.receive_json()["type"] != "done":
            pass
    streamed = time.perf_counter() - began
    still_mapping = worker.is_alive()
    worker.join()
    assert still_mapping, "the basin map should outlast the stream for this test to mean much"
    assert slowest < 0.5 and streamed < result["basins"]
