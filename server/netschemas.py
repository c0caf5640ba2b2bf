"""Request and response models of the network routes (/api/network/*) and network streams.

The schema's bounds are core's hard ceilings; a server may be stricter (GRADSCAPE_MAX_NET_*),
which server/networks.py checks with a 422 naming the field and the setting. GET
/api/network/datasets reports the limits this server actually applies.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from gradscape.core.netdata import MAX_NOISE, MAX_SAMPLES
from gradscape.core.netrace import MAX_NET_RUNS
from gradscape.core.network import MAX_DEPTH, MAX_HESSIAN_PARAMS, MAX_WEIGHT_DECAY, MAX_WIDTH
from gradscape.core.slices import MAX_RESOLUTION, MIN_RESOLUTION
from gradscape.core.status import RunStatus
from gradscape.core.training import MAX_CHANGES, MAX_TRAIN_STEPS, network_optimizers
from gradscape.server.schemas import Finite, Num, Request, Seed, Value

NetDataset = Literal["moons", "circles", "spirals", "xor", "blobs", "sine"]
Activation = Literal["tanh", "relu", "sigmoid", "leaky_relu", "softplus"]
Plane = Literal["pca", "random", "hessian", "interpolate"]
def _integral(value: Any) -> Any:
    """2.0 is the width 2 (JSON Schema's "integer" allows it), as for the models' own fields
    (server/schemas.py Integral); 2.5 is still refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Width = Annotated[int, Field(ge=1, le=MAX_WIDTH), BeforeValidator(_integral)]


class NetworkSpec(Request):
    """An MLP on a synthetic data set: what `core.network_problem` takes."""

    dataset: NetDataset = Field(description="a data set from GET /api/network/datasets",
                                examples=["moons"])
    hidden: list[Width] = Field(default_factory=lambda: [16, 16], max_length=MAX_DEPTH,
                                description="hidden layer widths (GRADSCAPE_MAX_NET_LAYERS, "
                                            "GRADSCAPE_MAX_NET_WIDTH)")
    activation: Activation = "tanh"
    samples: int = Field(200, ge=2, le=MAX_SAMPLES, description="training samples "
                         "(GRADSCAPE_MAX_NET_SAMPLES)")
    test_samples: int = Field(200, ge=1, le=MAX_SAMPLES, description="held-out samples")
    noise: Finite | None = Field(None, ge=0.0, le=MAX_NOISE,
                                 description="null: the data set's default")
    seed: Seed = Field(0, description="data seed")
    weight_decay: Finite = Field(0.0, ge=0.0, le=MAX_WEIGHT_DECAY,
                                 description="λ of the L2 term (λ/2)‖θ‖²")
    classes: int | None = Field(None, ge=1, le=3, description="blobs: 2 or 3")


class NetRunChange(Request):
    step: int = Field(ge=1, le=MAX_TRAIN_STEPS, description="the iterate whose update first "
                      "uses these settings (at most the race's steps)")
    params: dict[str, Any] = Field(description="the hyperparameters that change")


class NetRunConfig(Request):
    # the enum is core's registry (entries with network_params), stated in the schema too
    optimizer: str = Field(examples=["adam"], description="an optimizer GET "
                           "/api/network/datasets lists (its `optimizers`)",
                           json_schema_extra={"enum": list(network_optimizers())})
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"lr": 0.01}])
    schedule: str = Field("constant", description="a schedule id from GET /api/schedules")
    schedule_params: dict[str, Any] = Field(default_factory=dict)
    batch_size: int | None = Field(None, ge=1, le=MAX_SAMPLES,
                                   description="mini-batch size; null: full batch")
    changes: list[NetRunChange] = Field(default_factory=list, max_length=MAX_CHANGES,
                                        description="mid-run changes, by rising step: a race "
                                                    "retuned by hand, replayed")


class NetRaceRequest(Request):
    """Several optimizers trained from one shared initialization."""

    network: NetworkSpec
    runs: list[NetRunConfig] = Field(min_length=1, max_length=MAX_NET_RUNS)
    steps: int = Field(300, ge=1, le=MAX_TRAIN_STEPS, description="updates per run "
                       "(GRADSCAPE_MAX_NET_STEPS)")
    init_seed: Seed = Field(0, description="seed of the shared initialization "
                                           "(torch.nn.Linear's default)")
    seed: Seed = Field(0, description="seed of the mini-batch reshuffles")
    sharpness_every: int = Field(0, ge=0, le=MAX_TRAIN_STEPS,
                                 description="sample λmax every k steps (0: never)")


class NetTrainRequest(NetRaceRequest):
    thetas: bool = Field(False, description="also return every iterate's parameters "
                                            "(steps + 1 rows of P numbers per run)")


