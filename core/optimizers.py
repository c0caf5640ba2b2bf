"""Optimizers as pure (init, update) pairs over batches of points, like optax.

    state = spec.init(params)                                   # params: (N, 2)
    updates, state = spec.update(grads, state, params, hp, lr, ctx)
    params = params + updates

Nothing is mutated, so N points (a race, or a whole basin map) are just a bigger array, and
the step inspector reads the state directly. The torch-named optimizers follow torch.optim
exactly (names, defaults, update rules, in float64); `lr` is passed per step because the
learning-rate schedule owns it (its base value is the optimizer's `lr` hyperparameter).
`ctx` carries what non-gradient methods need: `values` (N,), `hessian` (N, 2, 2),
`value_fn(P)`, `rng`, `bounds`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from core.linalg2 import eigh2
from core.params import Param, validate_params

Array = NDArray[np.float64]
Hyper = dict[str, Any]
Update = Callable[..., tuple[Array, Any]]


@dataclass(frozen=True)
class OptimizerSpec:
    id: str
    name: str
    params: Mapping[str, Param]
    rule: str  # the update rule in LaTeX, shown next to the live numbers
    init: Callable[[Array], Any]
    update: Update
    inspect: Callable[[Any, Array, float], dict[str, Array]]
    needs_hessian: bool = False
    needs_values: bool = False
    check: Callable[[Hyper], None] = field(default=lambda hp: None)

    def validate(self, given: Mapping[str, Any]) -> Hyper:
        """Defaults filled in; ValueError naming the parameter for anything invalid."""
        hp = validate_params(self.id, self.params, given)
        self.check(hp)
        return hp


def inspect(spec: OptimizerSpec, state: Any, updates: Array, lr: float) -> dict[str, Array]:
    """The step inspector's numbers: m (direction), sigma (per-parameter scale), step."""
    return spec.inspect(state, updates, lr)


def _ones_like(a: Array) -> Array:
    return np.ones_like(a)


LR = "the learning rate η (the schedule's base value)"
WD = "L2 penalty λ: the gradient becomes g + λθ"


def _lr(default: float) -> Param:
    return Param(default, 0.0, 1e3, exclusive_minimum=True, doc=LR, log_scale=True)


# --- SGD, with momentum and Nesterov -------------------------------------------------------
class SgdState(NamedTuple):
    t: int  # steps taken
    momentum: Array  # the momentum buffer b (torch's momentum_buffer)
    direction: Array  # the direction actually stepped along (for the inspector)


def sgd_init(params: Array) -> SgdState:
    zeros = np.zeros_like(params)
    return SgdState(0, zeros, zeros)


def sgd_update(grads: Array, state: SgdState, params: Array, hp: Hyper, lr: float,
               ctx: Any = None) -> tuple[Array, SgdState]:
    r"""torch.optim.SGD.

    g ← g + λθ;  if μ ≠ 0: b ← g on the first step, else b ← μ b + (1 − τ) g;
    g ← g + μ b (Nesterov) or g ← b;  θ ← θ − η g.
    """
    g = grads + hp["weight_decay"] * params if hp["weight_decay"] else grads
    buf = state.momentum
    mu = hp["momentum"]
    if mu:
        buf = g if state.t == 0 else mu * buf + (1.0 - hp["dampening"]) * g
        g = g + mu * buf if hp["nesterov"] else buf
    return -lr * g, SgdState(state.t + 1, buf, g)


def _sgd_check(hp: Hyper) -> None:
    if hp["nesterov"] and (hp["momentum"] <= 0 or hp["dampening"] != 0):
        raise ValueError("Invalid nesterov: true (Nesterov momentum requires momentum > 0 "
                         "and dampening = 0)")


def _sgd_inspect(state: SgdState, updates: Array, lr: float) -> dict[str, Array]:
    return {"m": state.direction, "sigma": _ones_like(updates), "step": updates}


