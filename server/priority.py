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

    def mark(self) -> None:
        """A start is being handled now."""
        self.last = time.monotonic()

    async def wait(self) -> None:
        """Return once starts are quiet (or after `longest` seconds)."""
        now = time.monotonic()
        deadline = now + self.longest
        if self.last + self.quiet <= now:
            return
        self.held += 1
        while (now := time.monotonic()) < deadline:
            left = self.last + self.quiet - now
            if left <= 0:
                return
            await asyncio.sleep(min(left, deadline - now))
