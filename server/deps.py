"""Shared per-app state and the FastAPI dependencies that hand it to routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import anyio
from fastapi import Depends, Request

from gradscape.server.config import Settings
from gradscape.server.drain import Drain, register
from gradscape.server.fairshare import FairCompute
from gradscape.server.priority import StartGate
from gradscape.server.quotagate import HeavyRequests
from gradscape.server.streamguard import StreamSlots
from gradscape.server.surfaces import SurfaceResolver
from gradscape.server.workqueue import WorkQueue


@dataclass
class AppState:
    """Everything a request may need besides its body; built once per app by create_app."""

    settings: Settings
    resolver: SurfaceResolver
    # Streams step their races on a few threads of their own, so REST work in the default
    # thread pool (a basin map, say) never queues behind them, nor they behind it; the
    # threads are shared fairly between clients (server/fairshare.py).
    compute: FairCompute = field(init=False)
    slots: StreamSlots = field(init=False)  # open WebSocket streams, per client
    gate: StartGate = field(default_factory=StartGate)  # new races' first frames go first
    work: WorkQueue = field(init=False)  # heavy REST work, fair per client (server/heavy.py)
    # requests estimated as heavy: repeats over quota are refused unparsed (quotagate.py)
    heavy_requests: HeavyRequests = field(default_factory=HeavyRequests)
    # Parsing and compiling a formula is pure Python holding the GIL (compile() alone ~30 ms
    # for a long formula's Hessian): one thread does it for every stream start, so the event
    # loop competes with one such thread, not thirty (30 starts pushed /api/health to 1.2 s).
    compiler: anyio.CapacityLimiter = field(init=False)
    drain: Drain = field(default_factory=lambda: register(Drain()))  # SIGTERM's graceful exit

    def __post_init__(self) -> None:
        s = self.settings
        self.compiler = anyio.CapacityLimiter(1)
        self.work = WorkQueue(s.work_threads, s.queue_size, s.client_share, s.request_timeout)
        self.compute = FairCompute(s.compute_threads, s.stream_idle_credit)
        self.slots = StreamSlots(s.max_streams, s.max_streams_per_client, s.stream_reserve,
                                 s.stream_fair_share)

    @property
    def streams(self) -> int:
        """Open WebSocket streams in this process."""
        return self.slots.total

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        return cls(settings, SurfaceResolver(settings.formula_cache_size,
                                             settings.max_formula_length,
                                             settings.cache_bytes))


async def get_state(request: Request) -> AppState:
    # async: a plain def dependency is run on the thread pool, a thread hop per request
    # (under a flood of 429s, an eighth of the loop's time went to handing these over)
    state: AppState = request.app.state.gradscape
    return state


StateDep = Annotated[AppState, Depends(get_state)]
