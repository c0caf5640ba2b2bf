"""Request bodies above GRADSCAPE_MAX_MESSAGE_BYTES get a JSON 413 that says what to change.

A pure ASGI middleware: a declared Content-Length over the limit is refused before anything is
read; a body without one (chunked) is counted as it arrives and refused once it passes the
limit. Starlette's own limiter answers in plain text, which the browser and API clients could
not show as the usual `{"detail": ...}`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gradscape.server.errorcodes import texts

ENV = "GRADSCAPE_MAX_MESSAGE_BYTES"


def too_large_detail(limit: int, size: int | None = None) -> str:
    what = f"{size} bytes" if size is not None else f"more than {limit} bytes"
    return (f"the request body is {what}; this server accepts at most {limit} bytes. Send a "
            f"smaller request (fewer runs, a shorter formula), or raise the limit with {ENV}")


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without Content-Length passes the limit; FastAPI
    re-raises HTTPExceptions met while reading a body, so it reaches the handler below."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_detail(limit))


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(scope, receive, send, too_large_detail(self.limit, declared))
            return
        total = 0
        started = False

        async def counted() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:  # only if no exception handler answered it already
            if started:
                raise
            await self._refuse(scope, receive, send, str(exc.detail))

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, detail: str) -> None:
        body = {"detail": detail, "code": "request.too_large", "params": {"reason": detail},
                "text": texts("request.too_large", {"reason": detail})}
        response = JSONResponse(status_code=413, content=body, headers={"Connection": "close"})
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
