"""Optimizers as pure (init, update) pairs over batches of points, like optax.

    state = spec.init(params)                                   # params: (N, 2)
    updates, state = spec.update(grads, state, params, hp, lr, ctx)
    params = params + updates

Nothing is mutated, so N points (a race, or a whole basin map) are just a bigger array, and
the step inspector reads the state directly. The torch-named optimizers follow torch.optim
exactly (names, defaults, update rules, in float64); `lr` is passed per step because the
learning-rate schedule owns it (its base value is the optimizer's `lr` hyperparameter).
`ctx` carries what non-gradient methods need (see `Context`); gradient methods ignore it.

Every state is a NamedTuple whose first three fields are the same for all optimizers:

    t      int          steps taken so far
    m      (N, 2)       the direction: momentum / first moment, or the update direction
    sigma  (N, 2)       the per-parameter scale the direction is divided by (ones if none)

followed by the method's own buffers (named as in torch where torch has them). For the
diagonal methods the step is exactly −η·m/σ (η after Adagrad's lr_decay; AdamW adds its
decoupled −ηλθ), which is what the inspector shows next to the rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from gradscape.core.errors import Refusal
from gradscape.core.linalg2 import eigh2
from gradscape.core.params import Param, ParamMemo, validate_params

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
Hyper = Mapping[str, Any]
Update = Callable[..., tuple[Array, Any]]
Extras = Callable[[Any, Array], dict[str, NDArray[Any]]]


class Context(Protocol):
    """What an update may read besides the gradient (runs.StepContext implements it)."""

    @property
    def hessian(self) -> Array | None:
        """(N, 2, 2) exact Hessian at params; set only for optimizers with needs_hessian."""

    @property
    def values(self) -> Array:
        """(N,) loss at params; set for optimizers with needs_values or needs_hessian."""

    @property
    def rng(self) -> np.random.Generator:
        """The run's random generator, seeded by the caller."""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) of the plotted domain."""

    def value_fn(self, points: Array) -> Array:
        """(M,) loss at (M, 2) points."""


def _no_extras(state: Any, updates: Array) -> dict[str, NDArray[Any]]:
    return {}


@dataclass(frozen=True)
class OptimizerSpec:
    """One registry entry: what the browser shows and what the engine calls."""

    id: str
    name: str
    params: Mapping[str, Param]  # ordered: the browser builds its controls in this order
    rule: str  # the update rule in LaTeX, shown next to the live numbers
    init: Callable[[Array], Any]
    update: Update
    needs_hessian: bool = False
    needs_values: bool = False
    check: Callable[[dict[str, Any]], None] = lambda hp: None  # rules across parameters
    extras: Extras = _no_extras  # inspector fields beyond m, sigma, step
    # How the inspector writes the update: "plain" θ − η·m, "adaptive" θ − (η/σ)·m,
    # "newton" θ − η·d, "search" (a proposal accepted or not), "other" θ + Δθ.
    family: str = "other"
    # The learning rate a run of this optimizer gets when the playground adds it (None: the
    # `lr` default). torch's defaults are tuned for networks and barely move on the 2D
    # surfaces, whose gradients are larger; these give a visible first race.
    playground_lr: float | None = None
    # The settings a network race starts a run of this optimizer at (torch's defaults are
    # tuned for large networks; these train the default moons MLP visibly within a few hundred
    # steps); None: not offered for networks (a search over the plotted 2D domain, or a method
    # needing the whole Hessian, has no meaning or no affordable form on a network).
    network_params: Mapping[str, float] | None = None

    memo: ParamMemo = field(default_factory=ParamMemo, init=False, compare=False, repr=False)

    def validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults filled in; ValueError naming the parameter and value for anything invalid."""
        return self.memo.validated(given, self._validate)

    def _validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        hp = validate_params(self.id, self.params, given)
        self.check(hp)
        return hp


def inspect(spec: OptimizerSpec, state: Any, updates: Array, lr: float) -> dict[str, Array]:
    """The step inspector's numbers, each shaped like `updates`.

    m (direction), sigma (per-parameter scale), step (the update actually applied), plus the
    method's extras (adagrad: sum_g2; searches: accepted; Newton: curvature, fallback,
    escaped). `state` may carry a leading step axis (a stack of states), as runs.py does.
    """
    view = {"m": state.m, "sigma": state.sigma, "step": updates, **spec.extras(state, updates)}
    out: dict[str, Array] = {}
    for k, v in view.items():
        a = np.asarray(v, dtype=np.float64)
        if a.shape == updates.shape:  # the usual case: a read-only view, without broadcasting
            a = a.view()
            a.flags.writeable = False
            out[k] = a
        else:
            out[k] = np.broadcast_to(a, updates.shape)
    return out


# torch.optim's state buffers (its names) that each optimizer keeps under its hyperparameters:
# what a network's step inspector reports as norms (core.training records them per update).
_BUFFERS: dict[str, Callable[[Hyper], tuple[str, ...]]] = {
    "sgd": lambda hp: ("momentum_buffer",) if hp["momentum"] else (),
    "adagrad": lambda hp: ("sum",),
    "rmsprop": lambda hp: ("square_avg",) + (("momentum_buffer",) if hp["momentum"] > 0 else ())
    + (("grad_avg",) if hp["centered"] else ()),
    "adam": lambda hp: ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if hp["amsgrad"] else ()),
}
_BUFFERS.update(momentum=_BUFFERS["sgd"], nesterov=_BUFFERS["sgd"], adamw=_BUFFERS["adam"])


def torch_buffers(spec: OptimizerSpec, *hps: Hyper) -> tuple[str, ...]:
    """The names of the buffers torch.optim keeps for this optimizer under any of these
    hyperparameters (a run retuned mid-way: momentum switched on keeps a buffer from then)."""
    names: dict[str, None] = {}
    for hp in hps:
        names.update(dict.fromkeys(_BUFFERS[spec.id](hp) if spec.id in _BUFFERS else ()))
    return tuple(names)


def torch_state(state: Any, names: tuple[str, ...]) -> dict[str, Array]:
    """Those buffers from our state (state[p]["exp_avg"] in torch ...): zeros where torch
    has not created one yet; a buffer no longer used keeps its last value, as in torch."""
    return {name: np.asarray(getattr(state, name)) for name in names}


def _l2(grads: Array, params: Array, weight_decay: float) -> Array:
    """torch's coupled weight decay: g + λθ (a new array; nothing mutated)."""
    return grads + weight_decay * params if weight_decay else grads


