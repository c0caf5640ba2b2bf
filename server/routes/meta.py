"""Health and limits: what a load balancer and the browser ask first."""

from __future__ import annotations

from fastapi import APIRouter, Response

from gradscape.core import __version__
from gradscape.core.gradcheck import PASS_BELOW
from gradscape.core.optimizers import default_runs
from gradscape.core.runs import MAX_CHANGES
from gradscape.core.surfaces import DEFAULT_START_FRACTION, START_DIGITS
from gradscape.server.config import MAX_SEED, MAX_SPEED, MIN_SPEED
from gradscape.server.deps import StateDep
from gradscape.server.schemas import DefaultRun, Health, Limits

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health,
            responses={503: {"model": Health, "description": "draining: send work elsewhere"}})
async def health(state: StateDep, response: Response) -> Health:
    """Liveness and readiness: answered from the event loop, so a slow answer means a blocked
    loop; 503 "draining" once SIGTERM has started the graceful exit (server/drain.py)."""
    if state.drain.draining:
        response.status_code = 503
        return Health(status="draining", version=__version__)
    return Health(status="ok", version=__version__)


@router.head("/health", response_class=Response,
             responses={200: {"description": "alive (no body)"}})
async def health_head() -> Response:
    """Liveness for load balancers, which health-check with HEAD."""
    return Response(status_code=200)


@router.get("/limits", response_model=Limits)
async def limits(state: StateDep) -> Limits:
    """The server's limits, so the browser can bound its sliders."""
    s = state.settings
    return Limits(max_steps=s.max_steps, max_runs=s.max_runs,
                  max_grid_resolution=s.max_grid_resolution,
                  max_basin_resolution=s.max_basin_resolution,
                  max_basin_steps=s.max_basin_steps, max_formula_length=s.max_formula_length,
                  max_message_bytes=s.max_message_bytes, frame_steps=s.frame_steps,
                  gradient_check_pass_below=PASS_BELOW,
                  default_start_fraction=list(DEFAULT_START_FRACTION),
                  default_start_digits=START_DIGITS,
                  max_changes=MAX_CHANGES, max_seed=MAX_SEED, min_speed=MIN_SPEED,
                  max_speed=MAX_SPEED,
                  default_runs=[DefaultRun.model_validate(r) for r in default_runs()])
