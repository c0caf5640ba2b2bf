"""critical_points against critical sets computed here, independently of the code under test:
algebra, polynomial roots, one-dimensional root products, and a dense grid search of |g|²
with gradients and Hessians written out by hand."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.critical import (
    KIND_ORDER,
    CriticalPoint,
    Tolerances,
    classify,
    critical_points,
    tolerances,
)
from gradscape.core.datasets import dataset_surface
from gradscape.core.graph import Node, call, var
from gradscape.core.surface import Surface
from gradscape.core.surfaces import SURFACES, get_surface

X, Y = var("x"), var("y")
Expected = list[tuple[tuple[float, float], str]]
Field = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


def kind_of(hessian: np.ndarray) -> str:
    lam = np.linalg.eigvalsh(hessian)
    eps = 1e-9 * max(1.0, float(np.abs(lam).max()))
    if abs(lam).min() <= eps:
        return "degenerate"
    return "minimum" if lam[0] > 0 else "maximum" if lam[1] < 0 else "saddle"


def assert_same_points(found: list[CriticalPoint],
                       expected: Sequence[tuple[tuple[float, float], str]],
                       atol: float) -> None:
    assert len(found) == len(expected), ([(c.point, c.kind) for c in found], expected)
    for point, kind in expected:
        near = [c for c in found if np.linalg.norm(c.point - np.array(point)) <= atol]
        assert len(near) == 1, (point, kind)
        assert near[0].kind == kind, (point, near[0].kind, kind)


# --- independent critical sets ------------------------------------------------------------

def grid_search(field: Field, bounds: tuple[float, float, float, float],
                n: int = 801) -> Expected:
    """Local minima of |g|² on a dense grid, polished by Newton with the hand-written Hessian,
    kept where g vanishes. A different method from the code under test (no seeds, no damping,
    no refinement): it trusts only the grid's fineness."""
    xmin, xmax, ymin, ymax = bounds
    Xg, Yg = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n), indexing="ij")
    gx, gy, _ = field(Xg, Yg)
    M = np.pad(gx**2 + gy**2, 1, constant_values=np.inf)
    centre = M[1:-1, 1:-1]
    lowest = np.ones_like(centre, dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            lowest &= centre <= M[1 + dx:n + 1 + dx, 1 + dy:n + 1 + dy]
    out: Expected = []
    for p in np.column_stack([Xg[lowest], Yg[lowest]]):
        for _ in range(40):
            gx1, gy1, H = field(np.array(p[0]), np.array(p[1]))
            if abs(np.linalg.det(H)) < 1e-300:
                break
            p = p - np.linalg.solve(H, np.array([gx1, gy1]))
        gx1, gy1, H = field(np.array(p[0]), np.array(p[1]))
        inside = xmin <= p[0] <= xmax and ymin <= p[1] <= ymax
        if math.hypot(gx1, gy1) < 1e-9 and inside and all(
                math.dist(p, q) > 1e-6 for q, _ in out):
            out.append(((float(p[0]), float(p[1])), kind_of(H)))
    return out


def _h(hxx: np.ndarray, hxy: np.ndarray, hyy: np.ndarray) -> np.ndarray:
    return np.array([[hxx, hxy], [hxy, hyy]])


def himmelblau(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b = x * x + y - 11, x + y * y - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b, _h(12 * x * x + 4 * y - 42, 4 * x + 4 * y,
                                                     4 * x + 12 * y * y - 26)


def beale(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gx = gy = hxx = hxy = hyy = 0 * x
    for i, c in ((1, 1.5), (2, 2.25), (3, 2.625)):
        r, rx, ry = c - x + x * y**i, y**i - 1, i * x * y ** (i - 1)
        gx, gy = gx + 2 * r * rx, gy + 2 * r * ry
        hxx = hxx + 2 * rx * rx
        hxy = hxy + 2 * (rx * ry + r * i * y ** (i - 1))
        hyy = hyy + 2 * (ry * ry + (r * i * (i - 1) * x * y ** (i - 2) if i > 1 else 0))
    return gx, gy, _h(hxx, hxy, hyy)


def six_hump_camel(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3,
            _h(8 - 25.2 * x**2 + 10 * x**4, 1 + 0 * x, -8 + 48 * y**2))


def double_well(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return 4 * x * (x * x - 1), 2 * y, _h(12 * x * x - 4, 0 * x, 2 + 0 * x)


def booth(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return 10 * x + 8 * y - 34, 8 * x + 10 * y - 38, _h(10 + 0 * x, 8 + 0 * x, 10 + 0 * x)


BUMPS = ((-2, 2.5, -1, 2), (-1.2, -1.5, 1.5, 1), (-0.8, 0.5, -3.5, 0.8), (1.2, 1, 2, 1))


def bumpy_bowl(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gx, gy = 0.16 * (x - 2.5), 0.16 * (y + 1)
    hxx, hxy, hyy = 0.16 + 0 * x, 0 * x, 0.16 + 0 * x
    for a, cx, cy, w in BUMPS:
        dx, dy = x - cx, y - cy
        e = a * np.exp(-(dx * dx + dy * dy) / w)
        gx, gy = gx - 2 * e * dx / w, gy - 2 * e * dy / w
        hxx = hxx + e * (4 * dx * dx / w**2 - 2 / w)
        hxy = hxy + e * 4 * dx * dy / w**2
        hyy = hyy + e * (4 * dy * dy / w**2 - 2 / w)
    return gx, gy, _h(hxx, hxy, hyy)


def camel_by_polynomial_roots() -> Expected:
    """∂f/∂y = 0 gives x = 8y - 16y³; put into ∂f/∂x = 0: a degree-15 polynomial in y."""
    P = np.polynomial.Polynomial
    xs = P([0, 8, 0, -16])
    poly = 8 * xs - 8.4 * xs**3 + 2 * xs**5 + P([0, 1])
    out: Expected = []
    for root in poly.roots():
        if abs(root.imag) > 1e-6:
            continue
        y = float(root.real)
        for _ in range(5):  # polish the root on the polynomial itself
            y -= poly(y) / poly.deriv()(y)
        x = float(xs(y))
        out.append(((x, y), kind_of(six_hump_camel(np.array(x), np.array(y))[2])))
    return out


def product_of_1d(roots: np.ndarray, curvature: np.ndarray) -> Expected:
    """Critical points of f(x) + f(y) from those of f: every pair; kinds from the signs."""
    out: Expected = []
    for x, cx in zip(roots, curvature, strict=True):
        for y, cy in zip(roots, curvature, strict=True):
            kind = "minimum" if cx > 0 < cy else "maximum" if cx < 0 > cy else "saddle"
            out.append(((float(x), float(y)), kind))
    return out


def bisect_roots(h: Callable[[np.ndarray], np.ndarray], lo: float, hi: float) -> np.ndarray:
    """All sign changes of h on a fine grid over [lo, hi], bisected to full precision."""
    t = np.linspace(lo, hi, 200_001)
    v = h(t)
    i = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
    a, b = t[i], t[i + 1]
    for _ in range(60):
        m = 0.5 * (a + b)
        left = np.sign(h(a)) * np.sign(h(m)) <= 0
        a, b = np.where(left, a, m), np.where(left, m, b)
    return np.sort(np.concatenate([0.5 * (a + b), t[v == 0]]))  # and exact zeros on the grid


def styblinski_tang() -> Expected:
    roots = np.sort(np.roots([2.0, 0.0, -16.0, 2.5]).real)  # d/dt of (t⁴ - 16t² + 5t)/2
    return product_of_1d(roots, 6 * roots**2 - 16)


def rastrigin() -> Expected:
    roots = bisect_roots(lambda t: 2 * t + 20 * np.pi * np.sin(2 * np.pi * t), -5.12, 5.12)
    return product_of_1d(roots, 2 + 40 * np.pi**2 * np.cos(2 * np.pi * roots))


INDEPENDENT: dict[str, Callable[[], Expected]] = {
    "bowl": lambda: [((0.0, 0.0), "minimum")],
    "elongated_bowl": lambda: [((0.0, 0.0), "minimum")],
    "saddle": lambda: [((0.0, 0.0), "saddle")],
    # grad (3x² - 3y², -6xy) vanishes only at 0, where the Hessian [[6x, -6y], [-6y, -6x]] = 0
    "monkey_saddle": lambda: [((0.0, 0.0), "degenerate")],
    # ∂f/∂y = 200(y - x²) = 0 and then ∂f/∂x = -2(1 - x) = 0
    "rosenbrock": lambda: [((1.0, 1.0), "minimum")],
    "himmelblau": lambda: grid_search(himmelblau, SURFACES["himmelblau"].bounds),
    "beale": lambda: grid_search(beale, SURFACES["beale"].bounds),
    "booth": lambda: grid_search(booth, SURFACES["booth"].bounds),
    "six_hump_camel": camel_by_polynomial_roots,
    "styblinski_tang": styblinski_tang,
    "double_well": lambda: grid_search(double_well, SURFACES["double_well"].bounds),
    "bumpy_bowl": lambda: grid_search(bumpy_bowl, SURFACES["bumpy_bowl"].bounds),
}
COMPLETE = sorted(INDEPENDENT)


# --- finds them all, invents none ----------------------------------------------------------

def test_independent_sets_cover_the_complete_registry_entries() -> None:
    assert set(COMPLETE) == {k for k, spec in SURFACES.items() if spec.complete}


@pytest.mark.parametrize("surface_id", COMPLETE)
def test_registry_lists_the_independently_computed_set(surface_id: str) -> None:
    known = [(p.point, p.kind) for p in SURFACES[surface_id].critical_points]
    expected = INDEPENDENT[surface_id]()
    assert len(known) == len(expected)
    for point, kind in expected:
        assert [k for q, k in known if math.dist(q, point) < 1e-9] == [kind], (point, kind)


@pytest.mark.parametrize("surface_id", COMPLETE)
def test_finds_exactly_the_known_set(surface_id: str) -> None:
    found = critical_points(get_surface(surface_id))
    assert_same_points(found, INDEPENDENT[surface_id](), atol=1e-8)


@pytest.mark.parametrize("rng_seed", [0, 1, 2])
@pytest.mark.parametrize("surface_id", ["bumpy_bowl", "six_hump_camel", "styblinski_tang"])
def test_a_coarse_first_grid_is_refined_until_nothing_is_missing(surface_id: str,
                                                                 rng_seed: int) -> None:
    found = critical_points(get_surface(surface_id), seeds=2, rng_seed=rng_seed)
    assert_same_points(found, INDEPENDENT[surface_id](), atol=1e-8)


def test_camel_has_six_minima_two_maxima_seven_saddles() -> None:
    kinds = [c.kind for c in critical_points(get_surface("six_hump_camel"))]
    assert (kinds.count("minimum"), kinds.count("maximum"), kinds.count("saddle")) == (6, 2, 7)


def test_himmelblau_matches_the_textbook_points() -> None:
    """Four minima of value 0 and the maximum 181.617 at (-0.270845, -0.923039)."""
    found = critical_points(get_surface("himmelblau"))
    minima = [c for c in found if c.kind == "minimum"]
    assert len(minima) == 4 and all(abs(c.value) < 1e-20 for c in minima)
    (top,) = [c for c in found if c.kind == "maximum"]
    np.testing.assert_allclose(top.point, [-0.270845, -0.923039], atol=1e-6)
    assert top.value == pytest.approx(181.617, abs=1e-3)


def test_rastrigin_finds_all_441() -> None:
    expected = rastrigin()
    assert len(expected) == 441  # 21 one-dimensional critical points per axis
    found = critical_points(get_surface("rastrigin"))
    assert_same_points(found, expected, atol=1e-9)
    assert [c.kind for c in found].count("minimum") == 121


@pytest.mark.parametrize(("name", "expr", "bounds"), [
    ("x + y", X + Y, (-5.0, 5.0, -5.0, 5.0)),
    ("exp(x) + y^2", call("exp", X) + Y * Y, (-5.0, 5.0, -5.0, 5.0)),
    # a saturated sigmoid: |g| ~ 1e-10 far left, numerically flat but not critical
    ("sigmoid(5x) + y^2", call("sigmoid", 5.0 * X) + Y * Y, (-5.0, 5.0, -5.0, 5.0)),
    ("log(x) + y^2 (nan for x <= 0)", call("log", X) + Y * Y, (-5.0, 5.0, -5.0, 5.0)),
    ("1/(x^2 + y^2) (inf at 0)", 1.0 / (X * X + Y * Y), (-2.0, 2.0, -2.0, 2.0)),
    # kinks: the gradient jumps instead of vanishing; the engine gives g = 0 exactly at
    # the origin (sign(0) = 0), which must not count as a stationary point
    ("|x| + |y|", call("abs", X) + call("abs", Y), (-2.0, 2.0, -2.0, 2.0)),
    ("max(x, y)", call("max", X, Y), (-2.0, 2.0, -2.0, 2.0)),
    ("bowl outside the bounds", (X - 9.0) ** 2.0 + Y * Y, (-5.0, 5.0, -5.0, 5.0)),
])
def test_invents_none(name: str, expr: Node, bounds: tuple[float, float, float, float]) -> None:
    assert critical_points(Surface(expr, name, bounds)) == []


def test_ackley_kink_is_not_reported() -> None:
    found = critical_points(get_surface("ackley"))
    assert min(float(np.linalg.norm(c.point)) for c in found) > 0.5
    # the dimples near the integer points are there: the nearest minima to the origin
    assert sum(c.kind == "minimum" and np.linalg.norm(c.point) < 1.2 for c in found) == 4


def test_points_on_the_edge_of_the_bounds_count() -> None:
    found = critical_points(Surface(X * X + Y * Y, "x^2 + y^2", (0.0, 2.0, 0.0, 2.0)))
    assert [(c.kind, c.point.tolist()) for c in found] == [("minimum", [0.0, 0.0])]


def test_only_points_inside_the_bounds() -> None:
    spec = SURFACES["himmelblau"]
    bounds = (0.0, 5.0, 0.0, 5.0)
    found = critical_points(Surface(get_surface("himmelblau").expr, spec.formula, bounds))
    inside = [(p.point, p.kind) for p in spec.critical_points
              if 0 <= p.point[0] <= 5 and 0 <= p.point[1] <= 5]
    assert len(inside) == 3  # (3, 2), and the saddles near (3.39, 0.07) and (0.09, 2.88)
    assert_same_points(found, inside, atol=1e-8)


# --- degenerate points and continua ----------------------------------------------------------

def test_monkey_saddle_origin_is_found_and_degenerate() -> None:
    (c,) = critical_points(get_surface("monkey_saddle"))
    assert c.kind == "degenerate" and c.isolated
    assert np.linalg.norm(c.point) < 1e-9 and abs(c.value) < 1e-20
    assert np.abs(c.eigenvalues).max() < 1e-8


@pytest.mark.parametrize(("expr", "bounds"), [
    (X**4.0 + Y**4.0, (-2.0, 2.0, -2.0, 2.0)),
    (X**3.0 + Y**3.0, (-2.0, 2.0, -2.0, 2.0)),  # an inflection in both directions
    (X**6.0 + Y**6.0, (-2.0, 3.0, -1.0, 2.5)),  # Newton contracts by only 5/6 a step
])
def test_higher_order_points_are_degenerate(expr: Node, bounds: tuple[float, ...]) -> None:
    (c,) = critical_points(Surface(expr, "", (bounds[0], bounds[1], bounds[2], bounds[3])))
    assert c.kind == "degenerate" and c.isolated and np.linalg.norm(c.point) < 1e-6


def test_a_critical_line_is_one_non_isolated_point() -> None:
    (c,) = critical_points(Surface(X * X, "x^2", (-5.0, 5.0, -5.0, 5.0)))
    assert c.kind == "degenerate" and not c.isolated and abs(c.point[0]) < 1e-9


def test_a_critical_circle_and_its_centre() -> None:
    ring = (X * X + Y * Y - 1.0) ** 2.0
    found = critical_points(Surface(ring, "(x^2+y^2-1)^2", (-2.0, 2.0, -2.0, 2.0)))
    assert [(c.kind, c.isolated) for c in found] == [("maximum", True), ("degenerate", False)]
    assert np.linalg.norm(found[0].point) < 1e-9
    assert np.linalg.norm(found[1].point) == pytest.approx(1.0, abs=1e-9)


def test_parallel_critical_lines_are_separate() -> None:
    found = critical_points(Surface(call("sin", X), "sin(x)", (-5.0, 5.0, -5.0, 5.0)))
    assert all(c.kind == "degenerate" and not c.isolated for c in found)
    np.testing.assert_allclose(sorted(c.point[0] for c in found),
                               [-1.5 * np.pi, -0.5 * np.pi, 0.5 * np.pi, 1.5 * np.pi], atol=1e-9)


def test_neighbouring_critical_curves_stay_apart() -> None:
    """sin(xy): g = cos(xy)·(y, x) vanishes at the origin and on the hyperbolas
    xy = ±(π/2 + kπ); in [-5, 5]² that is k = 0..7, two branches each, for both signs: 32
    curves, which near the axes come closer to each other than a seed spacing."""
    found = critical_points(Surface(call("sin", X * Y), "sin(xy)", (-5.0, 5.0, -5.0, 5.0)))
    assert [(c.kind, c.isolated) for c in found][:1] == [("saddle", True)]
    assert np.linalg.norm(found[0].point) < 1e-9
    curves = found[1:]
    assert len(curves) == 32 and all(c.kind == "degenerate" and not c.isolated for c in curves)
    products = sorted(float(c.point[0] * c.point[1]) for c in curves)
    levels = [s * (np.pi / 2 + k * np.pi) for s in (-1, 1) for k in range(8) for _ in (0, 1)]
    np.testing.assert_allclose(products, sorted(levels), atol=1e-8)


def test_crossing_critical_lines_are_one_set() -> None:
    found = critical_points(Surface(X * X * Y * Y, "x^2 y^2", (-2.0, 2.0, -2.0, 2.0)))
    assert [(c.kind, c.isolated) for c in found] == [("degenerate", False)]
    assert min(abs(found[0].point)) < 1e-9  # on one of the axes


def test_flat_region_is_one_non_isolated_point() -> None:
    found = critical_points(Surface(call("relu", X) + call("relu", Y), "", (-2.0, 2.0, -2.0, 2.0)))
    assert [(c.kind, c.isolated) for c in found] == [("degenerate", False)]
    assert (found[0].point < 0).all()


# --- what each point carries -------------------------------------------------------------

@pytest.mark.parametrize("surface_id", sorted(SURFACES))
def test_every_point_is_consistent(surface_id: str) -> None:
    surface = get_surface(surface_id)
    found = critical_points(surface)
    xmin, xmax, ymin, ymax = surface.bounds
    P = np.array([c.point for c in found])
    values, grads, H = surface.value_grad_hessian(P)
    grid = np.meshgrid(np.linspace(xmin, xmax, 17), np.linspace(ymin, ymax, 17))
    sizes = np.linalg.norm(surface.grad(np.column_stack([g.ravel() for g in grid])), axis=1)
    typical = np.median(sizes[np.isfinite(sizes)])  # Ackley has no gradient at its tip
    assert np.linalg.norm(grads, axis=1).max() <= 1e-10 * typical
    for c, v, h in zip(found, values, H, strict=True):
        assert xmin <= c.point[0] <= xmax and ymin <= c.point[1] <= ymax
        assert c.value == v
        assert c.eigenvalues[0] <= c.eigenvalues[1]
        np.testing.assert_allclose(c.eigenvectors.T @ c.eigenvectors, np.eye(2), atol=1e-12)
        np.testing.assert_allclose(h @ c.eigenvectors, c.eigenvectors * c.eigenvalues,
                                   atol=1e-9 * max(1.0, float(np.abs(h).max())))
        assert c.kind == kind_of(h)
        assert not c.point.flags.writeable
    keys = [(KIND_ORDER[c.kind], c.value) for c in found]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    for a, b in itertools.pairwise(keys):
        assert a[0] < b[0] or a[1] <= b[1] + 1e-9 * max(1.0, abs(a[1]))


def test_deterministic() -> None:
    first = critical_points(get_surface("six_hump_camel"))
    second = critical_points(get_surface("six_hump_camel"))
    assert [c.as_dict() for c in first] == [c.as_dict() for c in second]


@pytest.mark.parametrize("scale", [1e-6, 1e3])
def test_scaling_f_changes_nothing_but_values(scale: float) -> None:
    base = get_surface("bumpy_bowl")
    scaled = Surface(scale * base.expr, "", base.bounds)
    a, b = critical_points(base), critical_points(scaled)
    assert [c.kind for c in a] == [c.kind for c in b]
    np.testing.assert_allclose([c.point for c in a], [c.point for c in b], atol=1e-9)
    np.testing.assert_allclose([c.value * scale for c in a], [c.value for c in b], rtol=1e-12)


def test_data_set_surface_minimum_is_least_squares() -> None:
    surface = dataset_surface("linear_regression")
    (c,) = critical_points(surface)
    w, b = np.polyfit(surface.data["u"], surface.data["t"], 1)
    assert c.kind == "minimum"
    np.testing.assert_allclose(c.point, [w, b], atol=1e-9)


def test_as_dict_is_plain_python() -> None:
    (c,) = critical_points(get_surface("bowl"))
    d = c.as_dict()
    assert list(d) == ["point", "kind", "value", "eigenvalues", "eigenvectors", "isolated"]
    assert d["kind"] == "minimum" and d["isolated"] is True and d["eigenvalues"] == [2.0, 2.0]
    assert isinstance(d["value"], float) and abs(d["value"]) < 1e-30
    assert isinstance(d["point"], list) and np.allclose(d["point"], [0.0, 0.0], atol=1e-15)
    assert isinstance(d["eigenvectors"], list) and len(d["eigenvectors"]) == 2


@pytest.mark.parametrize("options", [{"seeds": 1}, {"seeds": 64, "max_seeds": 32},
                                     {"max_seeds": 2048}, {"tol": 0.0}, {"tol": 0.5}])
def test_rejects_bad_options(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        critical_points(get_surface("bowl"), **options)  # type: ignore[arg-type]


# --- the one classifier: core.critical.classify, used by the search and the server ---------------
# Closed forms at the origin: f, kind, curvature (from the Hessian written out by hand).
CLOSED_FORMS = [
    ("x^2 + 3*y^2", "minimum", "positive_definite"),  # H = diag(2, 6)
    ("x^2 - y^2", "saddle", "indefinite"),  # H = diag(2, -2)
    ("-(x^2) - 2*y^2", "maximum", "negative_definite"),  # H = diag(-2, -4)
    ("x^4 + y^2", "degenerate", "semidefinite"),  # H = diag(0, 2): the test cannot decide
]


@pytest.mark.parametrize(("formula", "kind", "curvature"), CLOSED_FORMS)
def test_classify_at_closed_form_critical_points(formula: str, kind: str, curvature: str) -> None:
    surf = core.surface(formula)
    tol = tolerances(surf)
    assert tol is not None
    _, g, H = surf.value_grad_hessian([[0.0, 0.0], [1.0, 0.5]])
    lam = np.linalg.eigvalsh(H)
    assert classify(g[0], lam[0], tol) == (kind, curvature)
    # away from the origin the gradient does not vanish: regular, whatever the curvature
    assert classify(g[1], lam[1], tol)[0] == "regular"
    # the search reports the origin with the same kind
    found = critical_points(surf)
    at_origin = [c for c in found if np.linalg.norm(c.point) < 1e-4]
    assert [c.kind for c in at_origin] == [kind]


def test_classify_tolerances_scale_with_the_surface() -> None:
    # |g| = 1e-6 at (5e-7, 0) on x^2 + y^2: stationary for a surface whose typical |g| is ~6
    # only below 1e-8 of it, so regular; multiplied by 1e-6 the point is just as regular.
    for scale in (1.0, 1e-6):
        surf = core.surface(f"{scale} * (x^2 + y^2)")
        tol = tolerances(surf)
        assert tol is not None
        _, g, H = surf.value_grad_hessian([[5e-7, 0.0], [1e-10, 0.0]])
        lam = np.linalg.eigvalsh(H)
        assert classify(g[0], lam[0], tol)[0] == "regular"
        assert classify(g[1], lam[1], tol)[0] == "minimum"


def test_classify_non_finite_is_regular_and_undefined() -> None:
    nan = float("nan")
    assert classify(np.array([0.0, 0.0]), np.array([nan, 1.0]), Tolerances(1e-8, 1e-8)) == (
        "regular", "undefined")
    assert classify(np.array([nan, 0.0]), np.array([1.0, 2.0]), Tolerances(1e-8, 1e-8)) == (
        "regular", "positive_definite")
