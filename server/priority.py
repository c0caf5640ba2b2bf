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
from collections.abc import Callable


class StartGate:
    def __init__(self, quiet: float = 0.003, longest: float = 0.1) -> None:
        self.quiet, self.longest = quiet, longest
        self.last = -float("inf")
        self.held = 0  # chunks that waited (for tests and curiosity)
        # The producers held now, each on a future of its own (one that is cancelled with its
        # task leaves the others be), all let go by one timer once starts are quiet: a
        # hundred producers held through a burst cost a future each, not a timer or a poll.
        self._waiters: list[asyncio.Future[None]] = []
        self._deferred: list[Callable[[], None]] = []  # see `defer`
        self._deadline = 0.0  # when the held ones go even if starts keep coming
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def mark(self) -> None:
        """A start is being handled now."""
        self.last = time.monotonic()

    def _check(self) -> None:
        now = time.monotonic()
        left = self.last + self.quiet - now
        if left > 0 and now < self._deadline and self._loop is not None:
            # another start since: look again when it has gone quiet
            self._timer = self._loop.call_later(min(left, self._deadline - now), self._check)
            return
        waiters, self._waiters, self._timer = self._waiters, [], None
        deferred, self._deferred = self._deferred, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        for callback in deferred:
            callback()

    def _hold(self, left: float) -> asyncio.AbstractEventLoop:
        """The running loop, with the timer that lets the held ones go set on it."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): nothing from the old one
            if self._timer is not None:
                self._timer.cancel()
            self._waiters, self._deferred, self._timer, self._loop = [], [], None, loop
        if self._timer is None:
            self._deadline = time.monotonic() + self.longest
            self._timer = loop.call_later(left, self._check)
        return loop

    async def wait(self) -> None:
        """Return once starts are quiet (or after at most `longest` seconds)."""
        left = self.last + self.quiet - time.monotonic()
        if left <= 0:
            return
        self.held += 1
        waiter: asyncio.Future[None] = self._hold(left).create_future()
        self._waiters.append(waiter)
        await waiter

    def defer(self, callback: Callable[[], None]) -> None:
        """Call `callback` (on the running loop) once starts are quiet, as `wait` returns;
        at once if they are. A start defers creating its producer task: through a burst
        the loop then spends nothing on the producers it would only hold."""
        left = self.last + self.quiet - time.monotonic()
        if left <= 0:
            callback()
            return
        self._hold(left)
        self._deferred.append(callback)