LR = "the learning rate η (the schedule's base value)"
WD = "L2 penalty λ: the gradient becomes g + λθ"


def _lr(default: float) -> Param:
    return Param(default, 0.0, 1e3, exclusive_minimum=True, doc=LR, log_scale=True)


# --- SGD, with momentum and Nesterov -------------------------------------------------------
class SgdState(NamedTuple):
    t: int
    m: Array  # the direction stepped along: g, b, or g + μb (Nesterov)
    sigma: Array  # ones
    momentum_buffer: Array  # b, torch's momentum_buffer
    buffered: bool  # whether b holds a value yet (torch creates it on the first momentum step)


def sgd_init(params: Array) -> SgdState:
    zeros = np.zeros(params.shape)
    return SgdState(0, zeros, np.ones(params.shape), zeros, False)


def sgd_update(grads: Array, state: SgdState, params: Array, hp: Hyper, lr: float,
               ctx: Context | None = None) -> tuple[Array, SgdState]:
    r"""torch.optim.SGD.

    g ← g + λθ;
    if μ ≠ 0: b ← g on the first step, else b ← μ b + (1 − τ) g;
              d = g + μ b (Nesterov) or d = b;
    else d = g;
    θ ← θ − η d.
    """
    g = _l2(grads, params, hp["weight_decay"])
    mu = hp["momentum"]
    buf, buffered, d = state.momentum_buffer, state.buffered, g
    if mu:
        buf = g if not buffered else mu * buf + (1.0 - hp["dampening"]) * g
        buffered = True
        d = g + mu * buf if hp["nesterov"] else buf
    return -lr * d, SgdState(state.t + 1, d, state.sigma, buf, buffered)


UNKNOWN = Refusal("optimizer.unknown", "unknown optimizer {name}; known: {known}")
NESTEROV = Refusal("param.nesterov", "Invalid nesterov: true with momentum {momentum} and "
                   "dampening {dampening} (Nesterov momentum requires momentum > 0 and "
                   "dampening = 0)")


def _sgd_check(hp: dict[str, Any]) -> None:
    if hp["nesterov"] and (hp["momentum"] <= 0 or hp["dampening"] != 0):
        raise NESTEROV(momentum=f"{hp['momentum']:g}", dampening=f"{hp['dampening']:g}")