SGD_PARAMS = {
    "lr": _lr(1e-3),
    "momentum": Param(0.0, 0.0, 1.0, doc="momentum factor μ: how much of the last movement "
                      "carries over"),
    "dampening": Param(0.0, 0.0, 1.0, doc="dampening τ for momentum"),
    "nesterov": Param(False, kind="bool", doc="Nesterov momentum: look ahead along b"),
    "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
}
SGD_RULE = (r"b_t = \mu b_{t-1} + (1-\tau) g_t,\quad "
            r"\theta_{t+1} = \theta_t - \eta\,(g_t + \mu b_t \text{ if Nesterov else } b_t)")


# --- AdaGrad ---------------------------------------------------------------------------------
class AdagradState(NamedTuple):
    t: int  # steps taken
    sum: Array  # Σ g²
    grad: Array
    sigma: Array


def adagrad_init(params: Array) -> AdagradState:
    zeros = np.zeros_like(params)
    return AdagradState(0, zeros, zeros, np.ones_like(params))


def adagrad_update(grads: Array, state: AdagradState, params: Array, hp: Hyper, lr: float,
                   ctx: Any = None) -> tuple[Array, AdagradState]:
    r"""torch.optim.Adagrad.

    g ← g + λθ;  η̃ = η / (1 + (t − 1) δ);  S ← S + g²;  θ ← θ − η̃ g / (√S + ε).
    """
    count = state.t + 1
    g = grads + hp["weight_decay"] * params if hp["weight_decay"] else grads
    clr = lr / (1.0 + (count - 1) * hp["lr_decay"])
    # S starts at initial_accumulator_value, a hyperparameter, so it is added on step one.
    start = state.sum + hp["initial_accumulator_value"] if count == 1 else state.sum
    total = start + g * g
    sigma = np.sqrt(total) + hp["eps"]
    return -clr * g / sigma, AdagradState(count, total, g, sigma)


def _adagrad_inspect(state: AdagradState, updates: Array, lr: float) -> dict[str, Array]:
    return {"m": state.grad, "sigma": state.sigma, "step": updates, "sum_g2": state.sum}


# --- RMSProp ---------------------------------------------------------------------------------
class RmspropState(NamedTuple):
    t: int  # steps taken
    square_avg: Array
    grad_avg: Array
    momentum: Array
    grad: Array
    sigma: Array


def rmsprop_init(params: Array) -> RmspropState:
    zeros = np.zeros_like(params)
    return RmspropState(0, zeros, zeros, zeros, zeros, np.ones_like(params))


def rmsprop_update(grads: Array, state: RmspropState, params: Array, hp: Hyper, lr: float,
                   ctx: Any = None) -> tuple[Array, RmspropState]:
    r"""torch.optim.RMSprop.

    g ← g + λθ;  v ← α v + (1 − α) g²;  σ = √v + ε (centered: √(v − ḡ²) + ε with
    ḡ ← α ḡ + (1 − α) g);  with momentum μ: b ← μ b + g/σ, θ ← θ − η b; else θ ← θ − η g/σ.
    """
    alpha = hp["alpha"]
    g = grads + hp["weight_decay"] * params if hp["weight_decay"] else grads
    square_avg = alpha * state.square_avg + (1.0 - alpha) * g * g
    grad_avg = state.grad_avg
    if hp["centered"]:
        grad_avg = alpha * grad_avg + (1.0 - alpha) * g
        sigma = np.sqrt(square_avg - grad_avg * grad_avg) + hp["eps"]
    else:
        sigma = np.sqrt(square_avg) + hp["eps"]
    buf = state.momentum
    if hp["momentum"] > 0:
        buf = hp["momentum"] * buf + g / sigma
        step = -lr * buf
    else:
        step = -lr * g / sigma
    return step, RmspropState(state.t + 1, square_avg, grad_avg, buf, g, sigma)


def _rmsprop_inspect(state: RmspropState, updates: Array, lr: float) -> dict[str, Array]:
    m = state.momentum * state.sigma if state.momentum.any() else state.grad
    return {"m": m, "sigma": state.sigma, "step": updates}


# --- Adam and AdamW --------------------------------------------------------------------------
class AdamState(NamedTuple):
    t: int  # steps taken
    mu: Array  # first moment m
    nu: Array  # second moment v
    nu_max: Array  # running max of v (AMSGrad)
    m_hat: Array
    sigma: Array


