"""Tiny real networks over REST: train a race, slice its loss, take a Hessian spectrum.

Thin: validate (server/networks.py), estimate the work (refused over budget with a 422),
queue it fairly (server/heavy.py), call core, encode. Live races: the /api/stream WebSocket
with a `network` start (server/netstream.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi import APIRouter, Request
from numpy.typing import NDArray

import gradscape.core as core
from gradscape.core.cancel import Check
from gradscape.core.netdata import MAX_NOISE, NET_DATASETS
from gradscape.core.netrace import NetChunk, NetRace
from gradscape.core.network import ACTIVATIONS
from gradscape.core.slices import PLANES
from gradscape.core.training import network_defaults
from gradscape.server import netcatalog, networks
from gradscape.server.config import MAX_SEED
from gradscape.server.deps import StateDep
from gradscape.server.encode import num, rows
from gradscape.server.errorcodes import CodedError
from gradscape.server.heavy import heavy
from gradscape.server.netschemas import (
    NetDatasetOut,
    NetDatasetsResponse,
    NetLandscapeRequest,
    NetLandscapeResponse,
    NetOptionOut,
    NetRunOut,
    NetSpectrumRequest,
    NetSpectrumResponse,
    NetTrainRequest,
    NetTrainResponse,
    ProjectedPathOut,
)
from gradscape.server.races import resolved_params
from gradscape.server.routes import ERRORS, HEAVY
from gradscape.server.schemas import ErrorResponse

router = APIRouter(prefix="/network", tags=["network"], responses=ERRORS)

CHUNK = 50  # steps between two cancellation checks

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "moons": {"en": "Two interleaving half circles: needs a curved decision boundary.",
              "zh": "两个交错的半月形：需要弯曲的决策边界。"},
    "circles": {"en": "A ring around a disc: no straight line separates them.",
                "zh": "一个圆盘外套一个圆环：任何直线都分不开它们。"},
    "spirals": {"en": "Two intertwined spirals: the hardest set, it needs depth and width.",
                "zh": "两条相互缠绕的螺旋线：最难的数据集，需要足够的深度和宽度。"},
    "xor": {"en": "Four clusters in the XOR pattern: one straight line is never enough.",
            "zh": "异或（XOR）排列的四个簇：一条直线永远不够。"},
    "blobs": {"en": "Gaussian blobs, 2 or 3 classes: nearly linearly separable.",
              "zh": "高斯团簇，2 类或 3 类：几乎线性可分。"},
    "sine": {"en": "A noisy sine wave: regression with mean squared error.",
             "zh": "带噪声的正弦曲线：以均方误差做回归。"},
}


def _run_out(chunks: list[NetChunk], race: NetRace, index: int, thetas: bool) -> NetRunOut:
    run = race.runs[index]

    def cat(name: str) -> NDArray[np.generic]:
        """One record of the run's chunks (a NetChunk field) joined in step order."""
        return np.concatenate([getattr(c, name) for c in chunks])

    path = cat("thetas")
    classify = race.prob.task == "classification"
    pre = cat("preconditioned")
    return NetRunOut(
        # the settings it started with (race.specs; its changes are the request's)
        optimizer=run.opt.id, params=resolved_params(run.opt.id, dict(race.specs[index].params)),
        schedule=run.spec.schedule, batch_size=run.bs, status=run.status,  # type: ignore[arg-type]
        updates=run.step, train_loss=rows(cat("train_loss")), test_loss=rows(cat("test_loss")),
        train_acc=rows(cat("train_acc")) if classify else None,
        test_acc=rows(cat("test_acc")) if classify else None,
        grad_norm=rows(cat("grad_norm")), lrs=rows(cat("lrs")), epochs=rows(cat("epochs")),
        sharpness_steps=cat("sharpness_steps").tolist(), sharpness=rows(cat("sharpness")),
        preconditioned=rows(pre) if np.any(np.isfinite(pre)) else None,
        threshold=rows(cat("threshold")), theta=rows(path[-1]),
        state_norms={name: rows(np.concatenate([c.state_norms.get(name, np.zeros(0))
                                                for c in chunks]))
                     for name in run.buffers},
        thetas=rows(path) if thetas else None)


def run_race(race: NetRace, check: Check) -> list[list[NetChunk]]:
    """The race to its end, a chunk at a time (cancellable between chunks); per run, its
    chunks in order."""
    chunks = [race.opening()]
    while not race.done:
        check()
        chunks.append(race.advance(CHUNK))
    return [[c[i] for c in chunks] for i in range(len(race.runs))]


@router.get("/datasets", response_model=NetDatasetsResponse)
def datasets(state: StateDep) -> NetDatasetsResponse:
    """The data sets with their options and this server's limits (texts in en and zh)."""
    s = state.settings
    out = []
    for spec in NET_DATASETS.values():
        options = {
            "samples": NetOptionOut(default=200, minimum=2, maximum=s.max_net_samples),
            "test_samples": NetOptionOut(default=200, minimum=1, maximum=s.max_net_samples),
            "noise": NetOptionOut(default=spec.noise, minimum=0.0, maximum=MAX_NOISE),
            "seed": NetOptionOut(default=0, minimum=0, maximum=MAX_SEED),
            "classes": NetOptionOut(default=spec.classes[0], choices=list(spec.classes)),
        }
        out.append(NetDatasetOut(id=spec.id, task=spec.task,  # type: ignore[arg-type]
                                 options=options, description=DESCRIPTIONS[spec.id],
                                 preview=netcatalog.preview(spec.id)))
    limits = {"max_net_params": s.max_net_params, "max_net_samples": s.max_net_samples,
              "max_net_steps": s.max_net_steps, "max_net_layers": s.max_net_layers,
              "max_net_width": s.max_net_width, "max_slice_resolution": s.max_slice_resolution,
              "max_work": s.max_work}
    return NetDatasetsResponse(datasets=out, activations=list(ACTIVATIONS),
                               optimizers=list(network_defaults()),
                               optimizer_defaults=network_defaults(),
                               default_request=netcatalog.default_request(s), planes=list(PLANES),
                               limits=limits)