class NetRunOut(BaseModel):
    optimizer: str
    params: dict[str, Value] = Field(description="the hyperparameters used, defaults filled in")
    schedule: str
    batch_size: int
    status: Literal[RunStatus.MAX_STEPS, RunStatus.DIVERGED]
    updates: int
    train_loss: list[Num] = Field(description="k + 1 values for k updates")
    test_loss: list[Num]
    train_acc: list[Num] | None = Field(description="null for regression")
    test_acc: list[Num] | None
    grad_norm: list[Num] = Field(description="k values: the gradient each update used")
    lrs: list[Num]
    epochs: list[Num]
    sharpness_steps: list[int]
    sharpness: list[Num]
    preconditioned: list[Num] | None
    threshold: list[Num]
    state_norms: dict[str, list[Num]] = Field(
        default_factory=dict, description="k values per torch.optim state buffer "
        "(momentum_buffer, sum, square_avg, grad_avg, exp_avg, exp_avg_sq, max_exp_avg_sq): "
        "its norm after each update")
    theta: list[Num] = Field(description="the last iterate")
    thetas: list[list[Num]] | None = None


class NetTrainResponse(BaseModel):
    n_params: int
    task: Literal["classification", "regression"]
    start: list[Num] = Field(description="the shared initialization")
    runs: list[NetRunOut]


class NetLandscapeRequest(NetRaceRequest):
    plane: Plane = Field("pca", description="pca | random (filter-normalized) | hessian | "
                                            "interpolate (first run's start to its end, or "
                                            "the first two runs' ends)")
    resolution: int = Field(51, ge=MIN_RESOLUTION, le=MAX_RESOLUTION,
                            description="points per side (GRADSCAPE_MAX_SLICE_RESOLUTION)")
    plane_seed: Seed = Field(0, description="seed of the random directions")


class ProjectedPathOut(BaseModel):
    coords: list[list[Num]] = Field(description="(a, b) per iterate, (a,) on a line")
    true_loss: list[Num]
    slice_loss: list[Num] = Field(description="the loss at each iterate's projection")
    distance: list[Num] = Field(description="distance of each iterate from the plane")


class NetLandscapeResponse(BaseModel):
    plane: str
    resolution: int
    xs: list[Num]
    ys: list[Num] | None
    loss: list[list[Num]] | list[Num] = Field(description="loss[j][i] at (xs[i], ys[j]); a "
                                                     "list for a line")
    explained_variance: list[Num] | None
    paths: list[ProjectedPathOut]


class NetExportRequest(NetLandscapeRequest):
    """A network scene as a file (POST /api/network/export): the race trained again and
    its slice on `plane`, as a standalone plotly page (PNG, SVG, GIF and CSV are made in the
    browser from what it shows)."""

    resolution: int = Field(41, ge=MIN_RESOLUTION, le=MAX_RESOLUTION,
                            description="slice points per side (the page's default)")
    format: Literal["html"] = "html"
    title: str | None = Field(None, max_length=200)


class NetSpectrumRequest(Request):
    network: NetworkSpec
    theta: list[Finite] | None = Field(None, max_length=MAX_HESSIAN_PARAMS,
                                       description="the point; null: the initialization "
                                                   "trained `steps` updates")
    run: NetRunConfig | None = Field(None, description="the optimizer that trains to `steps`")
    steps: int = Field(0, ge=0, le=MAX_TRAIN_STEPS)
    init_seed: Seed = 0
    seed: Seed = 0


class NetSpectrumResponse(BaseModel):
    n_params: int
    eigenvalues: list[Num] = Field(description="every eigenvalue of the Hessian, ascending")
    lambda_max: Num
    lambda_min: Num
    positive: int
    negative: int
    min_ratio: Num = Field(description="positive eigenvalues / all: 1 at a strict minimum")
    loss: Num
    grad_norm: Num


class NetOptionOut(BaseModel):
    default: Value
    minimum: float | None = None
    maximum: float | None = None
    choices: list[Value] | None = None


class NetPreviewOut(BaseModel):
    x: list[list[float]] = Field(description="inputs of a few samples (x1, x2; one number for "
                                                  "a 1D regression)")
    y: list[float] = Field(description="their labels (classification) or targets")


class NetDatasetOut(BaseModel):
    id: str
    task: Literal["classification", "regression"]
    options: dict[str, NetOptionOut]
    description: dict[str, str] = Field(description="{\"en\": ..., \"zh\": ...}")
    preview: NetPreviewOut = Field(description="a thumbnail's worth of the data set's own "
                                               "samples (default noise, seed 0)")


class NetDatasetsResponse(BaseModel):
    datasets: list[NetDatasetOut]
    activations: list[str]
    optimizers: list[str]
    optimizer_defaults: dict[str, dict[str, float]] = Field(
        description="each optimizer's first settings for a network")
    default_request: NetRaceRequest = Field(description="the race a bare mode=network link "
                                                        "opens")
    planes: list[str]
    limits: dict[str, int] = Field(description="this server's GRADSCAPE_MAX_NET_* and "
                                               "GRADSCAPE_MAX_SLICE_RESOLUTION values")