def adam_init(params: Array) -> AdamState:
    zeros = np.zeros_like(params)
    return AdamState(0, zeros, zeros, zeros, zeros, np.ones_like(params))


def _adam_core(g: Array, state: AdamState, hp: Hyper, lr: float) -> tuple[Array, AdamState]:
    b1, b2 = hp["betas"]
    t = state.t + 1
    mu = b1 * state.mu + (1.0 - b1) * g
    nu = b2 * state.nu + (1.0 - b2) * g * g
    nu_max = np.maximum(state.nu_max, nu) if hp["amsgrad"] else state.nu_max
    bc1, bc2_sqrt = 1.0 - b1**t, math.sqrt(1.0 - b2**t)
    sigma = np.sqrt(nu_max if hp["amsgrad"] else nu) / bc2_sqrt + hp["eps"]
    m_hat = mu / bc1
    return -lr * m_hat / sigma, AdamState(t, mu, nu, nu_max, m_hat, sigma)


def adam_update(grads: Array, state: AdamState, params: Array, hp: Hyper, lr: float,
                ctx: Any = None) -> tuple[Array, AdamState]:
    r"""torch.optim.Adam.

    g ← g + λθ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ = m/(1 − β₁ᵗ);
    σ = √v̂ + ε with v̂ = v/(1 − β₂ᵗ) (AMSGrad: the running max of v);  θ ← θ − η m̂/σ.
    """
    g = grads + hp["weight_decay"] * params if hp["weight_decay"] else grads
    return _adam_core(g, state, hp, lr)


def adamw_update(grads: Array, state: AdamState, params: Array, hp: Hyper, lr: float,
                 ctx: Any = None) -> tuple[Array, AdamState]:
    r"""torch.optim.AdamW: Adam with decoupled weight decay, θ ← θ − ηλθ before the step."""
    decay = -lr * hp["weight_decay"] * params
    step, new_state = _adam_core(grads, state, hp, lr)
    # torch shrinks θ first and then adds the Adam step to the shrunk θ; the sum is the same.
    return decay + step, new_state


def _adam_inspect(state: AdamState, updates: Array, lr: float) -> dict[str, Array]:
    return {"m": state.m_hat, "sigma": state.sigma, "step": updates}


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
    t: int  # steps taken
    accepted: Array  # (N, 1) whether the last proposal was kept


def search_init(params: Array) -> SearchState:
    return SearchState(0, np.zeros((params.shape[0], 1), dtype=bool))


def _accept(proposal: Array, state: SearchState, params: Array,
            ctx: Any) -> tuple[Array, SearchState]:
    """Keep a proposal only where its loss is lower than the current point's."""
    with np.errstate(all="ignore"):
        better = ctx.value_fn(proposal) < ctx.values
    step = np.where(better[:, None], proposal - params, 0.0)
    return step, SearchState(state.t + 1, better[:, None])


def random_search_update(grads: Array, state: SearchState, params: Array, hp: Hyper,
                         lr: float, ctx: Any) -> tuple[Array, SearchState]:
    """Random search: draw θ' uniformly in the plotted bounds; keep it if f(θ') < f(θ)."""
    xmin, xmax, ymin, ymax = ctx.bounds
    n = params.shape[0]
    proposal = np.column_stack([ctx.rng.uniform(xmin, xmax, n), ctx.rng.uniform(ymin, ymax, n)])
    return _accept(proposal, state, params, ctx)


def random_local_search_update(grads: Array, state: SearchState, params: Array, hp: Hyper,
                               lr: float, ctx: Any) -> tuple[Array, SearchState]:
    """Random local search: θ' = θ + s·δ with δ ~ N(0, I); keep it if f(θ') < f(θ)."""
    proposal = params + hp["step_size"] * ctx.rng.standard_normal(params.shape)
    return _accept(proposal, state, params, ctx)


def _search_inspect(state: SearchState, updates: Array, lr: float) -> dict[str, Array]:
    return {"m": updates, "sigma": _ones_like(updates), "step": updates,
            "accepted": np.broadcast_to(state.accepted, updates.shape).astype(np.float64)}


