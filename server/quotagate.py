"""Over-quota repeats refused before any parsing: the cheap path for a 429 flood.

A client holding its whole share of heavy work (server/workqueue.py) is refused one more
heavy request with 429. Found out in the route, that refusal cost the event loop the whole
FastAPI path first: routing, the JSON parse, validating the body, the cost estimate. Under
5 abusers re-sending the largest basin map 230 times a second that was about a third of the
loop's time, taken from honest streams' first frames.

So `heavy()` (server/heavy.py) remembers each request it estimated as heavy work by its
method, path, query, content type and a digest of its body, and this pure ASGI middleware
answers a remembered request from a client at its share with the very 429 the route would
give, before anything is parsed or validated. Everything else passes as it was: a client
under its share is not even looked at further, and a client at its share may still send
light work (a small grid), which the route serves as before. Nothing changes in what is
answered, only in how much it costs to answer it.

`seen` keeps at most `size` digests, the oldest dropped first (its memory is bounded; a
forgotten one is estimated again by the route, at the old cost).
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Receive, Scope, Send

from gradscape.server.clients import client_key
from gradscape.server.errors import busy_response
from gradscape.server.jsondepth import buffered_body
from gradscape.server.workqueue import WorkQueue

Key = tuple[bytes, ...]


def request_key(scope: Scope, body: bytes) -> Key:
    """What decides a request's estimate: the route, the body and how it is to be read."""
    content_type = next((v for k, v in scope.get("headers", ()) if k == b"content-type"), b"")
    return (scope.get("method", "").encode(), scope.get("path", "").encode(),
            scope.get("query_string", b""), content_type,
            hashlib.blake2b(body, digest_size=16).digest())


class HeavyRequests:
    """The keys of requests estimated as heavy work (bounded, oldest dropped first)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.seen: dict[Key, None] = {}
        self.refused = 0  # answered by the gate (for tests and curiosity)

    def remember(self, key: Key) -> None:
        if key in self.seen:
            return
        self.seen[key] = None
        if len(self.seen) > self.size:
            del self.seen[next(iter(self.seen))]

    def __contains__(self, key: Key) -> bool:
        return key in self.seen


class QuotaGate:
    """Pure ASGI, inside BodyLimit (so a body held here is bounded)."""

    def __init__(self, app: ASGIApp, work: WorkQueue, heavy: HeavyRequests,
                 trusted_proxies: str = "") -> None:
        self.app, self.work, self.heavy = app, work, heavy
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not self.heavy.seen \
                or self.work.closing:
            await self.app(scope, receive, send)
            return
        refusal = self.work.over_share(client_key(scope, self.trusted_proxies))
        if refusal is None:  # the common case: decided without reading anything
            await self.app(scope, receive, send)
            return
        body, messages, replay = await buffered_body(receive)
        if messages[-1]["type"] == "http.request" and request_key(scope, body) in self.heavy:
            self.work.refused += 1
            self.heavy.refused += 1
            await busy_response(refusal)(scope, receive, send)
            return
        await self.app(scope, replay, send)