@router.post("/train", response_model=NetTrainResponse, responses=HEAVY)
async def train(request: Request, state: StateDep, body: NetTrainRequest) -> NetTrainResponse:
    """A race of optimizers from one shared initialization, trained to the end: each run's
    records as `core.train` returns them."""
    networks.check_race(body, state.settings)
    estimate = networks.race_cost(body, state.settings)

    def work(check: Check) -> NetTrainResponse:
        prob, race = networks.build_race(body, state.settings)
        per_run = run_race(race, check)
        return NetTrainResponse(
            n_params=prob.n_params, task=prob.task,  # type: ignore[arg-type]
            start=rows(race.start),
            runs=[_run_out(c, race, i, body.thetas) for i, c in enumerate(per_run)])

    return await heavy(request, state, estimate, work)


@router.post("/landscape", response_model=NetLandscapeResponse, responses=HEAVY)
async def landscape(request: Request, state: StateDep,
                    body: NetLandscapeRequest) -> NetLandscapeResponse:
    """Train the race, then the loss on a 2D plane (or a line) through the parameter space
    with every run's projected path and its projection error. Coarse-to-fine: the stream."""
    networks.check_landscape(body, state.settings)
    estimate = networks.landscape_cost(body, state.settings)

    def work(check: Check) -> NetLandscapeResponse:
        prob, race = networks.build_race(body, state.settings)
        paths = [np.concatenate([c.thetas for c in chunks]) for chunks in run_race(race, check)]
        check()
        sl = core.landscape(prob, paths, plane=body.plane, resolution=body.resolution,
                            seed=body.plane_seed)
        return NetLandscapeResponse(
            plane=sl.plane, resolution=sl.resolution, xs=rows(sl.xs),
            ys=None if sl.ys is None else rows(sl.ys), loss=_nulls(sl.loss),
            explained_variance=None if sl.explained_variance is None
            else rows(sl.explained_variance),
            paths=[ProjectedPathOut(coords=rows(p.coords), true_loss=rows(p.true_loss),
                                    slice_loss=rows(p.slice_loss), distance=rows(p.distance))
                   for p in sl.paths])

    return await heavy(request, state, estimate, work)


def _nulls(a: np.ndarray) -> Any:
    """Nested lists with null for a non-finite value (a loss overflowing far out)."""
    out = np.asarray(a, dtype=object)
    out[~np.isfinite(np.asarray(a, dtype=np.float64))] = None
    return out.tolist()


# A theta of thousands of numbers may exceed GRADSCAPE_MAX_MESSAGE_BYTES (server/bodylimit.py).
TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "the body is above "
                                                 "GRADSCAPE_MAX_MESSAGE_BYTES"}}


@router.post("/spectrum", response_model=NetSpectrumResponse,
             responses={**HEAVY, **TOO_LARGE})
async def spectrum(request: Request, state: StateDep,
                   body: NetSpectrumRequest) -> NetSpectrumResponse:
    """Every eigenvalue of the exact Hessian at θ (given, or the initialization trained
    `steps` updates by `run`), with the minimum ratio."""
    s = state.settings
    networks.check_network(body.network, s)
    if body.steps > s.max_net_steps:
        raise CodedError("limit.over", field="steps", value=body.steps,
                         setting="GRADSCAPE_MAX_NET_STEPS", limit=s.max_net_steps)
    if body.steps and body.run is None:
        raise CodedError("network.needs_run")
    if body.run is not None:
        networks.check_run(body.run, body.network.samples, "run", body.steps)
    p = networks.n_params(body.network)
    if body.theta is not None and len(body.theta) != p:
        raise CodedError("network.theta_length", given=len(body.theta), params=p)
    estimate = networks.spectrum_cost(body.network, body.steps, s)

    def work(check: Check) -> NetSpectrumResponse:
        prob = networks.problem(body.network, s)
        if body.theta is not None:
            theta = np.array(body.theta, dtype=np.float64)
        elif body.steps and body.run is not None:
            race = NetRace(prob, networks.run_specs([body.run]), steps=body.steps,
                           seed=body.seed, init_seed=body.init_seed)
            theta = np.concatenate([c.thetas for c in run_race(race, check)[0]])[-1]
        else:
            theta = prob.init(body.init_seed)
        check()
        sp = core.hessian_spectrum(prob, theta)
        with np.errstate(all="ignore"):  # a diverged θ (|θ| ~ 1e154): its numbers are inf
            loss, grad = prob.loss_and_grad(theta)
            grad_norm = np.linalg.norm(grad[0])
        return NetSpectrumResponse(
            n_params=prob.n_params, eigenvalues=rows(sp.eigenvalues),
            lambda_max=num(sp.lambda_max), lambda_min=num(sp.lambda_min),
            positive=sp.positive, negative=sp.negative, min_ratio=num(sp.min_ratio),
            loss=num(loss[0]), grad_norm=num(grad_norm))

    return await heavy(request, state, estimate, work)
