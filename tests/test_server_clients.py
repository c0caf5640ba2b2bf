"""server/clients.py: who a request comes from, for fair shares and per-client caps."""

from __future__ import annotations

from typing import Any

from gradscape.server.clients import client_key


def scope(peer: str | None, *forwarded: str) -> dict[str, Any]:
    return {"type": "http", "client": None if peer is None else (peer, 51234),
            "headers": [(b"x-forwarded-for", f.encode("latin-1")) for f in forwarded]}


def test_the_peer_address_is_the_client_when_no_proxy_is_trusted() -> None:
    assert client_key(scope("203.0.113.7")) == "203.0.113.7"
    # a header anyone can send must not create identities: ignored from untrusted peers
    assert client_key(scope("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_key(scope("203.0.113.7", "198.51.100.1"), "10.0.0.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() -> None:
    # the client may put anything first; the proxy appends the address it saw last
    assert client_key(scope("10.0.0.1", "1.2.3.4, 198.51.100.9"), "10.0.0.1") == "198.51.100.9"
    # two proxies in a row, both trusted (spaces in the setting are allowed)
    assert client_key(scope("10.0.0.1", "198.51.100.9, 10.0.0.2"),
                      "10.0.0.1, 10.0.0.2") == "198.51.100.9"
    # the header split over several lines counts as one list, in order
    assert client_key(scope("10.0.0.1", "1.2.3.4", "198.51.100.9"), "10.0.0.1") == \
        "198.51.100.9"


def test_a_trusted_proxy_without_a_usable_header_is_itself_the_client() -> None:
    assert client_key(scope("10.0.0.1"), "10.0.0.1") == "10.0.0.1"
    assert client_key(scope("10.0.0.1", "10.0.0.2"), "10.0.0.1,10.0.0.2") == "10.0.0.1"
    assert client_key(scope("10.0.0.1", " , "), "10.0.0.1") == "10.0.0.1"


def test_a_scope_without_a_peer_is_unknown() -> None:
    assert client_key(scope(None)) == "unknown"
