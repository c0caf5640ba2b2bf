"""The surface catalogue, the data sets, and surface grids for plotting."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path, Query, Request

from gradscape.core.cancel import Check
from gradscape.core.datasets import DATASETS
from gradscape.core.surfaces import SURFACES
from gradscape.server import catalogtext as words
from gradscape.server import cost
from gradscape.server.apischema import limited_default
from gradscape.server.deps import StateDep
from gradscape.server.encode import num, rows
from gradscape.server.errorcodes import CodedError
from gradscape.server.hant import with_hant
from gradscape.server.heavy import heavy
from gradscape.server.routes import ERRORS, HEAVY
from gradscape.server.schemas import (
    DatasetInfo,
    ErrorResponse,
    GradientFieldOut,
    GridRequest,
    GridResponse,
    KnownPointOut,
    OptionInfo,
    SurfaceInfo,
    SurfaceRef,
)
from gradscape.server.surfaces import default_start

router = APIRouter(tags=["surfaces"], responses=ERRORS)


@router.get("/surfaces", response_model=list[SurfaceInfo])
def list_surfaces() -> list[SurfaceInfo]:
    """Every registered surface with its teaching note and known critical points."""
    return [
        SurfaceInfo(
            id=s.id, name=s.name, formula=s.formula, bounds=list(s.bounds), kind=s.kind,
            names=words.name("surface", s.id, s.name),
            kind_names=words.name("kind", s.kind, s.kind),
            description=with_hant(s.description), start=list(s.start),
            global_minimum=None if s.global_minimum is None else num(s.global_minimum),
            critical_points=[KnownPointOut(point=list(p.point), kind=p.kind, value=num(p.value))
                             for p in s.critical_points],
        )
        for s in SURFACES.values()
    ]


@router.get("/datasets", response_model=list[DatasetInfo])
def list_datasets() -> list[DatasetInfo]:
    """Data-set surfaces (a tiny model's loss over (w, b)) and their options."""
    return [
        DatasetInfo(
            id=d.id, name=d.name, names=words.name("dataset", d.id, d.name), formula=d.formula,
            description=with_hant(d.description),
            options={name: OptionInfo(default=o.default, choices=list(o.choices) or None,
                                      minimum=o.minimum, maximum=o.maximum, doc=o.doc,
                                      labels=words.name("option", name, name),
                                      docs=words.name("optionDoc", name, o.doc),
                                      choice_names={str(c): words.name("choice", str(c), str(c))
                                                    for c in o.choices} or None)
                     for name, o in d.options.items()},
        )
        for d in DATASETS.values()
    ]


async def _grid(request: Request, state: StateDep, ref: SurfaceRef,
                resolution: int) -> GridResponse:
    limit = state.settings.max_grid_resolution
    if resolution > limit:
        raise CodedError("limit.over", field="resolution", value=resolution,
                         setting="GRADSCAPE_MAX_GRID_RESOLUTION", limit=limit)
    estimate = cost.grid(ref, resolution, state.settings)

    def work(check: Check) -> GridResponse:
        surface = state.resolver.resolve(ref)
        xs, ys, Z = surface.grid(resolution, check)
        fx, fy, GX, GY = surface.gradient_field(cost.FIELD_LATTICE, check)
        field = GradientFieldOut(x=rows(fx), y=rows(fy), gx=rows(GX), gy=rows(GY))
        return GridResponse(x=rows(xs), y=rows(ys), z=rows(Z), bounds=list(surface.bounds),
                            field=field, start=list(default_start(ref, surface)))

    return await heavy(request, state, estimate, work)


@router.get("/surfaces/{surface_id}/grid", response_model=GridResponse,
            responses={404: {"model": ErrorResponse, "description": "no such surface"},
                       **HEAVY})
async def surface_grid(request: Request, state: StateDep,
                 surface_id: str = Path(description="a registered surface or data-set id"),
                 resolution: int | None = Query(
                     None, ge=2, le=2000, description="grid points per side (default 100, "
                     "or this server's limit if lower)")) -> GridResponse:
    """f on a resolution x resolution grid over the surface's bounds."""
    if surface_id not in SURFACES and surface_id not in DATASETS:
        raise HTTPException(404, f"no surface {surface_id!r}; GET /api/surfaces lists them")
    if resolution is None:
        resolution = min(GridRequest.model_fields["resolution"].default,
                         state.settings.max_grid_resolution)
    return await _grid(request, state, surface_id, resolution)


@router.post("/grid", response_model=GridResponse, responses=HEAVY)
async def grid(request: Request, state: StateDep, body: GridRequest) -> GridResponse:
    """f on a grid for any surface spec (a typed formula, a data set with options, ...)."""
    limited_default(body, "resolution", state.settings.max_grid_resolution)
    return await _grid(request, state, body.surface, body.resolution)
