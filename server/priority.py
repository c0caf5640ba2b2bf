"""Starts before stepping: a burst of new races gets its first frames before more steps.

A start's first frame is computed on the event loop; later frames on compute threads. Python
runs one thread at a time, so while a hundred starts arrive together, every chunk a compute
thread steps is time the loop cannot spend on the next start's first frame (and the loop,
after each socket call, waits for the GIL behind that thread). So each start marks the gate,
and producers hold their next chunk until no start has been handled for `quiet` seconds:
through a burst the loop has the process to itself, the in-flight chunks aside. A producer
never waits more than `longest` seconds for one chunk, so a client sending starts without
pause slows the other streams but cannot stall them.
"""

from __future__ import annotations

import asyncio
import time


class StartGate:
    def __init__(self, quiet: float = 0.003, longest: float = 0.1) -> None:
        self.quiet, self.longest = quiet, longest
        self.last = -float("inf")
        self.held = 0  # chunks that waited (for tests and curiosity)
        # One future all held producers await, resolved by one timer once starts are quiet:
        # a hundred producers held through a burst cost one wake-up each, not a poll each.
        self._open: asyncio.Future[None] | None = None

    def mark(self) -> None:
        """A start is being handled now."""
        self.last = time.monotonic()

    def _check(self, future: asyncio.Future[None]) -> None:
        left = self.last + self.quiet - time.monotonic()
        if left > 0:  # another start since: look again when this one has gone quiet
            future.get_loop().call_later(left, self._check, future)
            return
        if self._open is future:
            self._open = None
        if not future.done():
            future.set_result(None)

    async def wait(self) -> None:
        """Return once starts are quiet (or after `longest` seconds)."""
        left = self.last + self.quiet - time.monotonic()
        if left <= 0:
            return
        self.held += 1
        loop = asyncio.get_running_loop()
        future = self._open
        if future is None or future.done() or future.get_loop() is not loop:
            future = self._open = loop.create_future()
            loop.call_later(left, self._check, future)
        await asyncio.wait([future], timeout=self.longest)
