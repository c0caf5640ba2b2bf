"""Network races on the /api/stream WebSocket: a `start` whose body names a `network`.

    {"type": "start", "network": {...}, "runs": [...], "steps": 500, "init_seed": 0,
     "seed": 0, "sharpness_every": 0, "frame_steps": 50, "boundary_every": 5,
     "boundary_resolution": 41, "plane_seed": 0}

The same protocol as a surface race afterwards (pause, resume, step, set, stop, ping).

The plane. Every run's parameters are projected onto ONE plane fixed at the start: through
the shared initialization θ₀, spanned by two random filter-normalized directions (Li et al.
2018; core.slices.filter_normalized, seeded by plane_seed). A PCA plane of the paths so far
would move with every frame, so points already drawn would no longer be where they were
sent; the fixed plane keeps every sent point valid. (A "landscape" message gives the PCA,
Hessian or interpolation slice of the paths so far, from the iterates the stream keeps:
KeptPaths; POST /api/network/landscape trains the race again for it.) Each point comes with
its distance from the plane, so the view can say how much the picture hides.

server -> client
    {"type": "started", "race", "steps", "network": {n_params, task, classes, dataset},
     "plane": {"kind": "random", "origin": "start", "seed"}, "data": {X, y, X_test, y_test},
     "boundary": {"xs", "ys"} (classification) or {"xs"} (regression),
     "runs": [{optimizer, schedule, params, batch_size}]}
    {"type": "frame", "race", "step": index of the first iterate in the frame,
     "runs": [{"points": [[a, b], ...], "distance": [...], "train_loss", "test_loss",
               "train_acc", "test_acc" (classification), "grad_norm" (per update),
               "step_norm" (per update: ||θ_k - θ_(k-1)||, the effective step),
               "state_norms": {torch buffer name: [per update]} (the optimizer's state:
               momentum_buffer, exp_avg, exp_avg_sq, ...; none for plain sgd), "lr",
               "epoch", "sharpness": [[step, λmax, threshold, preconditioned λ or null]]
               (with sharpness_every), "status", "stop_step",
               "boundary": p(class 1) on the grid, row-major (ys outer), for 2 classes;
                           [p0, p1, p2] per grid point for 3; the fit at xs for regression
                           (every boundary_every frames, the first and the last); a run
                           whose grid equals an earlier run's in the same frame (the
                           opening: one shared start) sends "boundary_of": that run's index}]}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
from pydantic import Field

from gradscape.core.cancel import Check
from gradscape.core.netrace import NetChunk, NetRace
from gradscape.core.network import NetworkProblem
from gradscape.core.slices import (
    MAX_RESOLUTION,
    MIN_RESOLUTION,
    filter_normalized,
    landscape_passes,
)
from gradscape.server import networks
from gradscape.server.config import MAX_SEED, Settings
from gradscape.server.cost import Estimate
from gradscape.server.encode import Rounding, dumps, rounded
from gradscape.server.errorcodes import CodedError
from gradscape.server.netschemas import NetLandscapeRequest, NetRaceRequest
from gradscape.server.netschemas import Plane as PlaneName
from gradscape.server.races import resolved_params
from gradscape.server.schemas import Request, Seed

MAX_BOUNDARY = 101
BOUNDARY_DIGITS = 3  # probabilities for a picture: 3 digits are plenty and keep frames small
DATA_DIGITS = 5  # the data set's points, for drawing
PAD = 0.15  # the boundary grid reaches this fraction beyond the data on each side


class SliceAsk(Protocol):
    """What a stream's "landscape" message asks for (server/stream.py Landscape)."""

    plane: PlaneName
    resolution: int


class SliceAtEnd(Request):
    """The slice a start asks for once its race has ended: what a "landscape" message asks."""

    plane: PlaneName = "pca"
    resolution: int = Field(51, ge=MIN_RESOLUTION, le=MAX_RESOLUTION,
                            description="points per side (GRADSCAPE_MAX_SLICE_RESOLUTION)")
    seed: Seed = 0


