"""server/wsprotocol.py leans on uvicorn internals: fail loudly when an upgrade moves them.

The behaviour (corked writes, level-1 compression) is tested over a real socket in
tests/test_stream_live.py; this test names the cause when that breaks after an upgrade.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib.metadata import version

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from gradscape.server.spawn import REPO
from gradscape.server.wsprotocol import StreamProtocol

# What StreamProtocol reads or calls on uvicorn's class.
USED = ("conn", "config", "writable", "handshake_complete", "initial_response", "disconnected",
        "close_sent")


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_installed_uvicorn_is_in_the_range_the_project_states() -> None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("uvicorn"))
    low, high = re.fullmatch(r"uvicorn>=([\d.]+),<([\d.]+)", spec).groups()  # type: ignore[union-attr]
    assert _release(low) <= _release(version("uvicorn")) < _release(high), (
        f"uvicorn {version('uvicorn')} is outside {spec}: re-run the stream tests against it "
        "and widen the range in pyproject.toml, or adapt server/wsprotocol.py")


def test_the_internals_the_subclass_uses_are_still_there() -> None:
    init = inspect.getsource(WebSocketsSansIOProtocol.__init__)
    for name in USED:
        assert f"self.{name}" in init or hasattr(WebSocketsSansIOProtocol, name), name
    send = inspect.signature(WebSocketsSansIOProtocol.send)
    assert list(send.parameters) == ["self", "message"]
    assert issubclass(StreamProtocol, WebSocketsSansIOProtocol)