SGD_PARAMS = {
    "lr": _lr(1e-3),
    "momentum": Param(0.0, 0.0, 1.0, doc="momentum factor μ: how much of the last movement "
                      "carries over"),
    "dampening": Param(0.0, 0.0, 1.0, doc="dampening τ for momentum"),
    "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
    "nesterov": Param(False, kind="bool", doc="Nesterov momentum: look ahead along b"),
}
# Three equations, so that a narrow panel can put each on its own line (server/mathml.py).
SGD_RULE = (r"b_t = \mu b_{t-1} + (1-\tau) g_t,\quad "
            r"d_t = g_t + \mu b_t \text{ if Nesterov else } b_t,\quad "
            r"\theta_{t+1} = \theta_t - \eta\, d_t")


# --- AdaGrad ---------------------------------------------------------------------------------
class AdagradState(NamedTuple):
    t: int
    m: Array  # g (after weight decay)
    sigma: Array  # √S + ε
    sum: Array  # S = Σ g², torch's state_sum


def adagrad_init(params: Array) -> AdagradState:
    zeros = np.zeros(params.shape)
    return AdagradState(0, zeros, np.ones(params.shape), zeros)


def adagrad_update(grads: Array, state: AdagradState, params: Array, hp: Hyper, lr: float,
                   ctx: Context | None = None) -> tuple[Array, AdagradState]:
    r"""torch.optim.Adagrad.

    g ← g + λθ;  η̃ = η / (1 + (t − 1) δ)  (δ = lr_decay, t = 1, 2, …);
    S ← S + g²  (S₀ = initial_accumulator_value);  θ ← θ − η̃ g / (√S + ε).
    """
    t = state.t + 1
    g = _l2(grads, params, hp["weight_decay"])
    clr = lr / (1.0 + (t - 1) * hp["lr_decay"])
    # S₀ is a hyperparameter, which init() does not see: it joins the sum on step one.
    start = state.sum + hp["initial_accumulator_value"] if t == 1 else state.sum
    total = start + g * g
    sigma = np.sqrt(total) + hp["eps"]
    return -clr * g / sigma, AdagradState(t, g, sigma, total)


def _adagrad_extras(state: AdagradState, updates: Array) -> dict[str, NDArray[Any]]:
    return {"sum_g2": state.sum}


# --- RMSProp ---------------------------------------------------------------------------------
class RmspropState(NamedTuple):
    t: int
    m: Array  # g; with momentum the buffer in gradient units, b·σ, so that step = −η m/σ
    sigma: Array  # √v + ε, or √(v − ḡ²) + ε when centered
    square_avg: Array  # v
    grad_avg: Array  # ḡ (centered only; zeros otherwise)
    momentum_buffer: Array  # b (momentum only; zeros otherwise)


def rmsprop_init(params: Array) -> RmspropState:
    zeros = np.zeros(params.shape)
    return RmspropState(0, zeros, np.ones(params.shape), zeros, zeros, zeros)


def rmsprop_update(grads: Array, state: RmspropState, params: Array, hp: Hyper, lr: float,
                   ctx: Context | None = None) -> tuple[Array, RmspropState]:
    r"""torch.optim.RMSprop.

    g ← g + λθ;  v ← α v + (1 − α) g²;
    σ = √v + ε, or centered: ḡ ← α ḡ + (1 − α) g, σ = √(v − ḡ²) + ε;
    with momentum μ > 0: b ← μ b + g/σ, θ ← θ − η b;  else θ ← θ − η g/σ.
    """
    alpha = hp["alpha"]
    g = _l2(grads, params, hp["weight_decay"])
    square_avg = alpha * state.square_avg + (1.0 - alpha) * g * g
    grad_avg = state.grad_avg
    if hp["centered"]:
        grad_avg = alpha * grad_avg + (1.0 - alpha) * g
        sigma = np.sqrt(square_avg - grad_avg * grad_avg) + hp["eps"]
    else:
        sigma = np.sqrt(square_avg) + hp["eps"]
    buf, m = state.momentum_buffer, g
    if hp["momentum"] > 0:
        buf = hp["momentum"] * buf + g / sigma
        m = buf * sigma
        step = -lr * buf
    else:
        step = -lr * g / sigma
    return step, RmspropState(state.t + 1, m, sigma, square_avg, grad_avg, buf)


