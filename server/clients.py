"""Who a request comes from: the key that fair shares and per-client caps count by.

The peer address is the client, unless the peer is a proxy we were told to trust
(GRADSCAPE_TRUSTED_PROXIES: addresses or networks, e.g. "127.0.0.1, 10.89.0.0/24"); then the
last X-Forwarded-For hop that is not itself a trusted proxy is. Trusting the header from
anyone would let every request claim a fresh identity.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def trusted_networks(proxies: str) -> tuple[Network, ...]:
    """The networks of a GRADSCAPE_TRUSTED_PROXIES value (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(p.strip(), strict=False)
                 for p in proxies.split(",") if p.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_key(scope: Scope, trusted_proxies: str = "") -> str:
    """The client's address for an HTTP or WebSocket scope ("unknown" when there is none)."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    networks = trusted_networks(trusted_proxies)
    if not _is_trusted(peer, networks):
        return peer
    forwarded = [value.decode("latin-1") for name, value in scope.get("headers", [])
                 if name == b"x-forwarded-for"]
    hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    return peer
