"""Runs and races: optimizers stepping over one surface, side by side.

A race advances several runs (each an optimizer with its own hyperparameters, schedule,
noise, batch size and start) together: every step gathers all active iterates into one
(N, 2) batch for a single gradient evaluation, then lets each optimizer update its own rows.
Runs can be advanced in chunks and retuned between chunks with their optimizer state kept.

Statuses: "running"; "converged" (gradient norm and step both below tolerance); "diverged"
(the iterate or loss became non-finite or beyond DIVERGENCE_BOUND: the run freezes at its
last finite point, a lesson to show, never an error); "max_steps". Leaving the plotted
bounds does not stop a run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.linalg2 import eigh2
from core.optimizers import OPTIMIZERS, OptimizerSpec, inspect
from core.schedules import SCHEDULES, ScheduleSpec
from core.surface import Array, Surface

DIVERGENCE_BOUND = 1e8  # |θ| or |f| beyond this counts as diverged
MAX_STEPS = 100_000
MAX_RUNS = 16
MAX_BATCH_POINTS = 1_000_000
DEFAULT_TOLERANCE = 1e-8


@dataclass(frozen=True)
class RunSpec:
    """One contestant: optimizer id and hyperparameters, start point and extras."""

    optimizer: str
    start: tuple[float, float]
    params: Mapping[str, Any] = field(default_factory=dict)
    schedule: str = "constant"
    schedule_params: Mapping[str, Any] = field(default_factory=dict)
    noise: float = 0.0  # std of Gaussian noise added to the gradient (analytic surfaces)
    batch_size: int | None = None  # mini-batch size on data-set surfaces; None = all samples


@dataclass
class Trajectory:
    """What one run did: k+1 points for k steps, with per-step records."""

    optimizer: str
    params: dict[str, Any]
    points: Array  # (k+1, 2)
    values: Array  # (k+1,)
    grads: Array  # (k+1, 2): gradient used at each point (the last one is the final point's)
    updates: Array  # (k, 2)
    lrs: Array  # (k,)
    inspector: dict[str, Array]  # name -> (k, 2): m, sigma, step, ...
    status: str
    stop_step: int  # steps taken
    eigenvalues: Array | None = None  # (k+1, 2) when requested
    eigenvectors: Array | None = None  # (k+1, 2, 2)


def _validate_run(spec: RunSpec, surface: Surface) -> tuple[OptimizerSpec, Any, ScheduleSpec,
                                                            Any]:
    opt = OPTIMIZERS.get(spec.optimizer)
    if opt is None:
        raise ValueError(f"unknown optimizer {spec.optimizer!r}; known: {sorted(OPTIMIZERS)}")
    hp = opt.validate(dict(spec.params))
    sched = SCHEDULES.get(spec.schedule)
    if sched is None:
        raise ValueError(f"unknown schedule {spec.schedule!r}; known: {sorted(SCHEDULES)}")
    sp = sched.validate(dict(spec.schedule_params))
    start = np.asarray(spec.start, dtype=np.float64)
    if start.shape != (2,) or not np.isfinite(start).all():
        raise ValueError(f"start must be two finite numbers (x, y), got {spec.start!r}")
    if not (np.isfinite(spec.noise) and 0.0 <= spec.noise <= 1e6):
        raise ValueError(f"Invalid noise: {spec.noise!r} (must be between 0 and 1e6)")
    if spec.batch_size is not None:
        if not surface.samples:
            raise ValueError("batch_size applies only to data-set surfaces; use noise on "
                             "analytic ones")
        if not 1 <= spec.batch_size <= surface.samples:
            raise ValueError(f"Invalid batch_size: {spec.batch_size} (must be between 1 and "
                             f"the {surface.samples} samples)")
    return opt, hp, sched, sp


class StepContext:
    """What non-gradient optimizers may read during one update (reused, not rebuilt, per step)."""

    def __init__(self, surface: Surface, rng: np.random.Generator) -> None:
        self.surface = surface
        self.bounds = surface.bounds
        self.rng = rng
        self.values: Array = np.empty(0)
        self.hessian: Array | None = None
        self.batch: Array | None = None

    def value_fn(self, points: Array) -> Array:
        return self.surface.value(points, batch=self.batch)


@dataclass
class _Run:
    spec: RunSpec
    opt: OptimizerSpec
    hp: Any
    schedule: ScheduleSpec
    schedule_params: Any
    rng: np.random.Generator
    position: Array  # (1, 2)
    state: Any
    step: int = 0
    status: str = "running"
    retuned_at: list[int] = field(default_factory=list)
    records: dict[str, list[Array]] = field(default_factory=dict)

    def record(self, name: str, value: Array) -> None:
        self.records.setdefault(name, []).append(value)


def _first_true(mask: Array) -> int:
    """Index of the first True, or len(mask) when there is none."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else mask.shape[0]


