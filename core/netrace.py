"""A network race stepped a chunk at a time: what a live stream needs from `core.train`.

`core.train` runs a whole training at once; a live view wants the same numbers a frame at a
time, with pause, single steps and new hyperparameters mid-run. `NetRace` keeps each run's
optimizer state between chunks and steps it exactly as `core.train` does (the same
evaluations in the same order, the same mini-batch sequence and sharpness samples), so a
race that is never retuned records what `core.train` returns for each run, number for number.

    race = NetRace(prob, [NetRunSpec("sgd", {"lr": 0.1}), NetRunSpec("adam")], steps=500)
    first = race.opening()          # every run's start (iterate 0), no step taken
    chunks = race.advance(50)       # 50 more updates per running run: iterates 1..50
    race.retune(0, {"lr": 0.05})    # from run 0's next update on; optimizer state kept
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradscape.core.cancel import Check, never
from gradscape.core.network import NetworkProblem
from gradscape.core.spectrum import lambda_max
from gradscape.core.status import RunStatus
from gradscape.core.training import (
    DIVERGENCE_BOUND,
    MAX_TRAIN_STEPS,
    SearchContext,
    mini_batches,
    preconditioner,
    resolve_training,
    stability,
)

Array = NDArray[np.float64]

MAX_NET_RUNS = 12


@dataclass(frozen=True)
class NetRunSpec:
    """One optimizer of a race: its id, hyperparameters, schedule and mini-batch size."""

    optimizer: str
    params: Mapping[str, Any] = field(default_factory=dict)
    schedule: str = "constant"
    schedule_params: Mapping[str, Any] = field(default_factory=dict)
    batch_size: int | None = None


@dataclass
class NetChunk:
    """One run's new records since the last chunk: iterates first..first+m-1."""

    optimizer: str
    first: int  # index of the first iterate in this chunk
    thetas: Array  # (m, P)
    train_loss: Array  # (m,)
    test_loss: Array  # (m,)
    train_acc: Array | None  # (m,) (None for regression)
    test_acc: Array | None
    grad_norm: Array  # (u,) the updates taken in this chunk
    lrs: Array  # (u,)
    epochs: Array  # (m,)
    sharpness_steps: NDArray[np.int64]
    sharpness: Array
    preconditioned: Array  # NaN where the optimizer has no preconditioner
    threshold: Array
    status: RunStatus  # running, max_steps or diverged
    step: int  # updates taken so far


