"""The start gate: producers hold their next chunk while starts are being served, for at
most `longest` seconds, and not at all when no start came in."""

from __future__ import annotations

import asyncio
import time

from server.priority import StartGate


def test_no_start_no_wait() -> None:
    gate = StartGate(quiet=5.0, longest=5.0)
    began = time.monotonic()
    asyncio.run(gate.wait())
    assert time.monotonic() - began < 1.0 and gate.held == 0


def test_waits_until_starts_are_quiet() -> None:
    gate = StartGate(quiet=0.2, longest=5.0)

    async def scenario() -> tuple[float, float]:
        gate.mark()
        began = time.monotonic()
        waiter = asyncio.create_task(gate.wait())
        await asyncio.sleep(0.1)
        gate.mark()  # another start: the quiet period begins again
        marked = time.monotonic()
        await waiter
        return time.monotonic() - began, time.monotonic() - marked

    total, since_last = asyncio.run(scenario())
    assert since_last >= 0.19 and total >= 0.29 and gate.held == 1


def test_a_flood_of_starts_cannot_stall_stepping() -> None:
    gate = StartGate(quiet=0.1, longest=0.3)

    async def scenario() -> float:
        async def flood() -> None:
            while True:
                gate.mark()
                await asyncio.sleep(0.01)

        flooding = asyncio.create_task(flood())
        await asyncio.sleep(0)
        began = time.monotonic()
        await gate.wait()
        waited = time.monotonic() - began
        flooding.cancel()
        return waited

    waited = asyncio.run(scenario())
    assert 0.29 <= waited < 2.0
