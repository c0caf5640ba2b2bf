"""Surface specs -> core Surfaces, with an LRU cache of parsed and compiled formulas.

A classroom typing the same formula pays for parsing and code generation once: the cache
keeps the Surface (its compiled programs live on it), and a request with other bounds gets
a view that shares the expression and the compiled code.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

import gradscape.core as core
from gradscape.core.cancel import Check, never
from gradscape.core.critical import CriticalPoint, Tolerances, tolerances
from gradscape.core.datasets import DATASETS, dataset_surface
from gradscape.core.datasets import UNKNOWN as UNKNOWN_DATASET
from gradscape.core.graph import topological_order
from gradscape.core.surface import Surface, check_bounds
from gradscape.core.surfaces import SURFACES
from gradscape.core.surfaces import default_start as core_default_start
from gradscape.server.errorcodes import CodedError
from gradscape.server.schemas import DatasetSurface, FormulaSurface, SurfaceRef

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A thread-safe least-recently-used map (failures are not cached), bounded by entries
    and by bytes: `sizeof(value)` estimates what an entry holds, and the least recently
    used entries go until the total is within `max_bytes` (an entry larger than the whole
    budget is returned but not kept)."""

    def __init__(self, size: int, max_bytes: int | None = None,
                 sizeof: Callable[[V], int] | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self._items: OrderedDict[K, V] = OrderedDict()
        self._bytes: dict[K, int] = {}
        self.nbytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()  # outside the lock: a slow compile never blocks other requests
        nbytes = self._sizeof(value) if self._sizeof else 0
        with self._lock:
            if self.max_bytes is not None and nbytes > self.max_bytes:
                return value
            if key in self._items:
                self.nbytes -= self._bytes[key]
            self._items[key] = value
            self._bytes[key] = nbytes
            self.nbytes += nbytes
            self._items.move_to_end(key)
            while len(self._items) > self.size or (
                    self.max_bytes is not None and self.nbytes > self.max_bytes):
                old, _ = self._items.popitem(last=False)
                self.nbytes -= self._bytes.pop(old)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes.clear()
            self.nbytes = 0


# Bytes an entry holds, measured with tracemalloc (docs/server-limits.md): a compiled
# formula ~2.4 KB per expression node once its value, gradient and Hessian programs exist
# (they are compiled after caching, so the estimate counts them up front); a critical point
# ~0.6-1 KB (three small arrays and their objects).
SURFACE_NODE_BYTES = 3_000
CRITICAL_POINT_BYTES = 1_000
ENTRY_BYTES = 4_096


def surface_bytes(surface: Surface) -> int:
    data = sum(int(getattr(c, "nbytes", 0)) for c in surface.data.values())
    return ENTRY_BYTES + SURFACE_NODE_BYTES * len(topological_order([surface.expr])) + data


def critical_bytes(points: list[CriticalPoint]) -> int:
    return ENTRY_BYTES + CRITICAL_POINT_BYTES * len(points)


def _with_bounds(base: Surface, bounds: Sequence[float] | None) -> Surface:
    """`base` itself, or a view over other bounds sharing its expression and compiled code."""
    if bounds is None:
        return base
    return Surface(base.expr, base.formula, check_bounds(bounds), id=base.id, name=base.name,
                   data=base.data, _compiled=base._compiled)


class SurfaceResolver:
    """Resolves the three kinds of surface spec; one per app, shared by every request."""

    def __init__(self, cache_size: int, max_formula_length: int,
                 cache_bytes: int | None = None) -> None:
        self.max_formula_length = max_formula_length
        self.surfaces: LRU[tuple[str, str], Surface] = LRU(cache_size, cache_bytes,
                                                            surface_bytes)
        self.critical: LRU[tuple[str, str, tuple[float, ...]], list[CriticalPoint]] = \
            LRU(cache_size, cache_bytes, critical_bytes)
        # core.critical.tolerances per spec: a grid of Hessians, measured once per surface
        self.tolerance: LRU[tuple[str, str, tuple[float, ...]], tuple[Tolerances | None]] = \
            LRU(cache_size, cache_bytes, lambda _: ENTRY_BYTES)

    def key(self, ref: SurfaceRef) -> tuple[str, str, tuple[float, ...]]:
        """A hashable identity of the spec: (kind, text or id + options, bounds)."""
        if isinstance(ref, str):
            return ("id", ref.strip(), ())
        bounds = tuple(ref.bounds) if ref.bounds is not None else ()
        if isinstance(ref, FormulaSurface):
            return ("formula", ref.formula.strip(), bounds)
        options = json.dumps(ref.options, sort_keys=True, default=str)
        return ("dataset", f"{ref.dataset}:{options}", bounds)

    def resolve(self, ref: SurfaceRef) -> Surface:
        """The Surface for a spec, or ValueError saying what to change."""
        if isinstance(ref, str):
            name = ref.strip()
            if name not in SURFACES and name not in DATASETS:
                raise CodedError("surface.unknown", name=repr(ref), known=", ".join(SURFACES),
                                 datasets=", ".join(DATASETS))
            return self.surfaces.get_or_make(("id", name), lambda: core.surface(name))
        if isinstance(ref, FormulaSurface):
            return self.formula(ref.formula, ref.bounds)
        return _with_bounds(self._dataset(ref), ref.bounds)

    def formula(self, text: str, bounds: Sequence[float] | None = None) -> Surface:
        """A typed formula's surface (parsed and compiled once per distinct text)."""
        return _with_bounds(self._formula(text), bounds)

    def _formula(self, text: str) -> Surface:
        formula = text.strip()
        if not formula:
            raise CodedError("formula.blank")
        if len(formula) > self.max_formula_length:
            raise CodedError("formula.over_length", length=len(formula),
                             limit=self.max_formula_length)
        return self.surfaces.get_or_make(("formula", formula), lambda: core.surface(formula))

    def _dataset(self, ref: DatasetSurface) -> Surface:
        if ref.dataset not in DATASETS:
            raise UNKNOWN_DATASET(name=repr(ref.dataset), known=", ".join(DATASETS))
        key = ("dataset", self.key(ref)[1])
        return self.surfaces.get_or_make(key, lambda: dataset_surface(ref.dataset, ref.options))

    def critical_key(self, ref: SurfaceRef,
                     surface: Surface | None = None) -> tuple[str, str, tuple[float, ...]]:
        key = self.key(ref)
        if not key[2] and surface is not None:
            key = (key[0], key[1], tuple(surface.bounds))
        return key

    def critical_points(self, ref: SurfaceRef, surface: Surface,
                        check: Check = never) -> list[CriticalPoint]:
        """core.critical_points, cached per spec (bounds included: they limit the search).
        `check` may stop the search (core.cancel); a stopped search is not cached."""
        return self.critical.get_or_make(self.critical_key(ref, surface),
                                         lambda: core.critical_points(surface, check=check))

    def tolerances(self, ref: SurfaceRef, surface: Surface) -> Tolerances | None:
        """What counts as a zero gradient and zero curvature on this surface (cached)."""
        return self.tolerance.get_or_make(self.critical_key(ref, surface),
                                          lambda: (tolerances(surface),))[0]


def default_start(ref: SurfaceRef, surface: Surface) -> tuple[float, float]:
    """core's default start: the registered surface's suggested start, else a fixed fraction
    of the bounds (core.surfaces.default_start)."""
    spec = SURFACES.get(ref.strip()) if isinstance(ref, str) else None
    return core_default_start(surface.bounds, spec.start if spec else None)


def describe(ref: SurfaceRef) -> str:
    """A short human label for file names and titles."""
    if isinstance(ref, str):
        return ref.strip()
    if isinstance(ref, FormulaSurface):
        return ref.formula.strip()
    return ref.dataset


def as_jsonable(value: Any) -> Any:
    """Tuples and numpy scalars in resolved hyperparameters as plain JSON types."""
    if isinstance(value, tuple | list):
        return [as_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value