class _NetRun:
    def __init__(self, prob: NetworkProblem, spec: NetRunSpec, steps: int, start: Array,
                 seed: int, sharpness_every: int) -> None:
        opt, hp, _, sp, theta, bs = resolve_training(prob, spec.optimizer, steps, start,
                                             spec.batch_size, dict(spec.params), spec.schedule,
                                             dict(spec.schedule_params))
        self.prob, self.spec, self.opt, self.hp, self.bs = prob, spec, opt, hp, bs
        from gradscape.core.schedules import SCHEDULES  # noqa: PLC0415 - validated by resolve_training above
        self.factors = SCHEDULES[spec.schedule].factors(
            np.arange(1, steps + 1, dtype=np.float64), sp)
        self.steps, self.seed, self.every = steps, seed, sharpness_every
        self.theta = theta
        self.state = opt.init(theta[None, :])
        self.ctx = SearchContext(prob, np.random.default_rng([seed, 13]))
        self.batches: Iterator[Any] = mini_batches(prob.X.shape[0], bs, seed)
        self.k = -1  # the last evaluated iterate (-1: none yet)
        self.status = RunStatus.RUNNING
        self.loss = math.nan
        self.g: Array | None = None
        self.vec: Array | None = None
        self.pre_vec: Array | None = None
        self.hvps = 0
        self._reset()

    @property
    def step(self) -> int:
        return max(self.k, 0)

    def lr(self, k: int) -> float:
        return float(self.factors[k] * self.hp.get("lr", 1.0))

    def retune(self, params: Mapping[str, Any]) -> None:
        merged = {**self.spec.params, **params}
        self.hp = self.opt.validate(merged)
        self.spec = NetRunSpec(self.spec.optimizer, merged, self.spec.schedule,
                               self.spec.schedule_params, self.spec.batch_size)

    def _reset(self) -> None:
        self.rec: dict[str, list[Any]] = {name: [] for name in (
            "thetas", "train_loss", "test_loss", "train_acc", "test_acc", "grad_norm", "lrs",
            "sharpness_steps", "sharpness", "preconditioned", "threshold")}
        self.first = self.k + 1

    def evaluate(self, shared: dict[str, Any] | None = None) -> None:
        """Record iterate k + 1 (the current θ): losses, accuracies, sharpness; as
        `core.train`'s loop body before its update. `shared` memoizes the evaluations
        of runs at the same θ (every run's start): equal inputs, equal numbers."""
        prob, theta = self.prob, self.theta
        memo: dict[str, Any] = {} if shared is None else shared
        k = self.k = self.k + 1
        full, last = self.bs == prob.X.shape[0], k == self.steps
        if "train" not in memo:
            memo["train"] = prob.step_eval(theta, prob.X, prob.y, with_grad=not last)
        loss, acc, g = memo["train"]
        if not (full and not last):
            g = None
        if not math.isfinite(loss) or float(np.max(np.abs(theta))) > DIVERGENCE_BOUND:
            # core.train keeps the iterates before the one that blew up (the start always)
            self.status = RunStatus.DIVERGED
            self.k = k - 1
            if k > 0:  # and the update that led here, as core.train drops it
                self.rec["grad_norm"].pop()
                self.rec["lrs"].pop()
                return
            self.k = 0
        if "test" not in memo:
            memo["test"] = prob.step_eval(theta, prob.X_test, prob.y_test, with_grad=False)
        test_loss, test_acc, _ = memo["test"]
        r = self.rec
        r["thetas"].append(theta)
        r["train_loss"].append(loss)
        r["test_loss"].append(test_loss)
        r["train_acc"].append(math.nan if acc is None else acc)
        r["test_acc"].append(math.nan if test_acc is None else test_acc)
        self.loss, self.g = loss, g
        if self.status == RunStatus.DIVERGED:
            return
        if self.every and k % self.every == 0:
            self._sharpness(k, memo)
        if last:
            self.status = RunStatus.MAX_STEPS

    def _sharpness(self, k: int, memo: dict[str, Any]) -> None:
        bound, preconditioned = stability(self.opt.id, self.hp, self.lr(min(k, self.steps - 1)))
        if "top" not in memo or self.vec is not None:
            memo["top"] = lambda_max(self.prob, self.theta, self.vec, seed=self.seed)
        top = memo["top"]
        self.vec, self.hvps = top.vector, self.hvps + top.products
        r = self.rec
        r["sharpness_steps"].append(k)
        r["sharpness"].append(top.value)
        r["threshold"].append(bound)
        P = preconditioner(self.opt.id, self.state, self.hp) if preconditioned else None
        if P is not None:
            ptop = lambda_max(self.prob, self.theta, self.pre_vec, precondition=P,
                              seed=self.seed)
            self.pre_vec, self.hvps = ptop.vector, self.hvps + ptop.products
            r["preconditioned"].append(ptop.value)
        else:
            r["preconditioned"].append(math.nan)

    def update(self) -> None:
        """One optimizer step from iterate k (which `evaluate` recorded)."""
        prob, k = self.prob, self.k
        idx = next(self.batches)
        g = self.g
        if g is None:
            _, _, g = prob.step_eval(self.theta, prob.X[idx], prob.y[idx], with_grad=True)
            assert g is not None
        lr = self.lr(k)
        self.rec["grad_norm"].append(float(np.linalg.norm(g)))
        self.rec["lrs"].append(lr)
        self.ctx.values = np.array([self.loss])
        upd, self.state = self.opt.update(g[None, :], self.state, self.theta[None, :], self.hp,
                                          lr, self.ctx)
        self.theta = self.theta + upd[0]

    def chunk(self) -> NetChunk:
        r, n = self.rec, self.prob.X.shape[0]
        m = len(r["thetas"])
        classify = self.prob.task == "classification"
        iterates = np.arange(self.first, self.first + m)
        per_epoch = -(-n // self.bs)
        full, rest = np.divmod(iterates, per_epoch)
        epochs = (full * n + np.minimum(rest * self.bs, n)) / n
        out = NetChunk(
            optimizer=self.opt.id, first=self.first,
            thetas=np.array(r["thetas"]).reshape(m, self.prob.n_params),
            train_loss=np.array(r["train_loss"], dtype=np.float64),
            test_loss=np.array(r["test_loss"], dtype=np.float64),
            train_acc=np.array(r["train_acc"], dtype=np.float64) if classify else None,
            test_acc=np.array(r["test_acc"], dtype=np.float64) if classify else None,
            grad_norm=np.array(r["grad_norm"], dtype=np.float64),
            lrs=np.array(r["lrs"], dtype=np.float64), epochs=np.asarray(epochs, np.float64),
            sharpness_steps=np.array(r["sharpness_steps"], dtype=np.int64),
            sharpness=np.array(r["sharpness"], dtype=np.float64),
            preconditioned=np.array(r["preconditioned"], dtype=np.float64),
            threshold=np.array(r["threshold"], dtype=np.float64),
            status=self.status, step=self.step)
        self._reset()
        return out


class NetRace:
    """Several optimizers trained from one shared initialization, stepped in chunks."""

    def __init__(self, prob: NetworkProblem, runs: Sequence[NetRunSpec], *, steps: int,
                 start: ArrayLike | None = None, seed: int = 0, init_seed: int = 0,
                 sharpness_every: int = 0) -> None:
        if not isinstance(runs, Sequence) or not 1 <= len(runs) <= MAX_NET_RUNS:
            raise ValueError(f"Invalid runs: between 1 and {MAX_NET_RUNS} optimizers per race")
        if isinstance(sharpness_every, bool) or not isinstance(sharpness_every, int) \
                or not 0 <= sharpness_every <= MAX_TRAIN_STEPS:
            raise ValueError(f"Invalid sharpness_every: {sharpness_every!r} (0 for none, or a "
                             f"whole number of steps up to {MAX_TRAIN_STEPS})")
        self.prob, self.steps, self.seed = prob, steps, seed
        theta0 = prob.init(init_seed) if start is None else np.asarray(start, dtype=np.float64)
        self.start = theta0
        self.specs = list(runs)
        self.runs = [_NetRun(prob, spec, steps, theta0, seed, sharpness_every) for spec in runs]
        # (update index, run, params) of every retune, in order
        self.retunes: list[tuple[int, int, dict[str, Any]]] = []

    @property
    def done(self) -> bool:
        return all(r.status != RunStatus.RUNNING for r in self.runs)

    def retune(self, index: int, params: Mapping[str, Any]) -> None:
        """New hyperparameters for run `index` from its next update on."""
        if not 0 <= index < len(self.runs):
            raise ValueError(f"Invalid run: {index} (this race has runs 0 to "
                             f"{len(self.runs) - 1})")
        self.runs[index].retune(params)
        self.retunes.append((self.runs[index].step, index, dict(params)))

    def opening(self) -> list[NetChunk]:
        """Every run's iterate 0 (its start), evaluated once; no update taken."""
        self._start()
        return [r.chunk() for r in self.runs]

    def _start(self) -> None:
        # Every run starts at the same θ₀ on the same data: one evaluation serves them all.
        shared: dict[str, Any] = {}
        with np.errstate(all="ignore"):
            for r in self.runs:
                if r.k < 0:
                    r.evaluate(shared)

    def advance(self, n: int, check: Check = never) -> list[NetChunk]:
        """Up to n more updates per running run, each followed by evaluating its iterate.
        `check` runs between two updates (it may raise core.cancel.Cancelled)."""
        self._start()
        with np.errstate(all="ignore"):
            for _ in range(n):
                running = [r for r in self.runs if r.status == RunStatus.RUNNING]
                if not running:
                    break
                check()
                for r in running:
                    r.update()
                    r.evaluate()
        return [r.chunk() for r in self.runs]
