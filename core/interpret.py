"""Running single primitives on numbers (constant folding), from the same code templates
that the code generator emits, so there is one definition of each operation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradscape.core.graph import Primitive

_KERNELS: dict[str, Callable[..., Any]] = {}


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


def render(prim: Primitive, names: Sequence[str], params: tuple[Any, ...]) -> str:
    """The numpy expression for one primitive applied to the named arguments."""
    return prim.code.format(*names, **{f"p{i}": p for i, p in enumerate(params)})


def kernel(prim: Primitive, params: tuple[Any, ...] = ()) -> Callable[..., Any]:
    """The primitive as a Python function of its argument values (cached)."""
    key = f"{prim.name}{params!r}"
    fn = _KERNELS.get(key)
    if fn is None:
        names = [f"a{i}" for i in range(prim.arity)]
        source = f"lambda {', '.join(names)}: {render(prim, names, params)}"
        # The source is the engine's own template; no user text reaches it.
        fn = eval(source, dict(RUNTIME))  # noqa: S307
        _KERNELS[key] = fn
    return fn


def run_primitive(prim: Primitive, values: Sequence[Any], params: tuple[Any, ...] = ()) -> Any:
    return kernel(prim, params)(*values)
