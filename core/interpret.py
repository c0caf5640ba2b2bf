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


RUNTIME: dict[str, Any] = {"np": np, "_sum_to": sum_to}


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
