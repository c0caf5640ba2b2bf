"""Gradient check: centred differences against the exact gradient (CS231n's recipe).

The numerical gradient is slow and approximate but hard to get wrong; the analytic one is
fast and exact but easy to get wrong. Comparing them by relative error is how a derivative
rule is checked, and the step inspector shows both at the current point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

# Centred differences err by O(h^2) from truncation and O(eps/h) from rounding; h ~ 1e-5
# balances the two for float64 and O(1) inputs.
DEFAULT_STEP = 1e-5


def numerical_gradient(value: Callable[[Array], Array], points: Array,
                       step: float = DEFAULT_STEP) -> Array:
    """(f(p + h e_i) - f(p - h e_i)) / 2h for each point and axis, in one batched call."""
    P = np.asarray(points, dtype=np.float64)
    n = P.shape[0]
    shifts = np.array([[step, 0.0], [-step, 0.0], [0.0, step], [0.0, -step]])
    probes = (P[:, None, :] + shifts[None, :, :]).reshape(-1, 2)
    with np.errstate(all="ignore"):
        f = value(probes).reshape(n, 4)
        return np.stack([(f[:, 0] - f[:, 1]), (f[:, 2] - f[:, 3])], axis=1) / (2.0 * step)


# The one pass/fail rule (the server serves it and its verdicts; the browser shows them):
# CS231n's rule of thumb, below 1e-7 is good and above 1e-4 something is wrong.
PASS_BELOW = 1e-4

# Near a critical point both gradients are ~0 and their ratio is noise / noise; below this
# size a difference is measured against the floor instead (CS231n warns about tiny values).
ERROR_FLOOR = 1e-3


def relative_error(analytic: Array, numeric: Array) -> Array:
    """|a - n| / max(|a|, |n|, floor) per component, as CS231n defines it (with a floor).

    nan where either gradient is not finite there: no number can vouch for such a point."""
    a, b = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    with np.errstate(all="ignore"):
        scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), ERROR_FLOOR)  # nan stays nan
        error: Array = np.abs(a - b) / scale
        return np.where(np.isfinite(a) & np.isfinite(b), error, np.nan)


@dataclass(frozen=True)
class GradientCheck:
    analytic: Array  # (N, 2)
    numeric: Array  # (N, 2)
    relative_error: Array  # (N,) the worse of the two components

    @property
    def passed(self) -> NDArray[np.bool_]:
        """Whether each point passes: relative error below PASS_BELOW (nan fails)."""
        return passes(self.relative_error)


def passes(relative_error: ArrayLike) -> NDArray[np.bool_]:
    """The gradient check's verdict for relative errors (as `relative_error` measures them)."""
    with np.errstate(invalid="ignore"):
        result: NDArray[np.bool_] = np.asarray(relative_error, dtype=np.float64) < PASS_BELOW
    return result


def check_gradient(value: Callable[[Array], Array], grad: Callable[[Array], Array],
                   points: Array, step: float = DEFAULT_STEP) -> GradientCheck:
    analytic = grad(points)
    numeric = numerical_gradient(value, points, step)
    return GradientCheck(analytic, numeric, relative_error(analytic, numeric).max(axis=1))