# --- second order ----------------------------------------------------------------------------
class NewtonState(NamedTuple):
    t: int  # steps taken
    direction: Array
    curvature: Array  # the eigenvalues the step divided by (N, 2)
    escaped: Array  # (N,) whether the last step was a saddle escape


def newton_init(params: Array) -> NewtonState:
    return NewtonState(0, np.zeros_like(params), np.ones_like(params),
                       np.zeros(params.shape[0], dtype=bool))


def newton_update(grads: Array, state: NewtonState, params: Array, hp: Hyper, lr: float,
                  ctx: Any) -> tuple[Array, NewtonState]:
    """Damped Newton: θ ← θ − η (H + δI)⁻¹ g, with the exact Hessian.

    Where H + δI is singular or the step is not finite, a plain gradient step −η g is taken
    instead. Newton jumps to the nearest critical point of the quadratic model, whatever
    its kind: on a saddle it walks *into* the saddle.
    """
    lam, vec = eigh2(ctx.hessian)
    lam = lam + hp["damping"]
    scale = np.maximum(np.abs(lam).max(axis=1, keepdims=True), 1e-300)
    singular = (np.abs(lam) <= 1e-12 * scale).any(axis=1)
    safe = np.where(np.abs(lam) > 0, lam, 1.0)
    newton = np.einsum("nij,nj->ni", vec, np.einsum("nji,nj->ni", vec, grads) / safe)
    ok = ~singular & np.isfinite(newton).all(axis=1)
    direction = np.where(ok[:, None], newton, grads)
    return -lr * direction, NewtonState(state.t + 1, direction, lam, np.zeros_like(ok))


def saddle_free_update(grads: Array, state: NewtonState, params: Array, hp: Hyper,
                       lr: float, ctx: Any) -> tuple[Array, NewtonState]:
    """Saddle-free Newton (Dauphin et al., 2014): θ ← θ − η |H|⁻¹ g.

    |H| has H's eigenvectors and the absolute eigenvalues (at least `min_curvature`), so
    along a negative-curvature direction the step goes downhill, away from the saddle,
    instead of into it. Where the gradient has (almost) vanished but H has a negative
    eigenvalue λ, the step is `escape_step` along its eigenvector u: the loss then drops by
    about ½|λ| s² (CONCEPTS section 6).
    """
    lam, vec = eigh2(ctx.hessian)
    curvature = np.maximum(np.abs(lam), hp["min_curvature"])
    coords = np.einsum("nji,nj->ni", vec, grads)  # g in the eigenbasis
    direction = np.einsum("nij,nj->ni", vec, coords / curvature)
    stuck = (np.hypot(grads[:, 0], grads[:, 1]) < hp["escape_gradient"]) & (lam[:, 0] < 0)
    # Escape along the eigenvector of the most negative eigenvalue, on the side the
    # gradient's cubic terms (invisible to H) are unknown: take the sign that keeps the
    # run deterministic, pointing away from the current coordinate of the saddle's axis.
    u = vec[:, :, 0]
    side = np.where(np.einsum("ni,ni->n", u, grads) > 0, -1.0, 1.0)
    escape = -(hp["escape_step"] / lr) * side[:, None] * u
    direction = np.where(stuck[:, None], escape, direction)
    return -lr * direction, NewtonState(state.t + 1, direction, curvature, stuck)


def _newton_inspect(state: NewtonState, updates: Array, lr: float) -> dict[str, Array]:
    return {"m": state.direction, "sigma": state.curvature, "step": updates}


# --- the registry ---------------------------------------------------------------------------
def _preset(base: OptimizerSpec, new_id: str, name: str, **defaults: Any) -> OptimizerSpec:
    """The same rule under another name with other defaults (momentum, nesterov)."""
    params = {k: replace(p, default=defaults.get(k, p.default)) for k, p in base.params.items()}
    return replace(base, id=new_id, name=name, params=params)


_SGD = OptimizerSpec("sgd", "SGD", SGD_PARAMS, SGD_RULE, sgd_init, sgd_update, _sgd_inspect,
                     check=_sgd_check)

_ADAM = OptimizerSpec("adam", "Adam", ADAM_PARAMS, ADAM_RULE, adam_init, adam_update,
                      _adam_inspect)

