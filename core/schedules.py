"""Learning-rate schedules η(t): pure functions of the step, each equal to a torch scheduler.

Step t counts optimizer steps from 1; torch's scheduler "epoch" is e = t − 1 (the number of
scheduler.step() calls made before step t). Every schedule can be preceded by a linear
warm-up of `warmup_steps` steps that starts at `warmup_start_factor`·η, as torch's
SequentialLR([LinearLR(start_factor, total_iters=W), main], milestones=[W]) does: the main
schedule then starts its own count at the end of the warm-up. Warm-up exists because the
statistics adaptive methods divide by (σ) need a few steps before they can be trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gradscape.core.errors import Refusal
from gradscape.core.params import Param, ParamMemo, validate_params

UNKNOWN = Refusal("schedule.unknown", "unknown schedule {name}; known: {known}")

Array = NDArray[np.float64]
Factor = Callable[[Array, Mapping[str, Any]], Array]

MAX_CURVE_STEPS = 100_000

WARMUP = {
    "warmup_steps": Param(0, 0, 100_000, kind="int", doc="steps of linear warm-up first"),
    "warmup_start_factor": Param(0.1, 0.0, 1.0, exclusive_minimum=True,
                                 doc="η starts the warm-up at this fraction of its value"),
}


@dataclass(frozen=True)
class ScheduleSpec:
    id: str
    name: str
    params: Mapping[str, Param]
    formula: str  # LaTeX, in terms of the epoch e = t − 1
    torch: str  # the torch.optim.lr_scheduler it equals
    factor: Factor  # η(e)/η for an array of epochs e (after any warm-up)

    memo: ParamMemo = field(default_factory=ParamMemo, init=False, compare=False, repr=False)

    def validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults (warm-up included) filled in; ValueError naming a bad parameter."""
        return self.memo.validated(given, self._validate)

    def _validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        return validate_params(f"schedule {self.id}", {**self.params, **WARMUP}, given)

    def factors(self, steps: Array, params: Mapping[str, Any]) -> Array:
        """η(t)/η for 1-based steps t (any array shape), warm-up included.

        With W = warmup_steps > 0 and s = warmup_start_factor: s + (1 − s)·e/W for e < W
        (torch's LinearLR(start_factor=s, total_iters=W)), then the schedule at e − W.
        """
        e = np.asarray(steps, dtype=np.float64) - 1.0
        w = params.get("warmup_steps", 0)
        if not w:
            return self.factor(e, params)
        start = params["warmup_start_factor"]
        warm = start + (1.0 - start) * np.minimum(e, w) / w
        return np.where(e < w, warm, self.factor(np.maximum(e - w, 0.0), params))

    def lr(self, base_lr: float, step: int, params: Mapping[str, Any]) -> float:
        """η(t) for one 1-based step t, given the schedule's base value η = base_lr."""
        return float(base_lr * self.factors(np.array([step]), params)[0])


def _constant(e: Array, p: Mapping[str, Any]) -> Array:
    """η_t = η.  torch: no scheduler (or ConstantLR(factor=1))."""
    return np.ones_like(e)


def _step(e: Array, p: Mapping[str, Any]) -> Array:
    """η_t = η γ^⌊e / s⌋ (s = step_size).  torch: StepLR(step_size, gamma)."""
    return np.asarray(np.power(p["gamma"], np.floor(e / p["step_size"])), dtype=np.float64)


def _exponential(e: Array, p: Mapping[str, Any]) -> Array:
    """η_t = η γ^e.  torch: ExponentialLR(gamma)."""
    return np.asarray(np.power(p["gamma"], e), dtype=np.float64)


def _inverse_time(e: Array, p: Mapping[str, Any]) -> Array:
    """η_t = η / (1 + k e) (k = decay_rate): η on step 1, η/2 on step 1 + 1/k.

    torch has no named scheduler for it; it equals LambdaLR(lambda e: 1 / (1 + k e)).
    """
    return np.asarray(1.0 / (1.0 + p["decay_rate"] * e), dtype=np.float64)


def _cosine(e: Array, p: Mapping[str, Any]) -> Array:
    """η_t = η_min + ½(η − η_min)(1 + cos(π e / T)),  η_min = eta_min_factor · η.

    torch: CosineAnnealingLR(T_max=T, eta_min=eta_min_factor · η), whose closed form this
    is (periodic past T, as torch's is). The floor is a fraction of η rather than torch's
    absolute eta_min because η is the optimizer's hyperparameter, which differs by 10⁴
    between Adam and Newton.
    """
    floor = p["eta_min_factor"]
    cosine = floor + (1.0 - floor) * 0.5 * (1.0 + np.cos(np.pi * e / p["T_max"]))
    return np.asarray(cosine, dtype=np.float64)


GAMMA = "multiplicative decay factor γ"

SCHEDULES: dict[str, ScheduleSpec] = {spec.id: spec for spec in [
    ScheduleSpec("constant", "Constant", {}, r"\eta_t = \eta", "ConstantLR(factor=1)",
                 _constant),
    ScheduleSpec("step", "Step decay",
                 {"step_size": Param(100, 1, 100_000, kind="int", doc="steps between drops"),
                  "gamma": Param(0.5, 0.0, 1.0, exclusive_minimum=True, doc=GAMMA)},
                 r"\eta_t = \eta\,\gamma^{\lfloor e / s \rfloor}", "StepLR", _step),
    ScheduleSpec("exponential", "Exponential decay",
                 {"gamma": Param(0.99, 0.0, 1.0, exclusive_minimum=True, doc=GAMMA)},
                 r"\eta_t = \eta\,\gamma^{e}", "ExponentialLR", _exponential),
    ScheduleSpec("inverse_time", "Inverse-time decay",
                 {"decay_rate": Param(0.01, 0.0, 1e3, doc="k in η / (1 + k e)")},
                 r"\eta_t = \frac{\eta}{1 + k e}", "LambdaLR(lambda e: 1 / (1 + k e))",
                 _inverse_time),
    ScheduleSpec("cosine", "Cosine annealing",
                 {"T_max": Param(500, 1, 100_000, kind="int", doc="steps to reach the floor"),
                  "eta_min_factor": Param(0.0, 0.0, 1.0, doc="floor as a fraction of η")},
                 r"\eta_t = \eta_{min} + \tfrac12(\eta - \eta_{min})(1 + \cos(\pi e / T))",
                 "CosineAnnealingLR (closed form)", _cosine),
]}


def lr_curve(schedule_id: str, base_lr: float, steps: int,
             params: Mapping[str, Any] | None = None) -> Array:
    """η(t) for t = 1..steps as a (steps,) array, for the schedule picker's small plot.

    ValueError for an unknown schedule, a bad parameter (named) or steps out of range.
    """
    spec = SCHEDULES.get(schedule_id)
    if spec is None:
        raise UNKNOWN(name=repr(schedule_id), known=", ".join(SCHEDULES))
    if not 1 <= steps <= MAX_CURVE_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be between 1 and {MAX_CURVE_STEPS})")
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise ValueError(f"Invalid steps: {steps!r} (steps must be a whole number)")
    resolved = spec.validate(params or {})
    return base_lr * spec.factors(np.arange(1, steps + 1, dtype=np.float64), resolved)
