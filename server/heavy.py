"""Running a REST request's work within its budget: estimate, queue, cancel.

    result = await heavy(request, state, estimate, fn, *args)

calls fn(check, *args) on a thread, where `check` is the request's Ticket (core.cancel):
work above GRADSCAPE_LIGHT_WORK waits its turn in the WorkQueue (429 beyond the client's
share), lighter work runs at once in the default thread pool. Either way a client that
disconnects cancels it (between two chunks), and so do the wall-clock limit and SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TypeVar, TypeVarTuple, Unpack

import anyio
from fastapi import Request

from gradscape.server import cost
from gradscape.server.clients import client_key
from gradscape.server.deps import AppState
from gradscape.server.fairshare import FairCompute
from gradscape.server.priority import StartGate
from gradscape.server.quotagate import request_key
from gradscape.server.workqueue import Ticket

T = TypeVar("T")
Args = TypeVarTuple("Args")


async def _watch_disconnect(request: Request, ticket: Ticket) -> None:
    """Cancel the ticket when the client goes away. The body has been read, so the next
    ASGI message is the disconnect (sent only once the client closes or the answer went)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            ticket.cancel("the client disconnected")
            return


def _step_aside(gate: StartGate, compute: FairCompute) -> Callable[[], None]:
    """A pause for work threads, called between chunks. While stream starts arrive (the
    gate was marked less than `quiet` ago) sleep, so the loop serves their first frames
    without a heavy thread holding the GIL; never longer than the gate's `longest` at one
    check. And while streamed chunks wait for a compute thread, sleep as long as the chunk
    since the last check ran (at most `longest`): heavy REST work then takes at most about
    half a core's worth of the interpreter from the streams. Under 5 abusers flooding basin
    maps, the one work thread otherwise ran flat out beside both compute threads and the
    loop, and every socket call of an honest start waited its turn for the GIL."""
    resumed = time.monotonic()

    def pause() -> None:
        nonlocal resumed
        began = time.monotonic()
        worked = began - resumed
        while True:
            now = time.monotonic()
            left = gate.last + gate.quiet - now
            if left <= 0 or now - began >= gate.longest:
                break
            time.sleep(min(left, gate.longest - (now - began)))
        if compute.waiting:
            time.sleep(min(worked, gate.longest))
        resumed = time.monotonic()
    return pause


async def heavy(request: Request, state: AppState, estimate: cost.Estimate,
                fn: Callable[[Ticket, Unpack[Args]], T], *args: *Args) -> T:
    settings = state.settings
    cost.check(estimate, settings)  # 422 before anything runs
    if estimate.units > settings.light_work:  # a repeat over quota: 429 unparsed next time
        state.heavy_requests.remember(request_key(request.scope, await request.body()))
    ticket = Ticket(settings.request_timeout, _step_aside(state.gate, state.compute))
    watcher = asyncio.create_task(_watch_disconnect(request, ticket))
    try:
        if estimate.units <= settings.light_work:
            ticket.start()
            return await anyio.to_thread.run_sync(fn, ticket, *args)
        client = client_key(request.scope, settings.trusted_proxies)
        return await state.work.run(client, ticket, fn, ticket, *args)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watcher