RMSPROP_PARAMS = {
    "lr": _lr(1e-2),
    "alpha": Param(0.99, 0.0, 1.0, doc="α: weight of the history in the average of g²"),
    "eps": Param(1e-8, 0.0, 1.0, doc="ε added to σ", log_scale=True),
    "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
    "momentum": Param(0.0, 0.0, 1.0, doc="momentum μ on the scaled step"),
    "centered": Param(False, kind="bool", doc="divide by the variance instead of the mean "
                      "square"),
}
RMSPROP_RULE = (r"v_t = \alpha v_{t-1} + (1-\alpha) g_t^2,\quad \theta_{t+1} = "
                r"\theta_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, g_t")


# --- Adam and AdamW --------------------------------------------------------------------------
class AdamState(NamedTuple):
    t: int
    m: Array  # m̂ = m / (1 − β₁ᵗ), the bias-corrected first moment
    sigma: Array  # √v̂ + ε, v̂ = v / (1 − β₂ᵗ) (AMSGrad: of the running max of v)
    exp_avg: Array  # m, the first moment
    exp_avg_sq: Array  # v, the second moment
    max_exp_avg_sq: Array  # running max of v (AMSGrad only; zeros otherwise)


def adam_init(params: Array) -> AdamState:
    zeros = np.zeros(params.shape)
    return AdamState(0, zeros, np.ones(params.shape), zeros, zeros, zeros)


def _adam_core(g: Array, state: AdamState, hp: Hyper, lr: float) -> tuple[Array, AdamState]:
    b1, b2 = hp["betas"]
    t = state.t + 1
    exp_avg = b1 * state.exp_avg + (1.0 - b1) * g
    exp_avg_sq = b2 * state.exp_avg_sq + (1.0 - b2) * g * g
    max_sq = np.maximum(state.max_exp_avg_sq, exp_avg_sq) if hp["amsgrad"] else \
        state.max_exp_avg_sq
    second = max_sq if hp["amsgrad"] else exp_avg_sq
    sigma = np.sqrt(second) / math.sqrt(1.0 - b2**t) + hp["eps"]
    m_hat = exp_avg / (1.0 - b1**t)
    return -lr * m_hat / sigma, AdamState(t, m_hat, sigma, exp_avg, exp_avg_sq, max_sq)


def adam_update(grads: Array, state: AdamState, params: Array, hp: Hyper, lr: float,
                ctx: Context | None = None) -> tuple[Array, AdamState]:
    r"""torch.optim.Adam.

    g ← g + λθ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
    m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ) (AMSGrad: v_max ← max(v_max, v), v̂ = v_max/(1 − β₂ᵗ));
    θ ← θ − η m̂/(√v̂ + ε).
    """
    return _adam_core(_l2(grads, params, hp["weight_decay"]), state, hp, lr)


def adamw_update(grads: Array, state: AdamState, params: Array, hp: Hyper, lr: float,
                 ctx: Context | None = None) -> tuple[Array, AdamState]:
    r"""torch.optim.AdamW: Adam with decoupled weight decay.

    θ ← θ(1 − ηλ), then the Adam step of the raw gradient g (no λθ added to g):
    θ ← θ − η m̂/(√v̂ + ε).
    """
    decay = -lr * hp["weight_decay"] * params
    step, new_state = _adam_core(grads, state, hp, lr)
    # torch shrinks θ first and adds the Adam step to the shrunk θ; the step does not depend
    # on θ, so the sum of the two is the same update.
    return decay + step, new_state


ADAM_PARAMS = {
    "lr": _lr(1e-3),
    "betas": Param((0.9, 0.999), 0.0, 1.0, exclusive_maximum=True, kind="pair",
                   doc="β₁, β₂: decay rates of the first and second moment averages"),
    "eps": Param(1e-8, 0.0, 1.0, doc="ε added to σ for numerical stability", log_scale=True),
    "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
    "amsgrad": Param(False, kind="bool", doc="AMSGrad: divide by the running max of v"),
}
ADAM_RULE = (r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\ v_t = \beta_2 v_{t-1} + (1-\beta_2)"
             r" g_t^2,\ \theta_{t+1} = \theta_t - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t}"
             r" + \epsilon}")


# --- searches without gradients ------------------------------------------------------------
class SearchState(NamedTuple):
    t: int
    m: Array  # the proposal's offset θ' − θ, kept or not
    sigma: Array  # ones
    accepted: Mask  # (N, 1) whether the last proposal was kept


