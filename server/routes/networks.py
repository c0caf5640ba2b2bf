"""Tiny real networks over REST: train runs from one initialization, with their curves, the
sharpness along training, one shared loss-landscape slice with the projected paths, and a
decision-boundary grid for the browser. The work is core's; this module validates the
request against the server's GRADSCAPE_* limits and encodes the result (non-finite -> null).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter
from pydantic import Field

import core
from core.netdata import NET_DATASETS
from core.network import ACTIVATIONS, MAX_HESSIAN_PARAMS, NetworkProblem, network_problem
from core.slices import PLANES
from core.training import NETWORK_OPTIMIZERS, TrainResult
from server.config import Settings
from server.deps import StateDep
from server.routes import ERRORS
from server.schemas import Finite, Request, Seed

router = APIRouter(tags=["networks"], responses=ERRORS)

BOUNDARY_MARGIN = 0.25  # the decision-boundary grid reaches this far beyond the data


class NetworkSpec(Request):
    dataset: str = Field(description=f"one of {sorted(NET_DATASETS)}", examples=["moons"])
    hidden: list[int] = Field(default_factory=lambda: [16, 16], max_length=4,
                              description="hidden layer widths (0 to 4 layers of 1..64)")
    activation: str = Field("tanh", description=f"one of {list(ACTIVATIONS)}")
    samples: int = Field(200, description="training samples")
    test_samples: int = Field(200, description="held-out test samples")
    noise: Finite | None = Field(None, description="noise of the data (default per data set)")
    seed: Seed = 0
    weight_decay: Finite = Field(0.0, description="λ of the (λ/2)‖θ‖² term in the loss")
    classes: int | None = Field(None, description="2 or 3, for blobs")


class NetworkRun(Request):
    optimizer: str = Field(description=f"one of {list(NETWORK_OPTIMIZERS)}")
    params: dict[str, Any] = Field(default_factory=dict, description="its hyperparameters")
    schedule: str = "constant"
    schedule_params: dict[str, Any] = Field(default_factory=dict)
    batch_size: int | None = Field(None, description="mini-batch size; null: full batch")


class NetworkTrainRequest(Request):
    network: NetworkSpec
    runs: list[NetworkRun] = Field(min_length=1, description="raced from one initialization")
    steps: int = Field(200, ge=1)
    init_seed: Seed = Field(0, description="seed of the shared initialization")
    seed: Seed = Field(0, description="seed of the mini-batch order")
    sharpness_every: int = Field(0, ge=0, description="λmax every k steps (0: none)")
    plane: Literal["pca", "random", "hessian", "interpolate"] = "pca"
    resolution: int = Field(25, ge=3, description="slice points per side")
    boundary_resolution: int = Field(41, ge=2, le=101,
                                     description="decision-boundary grid points per side")
    spectrum: bool = Field(False, description="the full Hessian spectrum at each run's end")


def clean(a: Any) -> Any:
    """Nested lists of floats with inf/nan as None (JSON has no such numbers)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        v = float(arr)
        return v if math.isfinite(v) else None
    out = arr.astype(object)
    out[~np.isfinite(arr)] = None
    return out.tolist()


def _limits(body: NetworkTrainRequest, s: Settings) -> None:
    """The server's limits, checked before any work, each naming the field to change."""
    net = body.network
    for name, value in (("samples", net.samples), ("test_samples", net.test_samples)):
        if value > s.max_network_samples:
            raise ValueError(f"Invalid network.{name}: {value} is above this server's limit "
                             f"of {s.max_network_samples}")
    if body.steps > s.max_network_steps:
        raise ValueError(f"Invalid steps: {body.steps} is above this server's limit of "
                         f"{s.max_network_steps}")
    if len(body.runs) > s.max_network_runs:
        raise ValueError(f"Invalid runs: {len(body.runs)} runs; this server takes at most "
                         f"{s.max_network_runs}")
    if body.resolution > s.max_slice_resolution:
        raise ValueError(f"Invalid resolution: {body.resolution} is above this server's limit "
                         f"of {s.max_slice_resolution}")
    if body.sharpness_every and body.steps // body.sharpness_every + 1 > \
            s.max_sharpness_samples:
        raise ValueError(f"Invalid sharpness_every: {body.sharpness_every} gives more than "
                         f"{s.max_sharpness_samples} samples; sample less often")


def _problem(body: NetworkTrainRequest, s: Settings) -> NetworkProblem:
    spec = body.network.model_dump()
    prob = network_problem(**{**spec, "hidden": tuple(spec["hidden"])})
    if prob.n_params > s.max_network_params:
        raise ValueError(f"Invalid network.hidden: {prob.n_params} parameters is above this "
                         f"server's limit of {s.max_network_params}; use fewer or narrower "
                         "layers")
    if body.spectrum and prob.n_params > MAX_HESSIAN_PARAMS:
        raise ValueError(f"Invalid spectrum: a full spectrum needs at most "
                         f"{MAX_HESSIAN_PARAMS} parameters (this network has {prob.n_params})")
    return prob


