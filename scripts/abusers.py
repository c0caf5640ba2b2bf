"""Abusive clients for the load test (scripts/loadtest.py --abusers): run in a process of
their own, so their work does not steal the honest clients' event loop.

    .venv/bin/python scripts/abusers.py --url http://127.0.0.1:8000 --abusers 5

Each abuser has its own address (X-Forwarded-For; the server must trust 127.0.0.1 as a
proxy) and, until stdin closes, floods the largest basin map the server allows over
--rest connections at once (ignoring Retry-After: a 429 is retried 10 ms later) and keeps
--streams WebSocket streams racing the largest allowed race with every detail. Prints a
JSON summary on stdout at the end: REST answers by status, stream races and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections import Counter
from urllib.parse import urlparse

from websockets.asyncio.client import connect

BASINS = {"surface": "himmelblau", "optimizer": "adam", "params": {"lr": 0.05},
          "resolution": 200, "steps": 2000}


def biggest_race(limits: dict[str, int]) -> str:
    runs = [{"optimizer": "adam", "params": {"lr": 1e-3}, "start": [-1.5, 2.0 + i / 10]}
            for i in range(limits["max_runs"])]
    return json.dumps({"type": "start", "surface": "rosenbrock", "steps": limits["max_steps"],
                       "runs": runs, "detail": "all"})


async def post(host: str, port: int, path: str, body: bytes, address: str) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: {address}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        await reader.read()  # the whole answer, until the server closes
        return status
    finally:
        writer.close()


async def flood_rest(url: str, address: str, stop: asyncio.Event, answers: Counter[str]) -> None:
    parsed = urlparse(url)
    body = json.dumps(BASINS).encode()
    while not stop.is_set():
        try:
            status = await post(parsed.hostname or "127.0.0.1", parsed.port or 80,
                                "/api/basins", body, address)
            answers[str(status)] += 1
        except OSError as exc:
            answers[type(exc).__name__] += 1
        await asyncio.sleep(0.01)


async def flood_stream(url: str, address: str, start: str, stop: asyncio.Event,
                       answers: Counter[str]) -> None:
    ws_url = url.replace("http://", "ws://") + "/api/stream"
    while not stop.is_set():
        try:
            async with connect(ws_url, max_size=None,
                               additional_headers={"X-Forwarded-For": address}) as ws:
                while not stop.is_set():
                    await ws.send(start)
                    while True:
                        text = await ws.recv()
                        if isinstance(text, str) and text.startswith('{"type":"done"'):
                            answers["stream races"] += 1
                            break
                        if isinstance(text, str) and text.startswith('{"type":"error"'):
                            answers["stream errors"] += 1
                            await asyncio.sleep(0.05)
                            break
        except Exception as exc:  # refused or closed by the server: that is its right
            answers[f"stream {type(exc).__name__}"] += 1
            await asyncio.sleep(0.05)


async def main_async(args: argparse.Namespace) -> dict[str, int]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)),
                     daemon=True).start()
    parsed = urlparse(args.url)
    reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
    writer.write(b"GET /api/limits HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw = (await reader.read()).split(b"\r\n\r\n", 1)[1]
    writer.close()
    start = biggest_race(json.loads(raw))
    answers: Counter[str] = Counter()
    tasks = []
    for i in range(args.abusers):
        address = f"198.51.100.{i + 1}"
        tasks += [asyncio.create_task(flood_rest(args.url, address, stop, answers))
                  for _ in range(args.rest)]
        tasks += [asyncio.create_task(flood_stream(args.url, address, start, stop, answers))
                  for _ in range(args.streams)]
    print("ready", flush=True)
    await stop.wait()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return dict(answers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="http://host:port of the server")
    parser.add_argument("--abusers", type=int, default=5)
    parser.add_argument("--rest", type=int, default=8, help="basin maps at once, per abuser")
    parser.add_argument("--streams", type=int, default=4, help="streams per abuser")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
