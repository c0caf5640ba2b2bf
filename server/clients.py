"""Who a request comes from: the key that fair shares and per-client caps count by.

The peer address is the client, unless the peer is a proxy we were told to trust
(GRADSCAPE_TRUSTED_PROXIES); then the last X-Forwarded-For hop that is not itself a trusted
proxy is. Trusting the header from anyone would let every request claim a fresh identity.
"""

from __future__ import annotations

from functools import lru_cache

from starlette.types import Scope


@lru_cache(maxsize=16)
def _trusted(proxies: str) -> frozenset[str]:
    return frozenset(p.strip() for p in proxies.split(",") if p.strip())


def client_key(scope: Scope, trusted_proxies: str = "") -> str:
    """The client's address for an HTTP or WebSocket scope ("unknown" when there is none)."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    trusted = _trusted(trusted_proxies)
    if peer not in trusted:
        return str(peer)
    forwarded = [value.decode("latin-1") for name, value in scope.get("headers", [])
                 if name == b"x-forwarded-for"]
    hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return str(peer)
