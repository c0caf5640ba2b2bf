"""The primitive table's two forms of each operation against numpy written out here.

Every row of core/rules.py holds the code template the code generator emits and the numpy
function constant folding calls. Both must compute what the operation means: folding is
checked on scalars (it only ever sees constants), the generated code and the function on
arrays, each against an independent reference below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from gradscape.core.codegen import compile_graph
from gradscape.core.graph import PRIMITIVES, call, const, data, literal

Ref = Callable[..., Any]

# Independent numpy references, written from what each operation means.
REFERENCE: dict[str, Ref] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "neg": lambda a: 0.0 - a,
    "pow": np.float_power,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.fabs,
    "sin": np.sin,
    "cos": np.cos,
    "tan": lambda a: np.sin(a) / np.cos(a),
    "tanh": lambda a: (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1),
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: a * (a > 0),
    "leaky_relu": lambda a: a * np.where(a > 0, 1.0, 0.01),
    "softplus": lambda a: np.log1p(np.exp(a)),
    "max": np.fmax,
    "min": np.fmin,
    "sign": lambda a: (a > 0) * 1.0 - (a < 0) * 1.0,
    "gt": lambda a, b: (a > b) * 1.0,
    "ge": lambda a, b: (a >= b) * 1.0,
    "where": lambda c, a, b: a * (c > 0) + b * (c <= 0),
    "sum": lambda a: np.add.reduce(a, axis=-1),
    "mean": lambda a: np.add.reduce(a, axis=-1) / a.shape[-1],
    "expand": lambda g, like: np.repeat(g[..., None], like.shape[-1], axis=-1),
    "expand_mean": lambda g, like: np.repeat(g[..., None], like.shape[-1], axis=-1)
    / like.shape[-1],
    "logsumexp": lambda z: np.log(np.exp(z).sum(axis=-1)),
    "sum_to": lambda g, target, source: g.sum(axis=0, keepdims=len(target) == len(source)),
    "broadcast_like": lambda h, like: h + np.zeros_like(like),
    "matmul": lambda a, b: np.einsum("ij,jk->ik", a, b),
    "transpose": lambda a: np.einsum("ij->ji", a),
}

# Scalar arguments for the operations constant folding can meet (its constants are scalars),
# including ones outside the domain (nan/inf must fold as numpy gives them).
SCALAR_ARGS: dict[str, list[tuple[float, ...]]] = {
    "add": [(1.5, -2.25), (1e300, 1e300)],
    "sub": [(1.5, -2.25), (0.1, 0.3)],
    "mul": [(1.5, -2.25), (1e200, 1e200)],
    "div": [(1.0, 3.0), (1.0, 0.0), (0.0, 0.0)],
    "neg": [(2.5,), (-0.0,)],
    "pow": [(2.0, 0.5), (1.7, -3.2), (-8.0, 1.0 / 3.0), (-2.0, 3.0)],
    "exp": [(0.3,), (-4.0,), (800.0,)],
    "log": [(0.3,), (7.0,), (-1.0,), (0.0,)],
    "sqrt": [(2.0,), (-1.0,)],
    "abs": [(-2.5,), (3.0,)],
    "sin": [(0.7,), (-3.1,)],
    "cos": [(0.7,), (-3.1,)],
    "tan": [(0.7,), (-1.3,)],
    "tanh": [(0.7,), (-2.0,)],
    "sigmoid": [(0.7,), (-5.0,), (0.0,)],
    "relu": [(0.7,), (-5.0,)],
    "leaky_relu": [(0.7,), (-5.0,)],
    "softplus": [(0.7,), (-5.0,), (20.0,)],
    "max": [(0.7, -1.0), (-2.0, 3.0)],
    "min": [(0.7, -1.0), (-2.0, 3.0)],
    "sign": [(0.7,), (-5.0,), (0.0,)],
    "gt": [(1.0, 2.0), (2.0, 1.0), (1.0, 1.0)],
    "ge": [(1.0, 2.0), (2.0, 1.0), (1.0, 1.0)],
    "where": [(1.0, 2.0, 3.0), (-1.0, 2.0, 3.0), (0.0, 2.0, 3.0)],
}

RNG = np.random.default_rng(20261204)
M = RNG.uniform(-2, 2, (2, 3))
# Array arguments for every primitive; params (sum_to's shapes) come last.
ARRAY_ARGS: dict[str, tuple[Any, ...]] = {
    **{name: tuple(RNG.uniform(0.2, 1.5, (2, 3)) * (1 if name in ("log", "sqrt", "pow") else
                                                     RNG.choice([-1.0, 1.0], (2, 3)))
                   for _ in range(PRIMITIVES[name].arity))
       for name in SCALAR_ARGS},
    "sum": (M,),
    "mean": (M,),
    "expand": (M[:, 0], M),
    "expand_mean": (M[:, 0], M),
    "logsumexp": (M,),
    "sum_to": (M, (1, 3), (2, 3)),
    "broadcast_like": (M[0], M),
    "matmul": (M, M.T),
    "transpose": (M,),
}


def test_every_primitive_has_a_reference_and_arguments() -> None:
    assert set(REFERENCE) == set(PRIMITIVES)
    assert set(ARRAY_ARGS) == set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(SCALAR_ARGS))
def test_constant_folding_gives_numpy_value(name: str) -> None:
    for args in SCALAR_ARGS[name]:
        with literal():  # as written: the identities (x*1 -> x, ...) would skip the fold
            node = call(name, *map(const, args))
        assert node.is_const, (name, args)
        with np.errstate(all="ignore"):
            expected = float(REFERENCE[name](*np.array(args)))
        np.testing.assert_allclose(node.value, expected, rtol=1e-12, equal_nan=True,
                                   err_msg=f"{name}{args}")


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_row_function_and_generated_code_agree_with_numpy(name: str) -> None:
    prim = PRIMITIVES[name]
    values, params = ARRAY_ARGS[name][:prim.arity], ARRAY_ARGS[name][prim.arity:]
    expected = REFERENCE[name](*values, *params)
    np.testing.assert_allclose(prim.fn(*values, *params), expected, rtol=1e-12)
    # the emitted template, through the real code generator, on data arrays of those shapes
    names = [f"a{i}" for i in range(prim.arity)]
    node = call(name, *(data(n, np.shape(v)) for n, v in zip(names, values, strict=True)),
                params=tuple(params))
    program = compile_graph([node], [], names)
    (out,) = program(*values)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
