"""Whole races in one request, and basin-of-attraction maps."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Request

import gradscape.core as core
from gradscape.core.cancel import Check
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.optimizers import UNKNOWN as UNKNOWN_OPTIMIZER
from gradscape.core.status import FINAL_STATUSES
from gradscape.server import cost
from gradscape.server.apischema import limited_default
from gradscape.server.deps import StateDep
from gradscape.server.encode import rows
from gradscape.server.errorcodes import CodedError
from gradscape.server.heavy import heavy
from gradscape.server.races import build_race, run_result
from gradscape.server.routes import ERRORS, HEAVY
from gradscape.server.routes.analysis import critical_out
from gradscape.server.schemas import BasinRequest, BasinResponse, RunRequest, RunResponse

router = APIRouter(tags=["runs"], responses=ERRORS)

# sorted, as np.searchsorted needs
STATUS_NAMES = sorted(str(s) for s in FINAL_STATUSES)


@router.post("/run", response_model=RunResponse, responses=HEAVY)
async def run(request: Request, state: StateDep, body: RunRequest) -> RunResponse:
    """Race the optimizers to the end; for live animation use the /api/stream WebSocket."""
    estimate = cost.race(body, state.settings)

    def work(check: Check) -> RunResponse:
        _, race = build_race(body, state.settings, state.resolver)
        trajectories = race.run(check)
        return RunResponse(runs=[run_result(t, r.schedule)
                                 for t, r in zip(trajectories, body.runs, strict=True)])

    return await heavy(request, state, estimate, work)


@router.post("/basins", response_model=BasinResponse, responses=HEAVY)
async def basins(request: Request, state: StateDep, body: BasinRequest) -> BasinResponse:
    """Which critical point the optimizer reaches from every start of a grid."""
    s = state.settings
    limited_default(body, "resolution", s.max_basin_resolution)
    limited_default(body, "steps", s.max_basin_steps)
    if body.resolution > s.max_basin_resolution:
        raise CodedError("limit.over", field="resolution", value=body.resolution,
                         setting="GRADSCAPE_MAX_BASIN_RESOLUTION", limit=s.max_basin_resolution)
    if body.steps > s.max_basin_steps:
        raise CodedError("limit.over", field="steps", value=body.steps,
                         setting="GRADSCAPE_MAX_BASIN_STEPS", limit=s.max_basin_steps)
    spec = OPTIMIZERS.get(body.optimizer)
    if spec is None:
        raise UNKNOWN_OPTIMIZER(name=repr(body.optimizer), known=", ".join(OPTIMIZERS))
    spec.validate(body.params)  # names and ranges checked before any work
    estimate = cost.basins(body, state.settings)

    def work(check: Check) -> BasinResponse:
        surface = state.resolver.resolve(body.surface)
        found = state.resolver.critical_points(body.surface, surface, check)
        b = core.basins(surface, body.optimizer, steps=body.steps, resolution=body.resolution,
                        tolerance=body.tolerance, seed=body.seed, critical=found, check=check,
                        **body.params)
        codes = np.searchsorted(np.array(STATUS_NAMES), b.status)
        return BasinResponse(x=rows(b.xs), y=rows(b.ys), labels=b.labels.tolist(),
                             steps_taken=b.steps_taken.tolist(), status=codes.tolist(),
                             status_names=STATUS_NAMES, final_values=rows(b.final_values),
                             critical_points=[critical_out(cp) for cp in b.critical])

    return await heavy(request, state, estimate, work)