def search_init(params: Array) -> SearchState:
    zeros = np.zeros(params.shape)
    return SearchState(0, zeros, np.ones(params.shape),
                       np.zeros((params.shape[0], 1), dtype=bool))


def _require(ctx: Context | None, what: str) -> Context:
    if ctx is None:
        raise ValueError(f"this optimizer needs a context with {what}")
    return ctx


def _accept(proposal: Array, state: SearchState, params: Array,
            ctx: Context) -> tuple[Array, SearchState]:
    """Move to the proposal only where its loss is lower than the current point's."""
    with np.errstate(all="ignore"):
        better = ctx.value_fn(proposal) < ctx.values  # nan compares false: never accepted
    offset = proposal - params
    step = np.where(better[:, None], offset, 0.0)
    return step, SearchState(state.t + 1, offset, state.sigma, better[:, None])


def random_search_update(grads: Array, state: SearchState, params: Array, hp: Hyper,
                         lr: float, ctx: Context | None = None) -> tuple[Array, SearchState]:
    r"""Random search: try a random θ in the domain, keep the best.

    θ' ~ U([x_min, x_max] × [y_min, y_max]) (ctx.bounds);  θ ← θ' if f(θ') < f(θ).
    θ is always the best point found so far, so its loss never increases. The gradient is
    not used.
    """
    c = _require(ctx, "bounds, values, value_fn and rng")
    xmin, xmax, ymin, ymax = c.bounds
    n = params.shape[0]
    proposal = np.column_stack([c.rng.uniform(xmin, xmax, n), c.rng.uniform(ymin, ymax, n)])
    return _accept(proposal, state, params, c)


def random_local_search_update(grads: Array, state: SearchState, params: Array, hp: Hyper,
                               lr: float,
                               ctx: Context | None = None) -> tuple[Array, SearchState]:
    r"""Random local search: propose a nearby θ, accept only if the loss drops.

    θ' = θ + s δ with δ ~ N(0, I) (s = step_size);  θ ← θ' if f(θ') < f(θ).
    The gradient is not used.
    """
    c = _require(ctx, "values, value_fn and rng")
    proposal = params + hp["step_size"] * c.rng.standard_normal(params.shape)
    return _accept(proposal, state, params, c)


def _search_extras(state: SearchState, updates: Array) -> dict[str, NDArray[Any]]:
    return {"accepted": state.accepted}


# --- second order ----------------------------------------------------------------------------
class NewtonState(NamedTuple):
    t: int
    m: Array  # the direction d of the step −η d
    sigma: Array  # ones: the scaling happens in H's eigenbasis, see curvature
    curvature: Array  # (N, 2) the eigenvalues the step divided by, ascending
    fallback: Mask  # (N,) the last step was a gradient step (H + δI singular)
    escaped: Mask  # (N,) the last step was a saddle escape (saddle-free Newton)


def newton_init(params: Array) -> NewtonState:
    n = params.shape[0]
    return NewtonState(0, np.zeros(params.shape), np.ones(params.shape), np.ones(params.shape),
                       np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))


def _eigen_solve(vec: Array, lam: Array, grads: Array) -> Array:
    """Q diag(1/λ) Qᵀ g for H = Q diag(λ) Qᵀ, batched (λ must be non-zero)."""
    coords = np.einsum("nji,nj->ni", vec, grads)  # g in the eigenbasis: Qᵀ g
    return np.asarray(np.einsum("nij,nj->ni", vec, coords / lam), dtype=np.float64)


def _hessian(ctx: Context | None) -> Array:
    H = _require(ctx, "the Hessian").hessian
    if H is None:
        raise ValueError("this optimizer needs ctx.hessian (its spec sets needs_hessian)")
    return H


