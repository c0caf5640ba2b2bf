"""Probe the stream's guards as an attacker with only the public API would, on loopback.

    .venv/bin/python scripts/streamprobe.py            # both probes against a fresh server
    .venv/bin/python scripts/streamprobe.py --url ws://127.0.0.1:8000/api/stream

1. flood: 256 WebSockets opened at once from `Origin: https://evil.example` (one address),
   left idle; then one honest client (its own address, no Origin) asks for a race. Reports
   how many hostile sockets were kept open and whether the honest race ran.
2. heavy: ten hostile maximal races (every run, every step, from ten addresses), then an
   honest 500-step race with one optimizer, timed from "start" to "done"; the same honest
   race alone first, for the ratio (alternated --repeat times; the machine is noisy).

Each simulated client binds its own loopback address (127.0.0.N), so per-client limits see
them as different clients, as they would be on the internet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

REPO = Path(__file__).resolve().parent.parent
FORMULA = "(1 - x)^2 + 100*(y - x^2)^2 + 0.5*sin(3*x)*cos(3*y)"
EVIL = "https://evil.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gradscape", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"], cwd=REPO, env={**os.environ, **env})
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2).read()
            return server, f"ws://127.0.0.1:{port}/api/stream"
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def opener(url: str, address: int, origin: str | None = None) -> Any:
    headers = {"Origin": origin} if origin else {}
    return connect(url, max_size=None, open_timeout=30, additional_headers=headers,
                   origin=None, local_addr=(f"127.0.0.{address}", 0))


def race(steps: int, runs: int, eigen: bool = False, detail: str = "last") -> str:
    opts = ["adam", "sgd", "momentum", "rmsprop", "nesterov", "adagrad"]
    return json.dumps({"type": "start", "surface": {"formula": FORMULA}, "steps": steps,
                       "eigen": eigen, "detail": detail, "runs": [{"optimizer": opts[i % len(opts)],
                                                 "params": {"lr": 1e-4},
                                                 "start": [-1.5 + 0.01 * i, 2.0]}
                                                for i in range(runs)]})


async def until(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        msg = json.loads(await ws.recv())
        if msg["type"] in (kind, "error"):
            return dict(msg)


async def flood(url: str, sockets: int, origin: str | None, addresses: int) -> None:
    held: list[ClientConnection] = []
    refused = 0
    began = time.perf_counter()

    async def one(i: int) -> None:
        nonlocal refused
        try:
            ws = await opener(url, 10 + i % addresses, origin)
            held.append(ws)
        except Exception:
            refused += 1

    await asyncio.gather(*(one(i) for i in range(sockets)))
    opened = time.perf_counter() - began
    await asyncio.sleep(0.3)  # refusals arrive as a close right after the handshake
    alive = sum(1 for ws in held if ws.close_code is None)
    print(f"flood: {sockets} sockets from {addresses} address(es), Origin {origin} in "
          f"{opened:.2f} s: {alive} still open, "
          f"{sockets - alive} refused or closed")
    async with opener(url, 7) as honest:
        with contextlib.suppress(ConnectionClosed):
            await honest.send(race(500, 1))
        try:
            answer = await until(honest, "done")
        except ConnectionClosed as exc:
            answer = {"type": "closed", "code": exc.rcvd.code if exc.rcvd else None}
        print(f"flood: honest race afterwards: {answer['type']}"
              + (f" ({answer.get('message')})" if answer["type"] == "error" else ""))
    await asyncio.gather(*(ws.close() for ws in held), return_exceptions=True)


async def timed_race(url: str, address: int) -> float:
    async with opener(url, address) as ws:
        began = time.perf_counter()
        await ws.send(race(500, 1))
        answer = await until(ws, "done")
        if answer["type"] == "error":
            raise SystemExit(f"honest race refused: {answer}")
        return time.perf_counter() - began


async def drain(ws: ClientConnection) -> None:
    """Read as fast as frames come, so the server never waits for this client."""
    with contextlib.suppress(ConnectionClosed):
        async for _ in ws:
            pass


async def heavy(url: str, hostile: int, repeat: int, max_runs: int, max_steps: int) -> None:
    await timed_race(url, 8)  # warm-up: compiles the formula
    alone, loaded = [], []
    for _ in range(repeat):
        alone.append(await timed_race(url, 8))
        sockets = [await opener(url, 100 + i) for i in range(hostile)]
        for ws in sockets:  # what the browser asks for, at the largest sizes allowed
            await ws.send(race(max_steps, max_runs, eigen=True, detail="all"))
        drains = [asyncio.create_task(drain(ws)) for ws in sockets]
        await asyncio.sleep(1.0)  # the hostile races are stepping
        loaded.append(await timed_race(url, 8))
        for task in drains:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        await asyncio.sleep(0.5)
    print(f"heavy: honest 500-step race alone {statistics.median(alone):.3f} s, beside "
          f"{hostile} hostile maximal races {statistics.median(loaded):.3f} s (medians of "
          f"{repeat}; alone {[round(a, 3) for a in alone]}, loaded "
          f"{[round(x, 3) for x in loaded]})")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running server's ws://.../api/stream")
    parser.add_argument("--sockets", type=int, default=256)
    parser.add_argument("--origin", default=EVIL, help="the flood's Origin; none: no header")
    parser.add_argument("--addresses", type=int, default=1, help="the flood's addresses")
    parser.add_argument("--hostile", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["flood", "heavy"])
    args = parser.parse_args()
    server, url = (None, args.url) if args.url else start_server({})
    try:
        limits = json.loads(urllib.request.urlopen(
            url.replace("ws://", "http://").replace("/api/stream", "/api/limits")).read())
        if args.only in (None, "flood"):
            await flood(url, args.sockets, None if args.origin == "none" else args.origin,
                        args.addresses)
        if args.only in (None, "heavy"):
            await heavy(url, args.hostile, args.repeat, limits["max_runs"], limits["max_steps"])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