class Race:
    """Runs advanced together over one surface; see the module docstring.

    `advance(n)` moves every running run up to n steps and returns what each did in that
    chunk; `retune(i, params)` changes run i's hyperparameters with its state kept.
    """

    def __init__(self, surface: Surface, runs: Sequence[RunSpec], *, steps: int, seed: int = 0,
                 tolerance: float = DEFAULT_TOLERANCE, eigen: bool = False) -> None:
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ValueError(f"a race takes 1 to {MAX_RUNS} runs, got {len(runs)}")
        if not 1 <= steps <= MAX_STEPS:
            raise ValueError(f"Invalid steps: {steps} (must be between 1 and {MAX_STEPS})")
        if not 0.0 <= tolerance < 1.0:
            raise ValueError(f"Invalid tolerance: {tolerance} (must be in [0, 1))")
        self.surface, self.steps, self.seed = surface, steps, seed
        self.tolerance, self.eigen = tolerance, eigen
        self.runs = [self._make_run(i, spec) for i, spec in enumerate(runs)]
        self._sent = [0] * len(self.runs)
        self._batch_rngs: dict[int, np.random.Generator] = {}

    def _make_run(self, index: int, spec: RunSpec) -> _Run:
        opt, hp, sched, sp = _validate_run(spec, self.surface)
        start = np.asarray(spec.start, dtype=np.float64).reshape(1, 2)
        return _Run(spec, opt, hp, sched, sp, np.random.default_rng([self.seed, index]),
                    start, opt.init(start))

    # --- control ---------------------------------------------------------------------------
    def retune(self, index: int, params: Mapping[str, Any]) -> None:
        """New hyperparameters for run `index` from its next step on; optimizer state kept."""
        if not 0 <= index < len(self.runs):
            raise ValueError(f"no run {index}; this race has {len(self.runs)}")
        run = self.runs[index]
        merged = {**run.spec.params, **params}
        run.hp = run.opt.validate(merged)
        run.spec = RunSpec(**{**run.spec.__dict__, "params": merged})
        run.retuned_at.append(run.step)

    @property
    def done(self) -> bool:
        return all(r.status != "running" for r in self.runs)

    # --- stepping --------------------------------------------------------------------------
    def advance(self, n: int) -> list[Trajectory]:
        """Up to n more steps for every running run; returns each run's new records."""
        with np.errstate(all="ignore"):
            for _ in range(n):
                active = [r for r in self.runs if r.status == "running"]
                if not active:
                    break
                self._step(active)
        chunks = [self._trajectory(r, self._sent[i]) for i, r in enumerate(self.runs)]
        self._sent = [len(r.records.get("points", ())) for r in self.runs]
        return chunks

    def run(self) -> list[Trajectory]:
        """Advance to the end and return whole trajectories."""
        while not self.done:
            self.advance(256)
        return self.trajectories()

    def trajectories(self) -> list[Trajectory]:
        return [self._trajectory(r, 0) for r in self.runs]

    def _evaluate(self, active: list[_Run]) -> tuple[Array, Array, Array | None, list[Any]]:
        """One batched evaluation per group of runs that share a mini-batch (usually one)."""
        P = np.concatenate([r.position for r in active])
        need_h = self.eigen or any(r.opt.needs_hessian for r in active)
        sizes = {r.spec.batch_size for r in active}
        values, grads = np.empty(len(active)), np.empty((len(active), 2))
        hess = np.empty((len(active), 2, 2)) if need_h else None
        batches: list[Any] = [None] * len(active)
        for size in sizes:
            rows = [j for j, r in enumerate(active) if r.spec.batch_size == size]
            batch = self._draw_batch(size)
            sub = P[rows]
            if need_h:
                v, g, h = self.surface.value_grad_hessian(sub, batch)
                assert hess is not None
                hess[rows] = h
            else:
                v, g = self.surface.value_and_grad(sub, batch)
            values[rows], grads[rows] = v, g
            for j in rows:
                batches[j] = batch
        return values, grads, hess, batches

    def _draw_batch(self, size: int | None) -> Array | None:
        """The same mini-batch sequence for every run of one batch size: a fair race."""
        if size is None or size >= self.surface.samples:
            return None
        rng = self._batch_rngs.setdefault(size, np.random.default_rng([self.seed, 7, size]))
        return np.sort(rng.choice(self.surface.samples, size, replace=False))

    def _step(self, active: list[_Run]) -> None:
        values, grads, hess, batches = self._evaluate(active)
        for j, run in enumerate(active):
            grad = grads[j:j + 1]
            if run.spec.noise > 0.0:
                grad = grad + run.spec.noise * run.rng.standard_normal((1, 2))
            self._advance_run(run, values[j:j + 1], grad,
                              None if hess is None else hess[j:j + 1], batches[j])

    def _advance_run(self, run: _Run, value: Array, grad: Array, hess: Array | None,
                     batch: Array | None) -> None:
        p = run.position
        if not (np.isfinite(value).all() and np.isfinite(grad).all()) or (
                np.abs(p).max() > DIVERGENCE_BOUND or abs(value[0]) > DIVERGENCE_BOUND):
            run.status = "diverged"  # frozen at the last recorded (finite) point
            self._drop_last_update(run)
            return
        run.record("points", p)
        run.record("values", value)
        run.record("grads", grad)
        if self.eigen and hess is not None:
            lam, vec = eigh2(hess)
            run.record("eigenvalues", lam)
            run.record("eigenvectors", vec)
        last = run.records.get("updates")
        small_step = not last or float(np.hypot(*last[-1][0])) < self.tolerance
        if float(np.hypot(*grad[0])) < self.tolerance and small_step:
            run.status = "converged"
            return
        if run.step >= self.steps:
            run.status = "max_steps"
            return
        lr = run.schedule.lr(run.hp.get("lr", 1.0), run.step + 1, run.schedule_params)
        ctx = StepContext(self.surface, run.rng)
        ctx.values, ctx.hessian, ctx.batch = value, hess, batch
        update, run.state = run.opt.update(grad, run.state, p, run.hp, lr, ctx)
        run.record("updates", update)
        run.record("lrs", np.array([lr]))
        for name, arr in inspect(run.opt, run.state, update, lr).items():
            run.record("inspect:" + name, arr)
        run.position = p + update
        run.step += 1

    @staticmethod
    def _drop_last_update(run: _Run) -> None:
        """Points end at the last finite one, so the step that left it is not shown either."""
        n_points = len(run.records.get("points", ()))
        for name, items in run.records.items():
            if name not in ("points", "values", "grads", "eigenvalues", "eigenvectors"):
                del items[max(n_points - 1, 0):]
        run.step = max(n_points - 1, 0)

    def _trajectory(self, run: _Run, start: int) -> Trajectory:
        rec = run.records

        def stack(name: str, begin: int, shape: tuple[int, ...]) -> Array:
            items = rec.get(name, [])[begin:]
            return np.concatenate(items) if items else np.empty((0, *shape))

        upd_begin = max(start - 1, 0) if start else 0
        return Trajectory(
            optimizer=run.spec.optimizer, params=dict(run.spec.params),
            points=stack("points", start, (2,)), values=stack("values", start, ()),
            grads=stack("grads", start, (2,)), updates=stack("updates", upd_begin, (2,)),
            lrs=stack("lrs", upd_begin, ()),
            inspector={k.split(":", 1)[1]: stack(k, upd_begin, (2,))
                       for k in rec if k.startswith("inspect:")},
            status=run.status, stop_step=run.step,
            eigenvalues=stack("eigenvalues", start, (2,)) if self.eigen else None,
            eigenvectors=stack("eigenvectors", start, (2, 2)) if self.eigen else None,
        )


