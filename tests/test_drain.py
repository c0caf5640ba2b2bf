"""Graceful drain with real processes: SIGTERM, health, going-away closes, and nginx in front
of two replicas while one of them leaves mid-race (issue: scale out, drain without loss)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from nginx_support import nginx_proxy
from resume_client import race_with_resume
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from gradscape.lessons import run_scene
from gradscape.server.spawn import spawned_process

DRAIN = {"GRADSCAPE_DRAIN_SECONDS": "2"}
# Behind nginx the replicas count clients by the X-Forwarded-For nginx writes.
PROXIED = {**DRAIN, "GRADSCAPE_TRUSTED_PROXIES": "127.0.0.1"}
STEPS = 600


def scene(seed: int, steps: int = 300) -> dict[str, Any]:
    """A race of three optimizers on a typed formula (start depends on the seed)."""
    start = [-1.5 + 0.01 * seed, 1.8 - 0.01 * seed]
    return {"surface": {"formula": "(1 - x)^2 + 100*(y - x^2)^2", "bounds": [-2, 2, -1, 3]},
            "runs": [{"optimizer": "adam", "params": {"lr": 0.05}, "start": start},
                     {"optimizer": "momentum", "params": {"lr": 0.0005}, "start": start},
                     {"optimizer": "sgd", "params": {"lr": 0.0008}, "start": start}],
            "steps": steps, "seed": seed}


def health(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=2) as r:
            return r.status, json.loads(r.read())["status"]
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())["status"]


def test_sigterm_drains_then_exits() -> None:
    with spawned_process(DRAIN) as (process, url):
        ws_url = url.replace("http", "ws") + "/api/stream"
        with connect(ws_url) as ws:
            ws.send(json.dumps({"type": "start", **scene(0), "detail": "none"}))
            ws.send(json.dumps({"type": "step", "n": 10}))
            while json.loads(ws.recv())["type"] != "paused":
                pass
            assert health(url) == (200, "ok")
            began = time.monotonic()
            process.send_signal(signal.SIGTERM)
            with pytest.raises(Exception) as closed:
                while True:
                    ws.recv(timeout=5)
            assert closed.value.rcvd.code == 1001  # type: ignore[attr-defined]
            assert time.monotonic() - began < 1.5
        # Within the drain window: health says so, new streams are refused before the
        # handshake (a proxy then retries another replica).
        assert health(url) == (503, "draining")
        with pytest.raises(InvalidStatus) as refused:
            connect(ws_url, open_timeout=5)
        assert refused.value.response.status_code == 503
        process.wait(timeout=10)
        assert time.monotonic() - began < 2 + 5  # the drain, then a prompt exit


def test_clients_behind_nginx_finish_their_races_when_a_replica_leaves(tmp_path: Path) -> None:
    clients = 100
    with spawned_process(PROXIED) as (a, url_a), spawned_process(PROXIED) as (_, url_b):
        backends = [u.removeprefix("http://") for u in (url_a, url_b)]
        with nginx_proxy(backends, tmp_path) as proxy:
            ws_url = proxy.replace("http", "ws") + "/api/stream"

            reached = [0] * clients

            async def main() -> list[Any]:
                # Each client from an address of its own, as students are (127.0.1.x); a
                # race of 600 steps asked for 20 at a time, 30 ms apart, lasts over a second.
                races = [asyncio.create_task(race_with_resume(
                    ws_url, scene(i, STEPS), pause=0.03, local_addr=f"127.0.1.{i + 1}",
                    reached=reached, index=i)) for i in range(clients)]
                while min(reached) < 60:  # every race under way...
                    await asyncio.sleep(0.01)
                assert max(reached) < STEPS  # ...and none finished: then replica A leaves
                a.send_signal(signal.SIGTERM)
                return await asyncio.gather(*races)

            results = asyncio.run(main())
            assert a.wait(timeout=15) is not None
    moved = [r for r in results if r.reconnects]
    # Replica A had about half of the clients; each of them was told to go away (1001),
    # reconnected through nginx to B and found the steps it held replayed exactly.
    assert len(moved) >= clients // 4, [r.close_codes for r in results]
    assert all(set(r.close_codes) <= {1001} for r in moved)
    assert all(r.replay_mismatch == 0 for r in results)
    # What every client ends with is the uninterrupted race: no step lost, none twice.
    for i, result in enumerate(results):
        for got, want in zip(result.points, run_scene(scene(i, STEPS)), strict=True):
            np.testing.assert_allclose(np.array(got), want.points, rtol=1e-6, atol=1e-9)
