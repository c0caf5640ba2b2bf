"""Who a request comes from: the key that fair shares and per-client caps count by.

The peer address is the client, unless the peer is a proxy we were told to trust
(GRADSCAPE_TRUSTED_PROXIES: addresses or networks, e.g. "127.0.0.1, 10.89.0.0/24", or a peer
name that is no address, like Starlette's test client's "testclient"); then the
last X-Forwarded-For hop that is not itself a trusted proxy is. Trusting the header from
anyone would let every request claim a fresh identity.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network | str  # a str: a peer name, as it is


def _entry(text: str) -> Network:
    if any(c.isdigit() for c in text) and ("." in text or ":" in text):
        # Looks like an address: a typo ("10.0.0.0/33") stops the server at start-up.
        return ipaddress.ip_network(text, strict=False)
    if not text.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"{text!r} is neither an address, a network nor a peer name")
    return text


@lru_cache(maxsize=16)
def trusted_networks(proxies: str) -> tuple[Network, ...]:
    """The entries of a GRADSCAPE_TRUSTED_PROXIES value (a bare address is a /32 or /128)."""
    return tuple(_entry(p.strip()) for p in proxies.split(",") if p.strip())


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    """Whether an address lies in one of the trusted proxies' networks (or is a named peer)."""
    if address in networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(not isinstance(net, str) and ip in net for net in networks)


def client_key(scope: Scope, trusted_proxies: str = "") -> str:
    """The client's address for an HTTP or WebSocket scope ("unknown" when there is none)."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    networks = trusted_networks(trusted_proxies)
    if not is_trusted(peer, networks):
        return peer
    forwarded: list[str] = [value.decode("latin-1") for name, value in scope.get("headers", [])
                 if name == b"x-forwarded-for"]
    hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, networks):
            return hop
    return peer
