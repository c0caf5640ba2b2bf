"""Heavy REST work through a bounded queue with a fair share per client.

Grids, basin maps, critical points, runs and exports that cost more than
GRADSCAPE_LIGHT_WORK run on GRADSCAPE_WORK_THREADS threads of their own (not the default
pool, which would run 40 at once). Each client (server/clients.py) may have
GRADSCAPE_CLIENT_SHARE requests running or waiting; at most GRADSCAPE_QUEUE_SIZE wait in
all. Beyond either, the answer is 429 with Retry-After. A freed thread goes to the waiting
client with the fewest requests running, among equals to the one whose last turn is the
oldest (round robin), so one client flooding the queue cannot starve the others.

Every piece of work gets a `Ticket`, the core.cancel check its loops call between chunks:
it raises Cancelled once the client disconnected, the request ran for longer than
GRADSCAPE_REQUEST_TIMEOUT, or the process is shutting down (SIGTERM: `cancel_all`).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, TypeVarTuple, Unpack

import anyio

from gradscape.core.cancel import Cancelled

T = TypeVar("T")
Args = TypeVarTuple("Args")


class Busy(Exception):  # noqa: N818 - an answer (429), not a bug
    """Refused for now: the client's share or the queue is full; retry after `seconds`."""

    def __init__(self, message: str, seconds: int) -> None:
        super().__init__(message)
        self.seconds = seconds


class Ticket:
    """The cancel check for one request (callable from its worker thread). `pause`, if
    given, is called at every check too: heavy work steps aside there while stream starts
    are being served (server/heavy.py); the time it spends there moves the deadline."""

    def __init__(self, timeout: float, pause: Callable[[], None] | None = None) -> None:
        self.timeout = timeout
        self.pause = pause
        self.deadline = math.inf  # set when the work starts running
        self._reason = ""
        self._lock = threading.Lock()

    def start(self) -> None:
        self.deadline = time.monotonic() + self.timeout

    def cancel(self, reason: str) -> None:
        with self._lock:
            self._reason = self._reason or reason

    @property
    def reason(self) -> str:
        return self._reason

    def __call__(self) -> None:
        if self.pause is not None:
            began = time.monotonic()
            self.pause()
            self.deadline += time.monotonic() - began  # time given to others is not counted
        if self._reason:
            raise Cancelled(self._reason)
        if time.monotonic() > self.deadline:
            self.cancel(f"it ran for longer than this server's limit of {self.timeout:g} s "
                        "per request (GRADSCAPE_REQUEST_TIMEOUT)")
            raise Cancelled(self._reason)


@dataclass(order=True)
class _Waiting:
    order: int
    client: str = field(compare=False)
    ready: asyncio.Future[None] = field(compare=False)


