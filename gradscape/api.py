"""The notebook-facing API: races, runs, basin maps and critical-point maps that draw
themselves (`.figure()`, inline in Jupyter, `.to_html(path)`) and travel to the playground
and back (`.url()`, `from_url`).

Every result keeps the core's numbers unchanged: `Race.runs` are the trajectories
`gradscape.optimize` returns (numpy arrays), the figures only draw them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gradscape import figures, scene
from gradscape.core import surface as core_surface
from gradscape.core.critical import CriticalPoint
from gradscape.core.critical import critical_points as find_critical_points
from gradscape.core.datasets import DATASETS
from gradscape.core.gradcheck import GradientCheck
from gradscape.core.gradcheck import check_gradient as core_check_gradient
from gradscape.core.runs import DEFAULT_TOLERANCE, MAX_RUNS, BasinMap, RunSpec, Trajectory
from gradscape.core.runs import Race as CoreRace
from gradscape.core.runs import basins as core_basins
from gradscape.core.surface import DEFAULT_BOUNDS, Surface, check_bounds
from gradscape.core.surfaces import SURFACES

DEFAULT_BASE = "http://127.0.0.1:8000"
RUN_KEYS = {"optimizer", "params", "schedule", "schedule_params", "noise", "batch_size", "start"}


class _Drawable:
    """`.figure()`, `.to_html()` and inline display from one figure dict."""

    def figure_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def figure(self) -> Any:
        """A `plotly.graph_objects.Figure` in the app's look (tweak it, show it, save it)."""
        return figures.as_figure(self.figure_dict())

    def to_html(self, path: str | Path | None = None, *, title: str | None = None) -> str:
        """The self-contained offline page (plotly.js inlined), the same one the server's
        export writes; written to `path` when given. Returns the HTML."""
        text = figures.page(self.figure_dict(), title or self.title())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _repr_html_(self) -> str:
        return figures.fragment(self.figure_dict())


def label_of(surf: Surface) -> str:
    """A registered surface's or data set's id, else the formula."""
    return surf.id or surf.formula


def make_surface(id_or_formula: str, bounds: Sequence[float] | None = None,
            **options: Any) -> Surface:
    """A registered surface or data set by id, else the text parsed as a formula in x and y.

    Bounds are (xmin, xmax, ymin, ymax); keyword options go to a data set
    (`gs.surface("single_neuron", activation="tanh")`). Bad input raises a ValueError that
    says what to change.
    """
    if isinstance(id_or_formula, str) and id_or_formula.strip() in DATASETS:
        from gradscape.core.datasets import dataset_surface  # noqa: PLC0415

        surf = dataset_surface(id_or_formula.strip(), options)
        if bounds is not None:
            surf.bounds = check_bounds(bounds)
        surf.link_options = dict(options)  # type: ignore[attr-defined]  # for .url()
        return surf
    if options:
        raise ValueError(f"options {sorted(options)} apply only to data sets "
                         f"({', '.join(sorted(DATASETS))})")
    return core_surface(id_or_formula, bounds)


def _surface_of(surface: Surface | str) -> Surface:
    if isinstance(surface, Surface):
        return surface
    if isinstance(surface, str):
        return make_surface(surface)
    raise ValueError(f"expected a surface (gs.surface(...)) or its id or formula, got "
                     f"{type(surface).__name__}")


