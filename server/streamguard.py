"""Who may open a stream, and how many: the Origin allow-list and the stream slots.

Origin. A browser sends the page's origin with every WebSocket handshake and lets any page
open a socket to any server: without a check, every web page a student visits could fill
this server's slots through their browser. So a browser's socket is accepted only from the
server's own origin (Origin's host:port equals the Host header) or one listed in
GRADSCAPE_ALLOWED_ORIGINS. A handshake without Origin is not a browser's (scripts,
scripts/loadtest.py) and is let in: it is not any visitor's browser acting for a stranger.

Slots. A process holds at most GRADSCAPE_MAX_STREAMS streams, one client (server/clients.py)
at most GRADSCAPE_MAX_STREAMS_PER_CLIENT of them, and the last GRADSCAPE_STREAM_RESERVE slots
go only to clients holding fewer than GRADSCAPE_STREAM_FAIR_SHARE streams: a flood from a
few clients stops short of the end, and a student opening the app still gets a slot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.types import Scope

from gradscape.server.clients import is_trusted, trusted_networks

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

# Close codes the browser tells apart (frontend/js/net/stream.js).
CLOSE_POLICY = 1008  # a cross-origin page: do not reconnect
CLOSE_TRY_AGAIN_LATER = 1013  # busy: reconnect later
CLOSE_IDLE = 4408  # no race started in time: reconnect when there is something to send


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _host_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    """("example.org", 443) for "example.org" under https; None if it does not parse."""
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname.lower(), port


@lru_cache(maxsize=16)
def _allowed(setting: str) -> frozenset[str]:
    return frozenset(o.strip().rstrip("/").lower() for o in setting.split(",") if o.strip())


def origin_allowed(scope: Scope, allowed_origins: str = "", trusted_proxies: str = "") -> bool:
    """Whether a WebSocket handshake may go on, by its Origin header (see the docstring).

    The server's own host is the Host header, or X-Forwarded-Host when the peer is a trusted
    proxy (a proxy that rewrites Host); its scheme is the Origin's own, since the page and
    its socket share the origin's host and port whichever scheme the proxy speaks."""
    origin = _header(scope, b"origin")
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    allowed = _allowed(allowed_origins)
    if "*" in allowed or origin in allowed:
        return True
    parts = urlsplit(origin) if "://" in origin else None
    if parts is None or parts.scheme not in ("http", "https"):
        return False  # "null" (a file:// page, a sandboxed frame) and the like
    mine = _host_port(parts.netloc, parts.scheme)
    client = scope.get("client")
    hosts = [_header(scope, b"host")]
    if client and is_trusted(str(client[0]), trusted_networks(trusted_proxies)):
        forwarded = _header(scope, b"x-forwarded-host")
        if forwarded:
            hosts.append(forwarded.split(",")[0].strip())
    return mine is not None and any(
        host and _host_port(host, parts.scheme) == mine for host in hosts)


@dataclass
class StreamSlots:
    """Open streams per client, and whether one more may open."""

    limit: int
    per_client: int
    reserve: int
    fair_share: int
    held: Counter[str] = field(default_factory=Counter)
    total: int = 0

    def refusal(self, client: str) -> str | None:
        """None if `client` may open one more stream, else why not: "busy" (every slot
        taken, or only reserved ones left and this client holds its fair share) or
        "per_client" (this client holds its limit)."""
        mine = self.held[client]
        if mine >= self.per_client:
            return "per_client"
        if self.total >= self.limit:
            return "busy"
        if self.total >= self.limit - self.reserve and mine >= self.fair_share:
            return "busy"
        return None

    def take(self, client: str) -> None:
        self.held[client] += 1
        self.total += 1

    def give_back(self, client: str) -> None:
        self.total -= 1
        self.held[client] -= 1
        if self.held[client] <= 0:
            del self.held[client]