class WorkQueue:
    """One per process (AppState.work); all methods run on the event loop."""

    def __init__(self, threads: int, queue_size: int, share: int, timeout: float) -> None:
        self.threads, self.queue_size, self.share, self.timeout = \
            threads, queue_size, share, timeout
        self.limiter = anyio.CapacityLimiter(threads)
        self.running: dict[str, int] = {}
        self.waiting: list[_Waiting] = []
        self.streams: dict[str, int] = {}  # heavy streamed races per client
        self.tickets: set[Ticket] = set()
        self.closing = False
        self.refused = 0
        self._order = itertools.count()
        self._last_turn: dict[str, int] = {}  # client -> the order of its latest start
        self._seconds = 1.0  # a moving average of how long heavy work takes

    # --- admission -------------------------------------------------------------------------
    def held(self, client: str) -> int:
        return (self.running.get(client, 0) + self.streams.get(client, 0)
                + sum(w.client == client for w in self.waiting))

    def retry_after(self) -> int:
        ahead = sum(self.running.values()) + len(self.waiting)
        return max(1, min(300, math.ceil(self._seconds * (1 + ahead / self.threads))))

    def over_share(self, client: str) -> Busy | None:
        """The refusal for one more piece of heavy work from `client` if it holds its whole
        share (what `admit` raises then), else None. Cheap: server/quotagate.py asks it
        before a request's body is parsed."""
        held = self.held(client)
        if held < self.share:
            return None
        return Busy(f"you already have {held} heavy requests or races under way (the limit "
                    f"per client is {self.share}, GRADSCAPE_CLIENT_SHARE); wait for one to "
                    "finish", self.retry_after())

    def admit(self, client: str, queued: bool = True) -> None:
        """Busy unless `client` may add one more piece of heavy work (`queued`: work that
        waits for a thread, so a full queue refuses it too)."""
        if self.closing:
            raise Busy("the server is shutting down; try again in a moment", 5)
        over = self.over_share(client)
        if over is not None:
            self.refused += 1
            raise over
        if queued and len(self.waiting) >= self.queue_size and \
                sum(self.running.values()) >= self.threads:
            self.refused += 1
            raise Busy(f"the server is busy ({len(self.waiting)} heavy requests are waiting, "
                       "GRADSCAPE_QUEUE_SIZE)", self.retry_after())

    # --- REST work -------------------------------------------------------------------------
    async def run(self, client: str, ticket: Ticket, fn: Callable[[Unpack[Args]], T],
                  *args: *Args) -> T:
        """fn(*args) on a work thread once a thread is free and it is `client`'s turn.
        Busy if refused; Cancelled if the ticket was cancelled while waiting or running."""
        self.admit(client)
        self.tickets.add(ticket)
        try:
            await self._turn(client, ticket)  # counted in self.running from here on
            began = time.monotonic()
            ticket.start()
            try:
                result = await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter,
                                                        abandon_on_cancel=False)
            finally:
                self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - began)
                self._done(client)
            return result
        finally:
            self.tickets.discard(ticket)

    def _done(self, client: str) -> None:
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
        self._next()

    async def _turn(self, client: str, ticket: Ticket) -> None:
        """Wait for a thread; on return `client` holds one more place in self.running."""
        if sum(self.running.values()) < self.threads and not self.waiting:
            self.running[client] = self.running.get(client, 0) + 1
            self._last_turn[client] = next(self._order)
            return
        loop = asyncio.get_running_loop()
        me = _Waiting(next(self._order), client, loop.create_future())
        self.waiting.append(me)
        try:
            while not me.ready.done():
                # wake now and then to notice a cancelled ticket (a client that went away)
                await asyncio.wait([me.ready], timeout=0.25)
                if ticket.reason and not me.ready.done():
                    raise Cancelled(ticket.reason)
        except BaseException:
            if me in self.waiting:
                self.waiting.remove(me)
            elif me.ready.done():
                self._done(client)  # our turn came as we left: pass it on
            raise

    def _next(self) -> None:
        """Hand free threads to the waiting clients with the fewest requests running, then
        the longest since their last turn."""
        while self.waiting and sum(self.running.values()) < self.threads:
            nxt = min(self.waiting, key=lambda w: (self.running.get(w.client, 0),
                                                   self._last_turn.get(w.client, -1), w.order))
            self.waiting.remove(nxt)
            self._last_turn[nxt.client] = next(self._order)
            if not any(w.client == nxt.client for w in self.waiting) and \
                    len(self._last_turn) > 4 * (self.queue_size + self.threads):
                self._forget()
            # counted as running at once, so the next pick in this loop sees it
            self.running[nxt.client] = self.running.get(nxt.client, 0) + 1
            nxt.ready.set_result(None)

    def _forget(self) -> None:
        """Drop the turns of clients with nothing running or waiting (bounded memory)."""
        active = set(self.running) | {w.client for w in self.waiting}
        self._last_turn = {c: t for c, t in self._last_turn.items() if c in active}

    # --- heavy streamed races -------------------------------------------------------------
    def hold_stream(self, client: str) -> None:
        """A heavy streamed race: it steps on the stream threads, not in the queue, but
        counts against its client's share."""
        self.admit(client, queued=False)
        self.streams[client] = self.streams.get(client, 0) + 1

    def release_stream(self, client: str) -> None:
        left = self.streams.get(client, 0) - 1
        if left > 0:
            self.streams[client] = left
        else:
            self.streams.pop(client, None)

    # --- shutdown --------------------------------------------------------------------------
    def cancel_all(self, reason: str = "the server is shutting down") -> None:
        """Thread-safe: called from a signal handler. Running work stops at its next chunk."""
        self.closing = True
        for ticket in list(self.tickets):
            ticket.cancel(reason)