def _point(value: Any, what: str) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be two numbers (x, y), got {value!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{what} must be two finite numbers (x, y), got {value!r}")
    return x, y


def _run_dict(run: Any, index: int) -> dict[str, Any]:
    """("adam", {"lr": 0.05}), "adam" or {"optimizer": "adam", "params": {...}, ...}."""
    if isinstance(run, str):
        return {"optimizer": run, "params": {}}
    if isinstance(run, Mapping):
        unknown = set(run) - RUN_KEYS
        if unknown:
            raise ValueError(f"run {index}: unknown key(s) {sorted(unknown)}; a run takes "
                             f"{sorted(RUN_KEYS)}")
        if "optimizer" not in run:
            raise ValueError(f"run {index}: name its optimizer, e.g. {{'optimizer': 'adam'}}")
        out = dict(run)
        out["params"] = dict(run.get("params") or {})
        return out
    if isinstance(run, (tuple, list)) and len(run) == 2 and isinstance(run[0], str) \
            and isinstance(run[1], Mapping):
        return {"optimizer": run[0], "params": dict(run[1])}
    raise ValueError(f"run {index}: expected 'adam', ('adam', {{'lr': 0.05}}) or a dict with "
                     f"optimizer, params, schedule, noise, batch_size, start; got {run!r}")


@dataclass
class Run(Trajectory):
    """One optimizer's trajectory (`gradscape.core.runs.Trajectory`: points, values, grads,
    updates, lrs, inspector, status, stop_step) that also draws itself."""

    surface: Surface | None = field(default=None, repr=False)
    spec: dict[str, Any] = field(default_factory=dict, repr=False)
    seed: int = 0

    def _race(self) -> Race:
        assert self.surface is not None
        return Race(self.surface, [self.spec], [self], steps=self.stop_step, seed=self.seed)

    def figure(self) -> Any:
        return self._race().figure()

    def to_html(self, path: str | Path | None = None, *, title: str | None = None) -> str:
        return self._race().to_html(path, title=title)

    def url(self, base: str = DEFAULT_BASE) -> str:
        return self._race().url(base)

    def _repr_html_(self) -> str:
        return self._race()._repr_html_()


def _as_run(t: Trajectory, surface: Surface, spec: dict[str, Any], seed: int) -> Run:
    values = {f: getattr(t, f) for f in Trajectory.__dataclass_fields__}
    return Run(**values, surface=surface, spec=spec, seed=seed)


class Race(_Drawable):
    """Optimizers racing over one surface. `runs`: one `Run` (a Trajectory) per contestant."""

    def __init__(self, surface: Surface, specs: Sequence[dict[str, Any]], runs: Sequence[Run],
                 *, steps: int, seed: int, start: tuple[float, float] | None = None) -> None:
        self.surface = surface
        self.specs = list(specs)
        self.runs = list(runs)
        self.steps = steps
        self.seed = seed
        self.start = start
        self._critical: list[CriticalPoint] | None = None

    def __repr__(self) -> str:
        racers = ", ".join(f"{r.optimizer} ({r.status}, {r.stop_step} steps)" for r in self.runs)
        return f"<gradscape Race on {label_of(self.surface)}: {racers}>"

    @property
    def critical(self) -> list[CriticalPoint]:
        """The surface's critical points (computed once, for the figure)."""
        if self._critical is None:
            self._critical = find_critical_points(self.surface)
        return self._critical

    def title(self) -> str:
        racers = ", ".join(r.optimizer for r in self.runs)
        steps = max((r.stop_step for r in self.runs), default=0)
        return f"gradscape: {racers} on {label_of(self.surface)} ({steps} steps)"

    def figure_dict(self) -> dict[str, Any]:
        return figures.race_figure(self.surface, self.runs, self.title(),
                                   critical=self.critical)

    def url(self, base: str = DEFAULT_BASE) -> str:
        """The playground link that reopens this race (the app's URL-state hash)."""
        return f"{base.rstrip('/')}/#{scene.to_hash(self.scene())}"

    def scene(self) -> dict[str, Any]:
        """This race in the app's state terms (surface, formula, bounds, runs, start, ...)."""
        label = label_of(self.surface)
        state: dict[str, Any] = {"steps": self.steps, "seed": self.seed,
                                 "runs": scene.scene_runs(self.specs)}
        if label in SURFACES:
            state["surface"] = label
            default = core_surface(label).bounds
        elif label in DATASETS:
            state["surface"] = label
            state["options"] = dict(getattr(self.surface, "link_options", {}) or {})
            default = core_surface(label).bounds
        else:
            state["surface"] = "custom"
            state["formula"] = label
            default = DEFAULT_BOUNDS
        if tuple(self.surface.bounds) != tuple(default):
            state["bounds"] = list(self.surface.bounds)
        starts = [tuple(r.points[0]) for r in self.runs]
        common = self.start if self.start is not None else starts[0]
        state["start"] = list(common)
        for run, begun in zip(state["runs"], starts, strict=True):
            if "start" not in run and tuple(begun) != tuple(common):
                run["start"] = list(begun)
        return state


def race(surface: Surface | str, runs: Sequence[Any], *, start: Sequence[float] = (-4.0, 4.0),
         steps: int = 300, seed: int = 0, tolerance: float = DEFAULT_TOLERANCE,
         eigen: bool = False) -> Race:
    """Race optimizers over a surface from one start (a run's own `start` overrides it).

    >>> r = race(make_surface("x^2 - y^2"), runs=[("sgd", {"lr": 0.1}), "adam"], start=(1, 0.01))
    """
    surf = _surface_of(surface)
    if isinstance(runs, (str, Mapping)):
        runs = [runs]
    if not runs:
        raise ValueError("a race needs at least one run, e.g. runs=[('adam', {'lr': 0.05})]")
    if len(runs) > MAX_RUNS:
        raise ValueError(f"{len(runs)} runs: a race takes at most {MAX_RUNS}")
    common = _point(start, "start")
    specs = [_run_dict(r, i) for i, r in enumerate(runs)]
    run_specs = []
    for i, s in enumerate(specs):
        at = _point(s["start"], f"run {i}'s start") if s.get("start") is not None else common
        run_specs.append(RunSpec(s["optimizer"], at, s["params"], s.get("schedule") or "constant",
                                 dict(s.get("schedule_params") or {}),
                                 float(s.get("noise") or 0.0), s.get("batch_size")))
    core = CoreRace(surf, run_specs, steps=steps, seed=seed, tolerance=tolerance, eigen=eigen)
    trajectories = core.run()
    done = [_as_run(t, surf, s, seed) for t, s in zip(trajectories, specs, strict=True)]
    return Race(surf, specs, done, steps=steps, seed=seed, start=common)


def optimize(surface: Surface | str, optimizer: str, start: Sequence[float] = (0.0, 0.0),
             steps: int = 100, *, schedule: str = "constant",
             schedule_params: Mapping[str, Any] | None = None, noise: float = 0.0,
             batch_size: int | None = None, seed: int = 0,
             tolerance: float = DEFAULT_TOLERANCE, eigen: bool = False,
             **params: Any) -> Run:
    """One optimizer from one start: a `Run` (a core Trajectory that draws itself).

    >>> t = optimize("x^2 + y^2", "sgd", start=(1, 1), steps=50, lr=0.1)
    """
    spec = {"optimizer": optimizer, "params": params, "schedule": schedule,
            "schedule_params": dict(schedule_params or {}), "noise": noise,
            "batch_size": batch_size}
    result = race(surface, [spec], start=start, steps=steps, seed=seed, tolerance=tolerance,
                  eigen=eigen)
    return result.runs[0]


class Basins(_Drawable):
    """Where an optimizer goes from every start of a grid (`gradscape.core.runs.BasinMap`)."""

    def __init__(self, surface: Surface, result: BasinMap, optimizer: str) -> None:
        self.surface = surface
        self.map = result
        self.optimizer = optimizer
        self.xs, self.ys, self.labels = result.xs, result.ys, result.labels
        self.critical = result.critical

    def __getattr__(self, name: str) -> Any:  # the BasinMap's other fields
        inner = self.__dict__.get("map")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)

    def title(self) -> str:
        return f"gradscape: {self.optimizer}'s basins on {label_of(self.surface)}"

    def figure_dict(self) -> dict[str, Any]:
        return figures.basin_figure(self.surface, self.map, self.title())


