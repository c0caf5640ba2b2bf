"""Graceful drain: what a process does between SIGTERM and exit.

A replica behind a balancer must leave without losing anyone's work. On SIGTERM:
1. /api/health answers 503 "draining", so readiness probes and balancers stop sending here;
   new streams are refused with a 503 before the WebSocket handshake, which nginx and
   ingress controllers retry on another replica (proxy_next_upstream http_503);
2. every open stream gets a "going away" close (1001): the browser reconnects, lands on
   another replica and resumes the scene at the step it had reached (races are seeded, so the
   replay is the same path);
3. after GRADSCAPE_DRAIN_SECONDS the process stops accepting and exits as uvicorn does
   (open HTTP requests finish first). A second SIGTERM or a SIGINT skips the wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import weakref
from collections.abc import Awaitable, Callable
from types import FrameType

import uvicorn

CLOSE_GOING_AWAY = 1001
Closer = Callable[[], Awaitable[None]]


class Drain:
    """One app's drain state: whether it is draining and the streams it must close."""

    def __init__(self) -> None:
        self.draining = False
        self._closers: set[Closer] = set()

    def track(self, closer: Closer) -> None:
        self._closers.add(closer)

    def untrack(self, closer: Closer) -> None:
        self._closers.discard(closer)

    async def begin(self, timeout: float = 2.0) -> None:
        """Refuse new work and send every open stream its going-away close."""
        self.draining = True
        closers = list(self._closers)
        if closers:
            await asyncio.wait([asyncio.ensure_future(c()) for c in closers], timeout=timeout)


# Every app this process serves (normally one): a signal drains them all.
_DRAINS: weakref.WeakSet[Drain] = weakref.WeakSet()


def register(drain: Drain) -> Drain:
    _DRAINS.add(drain)
    return drain


async def drain_all() -> None:
    await asyncio.gather(*(d.begin() for d in list(_DRAINS)))


class DrainingServer(uvicorn.Server):
    """uvicorn's server, draining for `drain_seconds` on the first SIGTERM before it exits."""

    def __init__(self, config: uvicorn.Config, drain_seconds: float) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self._drain: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets=sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig != signal.SIGTERM or self._drain is not None or self._loop is None:
            super().handle_exit(sig, frame)  # SIGINT or a second SIGTERM: stop now
            return
        self._drain = self._loop.create_task(self._drain_then_exit(sig, frame))

    async def _drain_then_exit(self, sig: int, frame: FrameType | None) -> None:
        with contextlib.suppress(Exception):
            await drain_all()
            await asyncio.sleep(self.drain_seconds)  # balancers see the 503 and move on
        super().handle_exit(sig, frame)