def newton_update(grads: Array, state: NewtonState, params: Array, hp: Hyper, lr: float,
                  ctx: Context | None = None) -> tuple[Array, NewtonState]:
    r"""Damped Newton with the exact Hessian.

    θ ← θ − η (H + δI)⁻¹ g   (δ = damping; η = 1 jumps to the quadratic model's critical
    point). Fallback: where H + δI is singular (an eigenvalue within 10⁻¹² of the largest
    in size) or the Newton step is not finite, the step is the gradient step θ ← θ − η g.
    Newton heads for the critical point of the local quadratic, whatever its kind: near a
    saddle it walks *into* the saddle.
    """
    lam, vec = eigh2(_hessian(ctx))
    lam = lam + hp["damping"]
    size = np.abs(lam)
    scale = np.maximum(size.max(axis=1, keepdims=True), 1e-300)
    singular = (size <= 1e-12 * scale).any(axis=1)
    with np.errstate(all="ignore"):
        newton = _eigen_solve(vec, np.where(size > 0, lam, 1.0), grads)
    ok = ~singular & np.isfinite(newton).all(axis=1)
    d = np.where(ok[:, None], newton, grads)
    return -lr * d, NewtonState(state.t + 1, d, state.sigma, lam, ~ok, np.zeros_like(ok))


def saddle_free_update(grads: Array, state: NewtonState, params: Array, hp: Hyper,
                       lr: float, ctx: Context | None = None) -> tuple[Array, NewtonState]:
    r"""Saddle-free Newton (Dauphin et al., 2014).

    θ ← θ − η |H|⁻¹ g,  |H| = Q max(|Λ|, κ) Qᵀ  for H = Q Λ Qᵀ  (κ = min_curvature).
    Along a negative-curvature eigenvector u (λ < 0) Newton's −g/λ points uphill, into the
    saddle; −g/|λ| points downhill, away from it. Where the gradient has (almost) vanished,
    |g| < escape_gradient, and λ_min < 0, the step is instead `escape_step` along u (the
    loss then drops by about ½|λ| s²): on the side opposite to g, or +u when g·u = 0, so the
    run stays deterministic.
    """
    lam, vec = eigh2(_hessian(ctx))
    curvature = np.maximum(np.abs(lam), hp["min_curvature"])
    d = _eigen_solve(vec, curvature, grads)
    stuck = (np.hypot(grads[:, 0], grads[:, 1]) < hp["escape_gradient"]) & (lam[:, 0] < 0)
    u = vec[:, :, 0]  # eigenvector of the smallest eigenvalue
    side = np.where(np.einsum("ni,ni->n", u, grads) > 0, -1.0, 1.0)
    escape = -(hp["escape_step"] / lr) * side[:, None] * u  # so that −η d = s·side·u
    d = np.where(stuck[:, None], escape, d)
    return -lr * d, NewtonState(state.t + 1, d, state.sigma, curvature,
                                np.zeros_like(stuck), stuck)


def _newton_extras(state: NewtonState, updates: Array) -> dict[str, NDArray[Any]]:
    return {"curvature": state.curvature, "fallback": state.fallback[..., None],
            "escaped": state.escaped[..., None]}


NEWTON_LR = Param(1.0, 0.0, 10.0, exclusive_minimum=True, doc="step factor η (1 = full step)")


# --- the registry ---------------------------------------------------------------------------
def preset(base: OptimizerSpec, new_id: str, name: str, *,
           playground_lr: float | None = None, network_params: Mapping[str, float] | None = None,
           **defaults: Any) -> OptimizerSpec:
    """`base` under another id with other defaults: same init, update and rule (and the
    base's playground_lr and network_params unless given)."""
    unknown = set(defaults) - set(base.params)
    if unknown:
        raise ValueError(f"preset {new_id}: {base.id} has no parameter(s) {sorted(unknown)}")
    params = {k: replace(p, default=defaults.get(k, p.default)) for k, p in base.params.items()}
    lr = base.playground_lr if playground_lr is None else playground_lr
    net = base.network_params if network_params is None else network_params
    return replace(base, id=new_id, name=name, params=params, playground_lr=lr,
                   network_params=net)


_SGD = OptimizerSpec("sgd", "SGD", SGD_PARAMS, SGD_RULE, sgd_init, sgd_update,
                     check=_sgd_check, family="plain", playground_lr=0.005,
                     network_params={"lr": 0.5})
_ADAM = OptimizerSpec("adam", "Adam", ADAM_PARAMS, ADAM_RULE, adam_init, adam_update,
                      family="adaptive", playground_lr=0.1, network_params={"lr": 0.01})