def basins(surface: Surface | str, optimizer: str, steps: int = 500, resolution: int = 100,
           **options: Any) -> Basins:
    """The basin-of-attraction map of an optimizer over the surface's bounds."""
    surf = _surface_of(surface)
    return Basins(surf, core_basins(surf, optimizer, steps, resolution, **options), optimizer)


class CriticalPoints(list[CriticalPoint], _Drawable):
    """The list of critical points (each with point, kind, value, eigenvalues, eigenvectors)
    that also draws itself as a map."""

    def __init__(self, surface: Surface, points: Sequence[CriticalPoint]) -> None:
        super().__init__(points)
        self.surface = surface

    def title(self) -> str:
        kinds = ", ".join(f"{sum(p.kind == k for p in self)} {k}" for k in
                          ("minimum", "maximum", "saddle", "degenerate")
                          if any(p.kind == k for p in self))
        return f"gradscape: critical points of {label_of(self.surface)} ({kinds or 'none'})"

    def figure_dict(self) -> dict[str, Any]:
        return figures.critical_figure(self.surface, self, self.title())


def critical_points(surface: Surface | str, **options: Any) -> CriticalPoints:
    """Every stationary point inside the surface's bounds, classified by its Hessian."""
    surf = _surface_of(surface)
    return CriticalPoints(surf, find_critical_points(surf, **options))


def check_gradient(surface: Any, grad: Any = None, points: Any = None,
                   **options: Any) -> GradientCheck:
    """Autodiff against central finite differences.

    `check_gradient(surface)` checks the surface's exact gradient at a 5 x 5 grid inside its
    bounds (or at `points`); `check_gradient(value_fn, grad_fn, points)` checks any pair of
    functions of (N, 2) arrays, as `gradscape.core.check_gradient` does.
    """
    if isinstance(surface, (Surface, str)):
        surf = _surface_of(surface)
        if points is None:
            xmin, xmax, ymin, ymax = surf.bounds
            X, Y = np.meshgrid(np.linspace(xmin, xmax, 7)[1:-1], np.linspace(ymin, ymax, 7)[1:-1])
            points = np.column_stack([X.ravel(), Y.ravel()])
        return core_check_gradient(surf.value, surf.grad, np.asarray(points, dtype=float),
                                   **options)
    if grad is None or points is None:
        raise ValueError("check_gradient(surface) or check_gradient(value_fn, grad_fn, points)")
    return core_check_gradient(surface, grad, np.asarray(points, dtype=float), **options)


def from_url(link: str) -> Race:
    """The race a playground link shows (the app's URL-state hash), run again in Python."""
    state = scene.from_hash(link)
    name = state["surface"]
    bounds = state["bounds"]
    if name == "custom":
        if not state["formula"]:
            raise ValueError("the link's surface is custom but it has no formula (f=...)")
        surf = core_surface(state["formula"], bounds)
    elif name in DATASETS:
        surf = make_surface(name, bounds, **state["options"])
    elif name in SURFACES:
        surf = core_surface(name, bounds)
    else:
        raise ValueError(f"the link names an unknown surface {name!r}; known: "
                         f"{sorted(SURFACES)} and data sets {sorted(DATASETS)}")
    runs = []
    for r in state["runs"]:
        run = {"optimizer": r["optimizer"], "params": r["params"]}
        for key in ("schedule", "schedule_params", "noise", "batch_size", "start"):
            if r.get(key) not in (None, "constant", {}, 0):
                run[key] = r[key]
        runs.append(run)
    return race(surf, runs, start=state["start"], steps=state["steps"], seed=state["seed"])
