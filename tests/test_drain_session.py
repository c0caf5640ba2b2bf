"""The drain's close as one session sees it: a control message that crosses the 1001 close
(the client sent "step" before it learnt the server was leaving) is dropped, not answered with
"no race to step" (which a client must treat as its own mistake). Found by the nginx drain test
on a loaded machine."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from gradscape.server.app import create_app
from gradscape.server.drain import CLOSE_GOING_AWAY
from gradscape.server.stream import Session

STEP = {"type": "websocket.receive", "text": json.dumps({"type": "step", "n": 5})}


class FakeSocket:
    """Just enough of Starlette's WebSocket for Session: scripted receives, recorded sends."""

    def __init__(self, incoming: list[dict[str, Any]]) -> None:
        self.incoming = incoming
        self.sent: list[dict[str, Any]] = []
        self.closed: int | None = None

    async def receive(self) -> dict[str, Any]:
        await asyncio.sleep(0)
        return self.incoming.pop(0) if self.incoming else {"type": "websocket.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(json.loads(message["text"]))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = code


def test_a_step_that_crosses_the_going_away_close_gets_no_error() -> None:
    async def main() -> FakeSocket:
        ws = FakeSocket([STEP])
        session = Session(ws, create_app().state.gradscape)  # type: ignore[arg-type]
        session.races = 1  # a race had started on this socket (no idle timeout)
        await session.going_away()
        await session.serve()
        return ws

    ws = asyncio.run(main())
    assert ws.closed == CLOSE_GOING_AWAY
    assert [m for m in ws.sent if m.get("type") == "error"] == []


def test_before_the_drain_the_same_step_is_answered() -> None:
    """The control: without a drain, a step with no race says what to do."""
    async def main() -> FakeSocket:
        ws = FakeSocket([STEP])
        session = Session(ws, create_app().state.gradscape)  # type: ignore[arg-type]
        session.races = 1
        await session.serve()
        return ws

    errors = [m for m in asyncio.run(main()).sent if m.get("type") == "error"]
    assert len(errors) == 1 and "start" in errors[0]["message"]