def optimize(surface: Surface, optimizer_id: str, start: tuple[float, float] = (0.0, 0.0),
             steps: int = 100, *, schedule: str = "constant",
             schedule_params: Mapping[str, Any] | None = None, noise: float = 0.0,
             batch_size: int | None = None, seed: int = 0, tolerance: float = DEFAULT_TOLERANCE,
             eigen: bool = False, **hyperparameters: Any) -> Trajectory:
    """One optimizer from one start: the convenience entry for notebooks and tests.

    >>> t = optimize(core.surface("x^2 + y^2"), "sgd", start=(1, 1), steps=50, lr=0.1)
    >>> t.points.shape, t.status
    ((51, 2), 'max_steps')
    """
    spec = RunSpec(optimizer_id, (float(start[0]), float(start[1])), hyperparameters, schedule,
                   schedule_params or {}, noise, batch_size)
    race = Race(surface, [spec], steps=steps, seed=seed, tolerance=tolerance, eigen=eigen)
    return race.run()[0]


BASIN_CHECK_EVERY = 10  # convergence is checked every few steps: a check costs a few passes


@dataclass
class BasinMap:
    """Where the optimizer goes from each start of a grid over the bounds.

    `labels[i, j]` is the index in `critical` of the critical point reached from the start
    (xs[j], ys[i]), or -1 for none (still travelling, diverged, or stuck elsewhere).
    """

    xs: Array
    ys: Array
    labels: NDArray[np.int64]
    final_points: Array  # (r, r, 2), the last finite iterate
    final_values: Array  # (r, r)
    steps_taken: NDArray[np.int64]  # (r, r), to within BASIN_CHECK_EVERY steps
    status: NDArray[np.str_]  # (r, r): converged / diverged / max_steps
    critical: list[Any]


