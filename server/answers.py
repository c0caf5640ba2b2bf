"""Headers every answer carries, and gzip for large API answers (pure ASGI middleware).

Security headers. A Content-Security-Policy that allows this server's own scripts and
nothing else (no inline script, no eval, no other site), nosniff, a Referrer-Policy, and
frame-ancestors: 'self' for every page but the embed page, which slides and course sites
show in frames (GRADSCAPE_EMBED_FRAME_ANCESTORS: `*`, the default, leaves the directive out,
so any page may frame it, a slide deck opened from a file included). A route that sets its own
policy keeps it (an exported HTML page allows exactly its own inline scripts).

Cache-Control. API answers are `no-cache` unless the route says otherwise; the frontend's
files get theirs from server/static.py.

Gzip. A JSON answer of at least MIN_BYTES goes out gzipped to a client that accepts it,
compressed on a thread when large (a 50 MB race would hold the event loop for seconds).
Answers sent in pieces (files) and already encoded ones pass untouched; WebSocket frames
have permessage-deflate instead (server/wsprotocol.py).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import anyio
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gradscape.server.static import accepts_gzip

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'")
EMBED_PAGES = ("/embed.html",)
MIN_BYTES = 1024
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
quote_none = "'none'"
THREAD_BYTES = 256 * 1024  # larger bodies are compressed off the event loop


def inline_script_policy(page: str) -> str:
    """The policy for a generated page (an export) whose scripts are inline: exactly
    those scripts, by their hashes, and nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()
        + "'" for m in _INLINE_SCRIPT.finditer(page))
    return CSP.replace("script-src 'self'", f"script-src {hashes or quote_none}") \
        + "; frame-ancestors 'self'"


def policy(path: str, embed_frame_ancestors: str) -> str:
    ancestors = embed_frame_ancestors if path in EMBED_PAGES else "'self'"
    if ancestors.strip() == "*":
        # No directive at all: a CSP `*` matches only http(s) pages, and a slide deck opened
        # from a file (file://, about:blank) could not show the embed.
        return CSP
    return f"{CSP}; frame-ancestors {ancestors}"


class Answers:
    def __init__(self, app: ASGIApp, embed_frame_ancestors: str = "*") -> None:
        self.app, self.ancestors = app, embed_frame_ancestors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        api = path == "/api" or path.startswith("/api/")
        gzip_ok = api and accepts_gzip(scope)
        start: Message | None = None

        async def answer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", policy(path, self.ancestors))
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                if api:
                    headers.setdefault("cache-control", "no-cache")
                if not gzip_ok or "content-encoding" in headers:
                    await send(message)
                else:
                    start = message  # held until we know the body
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            body = message.get("body", b"")
            headers = MutableHeaders(scope=held)
            if (message.get("more_body", False) or len(body) < MIN_BYTES
                    or not headers.get("content-type", "").startswith(
                        ("application/json", "text/"))):
                await send(held)
                await send(message)
                return
            if len(body) >= THREAD_BYTES:
                body = await anyio.to_thread.run_sync(gzip.compress, body, 5)
            else:
                body = gzip.compress(body, 5)
            headers["content-encoding"] = "gzip"
            headers["content-length"] = str(len(body))
            headers.add_vary_header("Accept-Encoding")
            await send(held)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, answer)
