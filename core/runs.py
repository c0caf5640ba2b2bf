"""Runs and races: optimizers stepping over one surface, side by side.

A race advances several runs (each an optimizer with its own hyperparameters, schedule,
noise, batch size and start) together: every step gathers all active iterates into one
(N, 2) batch for a single gradient evaluation, then lets each optimizer update its own rows.
Runs can be advanced in chunks and retuned between chunks with their optimizer state kept.

Statuses (core.status.RunStatus): running; converged (gradient norm and step both below
tolerance); diverged (the iterate or loss became non-finite or beyond DIVERGENCE_BOUND: the
run freezes at its last finite point, a lesson to show, never an error); max_steps.
Leaving the plotted bounds does not stop a run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gradscape.core.cancel import Check, never
from gradscape.core.errors import Refusal
from gradscape.core.linalg2 import eigh2
from gradscape.core.optimizers import OPTIMIZERS, OptimizerSpec, inspect
from gradscape.core.optimizers import UNKNOWN as UNKNOWN_OPTIMIZER
from gradscape.core.schedules import SCHEDULES, ScheduleSpec
from gradscape.core.schedules import UNKNOWN as UNKNOWN_SCHEDULE
from gradscape.core.status import RunStatus
from gradscape.core.surface import Array, Surface

DIVERGENCE_BOUND = 1e8  # |θ| or |f| beyond this counts as diverged
MAX_STEPS = 100_000
MAX_RUNS = 16
MAX_CHANGES = 64  # mid-run changes per run (RunSpec.changes)
# numpy takes any non-negative seed; requests and links stay within 32 bits (the server
# validates, GET /api/limits serves it to the page).
MAX_SEED = 2**32 - 1
DEFAULT_TOLERANCE = 1e-8
BATCH_ANALYTIC = Refusal("run.batch_size_analytic", "batch_size applies only to data-set "
                         "surfaces; use noise on analytic ones")
BATCH_OVER = Refusal("run.batch_size_over", "Invalid batch_size: {batch_size} (must be between "
                     "1 and the {samples} samples)")
CHANGE_STEPS = Refusal("run.change_steps", "mid-run change steps must be whole numbers rising "
                       "from 1 to {limit}, got {step} after {last}")


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
    # Mid-run changes, replayed: (k, params) = these hyperparameters from the update that
    # leaves point k on (what a live `retune` at step k did), optimizer state kept. A link
    # or an export of a race retuned by hand then reproduces the path the class saw.
    changes: tuple[tuple[int, Mapping[str, Any]], ...] = ()


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
        raise UNKNOWN_OPTIMIZER(name=repr(spec.optimizer), known=", ".join(OPTIMIZERS))
    hp = opt.validate(dict(spec.params))
    sched = SCHEDULES.get(spec.schedule)
    if sched is None:
        raise UNKNOWN_SCHEDULE(name=repr(spec.schedule), known=", ".join(SCHEDULES))
    sp = sched.validate(dict(spec.schedule_params))
    try:  # plain Python: a fifth of what numpy's checks cost, for two numbers per run
        x, y = spec.start
        finite = math.isfinite(x) and math.isfinite(y)
    except (TypeError, ValueError):
        finite = False
    if not finite:
        raise ValueError(f"start must be two finite numbers (x, y), got {spec.start!r}")
    if not (math.isfinite(spec.noise) and 0.0 <= spec.noise <= 1e6):
        raise ValueError(f"Invalid noise: {spec.noise!r} (must be between 0 and 1e6)")
    if spec.batch_size is not None:
        if not surface.samples:
            raise BATCH_ANALYTIC()
        if not 1 <= spec.batch_size <= surface.samples:
            raise BATCH_OVER(batch_size=spec.batch_size, samples=surface.samples)
    _validate_changes(spec, opt)
    return opt, hp, sched, sp


def _validate_changes(spec: RunSpec, opt: OptimizerSpec) -> None:
    if len(spec.changes) > MAX_CHANGES:
        raise ValueError(f"a run takes at most {MAX_CHANGES} mid-run changes, got "
                         f"{len(spec.changes)}")
    params = dict(spec.params)
    last = 0
    for step, change in spec.changes:
        if not isinstance(step, int) or step <= last or step > MAX_STEPS:
            raise CHANGE_STEPS(limit=MAX_STEPS, step=repr(step), last=last)
        params.update(change)
        opt.validate(params)  # each stretch's settings must be valid on their own
        last = step


class StepContext:
    """What non-gradient optimizers may read during one update (reused, not rebuilt, per step)."""

    def __init__(self, surface: Surface,
                 rng: np.random.Generator | Callable[[], np.random.Generator]) -> None:
        self.surface = surface
        self.bounds = surface.bounds
        self._rng = rng  # a generator, or a function making it when first needed
        self.values: Array = np.empty(0)
        self.hessian: Array | None = None
        self.batch: Array | None = None

    @property
    def rng(self) -> np.random.Generator:
        if not isinstance(self._rng, np.random.Generator):
            self._rng = self._rng()
        return self._rng

    def value_fn(self, points: Array) -> Array:
        # The full-data loss, like `values`: a search compares like with like (in chunks
        # of points on a data set, as every evaluation of a basin map).
        step = self.surface.chunk_points()
        if len(points) <= step:
            return self.surface.value(points)
        return np.concatenate([self.surface.value(points[i:i + step])
                               for i in range(0, len(points), step)])


BLOCK = 128  # steps computed between status checks; results are cut at the first stop


@dataclass
class _Run:
    spec: RunSpec
    opt: OptimizerSpec
    hp: Any
    schedule: ScheduleSpec
    schedule_params: Any
    seed: tuple[int, int]  # (race seed, run index): the run's generator, made when first used
    position: Array  # (1, 2): the next point to evaluate
    state: Any
    step: int = 0  # points recorded so far = step (updates too), until the run stops
    status: RunStatus = RunStatus.RUNNING
    last_step_norm: float = np.inf
    retuned_at: list[int] = field(default_factory=list)
    records: dict[str, list[Array]] = field(default_factory=dict)
    _rng: np.random.Generator | None = field(default=None, repr=False)

    @property
    def rng(self) -> np.random.Generator:
        """Made on first use: most runs draw no random numbers, and seeding one costs more
        than a step (a race's first frame is on the server's latency path)."""
        if self._rng is None:
            self._rng = np.random.default_rng(list(self.seed))
        return self._rng

    def record(self, name: str, value: Array) -> None:
        self.records.setdefault(name, []).append(value)


def _rng_of(run: _Run) -> Callable[[], np.random.Generator]:
    return lambda: run.rng


def _stack_states(states: list[Any]) -> Any:
    """A list of per-step optimizer states as one state whose fields carry a step axis."""
    return type(states[0])(*(np.array(field) for field in zip(*states, strict=True)))


class Race:
    """Runs advanced together over one surface; see the module docstring.

    `advance(n)` moves every running run up to n steps and returns what each did in that
    chunk; `retune(i, params)` changes run i's hyperparameters with its state kept.

    Steps are computed in blocks: per step only the batched evaluation and each optimizer's
    update run; statuses (diverged, converged, max_steps) are found afterwards for the whole
    block at once and the records cut at the first stop, which gives the same result as a
    check after every step at a fraction of the cost.
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
        return _Run(spec, opt, hp, sched, sp, (self.seed, index), start, opt.init(start))

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

    def _apply_changes(self, step: int) -> None:
        for i, run in enumerate(self.runs):
            if run.status != RunStatus.RUNNING:
                continue
            for k, params in run.spec.changes:
                if k == step:
                    self.retune(i, params)

    @staticmethod
    def _next_change(active: list[_Run], step: int) -> int:
        ahead = [k - step for r in active for k, _ in r.spec.changes if k > step]
        return min(ahead, default=BLOCK)

    @property
    def done(self) -> bool:
        return all(r.status != RunStatus.RUNNING for r in self.runs)

    # --- stepping --------------------------------------------------------------------------
    def advance(self, n: int) -> list[Trajectory]:
        """Up to n more steps for every running run; returns each run's new records."""
        left = n
        with np.errstate(all="ignore"):
            while left > 0 and not self.done:
                active = [r for r in self.runs if r.status == RunStatus.RUNNING]
                step = active[0].step
                self._apply_changes(step)
                # one more evaluation than steps: the point after the last step is recorded;
                # a block ends where a run's next scheduled change begins
                size = min(left, BLOCK, self.steps + 1 - step, self._next_change(active, step))
                self._block(active, size)
                left -= size
        chunks = [self._trajectory(r, self._sent[i]) for i, r in enumerate(self.runs)]
        self._sent = [sum(len(p) for p in r.records.get("points", ())) for r in self.runs]
        return chunks

    def opening(self) -> list[Trajectory] | None:
        """Each run's start as the first point of its path, without taking a step: its
        point and value (and with `eigen` its Hessian's eigen-decomposition), from the same
        batched evaluation the first step makes, so the numbers are those `advance` records
        (the gradients are exact: a noisy run's first step adds its noise to them later).
        What a live view can show at once while the steps are computed; `advance` still
        returns these points. None once the race has stepped, or when a run draws
        mini-batches (its first evaluation consumes the batch sequence)."""
        if any(r.step or r.records or r.spec.batch_size is not None for r in self.runs):
            return None
        need_h = self._needs_hessian(self.runs)
        P = np.concatenate([r.position for r in self.runs])
        with np.errstate(all="ignore"):
            values, grads, hess, _ = self._evaluate(P, self.runs, need_h)
            eig = eigh2(hess) if self.eigen and hess is not None else None
        no_updates, no_lrs = np.empty((0, 2)), np.empty(0)  # shared: empty, nothing to write
        return [Trajectory(optimizer=r.spec.optimizer, params=dict(r.spec.params),
                           points=P[j:j + 1], values=values[j:j + 1], grads=grads[j:j + 1],
                           updates=no_updates, lrs=no_lrs, inspector={},
                           status=r.status, stop_step=0,
                           eigenvalues=None if eig is None else eig[0][j:j + 1],
                           eigenvectors=None if eig is None else eig[1][j:j + 1])
                for j, r in enumerate(self.runs)]

    def run(self, check: Check = never) -> list[Trajectory]:
        """Advance to the end and return whole trajectories; `check()` is called between
        chunks of steps and may raise to stop (core.cancel)."""
        while not self.done:
            check()
            self.advance(1024)
        return self.trajectories()

    def trajectories(self) -> list[Trajectory]:
        return [self._trajectory(r, 0) for r in self.runs]

    def _draw_batch(self, size: int | None) -> Array | None:
        """The same mini-batch sequence for every run of one batch size: a fair race."""
        if size is None or size >= self.surface.samples:
            return None
        rng = self._batch_rngs.setdefault(size, np.random.default_rng([self.seed, 7, size]))
        return np.sort(rng.choice(self.surface.samples, size, replace=False))

    def _needs_hessian(self, active: list[_Run]) -> bool:
        """Whether an evaluation must compute Hessians (recorded, or read by an optimizer)."""
        return self.eigen or any(r.opt.needs_hessian for r in active)

    def _evaluate(self, P: Array, active: list[_Run],
                  need_h: bool) -> tuple[Array, Array, Array | None, list[Any]]:
        """One batched evaluation per group of runs sharing a mini-batch (usually one group)."""
        sizes = {r.spec.batch_size for r in active}
        if len(sizes) == 1:
            batch = self._draw_batch(next(iter(sizes)))
            if need_h:
                v, g, h = self.surface.value_grad_hessian(P, batch)
                if batch is not None:
                    v = self.surface.value(P)
                return v, g, h, [batch] * len(active)
            v, g = self.surface.value_and_grad_unchecked(P, batch)
            if batch is not None:
                # the gradient is the mini-batch estimate; the loss shown is the full one,
                # so loss curves of different batch sizes can be compared
                v = self.surface.value(P)
            return v, g, None, [batch] * len(active)
        values, grads = np.empty(len(active)), np.empty((len(active), 2))
        hess = np.empty((len(active), 2, 2)) if need_h else None
        batches: list[Any] = [None] * len(active)
        for size in sizes:
            rows = [j for j, r in enumerate(active) if r.spec.batch_size == size]
            v, g, sub_h, b = self._evaluate(P[rows], [active[j] for j in rows], need_h)
            values[rows], grads[rows] = v, g
            if hess is not None and sub_h is not None:
                hess[rows] = sub_h
            for j in rows:
                batches[j] = b[0]
        return values, grads, hess, batches

    def _block(self, active: list[_Run], size: int) -> None:
        """`size` evaluations (and updates) for every active run, then statuses and cuts."""
        need_h = self._needs_hessian(active)
        ctx = [StepContext(self.surface, _rng_of(r)) for r in active]
        first = active[0].step
        steps = np.arange(first + 1, first + size + 1, dtype=np.float64)
        lrs = [r.schedule.factors(steps, r.schedule_params)
               * r.hp.get("lr", 1.0) for r in active]
        n = len(active)
        P = np.concatenate([r.position for r in active])
        pts, vals, grads_rec = np.empty((size, n, 2)), np.empty((size, n)), np.empty((size, n, 2))
        upds = np.empty((size, n, 2))
        hess_rec = np.empty((size, n, 2, 2)) if need_h else None
        states: list[list[Any]] = [[] for _ in active]
        noisy = [j for j, r in enumerate(active) if r.spec.noise > 0.0]
        for k in range(size):
            values, grads, hess, batches = self._evaluate(P, active, need_h)
            for j in noisy:
                grads[j] += active[j].spec.noise * active[j].rng.standard_normal(2)
            pts[k], vals[k], grads_rec[k] = P, values, grads
            if hess_rec is not None and hess is not None:
                hess_rec[k] = hess
            if n == 1:  # the common single-run case, without slicing
                run, c = active[0], ctx[0]
                c.values, c.batch, c.hessian = values, batches[0], hess
                upd, run.state = run.opt.update(grads, run.state, P, run.hp, lrs[0][k], c)
                upds[k] = upd
                states[0].append(run.state)
                P = P + upd
                continue
            for j, run in enumerate(active):
                c = ctx[j]
                c.values, c.batch = values[j:j + 1], batches[j]
                c.hessian = None if hess is None else hess[j:j + 1]
                upds[k, j], run.state = run.opt.update(grads[j:j + 1], run.state, P[j:j + 1],
                                                       run.hp, lrs[j][k], c)
                states[j].append(run.state)
            P = P + upds[k]
        # Statuses for every run of the block at once: (size, n) masks, one pass each.
        bad = ~(np.isfinite(vals) & np.isfinite(grads_rec).all(axis=2)
                & np.isfinite(pts).all(axis=2))
        bad |= (np.abs(pts).max(axis=2) > DIVERGENCE_BOUND) | (np.abs(vals) > DIVERGENCE_BOUND)
        step_norm = np.hypot(upds[..., 0], upds[..., 1])
        prev_step = np.concatenate([[[r.last_step_norm for r in active]], step_norm[:-1]])
        taken = np.array([r.step for r in active])
        prev_step[0, taken == 0] = 0.0  # nothing moved yet: a zero gradient at the start stops
        tol = self.tolerance
        converged = (np.hypot(grads_rec[..., 0], grads_rec[..., 1]) < tol) & (prev_step < tol)
        converged &= ~bad
        at_limit = taken[None, :] + np.arange(size)[:, None] >= self.steps
        stopped = bad | converged | at_limit
        stops = np.where(stopped.any(axis=0), stopped.argmax(axis=0), size).tolist()
        for j, run in enumerate(active):
            stop = stops[j]
            self._settle(run, stop, stop < size and bool(bad[stop, j]),
                         stop < size and bool(converged[stop, j]), pts[:, j], vals[:, j],
                         grads_rec[:, j], upds[:, j], lrs[j],
                         None if hess_rec is None else hess_rec[:, j], states[j],
                         step_norm[:, j])
            run.position = P[j:j + 1]

    def _settle(self, run: _Run, stop: int, bad: bool, converged: bool, pts: Array,
                vals: Array, grads: Array, upds: Array, lrs: Array, hess: Array | None,
                states: list[Any], step_norm: Array) -> None:
        """Keep a block's records up to its first stop (index `stop`, the block's length if
        none; `bad`/`converged` say what it is) and set the status."""
        if stop == len(vals):  # no stop in this block: keep everything
            keep_pts, keep_upds = stop, stop
        elif bad:
            run.status = RunStatus.DIVERGED  # frozen at the last finite point, before this one
            keep_pts, keep_upds = stop, max(stop - 1, 0)
            if stop == 0 and run.records.get("updates"):
                run.records["updates"][-1] = run.records["updates"][-1][:-1]
                run.records["lrs"][-1] = run.records["lrs"][-1][:-1]
                for name in [k for k in run.records if k.startswith("inspect:")]:
                    run.records[name][-1] = run.records[name][-1][:-1]
        else:
            run.status = RunStatus.CONVERGED if converged else RunStatus.MAX_STEPS
            keep_pts, keep_upds = stop + 1, stop
        run.record("points", pts[:keep_pts])
        run.record("values", vals[:keep_pts])
        run.record("grads", grads[:keep_pts])
        if self.eigen and hess is not None:
            lam, vec = eigh2(hess[:keep_pts])
            run.record("eigenvalues", lam)
            run.record("eigenvectors", vec)
        run.record("updates", upds[:keep_upds])
        run.record("lrs", lrs[:keep_upds])
        if keep_upds:
            stacked = _stack_states(states[:keep_upds])
            view = inspect(run.opt, stacked, upds[:keep_upds, None, :], float(lrs[0]))
            for name, arr in view.items():
                run.record("inspect:" + name, np.asarray(arr).reshape(keep_upds, 2))
        run.step += keep_upds if run.status == RunStatus.RUNNING else keep_pts - 1
        if run.status == RunStatus.DIVERGED:
            run.step = max(run.step, 0)
        if keep_upds:
            run.last_step_norm = float(step_norm[keep_upds - 1])

    def _trajectory(self, run: _Run, start: int) -> Trajectory:
        rec = run.records

        def stack(name: str, shape: tuple[int, ...]) -> Array:
            items = rec.get(name, [])
            if not items:
                return np.empty((0, *shape))
            if len(items) == 1:  # the first chunk: no copy
                return items[0][start:]
            return np.concatenate(items)[start:]

        return Trajectory(
            optimizer=run.spec.optimizer, params=dict(run.spec.params),
            points=stack("points", (2,)), values=stack("values", ()),
            grads=stack("grads", (2,)), updates=stack("updates", (2,)),
            lrs=stack("lrs", ()),
            inspector={k.split(":", 1)[1]: stack(k, (2,)) for k in rec if k.startswith("inspect:")},
            status=run.status, stop_step=run.step,
            eigenvalues=stack("eigenvalues", (2,)) if self.eigen else None,
            eigenvectors=stack("eigenvectors", (2, 2)) if self.eigen else None,
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
           check: Check = never, **hyperparameters: Any) -> BasinMap:
    """The optimizer from every point of a resolution x resolution grid, all at once.

    On a data-set surface each evaluation runs in chunks of points (Surface.chunk_points),
    so memory stays bounded. `check()` is called before every step and between chunks, and
    may raise to stop (core.cancel)."""
    from gradscape.core.critical import critical_points  # noqa: PLC0415 - only basins need it

    opt = OPTIMIZERS.get(optimizer_id)
    if opt is None:
        raise UNKNOWN_OPTIMIZER(name=repr(optimizer_id), known=", ".join(OPTIMIZERS))
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
    evaluate = _chunked_evaluation(surface, opt.needs_hessian, opt.needs_values)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            values, grads, hessians = evaluate(P, check)
            if values is not None:
                ctx.values = values
            if hessians is not None:
                ctx.hessian = hessians
            update, state = opt.update(grads, state, P, hp, lr, ctx)
            P = P + update
            if t % BASIN_CHECK_EVERY == 0 or t == steps:
                # comparisons with nan are false, so one test catches both ways to diverge
                x, y = P[:, 0], P[:, 1]
                ok = (np.abs(x) < DIVERGENCE_BOUND) & (np.abs(y) < DIVERGENCE_BOUND)
                diverged |= ~ok
                np.copyto(last_good, P, where=ok[:, None])
                gx, gy = grads[:, 0], grads[:, 1]
                still = (gx * gx + gy * gy < tolerance**2) & ok
                taken[still & (taken == steps)] = t
        final_values = np.concatenate([
            surface.value(last_good[i:i + surface.chunk_points()])
            for i in range(0, n, surface.chunk_points())])
    found = critical if critical is not None else critical_points(surface, check=check)
    labels = _nearest_critical(last_good, found, surface)
    status = np.where(diverged, RunStatus.DIVERGED.value,
                      np.where(taken < steps, RunStatus.CONVERGED.value, RunStatus.MAX_STEPS.value))
    labels[diverged] = -1
    shape = (resolution, resolution)
    return BasinMap(xs, ys, labels.reshape(shape), last_good.reshape(*shape, 2),
                    final_values.reshape(shape), taken.reshape(shape), status.reshape(shape),
                    found)


Evaluation = Callable[[Array, Check], tuple[Array | None, Array, Array | None]]


def _chunked_evaluation(surface: Surface, hessian: bool, values: bool) -> Evaluation:
    """(values or None, gradients, Hessians or None) at every point, one engine call per
    chunk of points on a data-set surface."""
    def one(P: Array) -> tuple[Array | None, Array, Array | None]:
        if hessian:
            return surface.value_grad_hessian(P)
        if values:
            v, g = surface.value_and_grad(P)
            return v, g, None
        return None, surface.grad(P), None

    def chunked(P: Array, check: Check) -> tuple[Array | None, Array, Array | None]:
        step = surface.chunk_points()
        check()
        if len(P) <= step:
            return one(P)
        parts = []
        for i in range(0, len(P), step):
            if i:
                check()
            parts.append(one(P[i:i + step]))
        v, h = parts[0][0], parts[0][2]
        return (None if v is None else np.concatenate([p[0] for p in parts])),  \
            np.concatenate([p[1] for p in parts]), \
            (None if h is None else np.concatenate([p[2] for p in parts]))

    return chunked


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
