"""Shared per-app state and the FastAPI dependencies that hand it to routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import anyio
from fastapi import Depends, Request

from gradscape.server.config import Settings
from gradscape.server.drain import Drain, register
from gradscape.server.priority import StartGate
from gradscape.server.surfaces import SurfaceResolver
from gradscape.server.workqueue import WorkQueue


@dataclass
class AppState:
    """Everything a request may need besides its body; built once per app by create_app."""

    settings: Settings
    resolver: SurfaceResolver
    # Streams step their races on a few threads of their own, so REST work in the default
    # thread pool (a basin map, say) never queues behind them, nor they behind it.
    compute: anyio.CapacityLimiter = field(init=False)
    streams: int = 0  # open WebSocket streams in this process
    gate: StartGate = field(default_factory=StartGate)  # new races' first frames go first
    work: WorkQueue = field(init=False)  # heavy REST work, fair per client (server/heavy.py)
    # Parsing and compiling a formula is pure Python holding the GIL (compile() alone ~30 ms
    # for a long formula's Hessian): one thread does it for every stream start, so the event
    # loop competes with one such thread, not thirty (30 starts pushed /api/health to 1.2 s).
    compiler: anyio.CapacityLimiter = field(init=False)
    drain: Drain = field(default_factory=lambda: register(Drain()))  # SIGTERM's graceful exit

    def __post_init__(self) -> None:
        self.compute = anyio.CapacityLimiter(self.settings.compute_threads)
        self.compiler = anyio.CapacityLimiter(1)
        s = self.settings
        self.work = WorkQueue(s.work_threads, s.queue_size, s.client_share, s.request_timeout)

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        return cls(settings, SurfaceResolver(settings.formula_cache_size,
                                             settings.max_formula_length,
                                             settings.cache_bytes))


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gradscape
    return state


StateDep = Annotated[AppState, Depends(get_state)]
