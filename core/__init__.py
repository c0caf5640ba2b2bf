"""gradscape's differentiable core: pure numpy math, no web and no plotting.

    >>> import gradscape.core as core
    >>> s = core.surface("x^2 + 3*y^2")
    >>> s.grad([[1.0, 1.0]])
    array([[2., 6.]])

Public API: `surface`, `Surface`, `critical_points`, `check_gradient`, `graph_view`, and the
optimizer entry points `optimize`, `race` and `basins`; for tiny real networks
`network_problem`, `train`, `hessian_spectrum` and `landscape` (docs/networks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

# The primitive table registers its rows in the engine (core.graph); importing it first means
# every formula built through gradscape.core finds them, whichever module is imported.
from gradscape.core import rules as _rules  # noqa: F401  (isort: keep first)
from gradscape.core.gradcheck import check_gradient, numerical_gradient, relative_error
from gradscape.core.surface import DEFAULT_BOUNDS, Surface, check_bounds

if TYPE_CHECKING:
    from gradscape.core.critical import CriticalPoint

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BOUNDS",
    "Surface",
    "__version__",
    "basins",
    "check_gradient",
    "critical_points",
    "graph_view",
    "hessian_spectrum",
    "landscape",
    "network_problem",
    "numerical_gradient",
    "optimize",
    "relative_error",
    "surface",
    "train",
]


def surface(id_or_formula: str, bounds: Sequence[float] | None = None) -> Surface:
    """A registered surface or data set by id, else the text parsed as a formula in x and y.

    Bounds are (xmin, xmax, ymin, ymax); a formula defaults to (-5, 5, -5, 5), a registered
    surface to its own. Bad formulas raise `core.formula.FormulaError` (a ValueError) that
    names the problem and its column.
    """
    from gradscape.core.datasets import DATASETS, dataset_surface  # noqa: PLC0415 - keeps import light
    from gradscape.core.surfaces import SURFACES, build_surface  # noqa: PLC0415

    if not isinstance(id_or_formula, str):
        raise ValueError(f"expected a surface id or a formula string, got {id_or_formula!r}")
    key = id_or_formula.strip()
    spec = SURFACES.get(key)
    if spec is not None:
        return build_surface(spec, bounds)
    if key in DATASETS:
        surf = dataset_surface(key)
        if bounds is not None:
            surf.bounds = check_bounds(bounds)
        return surf
    return formula_surface(id_or_formula, bounds)


def formula_surface(text: str, bounds: Sequence[float] | None = None) -> Surface:
    """A surface from a typed formula (parsed, never evaluated as Python)."""
    from gradscape.core.formula import parse  # noqa: PLC0415
    from gradscape.core.graph import literal  # noqa: PLC0415

    with literal():
        expr = parse(text)
    return Surface(expr, text.strip(), DEFAULT_BOUNDS if bounds is None else check_bounds(bounds))


def critical_points(surf: Surface, **options: Any) -> list[CriticalPoint]:
    """Every stationary point inside the surface's bounds, classified by its Hessian."""
    from gradscape.core.critical import critical_points as find  # noqa: PLC0415

    return find(surf, **options)


def graph_view(surf: Surface, point: tuple[float, float]) -> Any:
    """Every node of f's graph with its forward value and gradient at `point`."""
    from gradscape.core.backprop_graph import graph_view as view  # noqa: PLC0415

    return view(surf, point)


def optimize(surf: Surface, optimizer_id: str, start: tuple[float, float] = (0.0, 0.0),
             steps: int = 100, **options: Any) -> Any:
    """One optimizer run; see `core.runs.optimize`."""
    from gradscape.core.runs import optimize as run  # noqa: PLC0415

    return run(surf, optimizer_id, start, steps, **options)


def basins(surf: Surface, optimizer_id: str, steps: int = 500, resolution: int = 100,
           **options: Any) -> Any:
    """The basin-of-attraction map; see `core.runs.basins`."""
    from gradscape.core.runs import basins as run  # noqa: PLC0415

    return run(surf, optimizer_id, steps, resolution, **options)


def network_problem(*args: Any, **kwargs: Any) -> Any:
    """An MLP on a synthetic data set; see `core.network.network_problem`."""
    from gradscape.core.network import network_problem as make  # noqa: PLC0415

    return make(*args, **kwargs)


def train(prob: Any, optimizer_id: str, steps: int = 100, start: Any = None,
          batch_size: int | None = None, seed: int = 0, **options: Any) -> Any:
    """Train a network problem; see `core.training.train`."""
    from gradscape.core.training import train as run  # noqa: PLC0415

    return run(prob, optimizer_id, steps, start, batch_size, seed, **options)


def hessian_spectrum(prob: Any, theta: Any) -> Any:
    """Every Hessian eigenvalue and the minimum ratio; see `core.spectrum.hessian_spectrum`."""
    from gradscape.core.spectrum import hessian_spectrum as spectrum  # noqa: PLC0415

    return spectrum(prob, theta)


def landscape(prob: Any, runs: Any, plane: str = "pca", resolution: int = 51,
              **options: Any) -> Any:
    """A 2D slice (or 1D line) of a network's loss with the projected paths; see
    `core.slices.landscape`."""
    from gradscape.core.slices import landscape as slice_  # noqa: PLC0415

    return slice_(prob, runs, plane, resolution, **options)