def _boundary(prob: NetworkProblem, thetas: list[np.ndarray], res: int) -> dict[str, Any]:
    """Each run's predictions on a grid over the data: class probabilities (R, R, C) for the
    2D sets, values (R,) along the input for the 1D regression."""
    X = np.concatenate([prob.X, prob.X_test])
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = BOUNDARY_MARGIN * np.maximum(hi - lo, 1e-9)
    axes = [np.linspace(a - p, b + p, res) for a, b, p in zip(lo, hi, pad, strict=True)]
    if X.shape[1] == 1:
        grid = axes[0][:, None]
        preds = [prob.predict(t, grid) for t in thetas]
        return {"xs": clean(axes[0]), "ys": None, "values": [clean(p) for p in preds]}
    gx, gy = np.meshgrid(axes[0], axes[1])
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    preds = [prob.predict(t, grid).reshape(res, res, -1) for t in thetas]
    return {"xs": clean(axes[0]), "ys": clean(axes[1]), "values": [clean(p) for p in preds]}


def _run_out(tr: TrainResult, path: Any, spectrum: Any) -> dict[str, Any]:
    return {
        "optimizer": tr.optimizer, "params": {k: list(v) if isinstance(v, tuple) else v
                                              for k, v in tr.params.items()},
        "status": tr.status, "updates": tr.updates, "batch_size": tr.batch_size,
        "train_loss": clean(tr.train_loss), "test_loss": clean(tr.test_loss),
        "train_acc": None if tr.train_acc is None else clean(tr.train_acc),
        "test_acc": None if tr.test_acc is None else clean(tr.test_acc),
        "grad_norm": clean(tr.grad_norm), "lrs": clean(tr.lrs), "epochs": clean(tr.epochs),
        "sharpness": {"steps": tr.sharpness_steps.tolist(), "lambda_max": clean(tr.sharpness),
                      "preconditioned": None if tr.preconditioned is None
                      else clean(tr.preconditioned),
                      "threshold": clean(tr.threshold), "hvps": tr.hvps},
        "path": {"coords": clean(path.coords), "true_loss": clean(path.true_loss),
                 "slice_loss": clean(path.slice_loss), "error": clean(path.error),
                 "distance": clean(path.distance)},
        "spectrum": spectrum,
    }


@router.post("/network/train")
def train(state: StateDep, body: NetworkTrainRequest) -> dict[str, Any]:
    """Train the runs from one initialization and slice the loss through their paths."""
    s = state.settings
    _limits(body, s)
    prob = _problem(body, s)
    start = prob.init(body.init_seed)
    results = [core.train(prob, r.optimizer, body.steps, start, r.batch_size, body.seed,
                          schedule=r.schedule, schedule_params=r.schedule_params,
                          sharpness_every=body.sharpness_every, **r.params)
               for r in body.runs]
    plane = body.plane if body.plane in PLANES else "pca"
    sl = core.landscape(prob, results, plane=plane, resolution=body.resolution, seed=body.seed)
    spectra: list[Any] = [None] * len(results)
    if body.spectrum:
        spectra = []
        for tr in results:
            sp = core.hessian_spectrum(prob, tr.thetas[-1])
            spectra.append({"eigenvalues": clean(sp.eigenvalues), "min_ratio": sp.min_ratio,
                            "lambda_max": clean(sp.lambda_max), "positive": sp.positive,
                            "negative": sp.negative})
    return {
        "n_params": prob.n_params, "task": prob.task, "classes": prob.classes,
        "data": {"X": clean(prob.X), "y": prob.y.tolist(), "X_test": clean(prob.X_test),
                 "y_test": prob.y_test.tolist()},
        "runs": [_run_out(tr, p, sp) for tr, p, sp in zip(results, sl.paths, spectra,
                                                          strict=True)],
        "landscape": {"plane": sl.plane, "xs": clean(sl.xs),
                      "ys": None if sl.ys is None else clean(sl.ys), "loss": clean(sl.loss),
                      "explained_variance": None if sl.explained_variance is None
                      else clean(sl.explained_variance)},
        "boundary": _boundary(prob, [tr.thetas[-1] for tr in results],
                              body.boundary_resolution),
    }


@router.get("/network/datasets")
def datasets() -> list[dict[str, Any]]:
    """The network data sets with their task, default noise and class counts."""
    return [{"id": d.id, "task": d.task, "noise": d.noise, "classes": list(d.classes)}
            for d in NET_DATASETS.values()]