_NEWTON_PARAMS = {
    "lr": Param(1.0, 0.0, 10.0, exclusive_minimum=True, doc="step factor η (1 = full step)"),
    "damping": Param(0.0, 0.0, 1e3, doc="δ added to the Hessian's diagonal"),
}

OPTIMIZERS: dict[str, OptimizerSpec] = {spec.id: spec for spec in [
    _SGD,
    _preset(_SGD, "momentum", "Momentum", momentum=0.9),
    _preset(_SGD, "nesterov", "Nesterov", momentum=0.9, nesterov=True),
    OptimizerSpec(
        "adagrad", "AdaGrad",
        {"lr": _lr(1e-2), "lr_decay": Param(0.0, 0.0, 1e3, doc="η̃ = η / (1 + (t−1)·decay)"),
         "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
         "initial_accumulator_value": Param(0.0, 0.0, 1e6, doc="starting value of Σ g²"),
         "eps": Param(1e-10, 0.0, 1.0, doc="ε added to √Σg²", log_scale=True)},
        r"S_t = S_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{S_t} + "
        r"\epsilon}\, g_t",
        adagrad_init, adagrad_update, _adagrad_inspect),
    OptimizerSpec(
        "rmsprop", "RMSProp",
        {"lr": _lr(1e-2),
         "alpha": Param(0.99, 0.0, 1.0, doc="α: weight of the history in the average of g²"),
         "eps": Param(1e-8, 0.0, 1.0, doc="ε added to σ", log_scale=True),
         "weight_decay": Param(0.0, 0.0, 1e3, doc=WD),
         "momentum": Param(0.0, 0.0, 1.0, doc="momentum μ on the scaled step"),
         "centered": Param(False, kind="bool", doc="divide by the variance instead of the "
                           "mean square")},
        r"\sigma_t^2 = \alpha \sigma_{t-1}^2 + (1-\alpha) g_t^2,\quad \theta_{t+1} = "
        r"\theta_t - \frac{\eta}{\sigma_t + \epsilon}\, g_t",
        rmsprop_init, rmsprop_update, _rmsprop_inspect),
    _ADAM,
    replace(_preset(_ADAM, "adamw", "AdamW", weight_decay=1e-2), update=adamw_update,
            rule=ADAM_RULE + r",\ \text{then } \theta \leftarrow \theta - \eta\lambda\theta"),
    OptimizerSpec("random_search", "Random search", {},
                  r"\theta' \sim U(\text{bounds}),\quad \theta \leftarrow \theta' \text{ if } "
                  r"f(\theta') < f(\theta)",
                  search_init, random_search_update, _search_inspect, needs_values=True),
    OptimizerSpec("random_local_search", "Random local search",
                  {"step_size": Param(0.1, 0.0, 1e3, exclusive_minimum=True,
                                      doc="s: size of the random proposal", log_scale=True)},
                  r"\theta' = \theta + s\,\delta,\ \delta \sim N(0, I),\quad \theta \leftarrow "
                  r"\theta' \text{ if } f(\theta') < f(\theta)",
                  search_init, random_local_search_update, _search_inspect, needs_values=True),
    OptimizerSpec("newton", "Newton", _NEWTON_PARAMS,
                  r"\theta_{t+1} = \theta_t - \eta\,(H + \delta I)^{-1} g_t",
                  newton_init, newton_update, _newton_inspect, needs_hessian=True),
    OptimizerSpec("saddle_free_newton", "Saddle-free Newton",
                  {"lr": _NEWTON_PARAMS["lr"],
                   "min_curvature": Param(1e-2, 0.0, 1e3, exclusive_minimum=True,
                                          doc="floor on |λ|, so flat directions stay finite"),
                   "escape_gradient": Param(1e-3, 0.0, 1e3,
                                            doc="below this gradient norm, escape a saddle"),
                   "escape_step": Param(0.5, 0.0, 1e3, doc="length of the escape step along "
                                        "the negative-curvature eigenvector")},
                  r"\theta_{t+1} = \theta_t - \eta\,|H|^{-1} g_t,\quad |H| = Q|\Lambda|Q^T",
                  newton_init, saddle_free_update, _newton_inspect, needs_hessian=True),
]}

