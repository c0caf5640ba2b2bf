"""Starts before stepping: a burst of new races gets its first frames before more steps.

A start's first frame is computed on the event loop; later frames on compute threads. Python
runs one thread at a time, so while a hundred starts arrive together, every chunk a compute
thread steps is time the loop cannot spend on the next start's first frame (and the loop,
after each socket call, waits for the GIL behind that thread). So each start marks the gate,
and producers hold their next chunk until no start has been handled for `quiet` seconds:
through a burst the loop has the process to itself, the in-flight chunks aside. A producer
never waits more than `longest` seconds for one chunk, so a client sending starts without
pause slows the other streams but cannot stall them.

Held producers each await a plain future: `asyncio.wait(..., timeout)` per producer cost the
loop about as much as a start's first frame, once per start in a burst.
"""

from __future__ import annotations

import asyncio
import time


class StartGate:
    def __init__(self, quiet: float = 0.003, longest: float = 0.1) -> None:
        self.quiet, self.longest = quiet, longest
        self.last = -float("inf")
        self.held = 0  # chunks that waited (for tests and curiosity)
        # The producers held now, each on a future of its own (one that is cancelled with its
        # task leaves the others be), all let go by one timer once starts are quiet: a
        # hundred producers held through a burst cost a future each, not a timer or a poll.
        self._waiters: list[asyncio.Future[None]] = []
        self._deadline = 0.0  # when the held ones go even if starts keep coming
        self._timer: asyncio.TimerHandle | None = None

    def mark(self) -> None:
        """A start is being handled now."""
        self.last = time.monotonic()

    def _check(self) -> None:
        now = time.monotonic()
        left = self.last + self.quiet - now
        if left > 0 and now < self._deadline:  # another start since: look again later
            loop = self._waiters[0].get_loop()
            self._timer = loop.call_later(min(left, self._deadline - now), self._check)
            return
        waiters, self._waiters, self._timer = self._waiters, [], None
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        """Return once starts are quiet (or after at most `longest` seconds)."""
        left = self.last + self.quiet - time.monotonic()
        if left <= 0:
            return
        self.held += 1
        loop = asyncio.get_running_loop()
        if self._waiters and self._waiters[0].get_loop() is not loop:  # (a new event loop)
            if self._timer is not None:
                self._timer.cancel()
            self._waiters, self._timer = [], None
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        if self._timer is None:
            self._deadline = time.monotonic() + self.longest
            self._timer = loop.call_later(left, self._check)
        await waiter
