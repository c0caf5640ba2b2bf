"""The compute threads shared fairly between clients, by the compute time each has used.

Streams step their races in chunks on a few threads (GRADSCAPE_COMPUTE_THREADS). Handed out
first come, first served, ten maximal races from hostile clients kept both threads busy with
their long chunks and an honest 500-step race waited behind all of them for every one of
its ten chunks. Here a free thread goes to the waiting chunk of the client that has used the
least compute (CPU seconds, measured in the thread), ties in arrival order: a light client
is served next whenever it asks, heavy clients share what is left, and a client's many
streams share one account, so opening more streams buys no more compute.

A client returning from idle (nothing waiting or running) starts no lower than the least
used of the busy clients less `credit` seconds: what it used long ago is kept, but idling
earns it no more than `credit` of head start, or a client could bank hours of idle time
and then hold the threads. Accounts are forgotten when a client closes its last stream.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar, TypeVarTuple, Unpack

import anyio

T = TypeVar("T")
Args = TypeVarTuple("Args")


class FairCompute:
    def __init__(self, threads: int, credit: float = 0.2) -> None:
        self.free = threads
        self.credit = credit
        self.threads = anyio.CapacityLimiter(threads)
        self.used: dict[str, float] = {}  # CPU seconds per client with streams open
        self.busy: dict[str, int] = {}  # chunks waiting or running per client
        self._waiters: list[tuple[int, str, asyncio.Future[None]]] = []
        self._seq = 0

    async def run(self, client: str, fn: Callable[[Unpack[Args]], T], *args: *Args) -> T:
        """fn(*args) on a compute thread, once this client's turn comes."""
        await self._acquire(client)
        spent = 0.0

        def timed() -> T:
            nonlocal spent
            began = time.thread_time()
            try:
                return fn(*args)
            finally:
                spent = time.thread_time() - began

        try:
            # Not cancellable once running: a chunk finishes (as before) and is charged.
            return await anyio.to_thread.run_sync(timed, limiter=self.threads)
        finally:
            self.used[client] = self.used.get(client, 0.0) + spent
            self._release()
            self._leave(client)

    @property
    def shared(self) -> bool:
        """Whether more than one client has streams that computed something."""
        return len(self.used) > 1

    @property
    def waiting(self) -> bool:
        """Whether a chunk is waiting for a thread (read from heavy REST work's threads,
        which then step aside: server/heavy.py)."""
        return bool(self._waiters)

    def forget(self, client: str) -> None:
        """The client closed its last stream."""
        if not self.busy.get(client):
            self.used.pop(client, None)

    # --- internals ----------------------------------------------------------------------------
    def _enter(self, client: str) -> None:
        if not self.busy.get(client):
            others = [self.used.get(c, 0.0) for c, n in self.busy.items() if n and c != client]
            if others:
                floor = min(others) - self.credit
                self.used[client] = max(self.used.get(client, 0.0), floor)
        self.busy[client] = self.busy.get(client, 0) + 1

    def _leave(self, client: str) -> None:
        left = self.busy.get(client, 1) - 1
        if left:
            self.busy[client] = left
        else:
            self.busy.pop(client, None)

    async def _acquire(self, client: str) -> None:
        self._enter(client)
        if self.free > 0 and not self._waiters:
            self.free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._seq += 1
        entry = (self._seq, client, future)
        self._waiters.append(entry)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # granted as it was cancelled: pass the thread on
            elif entry in self._waiters:  # (a grant skips a cancelled one, removing it)
                self._waiters.remove(entry)
            self._leave(client)
            raise

    def _release(self) -> None:
        while self._waiters:
            entry = min(self._waiters, key=lambda w: (self.used.get(w[1], 0.0), w[0]))
            self._waiters.remove(entry)
            if not entry[2].done():
                entry[2].set_result(None)
                return
        self.free += 1
