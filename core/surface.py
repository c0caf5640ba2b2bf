"""A 2D error surface f(x, y): an expression graph compiled on demand into fast numpy code.

All methods are batch-first: points P of shape (N, 2) give values (N,), gradients (N, 2) and
Hessians (N, 2, 2) from one pass of generated straight-line code for all N points.
Non-finite results (overflow, log of a negative number) come back as inf/nan at those points,
never as warnings or exceptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradscape.core.autodiff import Overrides, gradient, hessian
from gradscape.core.cancel import Check, never
from gradscape.core.codegen import CompiledGraph, compile_graph
from gradscape.core.errors import Refusal
from gradscape.core.graph import Node, simplified, var
from gradscape.core.rules import PRIMITIVES

Array = NDArray[np.float64]
Bounds = tuple[float, float, float, float]
DEFAULT_BOUNDS: Bounds = (-5.0, 5.0, -5.0, 5.0)
# Points x samples per engine call on a data-set surface: every point costs a row of
# intermediates per sample (8 bytes each), so a big batch is evaluated in chunks of this
# many elements, which keeps memory at tens of MB whatever the grid or the sample count.
CHUNK_ELEMENTS = 1 << 20
VARIABLES = ("x", "y")
MAX_FIELD_LATTICE = 200  # arrows per side of a gradient field (a plot shows a few dozen)


BOUNDS_ORDER = Refusal("bounds.order", "bounds need xmin < xmax and ymin < ymax, got {bounds}")
BOUNDS_RANGE = Refusal("bounds.range", "bounds must lie within ±1e6, got {bounds}")


def check_bounds(bounds: Sequence[float]) -> Bounds:
    """Validate (xmin, xmax, ymin, ymax)."""
    values = tuple(float(b) for b in bounds)
    if len(values) != 4:
        raise ValueError(f"bounds must be (xmin, xmax, ymin, ymax), got {len(values)} numbers")
    xmin, xmax, ymin, ymax = values
    if not all(np.isfinite(values)):
        raise ValueError(f"bounds must be finite numbers, got {values}")
    if not (xmin < xmax and ymin < ymax):
        raise BOUNDS_ORDER(bounds=str(values))
    if max(abs(v) for v in values) > 1e6:
        raise BOUNDS_RANGE(bounds=str(values))
    return (xmin, xmax, ymin, ymax)


def as_points(points: ArrayLike) -> Array:
    """Points as a float64 (N, 2) array, or a ValueError saying what shape was given."""
    if isinstance(points, np.ndarray) and points.dtype == np.float64 and points.ndim == 2 \
            and points.shape[1] == 2:
        return points  # the hot path: already right, no copy and no checks to redo
    array = np.asarray(points, dtype=np.float64)
    if array.ndim == 1 and array.shape[0] == 2:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2), got {array.shape}")
    return array


def _column(value: Any, n: int) -> Array:
    """A compiled output as an (N,) array (constant outputs come back as plain floats)."""
    out = np.empty(n)
    out[:] = value
    return out


def _pair(first: Any, second: Any, n: int) -> Array:
    """Two compiled outputs as the columns of an (N, 2) array."""
    out = np.empty((n, 2))
    out[:, 0] = first
    out[:, 1] = second
    return out


@dataclass
class Surface:
    """f(x, y) with its metadata. Build one with `core.surface(...)`."""

    expr: Node
    formula: str
    bounds: Bounds = DEFAULT_BOUNDS
    id: str = ""
    name: str = ""
    data: Mapping[str, Array] = field(default_factory=dict)
    # Derivative rules used instead of the table's (see `with_rules`); empty: the table's.
    rules: Overrides = field(default_factory=dict)
    _compiled: dict[str, CompiledGraph] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.bounds = check_bounds(self.bounds)
        if self.expr.shape != ():
            raise ValueError("a surface must give one number per point (reduce data with mean)")
        self._x, self._y = var("x"), var("y")
        self._data_names = tuple(self.data)
        unknown = sorted(set(self.rules) - set(PRIMITIVES))
        if unknown:
            raise ValueError(f"no primitive named {', '.join(map(repr, unknown))} to replace "
                             f"the derivative rule of; known: {', '.join(sorted(PRIMITIVES))}")

    # --- compiled programs, built on first use and kept -------------------------------------
    def _program(self, kind: str) -> CompiledGraph:
        fn = self._compiled.get(kind)
        if fn is None:
            fn = compile_graph(simplified(self.outputs(kind)), VARIABLES, self._data_names)
            self._compiled[kind] = fn
        return fn

    def compiled(self, kind: str) -> bool:
        """Whether the program for `kind` ("value", "grad", "value_grad", "hessian") exists."""
        return kind in self._compiled

    def prepare(self, *kinds: str) -> None:
        """Compile these programs now (a server does it off its event loop)."""
        for kind in kinds:
            self._program(kind)

    def outputs(self, kind: str) -> list[Node]:
        """The graph nodes one program computes: value, then gradient, then Hessian entries."""
        if kind == "value":
            return [self.expr]
        wrt = [self._x, self._y]
        if kind == "grad":
            return gradient(self.expr, wrt, self.rules)
        if kind == "value_grad":
            return [self.expr, *gradient(self.expr, wrt, self.rules)]
        grads, rows = hessian(self.expr, wrt, self.rules)
        return [self.expr, *grads, rows[0][0], rows[0][1], rows[1][1]]

    def _run(self, kind: str, points: ArrayLike, batch: Array | None) -> tuple[Array, Any]:
        P = as_points(points)
        program = self._compiled.get(kind) or self._program(kind)
        if self.data:
            columns = [c if batch is None else c[batch] for c in self.data.values()]
            with np.errstate(all="ignore"):
                return P, program(P[:, 0], P[:, 1], *columns)
        with np.errstate(all="ignore"):
            return P, program(P[:, 0], P[:, 1])

    def with_rules(self, rules: Overrides) -> Surface:
        """The same surface whose backward pass uses these derivative rules, by primitive name,
        instead of the table's: how a wrong rule is shown being caught by a gradient check.

        A rule is called like a row's `vjp`: rule(g, out, *args) -> one gradient per argument,
        e.g. {"sin": lambda g, out, a: (g * out,)} for d/du sin(u) written as sin(u).
        """
        return Surface(self.expr, self.formula, self.bounds, self.id, self.name, self.data,
                       rules)

    @property
    def samples(self) -> int:
        """Number of data samples (rows) for a data-set surface, 0 for an analytic one."""
        return len(next(iter(self.data.values()))) if self.data else 0

    def chunk_points(self) -> int:
        """Points per engine call that keep one call near CHUNK_ELEMENTS elements."""
        return max(1, CHUNK_ELEMENTS // self.samples) if self.data else CHUNK_ELEMENTS

    # --- public API ---------------------------------------------------------------------
    def value(self, points: ArrayLike, batch: Array | None = None) -> Array:
        """f at each point: (N,)."""
        P, (v,) = self._run("value", points, batch)
        return _column(v, P.shape[0])

    def value_and_grad(self, points: ArrayLike,
                       batch: Array | None = None) -> tuple[Array, Array]:
        """f (N,) and its gradient (N, 2), from one pass.

        `batch` picks the data samples (rows) for a mini-batch on a data-set surface.
        """
        P, (v, gx, gy) = self._run("value_grad", points, batch)
        return _column(v, P.shape[0]), _pair(gx, gy, P.shape[0])

    def value_and_grad_unchecked(self, P: Array, batch: Array | None = None) -> tuple[Array, Array]:
        """value_and_grad for callers that already hold a float64 (N, 2) array and have
        numpy's floating-point warnings silenced (the optimizer loops)."""
        program = self._compiled.get("value_grad") or self._program("value_grad")
        if self.data:
            columns = [c if batch is None else c[batch] for c in self.data.values()]
            v, gx, gy = program(P[:, 0], P[:, 1], *columns)
        else:
            v, gx, gy = program(P[:, 0], P[:, 1])
        n = P.shape[0]
        grads = np.empty((n, 2))
        grads[:, 0] = gx
        grads[:, 1] = gy
        if type(v) is float:
            return np.full(n, v), grads
        return v, grads

    def grad(self, points: ArrayLike, batch: Array | None = None) -> Array:
        """The gradient (∂f/∂x, ∂f/∂y) at each point: (N, 2)."""
        P, (gx, gy) = self._run("grad", points, batch)
        return _pair(gx, gy, P.shape[0])

    def value_grad_hessian(self, points: ArrayLike,
                           batch: Array | None = None) -> tuple[Array, Array, Array]:
        """f (N,), gradient (N, 2) and exact Hessian (N, 2, 2) from one pass."""
        P, (v, gx, gy, hxx, hxy, hyy) = self._run("hessian", points, batch)
        n = P.shape[0]
        grads = _pair(gx, gy, n)
        hess = np.empty((n, 2, 2))
        hess[:, 0, 0] = hxx
        hess[:, 0, 1] = hxy
        hess[:, 1, 0] = hxy
        hess[:, 1, 1] = hyy
        return _column(v, n), grads, hess

    def hessian(self, points: ArrayLike, batch: Array | None = None) -> Array:
        """The exact matrix of second derivatives at each point: (N, 2, 2)."""
        return self.value_grad_hessian(points, batch)[2]

    def grid(self, resolution: int, check: Check = never) -> tuple[Array, Array, Array]:
        """Values on a resolution x resolution grid over the bounds: (xs, ys, Z[iy, ix]).

        On a data-set surface the points are evaluated in chunks (see CHUNK_ELEMENTS), with
        `check()` called between two chunks (core.cancel)."""
        if not 2 <= resolution <= 2000:
            raise ValueError(f"grid resolution must be between 2 and 2000, got {resolution}")
        xmin, xmax, ymin, ymax = self.bounds
        xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
        X, Y = np.meshgrid(xs, ys)
        if not self.data:
            with np.errstate(all="ignore"):
                (z,) = self._program("value")(X, Y)
            return xs, ys, np.broadcast_to(z, X.shape).astype(np.float64)
        P = np.column_stack([X.ravel(), Y.ravel()])
        Z = np.empty(len(P))
        step = self.chunk_points()
        for i in range(0, len(P), step):
            check()
            Z[i:i + step] = self.value(P[i:i + step])
        return xs, ys, Z.reshape(X.shape)

    def gradient_field(self, lattice: int,
                       check: Check = never) -> tuple[Array, Array, Array, Array]:
        """Exact gradients at the centres of a lattice x lattice tiling of the bounds:
        (xs, ys, GX[iy, ix], GY[iy, ix]), what a plot draws its downhill arrows from.

        Cell centres keep every arrow inside the bounds, off their edges. One batched
        gradient call (in chunks on a data-set surface, with `check()` between them)."""
        if not 1 <= lattice <= MAX_FIELD_LATTICE:
            raise ValueError(f"field lattice must be between 1 and {MAX_FIELD_LATTICE}, "
                             f"got {lattice}")
        xmin, xmax, ymin, ymax = self.bounds
        centres = (np.arange(lattice) + 0.5) / lattice
        xs, ys = xmin + centres * (xmax - xmin), ymin + centres * (ymax - ymin)
        X, Y = np.meshgrid(xs, ys)
        P = np.column_stack([X.ravel(), Y.ravel()])
        G = np.empty_like(P)
        step = self.chunk_points()
        for i in range(0, len(P), step):
            check()
            G[i:i + step] = self.grad(P[i:i + step])
        return xs, ys, G[:, 0].reshape(X.shape), G[:, 1].reshape(X.shape)

