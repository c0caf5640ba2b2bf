"""Training a tiny network with the registry's optimizers: `core.train`.

The same pure (init, update) pairs as the 2D races, applied to one (1, P) parameter row, with
the same hyperparameters, schedules and torch.optim semantics. Full batch, or mini-batches of
`batch_size` drawn as epochs of a seeded reshuffle (every sample once per epoch, the last
batch of an epoch smaller when batch_size does not divide n, like torch's DataLoader with
shuffle=True and drop_last=False).

Along training it can sample the sharpness λmax every k steps (warm-started Lanczos on exact
Hessian-vector products) next to the optimizer's stability threshold: 2/η for gradient
descent, (2 + 2β)/η for heavy-ball momentum, and for Adam the preconditioned sharpness
λmax(P⁻¹H), P = (1 − β₁ᵗ)·diag(√v̂ + ε), against (2 + 2β₁)/((1 − β₁)η) (Cohen et al. 2022).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradscape.core.errors import InputError, Refusal
from gradscape.core.network import NetworkProblem
from gradscape.core.optimizers import OPTIMIZERS, OptimizerSpec, torch_buffers, torch_state
from gradscape.core.params import REFUSE
from gradscape.core.runs import BATCH_OVER
from gradscape.core.schedules import SCHEDULES
from gradscape.core.spectrum import lambda_max
from gradscape.core.status import RunStatus

Array = NDArray[np.float64]

MAX_TRAIN_STEPS = 20_000
MAX_RECORDED = 25_000_000  # (steps + 1) x P floats kept for the parameter path (200 MB)
PATH_TOO_LONG = Refusal("network.path_too_long", "Invalid steps: {steps} x {params} parameters "
                        "is too long a path to record (at most {limit} steps)")
DIVERGENCE_BOUND = 1e8
MAX_CHANGES = 64  # mid-run changes per run, as for the 2D races (core.runs.MAX_CHANGES)
# The optimizers a network can be trained with, each with the settings a first race starts
# it at: those registry entries that have network_params (core/optimizers.py says why the
# others have none). Read from the registry when asked: an entry added is offered at once.
def network_defaults() -> dict[str, dict[str, float]]:
    return {s.id: dict(s.network_params) for s in OPTIMIZERS.values()
            if s.network_params is not None}


def network_optimizers() -> tuple[str, ...]:
    return tuple(network_defaults())


CHANGE_STEP = Refusal("network.change_step", "Invalid step: {step} (a change's step is a whole "
                      "number from {first} to {limit}: after the one before, within the steps)")
# an unknown id and a 2D-only one alike: the sentence is true of both
NOT_FOR_NETWORKS = Refusal("optimizer.network_choice",
                           "Invalid optimizer: {name} (for networks choose one of {known})")


@dataclass
class TrainResult:
    """One training run: k + 1 iterates for k steps, with per-iterate and per-step records."""

    optimizer: str
    params: dict[str, Any]
    thetas: Array  # (k+1, P): the parameter path
    train_loss: Array  # (k+1,) loss over the whole training set at each iterate
    test_loss: Array  # (k+1,) the same loss over the test set
    train_acc: Array | None  # (k+1,) classification accuracy (None for regression)
    test_acc: Array | None
    grad_norm: Array  # (k,) norm of the gradient each update used (the mini-batch's)
    lrs: Array  # (k,) the learning rate of each update, after the schedule
    epochs: Array  # (k+1,) epochs completed at each iterate (samples seen / n)
    updates: int  # k
    batch_size: int  # samples per update (n for full batch)
    status: RunStatus  # max_steps or diverged (stopped at the last finite iterate)
    sharpness_steps: Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sharpness: Array = field(default_factory=lambda: np.zeros(0))  # λmax(H) at those steps
    preconditioned: Array | None = None  # λmax(P⁻¹H) for the adaptive methods
    threshold: Array = field(default_factory=lambda: np.zeros(0))  # the stability bound
    hvps: int = 0  # Hessian-vector products spent on the sharpness samples
    # (k,) per torch.optim state buffer (momentum_buffer, exp_avg, ...): its norm after
    # each update (optimizers.torch_state)
    state_norms: dict[str, Array] = field(default_factory=dict)


def stability(opt_id: str, hp: dict[str, Any], lr: float) -> tuple[float, bool]:
    """(threshold, preconditioned): the largest stable curvature for one step size η.

    On a quadratic, gradient descent is stable while ηλ < 2. Heavy-ball momentum β with
    torch's dampening τ is heavy ball with step η(1 − τ), stable while η(1 − τ)λ < 2 + 2β;
    Nesterov (torch's form) while ηλ < (2 + 2β)/(1 + 2β). The adaptive methods step along
    P⁻¹g, so their bound is on λmax(P⁻¹H): (2 + 2μ)/η for AdaGrad and RMSProp (μ: RMSProp's
    momentum), (2 + 2β₁)/((1 − β₁)η) for Adam and AdamW.
    """
    if opt_id in ("adam", "adamw"):
        b1 = hp["betas"][0]
        return (2.0 + 2.0 * b1) / ((1.0 - b1) * lr), True
    if opt_id in ("adagrad", "rmsprop"):
        mu = hp.get("momentum", 0.0)
        return (2.0 + 2.0 * mu) / lr, True
    mu = hp.get("momentum", 0.0)
    if mu and hp.get("nesterov"):
        return (2.0 + 2.0 * mu) / ((1.0 + 2.0 * mu) * lr), False
    damped = 1.0 - (hp.get("dampening", 0.0) if mu else 0.0)
    return ((2.0 + 2.0 * mu) / (damped * lr) if damped > 0 else math.inf), False


def preconditioner(opt_id: str, state: Any, hp: dict[str, Any]) -> Array | None:
    """The diagonal P of the step −η P⁻¹ m, from the optimizer's state (σ = √v̂ + ε)."""
    if state.t == 0:
        return None
    if opt_id in ("adam", "adamw"):
        return np.asarray((1.0 - hp["betas"][0] ** state.t) * state.sigma[0])
    if opt_id in ("adagrad", "rmsprop"):
        return np.asarray(state.sigma[0])
    return None


class SearchContext:
    """What random local search reads: the current loss, the loss function and an rng."""

    def __init__(self, prob: NetworkProblem, rng: np.random.Generator) -> None:
        self.prob, self.rng = prob, rng
        self.values = np.zeros(1)
        self.hessian = None
        self.bounds = (0.0, 0.0, 0.0, 0.0)

    def value_fn(self, points: Array) -> Array:
        return self.prob.loss(points)


def resolve_training(prob: NetworkProblem, optimizer_id: str, steps: int, start: ArrayLike | None,
             batch_size: int | None, hyperparams: dict[str, Any], schedule: str,
             schedule_params: dict[str, Any] | None,
             ) -> tuple[OptimizerSpec, dict[str, Any], Any, dict[str, Any], Array, int]:
    if optimizer_id not in network_optimizers():
        raise NOT_FOR_NETWORKS(name=repr(optimizer_id), known=", ".join(network_optimizers()))
    opt = OPTIMIZERS[optimizer_id]
    hp = opt.validate(hyperparams)
    sched = SCHEDULES.get(schedule) if isinstance(schedule, str) else None
    if sched is None:
        raise REFUSE["param.choice"](name="schedule", value=repr(schedule),
                                     choices=", ".join(SCHEDULES))
    sp = sched.validate(schedule_params or {})
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_TRAIN_STEPS:
        raise ValueError(f"Invalid steps: {steps!r} (a whole number between 1 and "
                         f"{MAX_TRAIN_STEPS})")
    if (steps + 1) * prob.n_params > MAX_RECORDED:
        raise PATH_TOO_LONG(steps=steps, params=prob.n_params,
                            limit=MAX_RECORDED // prob.n_params - 1)
    theta = prob.init(0) if start is None else np.asarray(start, dtype=np.float64)
    if theta.shape != (prob.n_params,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"Invalid start: shape {theta.shape} (expected {prob.n_params} "
                         "finite numbers)")
    n = prob.X.shape[0]
    if batch_size is None:
        bs = n
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) \
            or not 1 <= batch_size <= n:
        raise BATCH_OVER(batch_size=repr(batch_size), samples=n)
    else:
        bs = batch_size
    return opt, hp, sched, sp, theta.copy(), bs


Changes = list[tuple[int, dict[str, Any]]]


def resolve_changes(opt: OptimizerSpec, params: dict[str, Any], changes: Any,
                    steps: int) -> Changes:
    """Mid-run changes [(k, params), ...] -> [(k, the full validated hyperparameters in force
    from update k on)]: k whole and rising within 1..steps, each stretch's settings valid on
    their own (a ValueError naming the change otherwise)."""
    if changes is None:
        return []
    if not isinstance(changes, list | tuple) or len(changes) > MAX_CHANGES:
        raise ValueError(f"Invalid changes: at most {MAX_CHANGES} mid-run changes per run")
    merged, last, out = dict(params), 0, []
    for i, change in enumerate(changes):
        try:
            k, given = change
        except (TypeError, ValueError):
            raise ValueError(f"Invalid changes[{i}]: expected (step, params)") from None
        if isinstance(k, bool) or not isinstance(k, int) or not last < k <= steps:
            raise CHANGE_STEP(step=repr(k), first=last + 1, limit=steps).at(f"changes[{i}]")
        if not isinstance(given, Mapping):
            raise ValueError(f"Invalid changes[{i}].params: expected an object of "
                             "hyperparameters")
        merged.update(given)
        try:
            out.append((k, opt.validate(merged)))
        except InputError as exc:
            raise exc.at(f"changes[{i}]") from None
        except ValueError as exc:  # (validate's refusals are all coded; kept for any other)
            raise ValueError(f"Invalid changes[{i}]: {exc}") from None
        last = k
    return out


def mini_batches(n: int, size: int, seed: int) -> Any:
    """Index arrays of consecutive mini-batches, an epoch (a fresh permutation) at a time."""
    if size == n:
        everything = np.arange(n)
        while True:
            yield everything
    rng = np.random.default_rng([seed, 11])
    while True:
        perm = rng.permutation(n)
        for lo in range(0, n, size):
            yield perm[lo:lo + size]


def train(prob: NetworkProblem, optimizer_id: str, steps: int = 100,
          start: ArrayLike | None = None, batch_size: int | None = None, seed: int = 0, *,
          schedule: str = "constant", schedule_params: dict[str, Any] | None = None,
          sharpness_every: int = 0, changes: Changes | None = None,
          **hyperparams: Any) -> TrainResult:
    """Train the network `steps` updates from `start` (default: prob.init(0)).

    `hyperparams` are the optimizer's (lr, momentum, betas, ...), validated like the 2D
    races'; `sharpness_every` k > 0 samples λmax at steps 0, k, 2k, ... Divergence (a
    non-finite loss or |θ| > 1e8) ends the run with status "diverged", never an exception.
    `changes` [(k, params), ...]: these hyperparameters from update k on (the update that
    leaves iterate k), optimizer state kept: a race retuned mid-run, replayed.
    """
    opt, hp, sched, sp, theta, bs = resolve_training(prob, optimizer_id, steps, start, batch_size,
                                             hyperparams, schedule, schedule_params)
    if isinstance(sharpness_every, bool) or not isinstance(sharpness_every, int) \
            or not 0 <= sharpness_every <= MAX_TRAIN_STEPS:
        raise ValueError(f"Invalid sharpness_every: {sharpness_every!r} (0 for none, or a "
                         f"whole number of steps up to {MAX_TRAIN_STEPS})")
    retunes = dict(resolve_changes(opt, dict(hyperparams), changes, steps))
    n, classify = prob.X.shape[0], prob.task == "classification"
    factors = sched.factors(np.arange(1, steps + 1, dtype=np.float64), sp)
    lrs = factors * hp.get("lr", 1.0)  # rewritten from a change's step on
    buffers = torch_buffers(opt, hp, *retunes.values())
    norms: dict[str, list[float]] = {name: [] for name in buffers}
    thetas = np.empty((steps + 1, prob.n_params))
    train_loss, test_loss = np.full(steps + 1, np.nan), np.full(steps + 1, np.nan)
    train_acc, test_acc = np.full(steps + 1, np.nan), np.full(steps + 1, np.nan)
    grad_norm = np.empty(steps)
    sharp_steps: list[int] = []
    sharp: list[float] = []
    pre: list[float] = []
    thresholds: list[float] = []
    hvps = 0
    vec: Array | None = None
    pre_vec: Array | None = None
    rng = np.random.default_rng([seed, 13])
    ctx = SearchContext(prob, rng)
    batches = mini_batches(n, bs, seed)
    state = opt.init(theta[None, :])
    X, y, Xt, yt = prob.X, prob.y, prob.X_test, prob.y_test
    status, k = RunStatus.MAX_STEPS, 0
    for k in range(steps + 1):
        if k in retunes:
            hp = retunes[k]
            lrs[k:] = factors[k:] * hp.get("lr", 1.0)
        thetas[k] = theta
        last = k == steps
        idx = next(batches) if not last else None
        full = bs == n
        # One pass gives the batch loss, its accuracy and the gradient; with full batches that
        # is also the recorded training loss.
        if full and not last:
            loss, acc, g = prob.step_eval(theta, X, y, with_grad=True)
        else:
            loss, acc, _ = prob.step_eval(theta, X, y, with_grad=False)
            g = None
        train_loss[k] = loss
        test_loss[k], tacc, _ = prob.step_eval(theta, Xt, yt, with_grad=False)
        if classify:
            train_acc[k], test_acc[k] = acc, tacc
        if not math.isfinite(loss) or float(np.max(np.abs(theta))) > DIVERGENCE_BOUND:
            status = RunStatus.DIVERGED
            break
        if sharpness_every and k % sharpness_every == 0:
            lr_now = float(lrs[min(k, steps - 1)])
            if opt.id == "adagrad":  # its own decay of η, on top of the schedule
                lr_now /= 1.0 + state.t * hp["lr_decay"]
            bound, preconditioned = stability(opt.id, hp, lr_now)
            top = lambda_max(prob, theta, vec, seed=seed)
            vec, hvps = top.vector, hvps + top.products
            sharp_steps.append(k)
            sharp.append(top.value)
            thresholds.append(bound)
            P = preconditioner(opt.id, state, hp) if preconditioned else None
            if P is not None:
                ptop = lambda_max(prob, theta, pre_vec, precondition=P, seed=seed)
                pre_vec, hvps = ptop.vector, hvps + ptop.products
                pre.append(ptop.value)
            elif preconditioned:
                pre.append(math.nan)  # no statistics before the first step
        if last:
            break
        if g is None:
            assert idx is not None
            _, _, g = prob.step_eval(theta, X[idx], y[idx], with_grad=True)
            assert g is not None
        grad_norm[k] = float(np.linalg.norm(g))
        ctx.values = np.array([loss])
        update, state = opt.update(g[None, :], state, theta[None, :], hp, float(lrs[k]), ctx)
        for name, buf in torch_state(state, buffers).items():
            norms[name].append(float(np.linalg.norm(buf)))
        theta = theta + update[0]
    # A diverged run keeps the iterates before the one that blew up (at least the start).
    kept = steps + 1 if status == RunStatus.MAX_STEPS else max(k, 1)
    updates = kept - 1
    epochs = _seen(np.arange(kept), n, bs) / n
    preconditioned_arr = np.array(pre) if pre else None
    return TrainResult(
        optimizer=opt.id, params=dict(hp), thetas=thetas[:kept],
        train_loss=train_loss[:kept], test_loss=test_loss[:kept],
        train_acc=train_acc[:kept] if classify else None,
        test_acc=test_acc[:kept] if classify else None,
        grad_norm=grad_norm[:updates], lrs=lrs[:updates], epochs=epochs, updates=updates,
        batch_size=bs, status=status,
        sharpness_steps=np.array(sharp_steps, dtype=np.int64), sharpness=np.array(sharp),
        preconditioned=preconditioned_arr, threshold=np.array(thresholds), hvps=hvps,
        state_norms={name: np.array(v[:updates]) for name, v in norms.items()})


def _seen(updates: NDArray[np.int64], n: int, size: int) -> Array:
    """Samples seen after u updates when each epoch is ceil(n/size) batches, the last short."""
    per_epoch = -(-n // size)
    full, rest = np.divmod(updates, per_epoch)
    return np.asarray(full * n + np.minimum(rest * size, n), dtype=np.float64)