class NetStart(NetRaceRequest):
    type: Literal["start"]
    frame_steps: int | None = Field(None, ge=1, le=10_000, description="steps per frame")
    boundary_every: int = Field(5, ge=0, le=10_000, description="a decision-boundary grid "
                                "every this many frames (0: only the first and the last)")
    boundary_resolution: int = Field(41, ge=2, le=MAX_BOUNDARY,
                                     description="boundary grid points per side")
    plane_seed: int = Field(0, ge=0, le=MAX_SEED, description="seed of the plane's "
                                                                "random directions")
    landscape: SliceAtEnd | None = Field(None, description="the slice to compute as soon as "
                                         "the race ends, as a \"landscape\" message would "
                                         "ask, without waiting for one (coarse, then fine)")


@dataclass
class Plane:
    origin: np.ndarray  # (P,)
    dirs: np.ndarray  # (2, P)
    pinv: np.ndarray  # (P, 2): least-squares coordinates in one product

    @classmethod
    def random(cls, prob: NetworkProblem, origin: np.ndarray, seed: int) -> Plane:
        rng = np.random.default_rng([seed, 9])
        dirs = np.stack([filter_normalized(prob, origin, rng) for _ in range(2)])
        return cls(origin, dirs, np.linalg.pinv(dirs))

    def project(self, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rel = thetas - self.origin
        coords = rel @ self.pinv
        return coords, np.linalg.norm(rel - coords @ self.dirs, axis=1)


@dataclass
class Boundary:
    """The grid a browser colours by the network's prediction."""

    xs: np.ndarray
    ys: np.ndarray | None  # None for regression: the fit along xs
    points: np.ndarray  # (G², 2) or (G, 1)

    @classmethod
    def around(cls, prob: NetworkProblem, resolution: int) -> Boundary:
        X = np.concatenate([prob.X, prob.X_test])
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = PAD * np.maximum(hi - lo, 1e-6)
        axes = [np.linspace(a - p, b + p, resolution) for a, b, p in zip(lo, hi, pad,
                                                                          strict=True)]
        if X.shape[1] == 1:
            return cls(axes[0], None, axes[0][:, None])
        gx, gy = np.meshgrid(axes[0], axes[1])
        return cls(axes[0], axes[1], np.stack([gx.ravel(), gy.ravel()], axis=1))

    def of(self, prob: NetworkProblem, theta: np.ndarray) -> np.ndarray:
        out = prob.predict(theta, self.points)
        if prob.task == "classification" and prob.classes == 2:
            return np.asarray(out[:, 1])
        return np.asarray(out)


def stream_cost(msg: NetStart, settings: Settings) -> Estimate:
    """The race's training plus the boundary grids it sends."""
    train = networks.race_cost(msg, settings)
    frames = -(-msg.steps // (msg.frame_steps or settings.frame_steps))
    grids = frames // max(1, msg.boundary_every) + 2
    p = networks.n_params(msg.network)
    units = grids * len(msg.runs) * msg.boundary_resolution ** 2 * p // 16
    return Estimate(train.units + units, train.what, train.advice)


def build(msg: NetStart, settings: Settings) -> tuple[NetworkProblem, NetRace]:
    """Validated problem and race, programs compiled (runs off the event loop)."""
    prob, race = networks.build_race(msg, settings)
    networks.prepare(prob)
    return prob, race


def started(number: int, msg: NetStart, prob: NetworkProblem, race: NetRace,
            boundary: Boundary) -> str:
    grid: dict[str, Any] = {"xs": boundary.xs.tolist()}
    if boundary.ys is not None:
        grid["ys"] = boundary.ys.tolist()
    batch = Rounding(DATA_DIGITS)
    data: dict[str, Any] = {}
    batch.put(data, "X", prob.X)
    batch.put(data, "X_test", prob.X_test)
    batch.fill()
    for name, y in (("y", prob.y), ("y_test", prob.y_test)):  # labels stay whole numbers
        data[name] = y.tolist() if prob.task == "classification" else rounded(y, DATA_DIGITS)
    return dumps({
        "type": "started", "race": number, "steps": msg.steps,
        "network": {"n_params": prob.n_params, "task": prob.task, "classes": prob.classes,
                    "dataset": prob.dataset},
        "plane": {"kind": "random", "origin": "start", "seed": msg.plane_seed},
        "data": data, "boundary": grid,
        "runs": [{"optimizer": r.spec.optimizer, "schedule": r.spec.schedule,
                  "params": resolved_params(r.spec.optimizer, dict(r.spec.params)),
                  "batch_size": r.bs} for r in race.runs]})


@dataclass
class NetFrames:
    """What turns a network race's chunks into frames: the plane, the grid, the cadence."""

    prob: NetworkProblem
    plane: Plane
    boundary: Boundary
    every: int
    digits: int
    frames: int = 0
    sent_last: set[int] = field(default_factory=set)  # runs whose final grid went out
    # each run's last sent iterate: the first step of its next chunk is measured from it
    last_sent: dict[int, np.ndarray] = field(default_factory=dict)

    def frame(self, number: int, chunks: list[NetChunk]) -> str:
        batch, grids = Rounding(self.digits), Rounding(BOUNDARY_DIGITS)
        regular = self.frames == 0 or (self.every > 0 and self.frames % self.every == 0)
        self.frames += 1
        # runs step in lockstep; a stopped run (empty lists) says nothing about where
        first = min([c.first for c in chunks if len(c.thetas)] or [max(c.first for c in chunks)])
        out = []
        last_theta: np.ndarray | None = None
        last_run = 0
        for i, c in enumerate(chunks):
            run: dict[str, Any] = {"status": c.status, "stop_step": c.step}
            coords, distance = self.plane.project(c.thetas) if len(c.thetas) else (
                np.zeros((0, 2)), np.zeros(0))
            batch.put(run, "points", coords)
            batch.put(run, "distance", distance)
            batch.put(run, "train_loss", c.train_loss)
            batch.put(run, "test_loss", c.test_loss)
            if c.train_acc is not None and c.test_acc is not None:
                batch.put(run, "train_acc", c.train_acc)
                batch.put(run, "test_acc", c.test_acc)
            batch.put(run, "grad_norm", c.grad_norm)
            if c.state_norms and len(c.grad_norm):
                # the optimizer's state per update (torch's buffer names): a few numbers a
                # step next to the P of the iterate the frame no longer sends
                norms: dict[str, Any] = {}
                for name, values in c.state_norms.items():
                    batch.put(norms, name, values)
                run["state_norms"] = norms
            if len(c.thetas):
                # the effective step ||θ_k - θ_(k-1)|| of every update in this chunk (what
                # the optimizer actually moved, which no learning rate alone says for Adam)
                prev = self.last_sent.get(i)
                rows = c.thetas if prev is None else np.vstack([prev[None], c.thetas])
                batch.put(run, "step_norm", np.linalg.norm(np.diff(rows, axis=0), axis=1))
                self.last_sent[i] = c.thetas[-1]
            if len(c.lrs):
                batch.put(run, "lr", c.lrs[-1])
            if len(c.epochs):
                batch.put(run, "epoch", c.epochs[-1])
            if len(c.sharpness):
                batch.put(run, "sharpness", np.stack([c.sharpness_steps, c.sharpness,
                                                      c.threshold, c.preconditioned], axis=1))
            final = c.status != "running" and i not in self.sent_last
            if (regular or final) and len(c.thetas):
                # the last recorded iterate (a diverged run's blown-up θ is not one); runs
                # at the same θ (the opening's shared start) share one grid
                theta = c.thetas[-1]
                if last_theta is not None and np.array_equal(theta, last_theta):
                    run["boundary_of"] = last_run  # the same grid: sent once per frame
                else:
                    last_theta, last_run = theta, i
                    grids.put(run, "boundary", self.boundary.of(self.prob, theta))
                if final:
                    self.sent_last.add(i)
            out.append(run)
        batch.fill()
        grids.fill()
        return dumps({"type": "frame", "race": number, "step": first, "runs": out})


class KeptPaths:
    """Every run's iterates as the stream computes them, so a landscape after (or during) the
    race needs no replay of it. Bounded: a race whose paths could exceed `limit` numbers
    (parameters x (steps + 1) x runs, known at its start) keeps nothing, and its landscape
    is refused with an error that says what to change (`refusal`)."""

    def __init__(self, n_params: int, steps: int, runs: int, limit: int) -> None:
        self.need = n_params * (steps + 1) * runs
        self.limit = limit
        # per run, its chunks' (iterates, training loss at them): the loss is kept too (one
        # number per P), as the slice would otherwise evaluate the network at every iterate
        # again before its first picture
        self.parts: list[list[tuple[np.ndarray, np.ndarray]]] | None = (
            [[] for _ in range(runs)] if self.need <= limit else None)
        self.last = -1  # the furthest iterate kept (of any run)

    def add(self, chunks: list[NetChunk]) -> None:
        """A chunk's iterates; chunks arrive in order (iterate c.first first)."""
        if self.parts is not None:
            last = self.last
            for kept, c in zip(self.parts, chunks, strict=True):
                if len(c.thetas):
                    kept.append((c.thetas, c.train_loss))
                    last = max(last, c.first + len(c.thetas) - 1)
            self.last = last  # after every run's chunk is in: a snapshot reads it first

    def refusal(self) -> CodedError | None:
        if self.parts is not None:
            return None
        return CodedError("stream.landscape_too_long", need=f"{self.need:,}",
                          limit=f"{self.limit:,}")

    def snapshot(self) -> tuple[int, list[list[tuple[np.ndarray, np.ndarray]]]]:
        """The furthest step kept and the chunks so far, taken on the event loop (the arrays
        are never changed). A chunk being computed meanwhile has moved the race's step on
        but is not kept yet: the slice is of the steps kept."""
        assert self.parts is not None
        last = self.last  # first: the chunks copied next hold at least this far
        return last, [list(kept) for kept in self.parts]


@dataclass
class KeptPath:
    """A run's iterates and its training loss at each, as core.slices reads a result."""

    thetas: np.ndarray  # (k+1, P)
    train_loss: np.ndarray  # (k+1,)


def paths_upto(snapshot: list[list[tuple[np.ndarray, np.ndarray]]],
               upto: int) -> list[KeptPath]:
    """Each run's iterates 0..upto (a run that stopped earlier: all it has)."""
    return [KeptPath(np.concatenate([t for t, _ in parts])[:upto + 1],
                     np.concatenate([loss for _, loss in parts])[:upto + 1])
            for parts in snapshot]


def landscape_cost(start: NetStart, plane: SliceAsk, upto: int, settings: Settings) -> Estimate:
    """The slice of the kept paths to step `upto` (server/networks.py, without the training:
    the stream already did it)."""
    fields = set(NetRaceRequest.model_fields)
    body = NetLandscapeRequest(**{k: v for k, v in start.model_dump().items() if k in fields
                                  and k not in ("network", "runs")},
                               network=start.network, runs=start.runs,
                               plane=plane.plane, resolution=plane.resolution)
    body = body.model_copy(update={"steps": upto, "sharpness_every": 0})
    return networks.landscape_cost(body, settings, trained=True)


def landscape_messages(number: int, prob: NetworkProblem, paths: list[KeptPath],
                       plane: str, resolution: int, seed: int, upto: int, check: Check,
                       digits: int) -> Iterator[str]:
    """The "landscape" messages of the runs' paths up to step `upto`: the coarse 13 x 13
    picture first (below the resolution asked for), then the full one. Each carries every
    run's projected path with its projection error (core.slices). On a 2D plane the coarse
    picture's paths have no "slice_loss" yet (the loss at every projected iterate: most of
    its time for a long race); the fine one has it, and with it the projection error."""
    for sl in landscape_passes(prob, paths, plane, resolution, seed=seed,
                               defer_slice_loss=True):
        check()
        batch = Rounding(digits)
        out: dict[str, Any] = {"type": "landscape", "race": number, "step": upto,
                               "plane": sl.plane, "resolution": sl.resolution,
                               "final": sl.resolution == resolution}
        batch.put(out, "xs", sl.xs)
        if sl.ys is not None:
            batch.put(out, "ys", sl.ys)
        batch.put(out, "loss", sl.loss)
        if sl.explained_variance is not None:
            batch.put(out, "explained_variance", sl.explained_variance)
        runs = []
        for p in sl.paths:
            run: dict[str, Any] = {}
            for name in ("coords", "true_loss", "slice_loss", "distance"):
                if name == "slice_loss" and sl.ys is not None and sl.resolution != resolution:
                    continue  # a 2D plane's coarse pass: deferred to the fine picture
                batch.put(run, name, getattr(p, name))
            runs.append(run)
        out["paths"] = runs
        batch.fill()
        yield dumps(out)