# The order is the page's: its optimizer menus list them so, and "Add run" adds the first
# one the race does not have yet. Adding an optimizer is one entry here (docs/extending.md).
_SPECS = [
    _SGD,
    preset(_SGD, "momentum", "Momentum", momentum=0.9, playground_lr=0.002,
           network_params={"lr": 0.1}),
    preset(_SGD, "nesterov", "Nesterov", momentum=0.9, nesterov=True, playground_lr=0.002,
           network_params={"lr": 0.1}),
    OptimizerSpec(
        "adagrad", "AdaGrad",
        {"lr": _lr(1e-2), "lr_decay": Param(0.0, 0.0, 1e3, doc="η̃ = η / (1 + (t−1)·decay)"),
         "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
         "initial_accumulator_value": Param(0.0, 0.0, 1e6, doc="starting value of Σ g²"),
         "eps": Param(1e-10, 0.0, 1.0, doc="ε added to √Σg²", log_scale=True)},
        r"S_t = S_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{S_t} + "
        r"\epsilon}\, g_t",
        adagrad_init, adagrad_update, extras=_adagrad_extras, family="adaptive",
        playground_lr=0.5, network_params={"lr": 0.1}),
    OptimizerSpec("rmsprop", "RMSProp", RMSPROP_PARAMS, RMSPROP_RULE, rmsprop_init,
                  rmsprop_update, family="adaptive", playground_lr=0.02,
                  network_params={"lr": 0.005}),
    _ADAM,
    replace(preset(_ADAM, "adamw", "AdamW", weight_decay=1e-2, playground_lr=0.1),
            update=adamw_update,
            rule=ADAM_RULE + r",\ \text{then } \theta \leftarrow \theta - \eta\lambda\theta"),
    OptimizerSpec("random_search", "Random search", {},
                  r"\theta' \sim U(\text{bounds}),\quad \theta \leftarrow \theta' \text{ if } "
                  r"f(\theta') < f(\theta)",
                  search_init, random_search_update, needs_values=True,
                  extras=_search_extras, family="search"),
    OptimizerSpec("random_local_search", "Random local search",
                  {"step_size": Param(0.1, 0.0, 1e3, exclusive_minimum=True,
                                      doc="s: size of the random proposal", log_scale=True)},
                  r"\theta' = \theta + s\,\delta,\ \delta \sim N(0, I),\quad \theta \leftarrow "
                  r"\theta' \text{ if } f(\theta') < f(\theta)",
                  search_init, random_local_search_update, needs_values=True,
                  extras=_search_extras, family="search", network_params={"step_size": 0.05}),
    OptimizerSpec("newton", "Newton",
                  {"lr": NEWTON_LR,
                   "damping": Param(0.0, 0.0, 1e3, doc="δ added to the Hessian's diagonal")},
                  r"\theta_{t+1} = \theta_t - \eta\,(H + \delta I)^{-1} g_t",
                  newton_init, newton_update, needs_hessian=True, extras=_newton_extras,
                  family="newton"),
    OptimizerSpec("saddle_free_newton", "Saddle-free Newton",
                  {"lr": NEWTON_LR,
                   "min_curvature": Param(1e-2, 0.0, 1e3, exclusive_minimum=True,
                                          doc="floor κ on |λ|, so flat directions stay "
                                              "finite"),
                   "escape_gradient": Param(1e-3, 0.0, 1e3,
                                            doc="below this gradient norm, escape a saddle"),
                   "escape_step": Param(0.5, 0.0, 1e3, doc="length of the escape step along "
                                        "the negative-curvature eigenvector")},
                  r"\theta_{t+1} = \theta_t - \eta\,\left|H\right|^{-1} g_t,\quad "
                  r"\left|H\right| = Q\left|\Lambda\right|Q^T",
                  newton_init, saddle_free_update, needs_hessian=True,
                  extras=_newton_extras, family="newton"),
]

OPTIMIZERS: dict[str, OptimizerSpec] = {spec.id: spec for spec in _SPECS}

# The playground's default race (a link without runs races these, each at its playground_lr):
# SGD lingers at Himmelblau's saddle where Adam's per-coordinate scaling carries it away.
# Links that name no runs mean these, so changing them changes what old links show.
DEFAULT_RACE: tuple[str, ...] = ("adam", "sgd")


def default_runs() -> list[dict[str, Any]]:
    """The default race as a link spells its runs: [{optimizer, params: {lr}}], an lr only
    where the optimizer has a playground_lr (served as GET /api/limits default_runs)."""
    runs: list[dict[str, Any]] = []
    for id_ in DEFAULT_RACE:
        lr = OPTIMIZERS[id_].playground_lr
        runs.append({"optimizer": id_, "params": {} if lr is None else {"lr": lr}})
    return runs
