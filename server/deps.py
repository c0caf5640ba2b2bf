"""Shared per-app state and the FastAPI dependencies that hand it to routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from server.config import Settings
from server.fairshare import FairCompute
from server.priority import StartGate
from server.streamguard import StreamSlots
from server.surfaces import SurfaceResolver


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

    def __post_init__(self) -> None:
        s = self.settings
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
                                             settings.max_formula_length))


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gradscape
    return state


StateDep = Annotated[AppState, Depends(get_state)]
