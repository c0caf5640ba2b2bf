"""The numpy helpers behind a few primitives (sum_to, expand, logsumexp).

Both halves of a rule row use them: the generated code calls them by the names in `RUNTIME`
(its templates say `_sum_to(...)`), and the row's numpy function calls them directly when
constants are folded. They know nothing of graphs, so this module imports no other.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sum_to(g: Any, target: tuple[Any, ...], source: tuple[Any, ...]) -> Any:
    """Sum a gradient of static shape `source` down to the broadcast-smaller `target`.

    Undoes numpy broadcasting: extra leading axes are summed away, and axes where the target
    has length 1 are summed with keepdims. A leading point axis (batched values) is kept.
    """
    g = np.asarray(g)
    lead = g.ndim - len(source)  # 1 when g carries the point axis, else 0
    extra = len(source) - len(target)
    axes = tuple(range(lead, lead + extra)) + tuple(
        lead + extra + i for i, d in enumerate(target) if d == 1 and source[extra + i] != 1
    )
    if not axes:
        return g
    summed = g.sum(axis=axes, keepdims=True)
    return summed.reshape(summed.shape[:lead] + summed.shape[lead + extra:])


def expand(g: Any, like: Any, divisor: Any) -> Any:
    """g repeated along a new last axis to the shape of `like` (divided by `divisor`).

    The shapes broadcast rather than copy `like`'s: a gradient for K directions expands
    against a forward value computed once for one point (a point axis of 1).
    """
    g = np.expand_dims(g, -1)
    if divisor != 1.0:
        g = g / divisor
    return np.broadcast_to(g, np.broadcast_shapes(np.shape(g), np.shape(like)))


def logsumexp(z: Any) -> Any:
    """log Σ exp(z) over the last axis, shifted by the maximum so it never overflows."""
    z = np.asarray(z)
    top = np.max(z, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.log(np.sum(np.exp(z - top), axis=-1)) + top[..., 0]


RUNTIME: dict[str, Any] = {"np": np, "_sum_to": sum_to, "_expand": expand,
                           "_logsumexp": logsumexp}

