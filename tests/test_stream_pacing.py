"""Pacing over /api/stream with a client that takes one message at a time.

The ASGI `send` here returns only when the test's client has taken the message, which is
what a slow browser looks like to the server (the socket does not drain). Such a client
must find its race still running near the step it is showing: a `set` sent after the second
frame is acknowledged a few frames in, never after the race has finished, and a `step`
sent right behind the `start` (the browser's first pacing request) is honoured before the
race runs ahead. These failed while the start handler flushed its queue until empty
(it kept sending the frames its producer went on computing, so the receive loop read the
client's next message only once the whole race was out).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from gradscape.core.runs import Race
from gradscape.server.app import create_app
from gradscape.server.config import Settings

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
SIX = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
FIRST, FRAME, BUFFER = 10, 10, 3


def start_message(steps: int) -> dict[str, Any]:
    return {"type": "start", "surface": {"formula": ROSENBROCK}, "steps": steps,
            "runs": [{"optimizer": o, "params": {"lr": 1e-3}, "start": [-1.5, 2.0]}
                     for o in SIX]}


class SlowClient:
    """One WebSocket connection driven through the app's ASGI interface by hand."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[tuple[dict[str, Any], asyncio.Event]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def receive(self) -> dict[str, Any]:
        return await self.inbox.get()

    async def send(self, message: dict[str, Any]) -> None:
        taken = asyncio.Event()
        await self.outbox.put((message, taken))
        await taken.wait()  # the socket drains only as fast as the client reads

    async def open(self, *first: dict[str, Any]) -> None:
        await self.inbox.put({"type": "websocket.connect"})
        for message in first:
            await self.inbox.put({"type": "websocket.receive", "text": json.dumps(message)})
        scope = {"type": "websocket", "path": "/api/stream", "raw_path": b"/api/stream",
                 "query_string": b"", "headers": [], "scheme": "ws", "server": ("t", 80),
                 "client": ("c", 1), "root_path": "", "subprotocols": [], "app": self.app,
                 "asgi": {"version": "3.0"}}
        self.task = asyncio.create_task(self.app(scope, self.receive, self.send))
        accept, taken = await asyncio.wait_for(self.outbox.get(), 5)
        assert accept["type"] == "websocket.accept"
        taken.set()

    async def take(self) -> dict[str, Any]:
        """The next message the server sent, taken after a little reading time."""
        await asyncio.sleep(0.005)
        message, taken = await asyncio.wait_for(self.outbox.get(), 10)
        taken.set()
        parsed: dict[str, Any] = json.loads(message["text"])
        assert parsed["type"] != "error", parsed
        return parsed

    async def say(self, message: dict[str, Any]) -> None:
        await self.inbox.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def close(self) -> None:
        await self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        assert self.task is not None
        while not self.task.done():  # let a send in progress finish
            with_taken = [self.outbox.get_nowait() for _ in range(self.outbox.qsize())]
            for _, taken in with_taken:
                taken.set()
            await asyncio.sleep(0.01)
        await self.task


SETTINGS = Settings(first_frame_steps=FIRST, frame_steps=FRAME, stream_buffer=BUFFER)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Steps asked of every Race.advance, in order."""
    calls: list[int] = []
    original = Race.advance

    def counting(self: Race, n: int) -> Any:
        calls.append(n)
        return original(self, n)

    monkeypatch.setattr(Race, "advance", counting)
    return calls


def test_set_after_the_second_frame_lands_near_it(computed: list[int]) -> None:
    steps = 600

    async def scenario() -> tuple[list[dict[str, Any]], int]:
        client = SlowClient(SETTINGS)
        await client.open(start_message(steps))
        assert (await client.take())["type"] == "started"
        frames = [await client.take(), await client.take()]
        assert [f["type"] for f in frames] == ["frame", "frame"]
        ahead = len(computed)  # frames computed while the client took two
        await client.say({"type": "set", "run": 5, "params": {"lr": 0.01}})
        after = []
        while not after or after[-1]["type"] not in ("set", "done"):
            after.append(await client.take())
        await client.close()
        return after, ahead

    after, ahead = asyncio.run(scenario())
    # Two frames taken, one in the send, BUFFER queued, one computed waiting for room.
    assert ahead <= 2 + 1 + BUFFER + 1
    ack = after[-1]
    assert ack["type"] == "set", [m["type"] for m in after]
    assert ack["run"] == 5 and ack["params"]["lr"] == 0.01
    # The ack carries the step the change takes effect at: at most the frames that could be
    # ahead of the client (as above) past the two it had taken, far from the end.
    assert FIRST + FRAME <= ack["step"] <= FIRST + FRAME * (1 + 1 + BUFFER + 1)
    assert ack["step"] < steps // 4
    frames = [m for m in after if m["type"] == "frame"]
    assert len(frames) <= 1 + BUFFER + 1


def test_a_step_right_behind_the_start_paces_the_race(computed: list[int]) -> None:
    """The browser sends start and then step n at once: the server computes the first
    frame, then exactly the n steps asked for, and pauses."""
    n = 25

    async def scenario() -> list[dict[str, Any]]:
        client = SlowClient(SETTINGS)
        await client.open(start_message(10_000), {"type": "step", "n": n})
        seen = [await client.take()]
        while seen[-1]["type"] != "paused":
            seen.append(await client.take())
        await client.close()
        return seen

    seen = asyncio.run(scenario())
    taken = sum(len(m["runs"][0]["points"]) for m in seen if m["type"] == "frame")
    assert taken == FIRST + n
    assert seen[-1]["step"] == taken
    assert sum(computed) == taken  # nothing computed beyond what was sent
