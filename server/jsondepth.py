"""JSON nested deeper than any request needs is refused before it is parsed.

Python's json parser recurses once per level: a 30,000-deep array (60 KB, under the body
limit) raised RecursionError, which the stream logged as a traceback and answered "internal
error", and REST answered with a misleading "send UTF-8 encoded JSON". No request of this
API nests deeper than a handful of levels (a run's params inside a run inside a start), so
MAX_DEPTH refuses the rest with a message that says what is wrong, on REST (422, from the
middleware below) and on the stream (an error message, server/stream.py).
"""

from __future__ import annotations

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gradscape.server.errorcodes import texts

MAX_DEPTH = 32
_TOKEN = re.compile(rb'[\[\]{}"\\]')  # brackets, quotes and backslashes: all that depth needs


def too_deep(body: str | bytes, limit: int = MAX_DEPTH) -> str | None:
    """A message saying why `body` nests too deeply, or None when it does not (or when it
    is not JSON at all: the parser reports that better). Linear in the body's length."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if data.count(b"[") + data.count(b"{") <= limit:
        return None  # the common case, decided in C: too few brackets to nest that deep
    depth, in_string, escaped = 0, False, -1
    for match in _TOKEN.finditer(data):
        char, pos = match.group(), match.start()
        if in_string:  # brackets inside strings do not count
            if pos == escaped:
                continue
            if char == b"\\":
                escaped = pos + 1
            elif char == b'"':
                in_string = False
        elif char == b'"':
            in_string = True
        elif char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return (f"the JSON is nested more than {limit} levels deep; no request "
                        f"needs more than a few levels: send the request's documented shape")
        elif char in (b"]", b"}"):
            depth -= 1
    return None


async def buffered_body(receive: Receive) -> tuple[bytes, list[Message], Receive]:
    """Read a request's whole body ahead of the app: (body, the messages read, a receive that
    replays them to the app and then continues with `receive`). For middleware that must
    look at a body before any route parses it (this module, server/quotagate.py)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return body, messages, replay


class JsonDepthLimit:
    """Pure ASGI: a request body nested too deeply gets a JSON 422 before any route parses
    it. Bodies are already bounded (server/bodylimit.py, which must run outside this), so
    holding one whole while it is checked costs at most that bound."""

    def __init__(self, app: ASGIApp, limit: int = MAX_DEPTH) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        body, _, replay = await buffered_body(receive)
        problem = too_deep(body, self.limit)
        if problem is not None:
            params = {"limit": self.limit}
            await JSONResponse(status_code=422, content={
                "detail": problem, "code": "request.too_deep", "params": params,
                "text": texts("request.too_deep", params)})(scope, receive, send)
            return
        await self.app(scope, replay, send)
