"""A stream client that survives a replica going away, as the browser does (tests only).

It races a scene in paced chunks (like a playback asking for what it will show next). When
its socket closes with "going away" (1001) or drops, it reconnects, starts the same scene
again, asks for the steps it already holds and checks they are the same numbers (races are
seeded: the replay is the same path), then carries on. What it finally holds must equal an
uninterrupted race: no step lost, none twice.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus


@dataclass
class Resumed:
    points: list[list[list[float]]] = field(default_factory=list)  # per run, per step
    reconnects: int = 0
    close_codes: list[int] = field(default_factory=list)
    replay_mismatch: int = 0  # replayed steps that differed from those held


async def race_with_resume(ws_url: str, scene: dict[str, Any], chunk: int = 20,
                           pause: float = 0.02, deadline: float = 60.0) -> Resumed:
    out = Resumed()
    steps = int(scene["steps"])
    held: list[list[list[float]]] | None = None  # what was shown before a reconnect

    async def one_connection() -> bool:
        """Race on one socket until done (True) or the socket closes (False)."""
        nonlocal held
        got: list[list[list[float]]] = []
        async with connect(ws_url, open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "start", **scene, "detail": "none",
                                      "frame_steps": chunk}))
            already = len(held[0]) - 1 if held else 0
            await ws.send(json.dumps({"type": "step", "n": max(already, chunk)}))
            try:
                while True:
                    msg = json.loads(await ws.recv())
                    if await handle(ws, msg, got):
                        out.points = got
                        return True
            except ConnectionClosed as exc:
                out.close_codes.append(exc.rcvd.code if exc.rcvd else 1006)
                if got and (held is None or len(got[0]) > len(held[0])):
                    held = got
                return False

    async def handle(ws: Any, msg: dict[str, Any], got: list[list[list[float]]]) -> bool:
        """One message; True when the race is done."""
        kind = msg["type"]
        if kind == "started":
            got[:] = [[] for _ in msg["runs"]]
        elif kind == "frame":
            for run, frame in zip(got, msg["runs"], strict=True):
                run.extend(frame["points"])
        elif kind == "paused":
            if held is not None:
                n = min(len(held[0]), len(got[0]))
                out.replay_mismatch += sum(a[:n] != b[:n] for a, b in zip(held, got, strict=True))
            await asyncio.sleep(pause)
            await ws.send(json.dumps({"type": "step", "n": chunk}))
        elif kind == "error":
            raise AssertionError(f"server error: {msg['message']}")
        return bool(kind == "done")

    async def run() -> None:
        while not await one_connection_retrying():
            out.reconnects += 1

    async def one_connection_retrying() -> bool:
        for attempt in range(50):
            try:
                return await one_connection()
            except (OSError, InvalidStatus):  # nginx or the replica refused: try again
                await asyncio.sleep(min(0.05 * 2 ** attempt, 1.0))
        raise AssertionError("could not reconnect")

    await asyncio.wait_for(run(), deadline)
    assert all(len(p) == steps + 1 for p in out.points) or out.points == []
    return out
