"""Pydantic models for every request and response body (the OpenAPI schema is built from them).

Requests refuse unknown fields and non-finite numbers, so a typo gets a 422 that names it.
Limits that depend on the settings (steps, resolution, formula length) are checked where the
request is served, with messages that say what to change.

Responses carry numbers as `float | None`: a non-finite value (a surface overflowing far out
in its bounds) goes out as JSON null, never as a 500 or as invalid JSON.

`dict[str, Any]` marks free-form JSON on purpose: in requests, hyperparameters and options,
whose names and values depend on the optimizer or data set and are checked by core's
registries (a 422 names the bad key); in answers, JSON Schema documents and a 422's list of
validation errors (pydantic's, as FastAPI gives them).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from gradscape.core import runs as core_runs
from gradscape.core.critical import Curvature, Kind, PointKind
from gradscape.core.formula import MAX_LENGTH as CORE_MAX_FORMULA_LENGTH
from gradscape.core.status import RunStatus
from gradscape.server.config import MAX_SEED

# Requests are strict: 1 is a number but true and "1" are not, and arrays have fixed lengths
# (lists rather than tuples, so the schema says minItems/maxItems instead of prefixItems).
Finite = Annotated[float, Field(allow_inf_nan=False)]
Point = Annotated[list[Finite], Field(min_length=2, max_length=2, description="(x, y)")]
Bounds = Annotated[list[Finite], Field(min_length=4, max_length=4,
                                       description="(xmin, xmax, ymin, ymax)")]
Num = float | None  # outgoing numbers: null where the math gave inf or nan
# An outgoing hyperparameter or option value: a number, a flag, a name or a pair of numbers
# (Adam's betas). bool first: pydantic's smart unions keep true as true, 1 as 1.
Value = bool | int | float | str | list[float]
Pair = Annotated[list[float], Field(min_length=2, max_length=2)]
Box = Annotated[list[float], Field(min_length=4, max_length=4,
                                   description="(xmin, xmax, ymin, ymax)")]

Seed = Annotated[int, Field(ge=0, le=MAX_SEED, description="random seed (reproducible runs)")]


class Integral(BaseModel):
    """19247.0 is accepted for an integer field as 19247: JSON Schema's "integer" allows it,
    and some clients write every number as a float. 19247.5 is still refused."""

    @model_validator(mode="before")
    @classmethod
    def _integral_floats(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        names = _integer_fields(cls)
        fixed = {k: int(v) for k, v in data.items()
                 if k in names and isinstance(v, float) and v.is_integer()}
        return {**data, **fixed} if fixed else data


@cache
def _integer_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, f in model.model_fields.items()
                     if f.annotation is int or int in get_args(f.annotation))


class Request(Integral):
    model_config = ConfigDict(extra="forbid", strict=True)


# --- surfaces ---------------------------------------------------------------------------------
class FormulaSurface(Request):
    formula: str = Field(min_length=1, max_length=CORE_MAX_FORMULA_LENGTH,
                         description="f(x, y) as typed, e.g. (1 - x)^2 + 100*(y - x^2)^2",
                         examples=["(1 - x)^2 + 100*(y - x^2)^2"])
    bounds: Bounds | None = None


class DatasetSurface(Request):
    dataset: str = Field(description="a data-set id from GET /api/datasets",
                         examples=["linear_regression"])
    options: dict[str, Any] = Field(default_factory=dict,
                                    description="data-set options, e.g. {\"standardize\": true}")
    bounds: Bounds | None = None


def _surface_kind(value: Any) -> str:
    """Which form a surface spec takes, so a mistake is reported against that form only."""
    if isinstance(value, dict):
        return "dataset" if "dataset" in value else "formula"
    if isinstance(value, DatasetSurface):
        return "dataset"
    return "formula" if isinstance(value, FormulaSurface) else "id"


SurfaceRef = Annotated[
    Annotated[str, Tag("id")] | Annotated[FormulaSurface, Tag("formula")]
    | Annotated[DatasetSurface, Tag("dataset")],
    Discriminator(_surface_kind),
    Field(description="a registered surface id (GET /api/surfaces), a data-set id, "
                      "{\"formula\": ..., \"bounds\": [...]} or "
                      "{\"dataset\": id, \"options\": {...}}",
          examples=["himmelblau"]),
]


class KnownPointOut(BaseModel):
    point: Pair
    kind: str
    value: Num


class SurfaceInfo(BaseModel):
    id: str
    name: str
    formula: str
    bounds: Box
    kind: str
    names: dict[str, str] = Field(description="{en, zh, zh-Hant}")
    kind_names: dict[str, str] = Field(description="the kind in words: {en, zh, zh-Hant}")
    description: dict[str, str] = Field(description="teaching note: {\"en\": ..., \"zh\": ...}")
    critical_points: list[KnownPointOut]
    start: Pair = Field(description="a starting point that shows the lesson")
    global_minimum: Num


class OptionInfo(BaseModel):
    default: Value
    choices: list[Value] | None = None
    minimum: float | None = None
    maximum: float | None = None
    doc: str
    labels: dict[str, str] = Field(description="the option's name: {en, zh, zh-Hant}")
    docs: dict[str, str] = Field(description="{en, zh, zh-Hant}")
    choice_names: dict[str, dict[str, str]] | None = Field(
        None, description="each choice in words, by its value")


class DatasetInfo(BaseModel):
    id: str
    name: str
    names: dict[str, str] = Field(description="{en, zh, zh-Hant}")
    formula: str
    options: dict[str, OptionInfo]
    description: dict[str, str]


class GridRequest(Request):
    surface: SurfaceRef
    resolution: int = Field(100, ge=2, le=2000, description="grid points per side")


class GradientFieldOut(BaseModel):
    x: list[float] = Field(description="lattice x: the centres of equal columns of the bounds")
    y: list[float] = Field(description="lattice y: the centres of equal rows of the bounds")
    gx: list[list[Num]] = Field(description="gx[i][j] = ∂f/∂x at (x[j], y[i]), exact (core)")
    gy: list[list[Num]] = Field(description="gy[i][j] = ∂f/∂y at (x[j], y[i]), exact (core)")


class GridResponse(BaseModel):
    x: list[float]
    y: list[float]
    z: list[list[Num]] = Field(description="z[i][j] = f(x[j], y[i]); null where non-finite")
    bounds: Box
    field: GradientFieldOut = Field(
        description="exact gradients on a coarse lattice, for the downhill-arrow overlay")
    start: Pair = Field(description="where a run without a start begins on this surface (the "
                        "registered surface's start, else the default fraction of the bounds: "
                        "core.surfaces.default_start)")


class FormulaRequest(Request):
    formula: str = Field(max_length=CORE_MAX_FORMULA_LENGTH,
                         examples=["(x^2 + y - 11)^2 + (x + y^2 - 7)^2"])
    bounds: Bounds | None = None


class FormulaResponse(BaseModel):
    formula: str = Field(description="the formula as typed (trimmed)")
    canonical: str = Field(description="fully parenthesised text that parses to the same tree")
    bounds: Box
    nodes: int = Field(description="nodes in the expression graph")


class ErrorResponse(BaseModel):
    detail: str = Field(description="what is wrong and what to change")
    column: int | None = Field(None, description="1-based column of a formula error")
    errors: list[dict[str, Any]] | None = Field(
        None, description="per-field problems of a request that failed validation")
    retry_after: int | None = Field(None, description="429 and 503: seconds to wait before "
                                                      "trying again (also in Retry-After)")


# --- analysis ---------------------------------------------------------------------------------
class PointRequest(Request):
    surface: SurfaceRef
    point: Point


class AnalyzeResponse(BaseModel):
    point: Pair
    value: Num
    grad: list[Num] = Field(description="exact gradient (reverse-mode autodiff)")
    numeric_grad: list[Num] = Field(description="centred differences")
    grad_rel_error: Num = Field(description="relative error between the two (the worse axis)")
    grad_check_passed: bool = Field(
        description="the gradient check's verdict on grad_rel_error (core.gradcheck.passes)")
    hessian: list[list[Num]]
    eigenvalues: list[Num] = Field(description="of the Hessian, ascending")
    eigenvectors: list[list[Num]] = Field(description="unit eigenvectors as columns")
    kind: PointKind = Field(
        description="what the second-order test says if the gradient vanishes here, "
                    "else regular")
    curvature: Curvature = Field(description="the Hessian's definiteness")


class CriticalRequest(Request):
    surface: SurfaceRef


class CriticalPointOut(BaseModel):
    point: list[Num]
    kind: Kind
    value: Num
    eigenvalues: list[Num]
    eigenvectors: list[list[Num]]
    isolated: bool = True


class CriticalResponse(BaseModel):
    critical_points: list[CriticalPointOut]


class GraphNodeOut(BaseModel):
    id: int
    op: str
    label: str
    value: Num = Field(description="forward value; null for data columns")
    grad: Num = Field(description="d f / d node; null where f does not depend on it")
    inputs: list[int]
    note: str
    notes: dict[str, str] = Field(description="the note in each language: {en, zh, zh-Hant}")


class GraphResponse(BaseModel):
    nodes: list[GraphNodeOut]
    edges: list[Annotated[list[int], Field(min_length=2, max_length=2)]] = Field(
        description="(from input, to user)")
    output: int


# --- optimizers and schedules ---------------------------------------------------------------
class OptimizerInfo(BaseModel):
    id: str
    name: str
    names: dict[str, str] = Field(description="{en, zh, zh-Hant}")
    family: str = Field(description="plain, adaptive, newton or search: how the inspector "
                                    "writes its update")
    # A JSON Schema document (server/routes/optimizers.py), itself free-form JSON: Any.
    params: dict[str, Any] = Field(description="JSON Schema of the hyperparameters, with "
                                               "defaults and bounds")
    rule: str = Field(description="the update rule in LaTeX")
    rules: dict[str, str] = Field(description="the rule with its words in each language")
    rule_mathml: list[str] = Field(description="the update rule as MathML, one <math> element "
                                               "per equation (server/mathml.py)")
    rule_mathmls: dict[str, list[str]] = Field(
        description="rule_mathml made from each language's rule ({en, zh, zh-Hant})")
    needs_hessian: bool
    playground_lr: float | None = Field(
        description="the learning rate a run of this optimizer starts with on the page "
                    "(torch's defaults are tuned for networks); null: the lr default")


class ScheduleInfo(BaseModel):
    id: str
    name: str
    names: dict[str, str] = Field(description="{en, zh, zh-Hant}")
    # A JSON Schema document, as for OptimizerInfo: Any.
    params: dict[str, Any] = Field(description="JSON Schema of the schedule's parameters")
    formula: str = Field(description="η(t) in LaTeX")
    formula_mathml: list[str] = Field(description="η(t) as MathML, one <math> per equation")
    torch: str = Field(description="the torch.optim.lr_scheduler it equals")


class ScheduleCurveRequest(Request):
    schedule: str = Field(examples=["cosine"])
    params: dict[str, Any] = Field(default_factory=dict)
    lr: Finite = Field(0.01, gt=0.0, le=1e3, description="base learning rate η")
    steps: int = Field(500, ge=1, le=100_000)


class ScheduleCurveResponse(BaseModel):
    lrs: list[Num] = Field(description="η(t) for t = 1..steps")


# --- runs -------------------------------------------------------------------------------------
class RunChange(Request):
    step: int = Field(ge=1, le=core_runs.MAX_STEPS, description="the path index whose "
                      "update first uses these settings (a live `set` reply's step)")
    params: dict[str, Any] = Field(description="the hyperparameters that change")


class RunConfig(Request):
    optimizer: str = Field(description="an optimizer id from GET /api/optimizers",
                           examples=["adam"])
    params: dict[str, Any] = Field(default_factory=dict, description="hyperparameters; "
                                   "missing ones take their defaults", examples=[{"lr": 0.05}])
    schedule: str = Field("constant", description="a schedule id from GET /api/schedules")
    schedule_params: dict[str, Any] = Field(default_factory=dict)
    noise: Finite = Field(0.0, ge=0.0, le=1e6, description="std of Gaussian noise added to "
                          "the gradient (analytic surfaces)")
    batch_size: int | None = Field(None, ge=1, description="mini-batch size (data-set "
                                   "surfaces); null: every sample")
    start: Point | None = Field(None, description="start point; default: the surface's "
                                "suggested start")
    changes: list[RunChange] = Field(default_factory=list, max_length=core_runs.MAX_CHANGES,
                                     description="mid-run changes to replay, by rising step "
                                     "(a race retuned live, reproduced by a link or export)")


class RunRequest(Request):
    surface: SurfaceRef
    steps: int = Field(500, ge=1, le=core_runs.MAX_STEPS)
    runs: list[RunConfig] = Field(min_length=1, max_length=core_runs.MAX_RUNS)
    seed: Seed = 0
    tolerance: Finite = Field(core_runs.DEFAULT_TOLERANCE, ge=0.0, lt=1.0,
                              description="converged when |g| and the last step are below it")
    eigen: bool = Field(False, description="also return the Hessian's eigen-decomposition "
                                           "at every point")


class RunResult(BaseModel):
    optimizer: str
    params: dict[str, Value] = Field(description="the hyperparameters used, defaults filled in")
    schedule: str
    points: list[list[Num]] = Field(description="k+1 points for k steps")
    values: list[Num]
    grads: list[list[Num]] = Field(description="the gradient used at each point")
    updates: list[list[Num]]
    lrs: list[Num]
    inspector: dict[str, list[list[Num]]] = Field(
        description="per step: m (direction), sigma (per-parameter scale), step")
    status: RunStatus
    stop_step: int
    eigenvalues: list[list[Num]] | None = None
    eigenvectors: list[list[list[Num]]] | None = None


class RunResponse(BaseModel):
    runs: list[RunResult]


class BasinRequest(Request):
    surface: SurfaceRef
    optimizer: str = Field(examples=["sgd"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"lr": 0.01}])
    steps: int = Field(500, ge=1, le=core_runs.MAX_STEPS)
    resolution: int = Field(100, ge=2, le=400, description="starts per side")
    tolerance: Finite = Field(1e-6, gt=0.0, lt=1.0)
    seed: Seed = 0


class BasinResponse(BaseModel):
    x: list[float]
    y: list[float]
    labels: list[list[int]] = Field(description="index into critical_points reached from "
                                                "(x[j], y[i]), -1 for none")
    steps_taken: list[list[int]]
    status: list[list[int]] = Field(description="index into status_names")
    status_names: list[str]
    final_values: list[list[Num]]
    critical_points: list[CriticalPointOut]


# --- export -----------------------------------------------------------------------------------
class ExportRequest(RunRequest):
    format: Literal["html", "csv"] = "html"
    title: str | None = Field(None, max_length=200)


# --- misc -------------------------------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok", "draining"]
    version: str


class DefaultRun(BaseModel):
    optimizer: str
    params: dict[str, float] = Field(description="what the run sets ({lr: ...}); the "
                                                 "optimizer's defaults fill in the rest")


class Limits(BaseModel):
    max_steps: int
    max_runs: int
    max_grid_resolution: int
    max_basin_resolution: int
    max_basin_steps: int
    max_formula_length: int
    max_message_bytes: int
    frame_steps: int
    # core's shared rules, so the browser applies the same ones (not limits, but read first)
    gradient_check_pass_below: float = Field(
        description="a gradient check passes when the relative error is below this "
                    "(core.gradcheck.PASS_BELOW)")
    default_start_fraction: list[float] = Field(
        description="a run with no suggested start begins this fraction of the way across "
                    "the bounds in x and in y (core.surfaces.DEFAULT_START_FRACTION)")
    default_start_digits: int = Field(
        description="significant digits the default start is rounded to")
    max_changes: int = Field(description="mid-run changes per run")
    max_seed: int = Field(description="largest random seed a request or link may use")
    min_speed: float = Field(description="slowest playback speed a link may ask for")
    max_speed: float = Field(description="fastest playback speed a link may ask for")
    default_runs: list[DefaultRun] = Field(
        description="the runs of a scene that names none (a link without r=): "
                    "core.optimizers.DEFAULT_RACE, each at its playground learning rate")
