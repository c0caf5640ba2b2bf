"""Run requests -> core races, and race results -> JSON-ready dicts.

Shared by POST /api/run, POST /api/export, the WebSocket stream and the export CLI, so a
request means the same thing everywhere. Limits from the settings are checked here.
"""

from __future__ import annotations

from typing import Any

from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.runs import Race, RunSpec, Trajectory
from gradscape.core.surface import Surface
from gradscape.server.apischema import limited_default
from gradscape.server.config import Settings
from gradscape.server.encode import rows
from gradscape.server.errorcodes import CodedError
from gradscape.server.schemas import RunRequest, RunResult
from gradscape.server.surfaces import SurfaceResolver, as_jsonable, default_start


def check_limits(body: RunRequest, settings: Settings) -> None:
    limited_default(body, "steps", settings.max_steps)
    if body.steps > settings.max_steps:
        raise CodedError("limit.steps", steps=body.steps, limit=settings.max_steps)
    if len(body.runs) > settings.max_runs:
        raise CodedError("limit.runs", runs=len(body.runs), limit=settings.max_runs)


def run_specs(body: RunRequest, surface: Surface) -> list[RunSpec]:
    default = default_start(body.surface, surface)
    return [RunSpec(optimizer=r.optimizer,
                    start=(r.start[0], r.start[1]) if r.start else default,
                    params=dict(r.params), schedule=r.schedule,
                    schedule_params=dict(r.schedule_params), noise=r.noise,
                    batch_size=r.batch_size,
                    changes=tuple((c.step, dict(c.params)) for c in r.changes))
            for r in body.runs]


def build_race(body: RunRequest, settings: Settings,
               resolver: SurfaceResolver) -> tuple[Surface, Race]:
    """Validated race for a request, or ValueError saying what to change."""
    check_limits(body, settings)
    surface = resolver.resolve(body.surface)
    race = Race(surface, run_specs(body, surface), steps=body.steps, seed=body.seed,
                tolerance=body.tolerance, eigen=body.eigen)
    return surface, race


def resolved_params(optimizer: str, params: dict[str, Any]) -> dict[str, Any]:
    """The hyperparameters a run uses: the given ones with the defaults filled in."""
    hp = OPTIMIZERS[optimizer].validate(params)
    return {k: as_jsonable(v) for k, v in hp.items()}


def run_result(t: Trajectory, schedule: str) -> RunResult:
    return RunResult(
        optimizer=t.optimizer, params=resolved_params(t.optimizer, t.params), schedule=schedule,
        points=rows(t.points), values=rows(t.values), grads=rows(t.grads),
        updates=rows(t.updates), lrs=rows(t.lrs),
        inspector={k: rows(v) for k, v in t.inspector.items()},
        status=t.status, stop_step=t.stop_step,  # type: ignore[arg-type]
        eigenvalues=None if t.eigenvalues is None else rows(t.eigenvalues),
        eigenvectors=None if t.eigenvectors is None else rows(t.eigenvectors))
