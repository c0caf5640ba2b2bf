"""The stream over a real socket: `gradscape serve` in a subprocess, the `websockets` client
(with permessage-deflate, as browsers negotiate), including a message over the size limit."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import uvicorn
from websockets.sync.client import connect

from gradscape.server.spawn import free_port, spawned_server
from gradscape.server.wsprotocol import StreamProtocol


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

    from gradscape.server.wsprotocol import PROTOCOL, StreamProtocol  # noqa: PLC0415

    config = Config("gradscape.server.app:app", ws=PROTOCOL)
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


# --- corked writes, seen at the socket -------------------------------------------------------
class _RecordingTransport:
    """Forwards everything to the real transport, keeping a copy of every write."""

    def __init__(self, transport: Any, writes: list[bytes]) -> None:
        self._transport = transport
        self._writes = writes

    def write(self, data: bytes) -> None:
        self._writes.append(bytes(data))
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _RecordingProtocol(StreamProtocol):
    writes: ClassVar[list[bytes]] = []

    def connection_made(self, transport: Any) -> None:
        super().connection_made(_RecordingTransport(transport, self.writes))


@pytest.fixture
def recorded_server() -> Iterator[str]:
    """The app under uvicorn in this process (a background thread), with the recording
    protocol and no compression, so the socket writes show the JSON as plain text."""
    _RecordingProtocol.writes.clear()
    port = free_port()
    config = uvicorn.Config("gradscape.server.app:app", host="127.0.0.1", port=port,
                            ws=_RecordingProtocol, ws_per_message_deflate=False,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)  # no signal handlers off main
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive(), "the in-process server exited"
            assert time.monotonic() < deadline, "the in-process server did not start"
            time.sleep(0.02)
        yield f"ws://127.0.0.1:{port}/api/stream"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    assert not thread.is_alive()


def test_started_and_first_frame_go_out_in_one_socket_write(recorded_server: str) -> None:
    with connect(recorded_server, compression=None) as ws:
        ws.send(json.dumps({"type": "start", "surface": {"formula": "x^2 + 10*y^2"},
                            "steps": 5, "runs": [{"optimizer": "sgd", "start": [1, 1]}]}))
        messages = []
        while not messages or messages[-1]["type"] != "done":
            messages.append(json.loads(ws.recv(timeout=10)))
        assert [m["type"] for m in messages[:2]] == ["started", "frame"]
        assert messages[-1]["reason"] == "finished"
        writes = list(_RecordingProtocol.writes)
        together = [w for w in writes if b'"type":"started"' in w and b'"type":"frame"' in w]
        assert len(together) == 1, [w[:80] for w in writes]
        (write,) = together
        assert write.index(b'"type":"started"') < write.index(b'"type":"frame"')
        # Nothing of the start went out on its own before it.
        assert not any(b'"type":"started"' in w for w in writes if w is not write)

        # A message sent without the flag is written at once: the pong arrives.
        before = len(_RecordingProtocol.writes)
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
        assert any(b'"type":"pong"' in w for w in _RecordingProtocol.writes[before:])
        # And again: nothing held back is waiting for a later message to carry it.
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
