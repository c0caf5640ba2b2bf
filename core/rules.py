"""The primitive table: forward code, derivative rule and shape rule, one row per primitive.

Every derivative rule is written with graph operations (not numpy), so a gradient is itself
a graph and can be differentiated again: that is where the exact Hessian comes from.
A rule returns the gradient for each argument at the *output's* shape; `core.autodiff`
sums it down to the argument's shape (undoing broadcasting) in one place.

Each row holds an operation twice, side by side: `code`, the numpy text the code generator
emits (argument names chosen by the generator, never text from a user), and `fn`, the same
numpy computation as a function, which constant folding calls. tests/test_engine.py checks
that the two agree, and agree with numpy written out independently, for every primitive.

This module imports the engine (`core.graph`) and registers its rows there; the engine never
imports it back. `gradscape.core` imports it first, so the table is full before any formula
is built.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradscape.core.graph import (
    FUNCTIONS,
    PRIMITIVES,
    SAMPLE,
    Node,
    Primitive,
    Shape,
    broadcast_shapes,
    call,
    const,
    register,
)
from gradscape.core.runtime import expand, logsumexp, sum_to


def _elementwise(*shapes: Shape, params: tuple[Any, ...] = ()) -> Shape:
    return broadcast_shapes(*shapes)


def _reduce_last(shape: Shape, params: tuple[Any, ...] = ()) -> Shape:
    if not shape:
        raise ValueError("sum/mean need an array argument (a data set column), got a scalar")
    return shape[:-1]


def _expand_last(g: Shape, like: Shape, params: tuple[Any, ...] = ()) -> Shape:
    return like


def _like_second(g: Shape, like: Shape, params: tuple[Any, ...] = ()) -> Shape:
    return like


def _sum_to_shape(g: Shape, params: tuple[Any, ...] = ()) -> Shape:
    return tuple(params[0])


def _matmul_shape(a: Shape, b: Shape, params: tuple[Any, ...] = ()) -> Shape:
    if len(a) < 2 or len(b) < 2:
        raise ValueError("matmul needs matrices (at least 2 axes on each side)")
    if a[-1] != b[-2]:
        raise ValueError(f"matmul: inner dimensions differ ({a[-1]} vs {b[-2]})")
    return (*broadcast_shapes(a[:-2], b[:-2]), a[-2], b[-1])


def _transpose_shape(a: Shape, params: tuple[Any, ...] = ()) -> Shape:
    if len(a) < 2:
        raise ValueError("transpose needs at least 2 axes")
    return (*a[:-2], a[-1], a[-2])


def _zero(g: Node, out: Node, *args: Node) -> tuple[None, ...]:
    return (None,) * len(args)


def _prim(name: str, arity: int, code: str, fn: Any, vjp: Any, *, shape: Any = _elementwise,
          user: bool = False, doc: str = "", aligns: bool = True) -> None:
    register(Primitive(name, arity, code, fn, vjp, shape, user, doc, aligns))


def c(v: float) -> Node:
    return const(v)



# --- arithmetic -------------------------------------------------------------------------
# name, arity, emitted code, numpy function, derivative rule (upstream g, output, inputs)
_prim("add", 2, "{0} + {1}", np.add, lambda g, out, a, b: (g, g),
      doc="add gate: distributes the upstream gradient unchanged to both inputs")
_prim("sub", 2, "{0} - {1}", np.subtract, lambda g, out, a, b: (g, -g))
_prim("mul", 2, "{0} * {1}", np.multiply, lambda g, out, a, b: (g * b, g * a),
      doc="multiply gate: each input gets the other input times the upstream gradient")
_prim("div", 2, "{0} / {1}", np.divide, lambda g, out, a, b: (g / b, -(g * out) / b))
_prim("neg", 1, "-{0}", np.negative, lambda g, out, a: (-g,))
_prim("pow", 2, "{0} ** {1}", np.power,
      lambda g, out, a, b: (g * b * a ** (b - 1.0),
                            None if b.is_const else g * out * call("log", a)))

# --- elementary functions (callable from formulas) ---------------------------------------
_prim("exp", 1, "np.exp({0})", np.exp, lambda g, out, a: (g * out,), user=True)
_prim("log", 1, "np.log({0})", np.log, lambda g, out, a: (g / a,), user=True)
_prim("sqrt", 1, "np.sqrt({0})", np.sqrt, lambda g, out, a: (g * 0.5 / out,), user=True)
_prim("abs", 1, "np.abs({0})", np.abs, lambda g, out, a: (g * call("sign", a),), user=True)
_prim("sin", 1, "np.sin({0})", np.sin, lambda g, out, a: (g * call("cos", a),), user=True)
_prim("cos", 1, "np.cos({0})", np.cos, lambda g, out, a: (-(g * call("sin", a)),), user=True)
_prim("tan", 1, "np.tan({0})", np.tan, lambda g, out, a: (g * (1.0 + out * out),), user=True)
_prim("tanh", 1, "np.tanh({0})", np.tanh, lambda g, out, a: (g * (1.0 - out * out),),
      user=True)
# 0.5*(tanh(a/2)+1) is the logistic function without overflow for large |a|.
_prim("sigmoid", 1, "0.5 * (np.tanh(0.5 * {0}) + 1.0)", lambda a: 0.5 * (np.tanh(0.5 * a) + 1.0),
      lambda g, out, a: (g * (out * (1.0 - out)),), user=True)
_prim("relu", 1, "np.maximum({0}, 0.0)", lambda a: np.maximum(a, 0.0),
      lambda g, out, a: (g * call("gt", a, c(0.0)),),
      user=True, doc="gradient 1 for positive inputs, 0 otherwise (the dead zone)")
_prim("leaky_relu", 1, "np.where({0} > 0.0, {0}, 0.01 * {0})",
      lambda a: np.where(a > 0.0, a, 0.01 * a),
      lambda g, out, a: (g * (0.01 + 0.99 * call("gt", a, c(0.0))),), user=True,
      doc="slope 0.01 for negative inputs, so the gradient never dies")
_prim("softplus", 1, "np.logaddexp(0.0, {0})", lambda a: np.logaddexp(0.0, a),
      lambda g, out, a: (g * call("sigmoid", a),), user=True)
_prim("max", 2, "np.maximum({0}, {1})", np.maximum,
      lambda g, out, a, b: (g * call("ge", a, b), g * call("gt", b, a)), user=True,
      doc="max gate: routes the whole gradient to the larger input (ties: the first)")
_prim("min", 2, "np.minimum({0}, {1})", np.minimum,
      lambda g, out, a, b: (g * call("ge", b, a), g * call("gt", a, b)), user=True,
      doc="min gate: routes the whole gradient to the smaller input (ties: the first)")

# --- piecewise-constant helpers: derivative zero almost everywhere ------------------------
_prim("sign", 1, "np.sign({0})", np.sign, _zero)
_prim("gt", 2, "np.where({0} > {1}, 1.0, 0.0)", lambda a, b: np.where(a > b, 1.0, 0.0), _zero)
_prim("ge", 2, "np.where({0} >= {1}, 1.0, 0.0)", lambda a, b: np.where(a >= b, 1.0, 0.0), _zero)
_prim("where", 3, "np.where({0} > 0.0, {1}, {2})", lambda cond, a, b: np.where(cond > 0.0, a, b),
      lambda g, out, cond, a, b: (None, call("where", cond, g, c(0.0)),
                                  call("where", cond, c(0.0), g)),
      doc="where(c, a, b): a where c > 0, else b")

# --- reductions over the last (data) axis, and what undoes them -------------------------
_prim("sum", 1, "np.sum({0}, axis=-1)", lambda a: np.sum(a, axis=-1),
      lambda g, out, a: (call("expand", g, a),), shape=_reduce_last, aligns=False)
_prim("mean", 1, "np.mean({0}, axis=-1)", lambda a: np.mean(a, axis=-1),
      lambda g, out, a: (call("expand_mean", g, a),), shape=_reduce_last, aligns=False)
# expand(g, like): g repeated along a new last axis to like's shape (the adjoint of sum).
# The point axes of g and like broadcast against each other (one point against K directions).
_prim("expand", 2, "_expand({0}, {1}, 1.0)", lambda h, like: expand(h, like, 1.0),
      lambda g, out, h, like: (call("sum", g), None), shape=_expand_last, aligns=False)
_prim("expand_mean", 2, "_expand({0}, {1}, np.shape({1})[-1])",
      lambda h, like: expand(h, like, np.shape(like)[-1]),
      lambda g, out, h, like: (call("mean", g), None), shape=_expand_last, aligns=False)
# logsumexp over the last axis (softmax cross-entropy is logsumexp(z) - sum(onehot * z)); its
# derivative is the softmax, written with graph ops so that it differentiates again.
_prim("logsumexp", 1, "_logsumexp({0})", logsumexp,
      lambda g, out, a: (call("expand", g, a) * call("exp", a - call("expand", out, a)),),
      shape=_reduce_last, aligns=False)
# sum_to(g): sums a broadcast gradient back to an argument's shape; params hold the axes.
_prim("sum_to", 1, "_sum_to({0}, {p0!r}, {p1!r})", sum_to,
      lambda g, out, a: (call("broadcast_like", g, a),), shape=_sum_to_shape, aligns=False)
_prim("broadcast_like", 2, "np.broadcast_to({0}, np.broadcast_shapes(np.shape({0}), "
      "np.shape({1})))",
      lambda h, like: np.broadcast_to(h, np.broadcast_shapes(np.shape(h), np.shape(like))),
      lambda g, out, h, like: (None, None), shape=_like_second)

# --- linear algebra ------------------------------------------------------------------------
_prim("matmul", 2, "np.matmul({0}, {1})", np.matmul,
      lambda g, out, a, b: (call("matmul", g, call("transpose", b)),
                            call("matmul", call("transpose", a), g)), shape=_matmul_shape)
_prim("transpose", 1, "np.swapaxes({0}, -1, -2)", lambda a: np.swapaxes(a, -1, -2),
      lambda g, out, a: (call("transpose", g),), shape=_transpose_shape)

__all__ = ["FUNCTIONS", "PRIMITIVES", "SAMPLE"]
