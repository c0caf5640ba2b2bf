"""Streams under abuse: the Origin allow-list, per-client caps, slots kept for honest users,
the idle timeout, deeply nested JSON, and the compute threads shared fairly by client."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from gradscape.server.app import create_app
from gradscape.server.config import Settings
from gradscape.server.fairshare import FairCompute
from gradscape.server.streamguard import (
    CLOSE_IDLE,
    CLOSE_POLICY,
    CLOSE_TRY_AGAIN_LATER,
    origin_allowed,
)

START = {"type": "start", "surface": {"formula": "x^2 + y^2"}, "steps": 5,
         "runs": [{"optimizer": "sgd", "params": {"lr": 0.1}, "start": [1.0, 1.0]}]}


def make_client(**settings: Any) -> TestClient:
    # The test client's peer is "testclient"; trusted as a proxy, X-Forwarded-For then
    # names the client, so one test can be many clients.
    return TestClient(create_app(Settings(trusted_proxies="testclient", **settings)))


def connect(client: TestClient, who: str = "10.0.0.1", **headers: str) -> Any:
    return client.websocket_connect("/api/stream",
                                    headers={"x-forwarded-for": who, **headers})


def refused(ws: WebSocketTestSession) -> tuple[str, int]:
    """The error code of a refusal and the close code that follows it."""
    error = ws.receive_json()
    assert error["type"] == "error" and error["message"]
    with pytest.raises(WebSocketDisconnect) as closed:
        ws.receive_json()
    return error["code"], closed.value.code


def usable(ws: WebSocketTestSession) -> bool:
    ws.send_json({"type": "ping"})
    return bool(ws.receive_json() == {"type": "pong"})


# --- Origin ----------------------------------------------------------------------------------
def scope(origin: str | None, host: str = "gradscape.example:8000",
          peer: str = "1.2.3.4", **extra: str) -> dict[str, Any]:
    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    headers += [(k.replace("_", "-").encode(), v.encode()) for k, v in extra.items()]
    return {"type": "websocket", "headers": headers, "client": (peer, 5000)}


@pytest.mark.parametrize(("origin", "host", "ok"), [
    (None, "gradscape.example:8000", True),  # not a browser: scripts, the load test
    ("http://gradscape.example:8000", "gradscape.example:8000", True),  # its own page
    ("https://gradscape.example", "gradscape.example", True),  # default port 443 on both
    ("https://Gradscape.Example:443", "gradscape.example", True),  # case, explicit port
    ("http://gradscape.example", "gradscape.example:80", True),
    ("https://evil.example", "gradscape.example:8000", False),
    ("http://gradscape.example:8001", "gradscape.example:8000", False),  # another port
    ("https://gradscape.example", "gradscape.example:80", False),  # https implies 443
    ("http://gradscape.example.evil.example", "gradscape.example", False),
    ("null", "gradscape.example", False),  # a file:// page or a sandboxed frame
    ("chrome-extension://abc", "abc", False),
])
def test_origin_must_be_the_servers_own(origin: str | None, host: str, ok: bool) -> None:
    assert origin_allowed(scope(origin, host)) is ok


def test_listed_origins_and_trusted_forwarded_host() -> None:
    embed = scope("https://slides.example.org", "gradscape.example")
    assert not origin_allowed(embed)
    assert origin_allowed(embed, "https://other.example, https://slides.example.org/")
    assert origin_allowed(embed, "*")
    # A proxy that rewrites Host: its X-Forwarded-Host counts only if it is trusted.
    proxied = scope("https://gradscape.example", "127.0.0.1:8000", peer="10.0.0.9",
                    x_forwarded_host="gradscape.example")
    assert not origin_allowed(proxied)
    assert origin_allowed(proxied, trusted_proxies="10.0.0.9")


def test_cross_origin_socket_is_refused_with_a_reason() -> None:
    client = make_client()
    with connect(client, origin="https://evil.example") as ws:
        assert refused(ws) == ("origin", CLOSE_POLICY)
    with connect(client, origin="http://testserver") as ws:  # the server's own page
        assert usable(ws)
    with connect(make_client(allowed_origins="https://evil.example"),
                 origin="https://evil.example") as ws:
        assert usable(ws)


# --- slots -----------------------------------------------------------------------------------
def test_per_client_cap() -> None:
    client = make_client(max_streams_per_client=2)
    with connect(client) as a, connect(client) as b:
        assert usable(a) and usable(b)
        with connect(client) as third:
            assert refused(third) == ("per_client", CLOSE_TRY_AGAIN_LATER)
        with connect(client, "10.0.0.2") as other:  # another client is not affected
            assert usable(other)
    with connect(client) as again:  # closing gave the slots back
        assert usable(again)


def test_last_slots_are_kept_for_clients_below_their_share() -> None:
    # 5 slots, the last 2 only for clients holding fewer than 1 stream.
    client = make_client(max_streams=5, stream_reserve=2, stream_fair_share=1,
                         max_streams_per_client=10)
    with connect(client) as a1, connect(client) as a2, connect(client) as a3:
        assert usable(a1) and usable(a2) and usable(a3)
        with connect(client) as a4:  # the flooding client cannot take a reserved slot
            assert refused(a4) == ("busy", CLOSE_TRY_AGAIN_LATER)
        with connect(client, "10.0.0.2") as b1:  # a newcomer can
            assert usable(b1)
            with connect(client, "10.0.0.2") as b2:  # but not a second one
                assert refused(b2) == ("busy", CLOSE_TRY_AGAIN_LATER)
            with connect(client, "10.0.0.3") as c1:
                assert usable(c1)
                with connect(client, "10.0.0.4") as d1:  # every slot taken
                    assert refused(d1) == ("busy", CLOSE_TRY_AGAIN_LATER)


# --- idle ------------------------------------------------------------------------------------
def test_socket_that_never_starts_a_race_is_closed() -> None:
    client = make_client(stream_idle_seconds=0.3)
    with connect(client) as idle:
        began = time.monotonic()
        assert usable(idle)  # pings do not count: only a race does
        assert refused(idle) == ("idle", CLOSE_IDLE)
        assert 0.25 < time.monotonic() - began < 5
    with connect(client) as racing:
        racing.send_json(START)
        while racing.receive_json()["type"] != "done":
            pass
        time.sleep(0.5)  # past the idle limit, but a race was started: stays open
        assert usable(racing)


# --- deep JSON -------------------------------------------------------------------------------
def test_deeply_nested_json_on_the_stream_is_refused_without_a_traceback(
        caplog: pytest.LogCaptureFixture) -> None:
    client = make_client()
    with caplog.at_level(logging.WARNING), connect(client) as ws:
        ws.send_text("[" * 30_000 + "]" * 30_000)
        error = ws.receive_json()
        assert error["type"] == "error" and "nested more than" in error["message"]
        # Nesting inside a message that is otherwise a start: refused the same way.
        ws.send_text('{"type": "start", "seed": ' + "[" * 100 + "]" * 100 + "}")
        assert "nested more than" in ws.receive_json()["message"]
        assert usable(ws)  # the connection stays usable
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_brackets_inside_strings_do_not_count() -> None:
    client = make_client()
    with connect(client) as ws:
        # 100 "[" inside a formula string: not nesting, so the formula parser answers.
        ws.send_json({**START, "surface": {"formula": "[" * 100}})
        error = ws.receive_json()
        assert error["type"] == "error" and "nested" not in error["message"]


# --- fair compute ----------------------------------------------------------------------------
def burn(seconds: float, name: str, order: list[str]) -> str:
    """Use `seconds` of this thread's CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
    order.append(name)
    return name


