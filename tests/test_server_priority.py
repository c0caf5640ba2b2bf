"""The start gate: producers hold their next chunk while starts are being served, until no
start has come for `quiet` seconds (or `longest` has passed), and not at all when no start
came in. Busy machines delay timers, so the checks are invariants of the times recorded
(a waiter never returns within `quiet` of a start, nor before `longest` in a flood) rather
than exact durations."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time

from gradscape.server.priority import StartGate

EPS = 0.002  # timer granularity


class Recorded(StartGate):
    """A gate that remembers when each start was marked and how often it checked."""

    def __init__(self, quiet: float, longest: float) -> None:
        super().__init__(quiet, longest)
        self.marks: list[float] = []
        self.checks = 0
        self.opened: list[float] = []  # when held producers were let go

    def mark(self) -> None:
        super().mark()
        self.marks.append(self.last)

    def _check(self) -> None:
        self.checks += 1
        held = list(self._waiters)
        super()._check()
        if held and all(w.done() for w in held):
            self.opened.append(time.monotonic())

    def last_before(self, t: float) -> float:
        return max(m for m in self.marks if m <= t)

    def gaps_before(self, t: float) -> list[float]:
        marks = [m for m in self.marks if m <= t] + [t]
        return [b - a for a, b in itertools.pairwise(marks)]


async def held(gate: StartGate) -> float:
    await gate.wait()
    return time.monotonic()


def test_no_start_no_wait() -> None:
    gate = StartGate(quiet=5.0, longest=5.0)
    began = time.monotonic()
    asyncio.run(gate.wait())
    assert time.monotonic() - began < 1.0 and gate.held == 0


def test_waits_until_starts_are_quiet() -> None:
    gate = Recorded(quiet=1.0, longest=30.0)

    async def scenario() -> float:
        gate.mark()
        waiter = asyncio.create_task(held(gate))
        await asyncio.sleep(0.3)
        gate.mark()  # another start (if the waiter is still held, it waits again)
        return await waiter

    asyncio.run(scenario())
    assert gate.held == 1 and len(gate.opened) == 1
    opened = gate.opened[0]
    assert opened >= gate.last_before(opened) + gate.quiet - EPS


def test_a_flood_of_starts_cannot_stall_stepping() -> None:
    gate = Recorded(quiet=0.1, longest=0.3)

    async def scenario() -> tuple[float, float]:
        async def flood() -> None:
            while True:
                gate.mark()
                await asyncio.sleep(0.01)

        flooding = asyncio.create_task(flood())
        await asyncio.sleep(0)
        began = time.monotonic()
        returned = await held(gate)
        flooding.cancel()
        return began, returned

    began, returned = asyncio.run(scenario())
    assert returned - began < gate.longest + 5.0  # never stalled for good
    quiet_gap = any(g >= gate.quiet for g in gate.gaps_before(returned))
    assert quiet_gap or returned - began >= gate.longest - EPS


def test_many_held_producers_share_one_timer() -> None:
    """A hundred producers held through a burst wake once each when it ends: the gate
    checks on one timer, about once per quiet period, not once per producer (polling
    would flood the very loop the starts need)."""
    gate = Recorded(quiet=1.0, longest=30.0)

    async def scenario() -> tuple[float, list[float]]:
        gate.mark()
        began = time.monotonic()
        waiters = [asyncio.create_task(held(gate)) for _ in range(100)]
        for _ in range(10):  # starts keep coming for a while
            await asyncio.sleep(0.05)
            gate.mark()
        return began, await asyncio.gather(*waiters)

    began, returned = asyncio.run(scenario())
    assert gate.held == 100 and len(returned) == 100
    for opened in gate.opened:  # let go only once starts were quiet
        assert opened >= gate.last_before(opened) + gate.quiet - EPS
    assert gate.checks <= (max(returned) - began) / gate.quiet + 3


def test_a_cancelled_producer_leaves_the_others_held() -> None:
    """Each held producer waits on a future of its own: cancelling one (its client went
    away) neither cancels nor releases the others early."""
    gate = Recorded(quiet=0.3, longest=30.0)

    async def scenario() -> tuple[bool, float]:
        gate.mark()
        first = asyncio.create_task(held(gate))
        second = asyncio.create_task(held(gate))
        await asyncio.sleep(0.02)
        first.cancel()
        returned = await second
        with contextlib.suppress(asyncio.CancelledError):
            await first
        return first.cancelled(), returned

    cancelled, returned = asyncio.run(scenario())
    assert cancelled
    assert returned >= gate.last_before(returned) + gate.quiet - EPS
