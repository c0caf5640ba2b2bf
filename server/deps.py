"""Shared per-app state and the FastAPI dependencies that hand it to routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import anyio
from fastapi import Depends, Request

from gradscape.server.config import Settings
from gradscape.server.priority import StartGate
from gradscape.server.surfaces import SurfaceResolver


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

    def __post_init__(self) -> None:
        self.compute = anyio.CapacityLimiter(self.settings.compute_threads)

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        return cls(settings, SurfaceResolver(settings.formula_cache_size,
                                             settings.max_formula_length))


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gradscape
    return state


StateDep = Annotated[AppState, Depends(get_state)]
