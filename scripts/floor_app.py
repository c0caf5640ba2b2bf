"""The floor for the burst: a trivial Starlette WebSocket app that answers every "start" with
a recorded race's opening (gradscape's own "started" and first frame, the same bytes) and its
"done", doing no work at all.

scripts/loadtest.py --floor runs it under plain uvicorn (its default WebSocket protocol and
compression) with the same clients, in the same run, so the burst's first-frame latency can
be read as a ratio to what the transport alone costs on this machine.

    GRADSCAPE_FLOOR_RACE=race.json python -m uvicorn scripts.floor_app:app --port 8001
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

_RECORDED: list[str] = json.loads(Path(os.environ["GRADSCAPE_FLOOR_RACE"]).read_text())
# What a client needs to see its race begin, then end: no step is ever computed or sent.
RACE = [*_RECORDED[:2], _RECORDED[-1]]


async def stream(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            message = await websocket.receive_text()
            if '"start"' in message[:40]:
                for text in RACE:
                    await websocket.send_text(text)
    except WebSocketDisconnect:
        return


app = Starlette(routes=[WebSocketRoute("/api/stream", stream)])
