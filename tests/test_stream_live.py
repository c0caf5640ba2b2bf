"""The stream over a real socket: `gradscape serve` in a subprocess, the `websockets` client
(with permessage-deflate, as browsers negotiate), including a message over the size limit."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from websockets.sync.client import connect

from server.spawn import spawned_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    env = {"GRADSCAPE_MAX_MESSAGE_BYTES": "4096", "GRADSCAPE_FRAME_STEPS": "20"}
    with spawned_server(env) as url:
        yield url.replace("http://", "ws://") + "/api/stream"


@pytest.mark.slow
def test_race_over_a_real_socket(server: str) -> None:
    with connect(server, compression="deflate") as ws:
        ws.send(json.dumps({"type": "ping", "pad": "x" * 6000}))  # over the 4096 limit
        assert "too large" in json.loads(ws.recv(timeout=10))["message"]
        ws.send(json.dumps({"type": "start", "surface": {"formula": "x^2 + 10*y^2"},
                            "steps": 100, "runs": [{"optimizer": "adam", "params": {"lr": 0.1}},
                                                   {"optimizer": "sgd"}]}))
        messages = []
        while not messages or messages[-1]["type"] != "done":
            messages.append(json.loads(ws.recv(timeout=10)))
        frames = [m for m in messages if m["type"] == "frame"]
        assert messages[0]["type"] == "started"
        assert sum(len(f["runs"][0]["points"]) for f in frames) == 101
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}


def test_the_stream_protocol_compresses_fast() -> None:
    # uvicorn's protocol with zlib level 1 instead of 6 (server/wsprotocol.py): the loop
    # compresses every frame, and at level 6 that was half its time under load.
    import asyncio  # noqa: PLC0415

    from uvicorn.config import Config  # noqa: PLC0415
    from uvicorn.server import ServerState  # noqa: PLC0415

    from server.wsprotocol import PROTOCOL, StreamProtocol  # noqa: PLC0415

    config = Config("server.app:app", ws=PROTOCOL)
    config.load()
    assert config.ws_protocol_class is StreamProtocol
    loop = asyncio.new_event_loop()
    try:
        protocol = StreamProtocol(config, ServerState(), {}, _loop=loop)
    finally:
        loop.close()
    (factory,) = protocol.conn.available_extensions
    assert factory.compress_settings == {"memLevel": 5, "level": 1}
    assert factory.server_max_window_bits == 12


@pytest.mark.slow
def test_the_served_stream_negotiates_compression(server: str) -> None:
    with connect(server, compression="deflate") as ws:
        assert ws.response is not None
        assert "permessage-deflate" in ws.response.headers["Sec-WebSocket-Extensions"]