def test_a_light_client_goes_before_a_heavy_clients_queue() -> None:
    order: list[str] = []

    async def scenario() -> None:
        compute = FairCompute(threads=1, credit=0.0)
        await compute.run("heavy", burn, 0.02, "h1", order)  # heavy has used 20 ms
        queued = [asyncio.create_task(compute.run("heavy", burn, 0.02, f"h{i}", order))
                  for i in (2, 3, 4)]
        await asyncio.sleep(0.005)  # h2 runs, h3 and h4 wait
        light = asyncio.create_task(compute.run("light", burn, 0.001, "light", order))
        await asyncio.gather(*queued, light)

    asyncio.run(scenario())
    # First come, first served would run light last; by compute used, it runs as soon as
    # the thread is free.
    assert order == ["h1", "h2", "light", "h3", "h4"]


def test_many_streams_of_one_client_share_one_account() -> None:
    order: list[str] = []

    async def scenario() -> None:
        compute = FairCompute(threads=1, credit=0.0)
        first = asyncio.create_task(compute.run("a", burn, 0.01, "a0", order))
        await asyncio.sleep(0.002)  # a0 holds the thread
        waiting = [asyncio.create_task(compute.run("a", burn, 0.01, f"a{i}", order))
                   for i in (1, 2, 3)]
        waiting += [asyncio.create_task(compute.run("b", burn, 0.01, f"b{i}", order))
                    for i in (1, 2)]
        await asyncio.gather(first, *waiting)

    asyncio.run(scenario())
    # b's two chunks alternate with a's, although a queued three (from three streams) first.
    assert order.index("b1") < order.index("a2") and order.index("b2") < order.index("a3")


def test_an_idle_client_banks_no_more_than_its_credit() -> None:
    order: list[str] = []

    async def scenario() -> None:
        compute = FairCompute(threads=1, credit=0.01)
        compute.used["old"] = 0.0  # used nothing so far, then idle a long while
        compute.used["busy"] = 5.0  # five seconds of compute
        hold = asyncio.create_task(compute.run("busy", burn, 0.01, "busy0", order))
        await asyncio.sleep(0.002)
        queued = asyncio.create_task(compute.run("busy", burn, 0.01, "busy1", order))
        back = asyncio.create_task(compute.run("old", burn, 0.001, "old", order))
        await asyncio.gather(hold, queued, back)
        # Lifted to the busy client's account less the credit, not left at zero.
        assert compute.used["old"] == pytest.approx(5.0 - 0.01 + 0.001, abs=0.005)

    asyncio.run(scenario())
    assert order == ["busy0", "old", "busy1"]


def test_a_cancelled_wait_gives_no_thread_away() -> None:
    async def scenario() -> None:
        compute = FairCompute(threads=1)
        order: list[str] = []
        hold = asyncio.create_task(compute.run("a", burn, 0.02, "hold", order))
        await asyncio.sleep(0.002)
        gone = asyncio.create_task(compute.run("b", burn, 0.0, "gone", order))
        await asyncio.sleep(0.002)
        gone.cancel()
        await hold
        with pytest.raises(asyncio.CancelledError):
            await gone
        assert compute.free == 1 and not compute.busy and "gone" not in order
        assert await compute.run("c", burn, 0.0, "after", order) == "after"

    asyncio.run(scenario())