def basins(surface: Surface, optimizer_id: str, steps: int = 500, resolution: int = 100, *,
           tolerance: float = 1e-6, seed: int = 0, critical: list[Any] | None = None,
           **hyperparameters: Any) -> BasinMap:
    """The optimizer from every point of a resolution x resolution grid, all at once."""
    from core.critical import critical_points  # noqa: PLC0415 - only basins need it

    opt = OPTIMIZERS.get(optimizer_id)
    if opt is None:
        raise ValueError(f"unknown optimizer {optimizer_id!r}; known: {sorted(OPTIMIZERS)}")
    if not 2 <= resolution <= 400:
        raise ValueError(f"Invalid resolution: {resolution} (must be between 2 and 400)")
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be between 1 and {MAX_STEPS})")
    hp = opt.validate(dict(hyperparameters))
    lr = float(hp.get("lr", 1.0))
    xmin, xmax, ymin, ymax = surface.bounds
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    X, Y = np.meshgrid(xs, ys)
    P = np.column_stack([X.ravel(), Y.ravel()])
    n = P.shape[0]
    state = opt.init(P)
    ctx = StepContext(surface, np.random.default_rng(seed))
    last_good = P.copy()
    taken = np.full(n, steps, dtype=np.int64)
    diverged = np.zeros(n, dtype=bool)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            if opt.needs_hessian:
                ctx.values, grads, ctx.hessian = surface.value_grad_hessian(P)
            elif opt.needs_values:
                ctx.values, grads = surface.value_and_grad(P)
            else:
                grads = surface.grad(P)
            update, state = opt.update(grads, state, P, hp, lr, ctx)
            P = P + update
            if t % BASIN_CHECK_EVERY == 0 or t == steps:
                ok = np.isfinite(P).all(axis=1) & (np.abs(P).max(axis=1) < DIVERGENCE_BOUND)
                diverged |= ~ok
                last_good[ok] = P[ok]
                still = (np.einsum("ij,ij->i", grads, grads) < tolerance**2) & ok
                taken = np.where(still & (taken == steps), t, taken)
        final_values = surface.value(last_good)
    found = critical if critical is not None else critical_points(surface)
    labels = _nearest_critical(last_good, found, surface)
    status = np.where(diverged, "diverged", np.where(taken < steps, "converged", "max_steps"))
    labels[diverged] = -1
    shape = (resolution, resolution)
    return BasinMap(xs, ys, labels.reshape(shape), last_good.reshape(*shape, 2),
                    final_values.reshape(shape), taken.reshape(shape), status.reshape(shape),
                    found)


def _nearest_critical(points: Array, critical: list[Any], surface: Surface) -> NDArray[np.int64]:
    """Index of the critical point within a small radius of each final point, else -1."""
    labels = np.full(points.shape[0], -1, dtype=np.int64)
    if not critical:
        return labels
    xmin, xmax, ymin, ymax = surface.bounds
    radius = 1e-2 * max(xmax - xmin, ymax - ymin)
    centres = np.array([c.point for c in critical], dtype=np.float64)
    dist = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    best = np.argmin(dist, axis=1)
    close = dist[np.arange(points.shape[0]), best] < radius
    labels[close] = best[close]
    return labels
