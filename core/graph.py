"""Expression graphs: immutable, hash-consed nodes with static shapes.

A formula is a DAG of `Node`s. Nodes are interned (hash-consed), so building the same
sub-expression twice gives the same node: common sub-expressions are shared for free, and
the gradient graph built by `core.autodiff` reuses forward nodes instead of copying them.

Shapes. Every node has a static `shape` (a tuple of ints, or "S" for the sample axis of a
data set whose length is only known at run time) and a `batched` flag. A batched node holds
one value per point: at run time its array has shape (N, *shape). An unbatched node (a
constant or a data column) has shape `shape`. The variables x and y are batched scalars.

Primitives (their forward code, derivative rule and shape rule) live in one table,
`core.rules`; this module only knows how to build, simplify and order nodes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

Dim = int | str
Shape = tuple[Dim, ...]
SAMPLE: str = "S"

VjpRule = Callable[..., Sequence["Node | None"]]
ShapeRule = Callable[..., Shape]


@dataclass(frozen=True)
class Primitive:
    """One operation: forward numpy code and function, derivative rule, shape rule.

    `code` is a template over `{0}`, `{1}`, ... (argument names) and `{p0}`, ... (static
    params), the text the code generator emits; `fn(*values, *params)` computes the same
    thing directly (constant folding calls it: no source text is ever evaluated for that).
    `vjp(g, out, *args, params=...)` returns one gradient node (or None) per argument,
    written with graph operations so that it can be differentiated again.
    """

    name: str
    arity: int
    code: str
    fn: Callable[..., Any]
    vjp: VjpRule
    shape: ShapeRule
    user: bool = False
    doc: str = ""
    # Whether run-time batched arguments of lower rank get axes inserted after the point
    # axis before numpy broadcasts them (true for elementwise ops and matmul).
    aligns: bool = True


# The registry the engine looks primitives up in. `core.rules` fills it (the table imports the
# engine, never the reverse); `gradscape.core` imports the table first, so it is always full.
PRIMITIVES: dict[str, Primitive] = {}
# Functions a formula may call, name -> arity (filled by core.rules).
FUNCTIONS: dict[str, int] = {}


def register(prim: Primitive) -> None:
    if prim.name in PRIMITIVES:
        raise ValueError(f"primitive {prim.name!r} registered twice")
    PRIMITIVES[prim.name] = prim
    if prim.user:
        FUNCTIONS[prim.name] = prim.arity


class Node:
    """An immutable node of the expression graph. Build nodes with const/var/data/call."""

    __slots__ = ("__weakref__", "args", "batched", "name", "op", "params", "shape", "value",
                 "varying")

    op: str
    args: tuple[Node, ...]
    params: tuple[Any, ...]
    value: float
    name: str
    shape: Shape
    batched: bool
    varying: bool

    def __repr__(self) -> str:
        if self.op == "const":
            return repr(self.value)
        if self.op in ("var", "data"):
            return self.name
        return f"{self.op}({', '.join(map(repr, self.args))})"

    # Arithmetic builds new nodes, so formulas and derivative rules read like math.
    def __add__(self, other: Node | float) -> Node:
        return call("add", self, lift(other))

    def __radd__(self, other: float) -> Node:
        return call("add", lift(other), self)

    def __sub__(self, other: Node | float) -> Node:
        return call("sub", self, lift(other))

    def __rsub__(self, other: float) -> Node:
        return call("sub", lift(other), self)

    def __mul__(self, other: Node | float) -> Node:
        return call("mul", self, lift(other))

    def __rmul__(self, other: float) -> Node:
        return call("mul", lift(other), self)

    def __truediv__(self, other: Node | float) -> Node:
        return call("div", self, lift(other))

    def __rtruediv__(self, other: float) -> Node:
        return call("div", lift(other), self)

    def __pow__(self, other: Node | float) -> Node:
        return call("pow", self, lift(other))

    def __rpow__(self, other: float) -> Node:
        return call("pow", lift(other), self)

    def __neg__(self) -> Node:
        return call("neg", self)

    def __pos__(self) -> Node:
        return self

    @property
    def is_const(self) -> bool:
        return self.op == "const"


# Interning table: key -> node. Weak values, so graphs nobody holds are freed. A key holds
# the ids of the argument nodes; a live node keeps its arguments alive, so ids stay unique.
_INTERN: weakref.WeakValueDictionary[tuple[Any, ...], Node] = weakref.WeakValueDictionary()


def _make(op: str, args: tuple[Node, ...], params: tuple[Any, ...], shape: Shape,
          batched: bool, value: float = 0.0, name: str = "") -> Node:
    # The shape is part of a leaf's identity: data("u", (3,)) is not a data set's column
    # data("u", ("S",)) (they were one node, so whichever was built first won).
    key = (op, params, value.hex() if op == "const" else name, shape, *map(id, args))
    found = _INTERN.get(key)
    if found is not None:
        return found
    node = object.__new__(Node)
    node.op, node.args, node.params = op, args, params
    node.value, node.name, node.shape, node.batched = value, name, shape, batched
    node.varying = op == "var" or any(a.varying for a in args)
    _INTERN[key] = node
    return node


def const(value: float) -> Node:
    """A scalar constant (an unbatched float64)."""
    return _make("const", (), (), (), False, value=float(value))


def var(name: str, shape: Shape = ()) -> Node:
    """A per-point variable: x or y of a surface (scalars), or a model's parameter tensor.

    At run time a variable of shape s holds an array (N, *s): one value per point. N may be 1
    for a variable that is the same for every point (numpy broadcasts it against the others).
    """
    shape = tuple(shape)
    return _make("var", (), (shape,) if shape else (), shape, True, name=name)


def data(name: str, shape: Shape) -> Node:
    """A data array supplied at run time (a data set's column); never differentiated."""
    return _make("data", (), (), tuple(shape), False, name=name)


def lift(value: Node | float) -> Node:
    return value if isinstance(value, Node) else const(value)


def broadcast_shapes(*shapes: Shape) -> Shape:
    """numpy's broadcasting rule on static shapes, with SAMPLE as a dimension of its own."""
    rank = max((len(s) for s in shapes), default=0)
    out: list[Dim] = []
    for axis in range(rank):
        dims = {s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0}
        dims.discard(1)
        if len(dims) > 1:
            raise ValueError(f"shapes {shapes} do not broadcast")
        out.append(dims.pop() if dims else 1)
    return tuple(out)


# Inside `literal()`, graphs are built as written (no algebraic identities), so the backprop
# view shows the user's own formula; `simplified()` applies the identities before compiling.
_LITERAL: ContextVar[bool] = ContextVar("gradscape_literal", default=False)


@contextmanager
def literal() -> Iterator[None]:
    token = _LITERAL.set(True)
    try:
        yield
    finally:
        _LITERAL.reset(token)


def simplified(outputs: Sequence[Node]) -> list[Node]:
    """The same graphs rebuilt with the algebraic identities applied (for fast code)."""
    new: dict[int, Node] = {}
    for node in topological_order(outputs):
        if node.args:
            new[id(node)] = call(node.op, *(new[id(a)] for a in node.args), params=node.params)
        else:
            new[id(node)] = node
    return [new[id(o)] for o in outputs]


def call(fn: str, *args: Node, params: tuple[Any, ...] = ()) -> Node:
    """Apply the primitive `fn`: simplified, constant-folded and interned."""
    prim = PRIMITIVES.get(fn)
    if prim is None:
        raise ValueError(f"unknown primitive {fn!r}")
    if len(args) != prim.arity:
        raise ValueError(f"{fn} takes {prim.arity} arguments, got {len(args)}")
    simpler = None if _LITERAL.get() else _simplify(fn, args)
    if simpler is not None:
        return simpler
    shape = prim.shape(*(a.shape for a in args), params=params)
    if args and all(a.is_const for a in args):
        return const(_fold(prim, args, params))
    return _make(fn, tuple(args), params, shape, any(a.batched for a in args))


def _fold(prim: Primitive, args: Sequence[Node], params: tuple[Any, ...]) -> float:
    """The primitive's numpy function on the constants' values (float64, like run time)."""
    with np.errstate(all="ignore"):
        return float(prim.fn(*(np.float64(a.value) for a in args), *params))


def _is(node: Node, value: float) -> bool:
    return node.is_const and node.value == value


def _scaled(node: Node) -> bool:
    """Whether the node is constant * something."""
    return node.op == "mul" and node.args[0].is_const


def _simplify(fn: str, args: Sequence[Node]) -> Node | None:
    """Algebraic identities that keep generated code short (mostly met by derivative rules).

    Only identities that hold for every finite input and keep the result's shape: x*0 is
    not simplified when x carries a data axis, since 0 would lose that axis.
    """
    if fn == "add":
        a, b = args
        if _is(a, 0.0) and b.shape == broadcast_shapes(a.shape, b.shape):
            return b
        if _is(b, 0.0) and a.shape == broadcast_shapes(a.shape, b.shape):
            return a
        if b.op == "neg":
            return call("sub", a, b.args[0])
        if a is b:
            return call("mul", const(2.0), a)
    elif fn == "sub":
        a, b = args
        if _is(b, 0.0):
            return a
        if _is(a, 0.0):
            return call("neg", b)
        if b.op == "neg":
            return call("add", a, b.args[0])
    elif fn == "mul":
        a, b = args
        if b.is_const and not a.is_const:
            a, b = b, a  # constants first, so c1*(c2*x) below sees them
        if _is(a, 1.0):
            return b
        if _is(a, 0.0) and b.shape == ():
            return a
        if _is(a, -1.0):
            return call("neg", b)
        if a.is_const and b.op == "mul" and b.args[0].is_const:
            return call("mul", const(a.value * b.args[0].value), b.args[1])
        if a.is_const and b.op == "neg":
            return call("mul", const(-a.value), b.args[0])
        # Hoist constant factors outwards, (c*a)*b -> c*(a*b), so chains of them fold.
        if not a.is_const and _scaled(a):
            return call("mul", a.args[0], call("mul", a.args[1], b))
        if not a.is_const and _scaled(b):
            return call("mul", b.args[0], call("mul", a, b.args[1]))
        if (a.is_const, b.is_const) == (True, False) and (a, b) != tuple(args):
            return call_raw("mul", a, b)
    elif fn == "div":
        a, b = args
        if _is(b, 1.0):
            return a
        if _is(a, 0.0) and b.shape == ():
            return a
    elif fn == "neg":
        (a,) = args
        if a.op == "neg":
            return a.args[0]
        if _scaled(a):
            return call("mul", const(-a.args[0].value), a.args[1])
    elif fn == "pow":
        a, b = args
        if _is(b, 1.0):
            return a
        if _is(b, 2.0):
            return call("mul", a, a)
        if _is(b, 0.0) and a.shape == ():
            return const(1.0)
        if _is(b, -1.0):
            return call("div", const(1.0), a)
        if _is(b, 0.5):
            return call("sqrt", a)
    return None


def call_raw(fn: str, *args: Node, params: tuple[Any, ...] = ()) -> Node:
    """Apply a primitive without the identities (used once they have been applied)."""
    prim = PRIMITIVES[fn]
    shape = prim.shape(*(a.shape for a in args), params=params)
    return _make(fn, tuple(args), params, shape, any(a.batched for a in args))


def topological_order(outputs: Iterable[Node]) -> list[Node]:
    """Every node the outputs depend on, arguments before users. Iterative: deep graphs are fine."""
    order: list[Node] = []
    seen: set[int] = set()
    for root in outputs:
        if id(root) in seen:
            continue
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args) if id(arg) not in seen)
    return order

