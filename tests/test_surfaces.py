"""The surface registry against math written out here: values from the formulas evaluated
with Python's math module, literature optima, and derivatives by finite differences."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pytest

from gradscape.core.surfaces import SURFACES, KnownPoint, SurfaceSpec, build_surface, get_surface

E, PI = math.e, math.pi
F = Callable[[float, float], float]


def _bumpy(x: float, y: float) -> float:
    def well(a: float, cx: float, cy: float, w: float) -> float:
        return a * math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / w)

    return (0.08 * ((x - 2.5) ** 2 + (y + 1) ** 2) - well(2, 2.5, -1, 2) - well(1.2, -1.5, 1.5, 1)
            - well(0.8, 0.5, -3.5, 0.8) + well(1.2, 1, 2, 1))


# Every registered surface, written independently of the formula parser and the engine.
MATH: dict[str, F] = {
    "bowl": lambda x, y: x * x + y * y,
    "elongated_bowl": lambda x, y: 0.5 * x * x + 10 * y * y,
    "saddle": lambda x, y: x * x - y * y,
    "monkey_saddle": lambda x, y: x**3 - 3 * x * y * y,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    "himmelblau": lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    "beale": lambda x, y: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                           + (2.625 - x + x * y**3) ** 2),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "rastrigin": lambda x, y: (20 + x * x - 10 * math.cos(2 * PI * x) + y * y
                               - 10 * math.cos(2 * PI * y)),
    "ackley": lambda x, y: (-20 * math.exp(-0.2 * math.sqrt(0.5 * (x * x + y * y)))
                            - math.exp(0.5 * (math.cos(2 * PI * x) + math.cos(2 * PI * y)))
                            + E + 20),
    "six_hump_camel": lambda x, y: ((4 - 2.1 * x * x + x**4 / 3) * x * x + x * y
                                    + (-4 + 4 * y * y) * y * y),
    "styblinski_tang": lambda x, y: 0.5 * (x**4 - 16 * x * x + 5 * x + y**4 - 16 * y * y + 5 * y),
    "double_well": lambda x, y: (x * x - 1) ** 2 + y * y,
    "bumpy_bowl": _bumpy,
}

# Optima as the literature states them (to the digits it gives), not as the registry does.
# Sources: Jamil & Yang, "A literature survey of benchmark functions for global optimization
# problems" (2013); Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU);
# Himmelblau, Applied Nonlinear Programming (1972); for the teaching surfaces: algebra.
LITERATURE: dict[str, tuple[float, float, list[tuple[float, float]], float]] = {
    # id: (global minimum, precision of the quoted value, minimizers, precision of their digits)
    "bowl": (0.0, 0.0, [(0.0, 0.0)], 0.0),
    "elongated_bowl": (0.0, 0.0, [(0.0, 0.0)], 0.0),
    "rosenbrock": (0.0, 0.0, [(1.0, 1.0)], 0.0),
    "himmelblau": (0.0, 0.0, [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                              (3.584428, -1.848126)], 5e-7),
    "beale": (0.0, 0.0, [(3.0, 0.5)], 0.0),
    "booth": (0.0, 0.0, [(1.0, 3.0)], 0.0),
    "rastrigin": (0.0, 0.0, [(0.0, 0.0)], 0.0),
    "ackley": (0.0, 0.0, [(0.0, 0.0)], 0.0),
    "six_hump_camel": (-1.0316, 5e-5, [(0.0898, -0.7126), (-0.0898, 0.7126)], 1e-4),
    # The survey's "-39.16599 per dimension" is an often-copied figure that is off by 1.7e-4
    # (at its own minimizer -2.903534 the formula gives -39.1661657); hence the wide margin.
    "styblinski_tang": (-39.16599 * 2, 4e-4, [(-2.903534, -2.903534)], 5e-7),
    "double_well": (0.0, 0.0, [(1.0, 0.0), (-1.0, 0.0)], 0.0),
}

CJK = re.compile(r"[\u4e00-\u9fff]")
SPECS = list(SURFACES.values())
KNOWN = [(spec, p) for spec in SPECS for p in spec.critical_points]


def _id(value: object) -> str:
    if isinstance(value, SurfaceSpec):
        return value.id
    if isinstance(value, KnownPoint):
        return f"{value.kind}{value.point}"
    return str(value)


def fd_gradient(f: F, x: float, y: float, h: float = 1e-6) -> np.ndarray:
    return np.array([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)])


def fd_hessian(f: F, x: float, y: float, h: float = 1e-4) -> np.ndarray:
    fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
    fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
    fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h)
    return np.array([[fxx, fxy], [fxy, fyy]])


# --- the registry's shape ---------------------------------------------------------------

def test_math_oracle_covers_the_registry() -> None:
    assert set(MATH) == set(SURFACES), "every surface needs an independent math version here"


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_entry_is_well_formed(spec: SurfaceSpec) -> None:
    assert SURFACES[spec.id] is spec
    assert spec.id.isidentifier() and spec.name
    xmin, xmax, ymin, ymax = spec.bounds
    assert xmin < xmax and ymin < ymax
    assert spec.kind in {"convex", "saddle", "valley", "multimodal"}
    assert xmin <= spec.start[0] <= xmax and ymin <= spec.start[1] <= ymax
    assert set(spec.description) == {"en", "zh"}
    assert len(spec.description["en"]) > 200 and not CJK.search(spec.description["en"])
    assert len(CJK.findall(spec.description["zh"])) > 60
    for p in spec.critical_points:
        assert xmin <= p.point[0] <= xmax and ymin <= p.point[1] <= ymax, p
        assert p.kind in {"minimum", "maximum", "saddle", "degenerate"}
    minima = [p.value for p in spec.critical_points if p.kind == "minimum"]
    if spec.global_minimum is None:
        assert spec.kind == "saddle"  # only the saddles are unbounded below
    else:
        assert spec.global_minimum == min(minima)  # the global minimum is a listed point


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_formula_parses_and_matches_math(spec: SurfaceSpec) -> None:
    surface = get_surface(spec.id)
    assert surface.formula == spec.formula and surface.bounds == spec.bounds
    assert surface.id == spec.id and surface.name == spec.name
    rng = np.random.default_rng(7)
    xmin, xmax, ymin, ymax = spec.bounds
    P = np.column_stack([rng.uniform(xmin, xmax, 50), rng.uniform(ymin, ymax, 50)])
    expected = np.array([MATH[spec.id](x, y) for x, y in P])
    np.testing.assert_allclose(surface.value(P), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_no_point_in_bounds_beats_the_global_minimum(spec: SurfaceSpec) -> None:
    if spec.global_minimum is None:
        return
    _, _, Z = get_surface(spec.id).grid(301)
    assert Z.min() >= spec.global_minimum - 1e-9 * max(1.0, abs(spec.global_minimum))


def test_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown surface 'nope'.*rosenbrock"):
        get_surface("nope")


def test_surfaces_are_built_once_and_rebounded_cheaply() -> None:
    spec = SURFACES["himmelblau"]
    assert get_surface("himmelblau") is get_surface("himmelblau")
    assert build_surface(spec) is get_surface("himmelblau")
    zoomed = build_surface(spec, (0.0, 4.0, 0.0, 4.0))
    assert zoomed.bounds == (0.0, 4.0, 0.0, 4.0) and zoomed.expr is get_surface("himmelblau").expr
    assert zoomed.value([[3.0, 2.0]])[0] == 0.0
    with pytest.raises(ValueError):
        build_surface(spec, (1.0, 0.0, 0.0, 1.0))


# --- the known critical points ----------------------------------------------------------

@pytest.mark.parametrize(("spec", "known"), KNOWN, ids=_id)
def test_known_point_value_is_the_formula_value(spec: SurfaceSpec, known: KnownPoint) -> None:
    x, y = known.point
    expected = MATH[spec.id](x, y)
    assert known.value == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert get_surface(spec.id).value([[x, y]])[0] == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("spec", "known"), [k for k in KNOWN if k[1].smooth], ids=_id)
def test_known_point_is_stationary_and_of_its_kind(spec: SurfaceSpec, known: KnownPoint) -> None:
    x, y = known.point
    _, g, H = get_surface(spec.id).value_grad_hessian([[x, y]])
    scale = max(1.0, float(np.abs(H).max())) * max(1.0, abs(x), abs(y))
    assert np.linalg.norm(g) <= 1e-12 * scale  # the engine's exact gradient
    # ... and independently of the engine: centred differences of the math version
    assert np.linalg.norm(fd_gradient(MATH[spec.id], x, y)) <= 1e-6 * scale
    for hessian in (H[0], fd_hessian(MATH[spec.id], x, y)):
        lam = np.linalg.eigvalsh(hessian)
        eps = 1e-5 * max(1.0, float(np.abs(lam).max()))
        signs = {"minimum": lam[0] > eps, "maximum": lam[1] < -eps,
                 "saddle": lam[0] < -eps and lam[1] > eps, "degenerate": abs(lam).min() <= eps}
        assert signs[known.kind], (known, lam)
        assert sum(signs.values()) == 1


def test_ackley_minimum_is_a_kink_not_a_stationary_point() -> None:
    """The registry marks it smooth=False: a strict minimum, but the gradient beside it has
    size 2√2 however close you look, so no gradient method can find it by |g| -> 0."""
    (tip,) = [p for p in SURFACES["ackley"].critical_points if not p.smooth]
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    for r in (1e-4, 1e-8):
        ring = r * np.column_stack([np.cos(angles), np.sin(angles)])
        g = get_surface("ackley").grad(ring)
        # the cone's slope 20·0.2·√0.5 (decaying with r), plus the cosine term's smooth
        # part, 2π²e·r, up to O(r²)
        slope = 2 * math.sqrt(2) * math.exp(-0.2 * math.sqrt(0.5) * r) + 2 * PI**2 * E * r
        np.testing.assert_allclose(np.linalg.norm(g, axis=1), slope, rtol=1e-6)
        assert all(MATH["ackley"](x, y) > tip.value for x, y in ring)


@pytest.mark.parametrize("surface_id", sorted(LITERATURE))
def test_registry_agrees_with_the_literature(surface_id: str) -> None:
    value, value_digits, minimizers, digits = LITERATURE[surface_id]
    spec = SURFACES[surface_id]
    assert spec.global_minimum == pytest.approx(value, abs=max(value_digits, 1e-12))
    best = [p.point for p in spec.critical_points
            if p.kind == "minimum" and p.value == pytest.approx(spec.global_minimum, abs=1e-12)]
    assert len(best) == len(minimizers)
    for point in minimizers:
        assert min(math.dist(point, b) for b in best) <= max(digits, 1e-15) * math.sqrt(2)


def test_saddles_are_unbounded_below() -> None:
    for surface_id in ("saddle", "monkey_saddle"):
        assert SURFACES[surface_id].global_minimum is None
        assert MATH[surface_id](0.0, 1e3) < -1e5 or MATH[surface_id](-1e3, 0.0) < -1e5


# --- the teaching surface does what its note says ------------------------------------------

def _bumpy_grad(x: float, y: float) -> np.ndarray:
    g = 0.16 * np.array([x - 2.5, y + 1])
    for a, cx, cy, w in ((-2, 2.5, -1, 2), (-1.2, -1.5, 1.5, 1), (-0.8, 0.5, -3.5, 0.8),
                         (1.2, 1, 2, 1)):
        e = a * math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / w)
        g += e * np.array([-2 * (x - cx) / w, -2 * (y - cy) / w])
    return g


def _descend(lr: float, momentum: float, steps: int = 5000) -> np.ndarray:
    """Gradient descent with heavy-ball momentum (movement = momentum·last - lr·g)."""
    p, v = np.array(SURFACES["bumpy_bowl"].start, dtype=float), np.zeros(2)
    for _ in range(steps):
        v = momentum * v - lr * _bumpy_grad(*p)
        p = p + v
    return p


def test_bumpy_bowl_gradient_written_here_is_right() -> None:
    for x, y in [(-4.5, 4.0), (0.3, -1.2), (2.0, 2.0)]:
        np.testing.assert_allclose(_bumpy_grad(x, y), fd_gradient(_bumpy, x, y), atol=1e-7)


@pytest.mark.parametrize("lr", [0.02, 0.1, 0.3, 0.8])
def test_bumpy_bowl_plain_descent_stops_in_the_shallow_dip(lr: float) -> None:
    dip = [p.point for p in SURFACES["bumpy_bowl"].critical_points if p.value > 0.4
           and p.kind == "minimum"]
    assert len(dip) == 1
    assert math.dist(_descend(lr, 0.0), dip[0]) < 1e-6


@pytest.mark.parametrize("lr", [0.02, 0.1, 0.3, 1.0])
def test_bumpy_bowl_momentum_rolls_through_to_the_global_minimum(lr: float) -> None:
    spec = SURFACES["bumpy_bowl"]
    (best,) = [p.point for p in spec.critical_points if p.value == spec.global_minimum]
    assert math.dist(_descend(lr, 0.9), best) < 1e-6
    assert math.dist(_descend(0.1, 0.5), best) > 1  # too little momentum stays in the dip


def test_default_start_is_the_suggested_one_inside_the_bounds_else_a_fraction_of_them() -> None:
    from gradscape.core.surfaces import default_start  # noqa: PLC0415

    assert default_start((-5, 5, -5, 5), (1.5, -2.0)) == (1.5, -2.0)
    # outside the bounds the suggestion is ignored: 1/5 across in x, 4/5 across in y
    assert default_start((-1, 2, 0, 3), (5.0, 0.0)) == pytest.approx((-0.4, 2.4), rel=1e-15)
    assert default_start((-1, 0, 0, 1 / 3)) == (-0.8, 0.2667)  # 4 significant digits


def test_gradient_field_is_the_exact_gradient_at_the_lattice_centres() -> None:
    import gradscape.core as core  # noqa: PLC0415

    # f = x^2 y + sin(y): ∂f/∂x = 2xy, ∂f/∂y = x^2 + cos(y), written out here
    surf = core.surface("x^2*y + sin(y)", bounds=(-2, 2, 0, 3))
    xs, ys, GX, GY = surf.gradient_field(4)
    np.testing.assert_allclose(xs, [-1.5, -0.5, 0.5, 1.5])  # centres of 4 columns of [-2, 2]
    np.testing.assert_allclose(ys, [0.375, 1.125, 1.875, 2.625])
    X, Y = np.meshgrid(xs, ys)
    np.testing.assert_allclose(GX, 2 * X * Y, rtol=1e-14)
    np.testing.assert_allclose(GY, X**2 + np.cos(Y), rtol=1e-14)
    with pytest.raises(ValueError, match="between 1 and"):
        surf.gradient_field(0)


def test_gradient_field_of_a_data_set_matches_finite_differences() -> None:
    from gradscape.core.datasets import dataset_surface  # noqa: PLC0415
    from gradscape.core.gradcheck import numerical_gradient  # noqa: PLC0415

    surf = dataset_surface("single_neuron", {"activation": "tanh"})
    xs, ys, GX, GY = surf.gradient_field(5)
    X, Y = np.meshgrid(xs, ys)
    numeric = numerical_gradient(surf.value, np.column_stack([X.ravel(), Y.ravel()]))
    np.testing.assert_allclose(GX.ravel(), numeric[:, 0], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(GY.ravel(), numeric[:, 1], rtol=1e-6, atol=1e-9)
