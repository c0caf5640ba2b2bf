"""The autodiff engine against closed-form derivatives written here, independently."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscape.core.autodiff import gradient
from gradscape.core.backprop_graph import graph_view
from gradscape.core.codegen import generate
from gradscape.core.gradcheck import check_gradient, numerical_gradient, relative_error
from gradscape.core.graph import PRIMITIVES, Node, call, const, data, literal, var
from gradscape.core.surface import Surface

X, Y = var("x"), var("y")
RNG_SEED = 20261122

Fn = Callable[[np.ndarray], np.ndarray]


def sig(u: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-u))


# name, f, f', f'', sampler of u (the argument) inside the domain, away from kinks
UNARY: list[tuple[str, Fn, Fn, Fn, tuple[float, float]]] = [
    ("exp", np.exp, np.exp, np.exp, (-3, 3)),
    ("log", np.log, lambda u: 1 / u, lambda u: -1 / u**2, (0.2, 5)),
    ("sqrt", np.sqrt, lambda u: 0.5 / np.sqrt(u), lambda u: -0.25 * u**-1.5, (0.2, 5)),
    ("sin", np.sin, np.cos, lambda u: -np.sin(u), (-4, 4)),
    ("cos", np.cos, lambda u: -np.sin(u), lambda u: -np.cos(u), (-4, 4)),
    ("tan", np.tan, lambda u: 1 / np.cos(u) ** 2, lambda u: 2 * np.sin(u) / np.cos(u) ** 3,
     (-1.2, 1.2)),
    ("tanh", np.tanh, lambda u: 1 / np.cosh(u) ** 2,
     lambda u: -2 * np.tanh(u) / np.cosh(u) ** 2, (-3, 3)),
    ("sigmoid", sig, lambda u: sig(u) * (1 - sig(u)),
     lambda u: sig(u) * (1 - sig(u)) * (1 - 2 * sig(u)), (-6, 6)),
    ("softplus", lambda u: np.log1p(np.exp(u)), sig, lambda u: sig(u) * (1 - sig(u)), (-6, 6)),
    ("abs", np.abs, np.sign, np.zeros_like, (-3, 3)),
    ("relu", lambda u: np.maximum(u, 0), lambda u: (u > 0) * 1.0, np.zeros_like, (-3, 3)),
    ("leaky_relu", lambda u: np.where(u > 0, u, 0.01 * u), lambda u: np.where(u > 0, 1, 0.01),
     np.zeros_like, (-3, 3)),
]

A, B = 0.7, -0.4  # u = A*x + B*y, so every rule is checked through the chain rule too


def _points_for_u(lo: float, hi: float, n: int = 64) -> np.ndarray:
    rng = np.random.default_rng(RNG_SEED)
    u = rng.uniform(lo, hi, n)
    u = u[np.abs(u) > 1e-3]  # keep off the kinks of abs/relu
    y = rng.uniform(-1, 1, u.size)
    return np.column_stack([(u - B * y) / A, y])


@pytest.mark.parametrize(("name", "f", "df", "d2f", "domain"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_rule_value_gradient_hessian(name: str, f: Fn, df: Fn, d2f: Fn,
                                           domain: tuple[float, float]) -> None:
    s = Surface(call(name, A * X + B * Y), name)
    P = _points_for_u(*domain)
    u = A * P[:, 0] + B * P[:, 1]
    v, g, H = s.value_grad_hessian(P)
    np.testing.assert_allclose(v, f(u), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(g, df(u)[:, None] * [A, B], rtol=1e-11, atol=1e-13)
    outer = np.array([[A * A, A * B], [A * B, B * B]])
    np.testing.assert_allclose(H, d2f(u)[:, None, None] * outer, rtol=1e-10, atol=1e-12)


# name, f(a, b), (df/da, df/db), points (a = x, b = y)
BINARY: list[tuple[str, Callable[[Node, Node], Node], Callable[..., tuple[object, object]]]] = [
    ("add", lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    ("sub", lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    ("mul", lambda a, b: a * b, lambda a, b: (b, a)),
    ("div", lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
    ("pow", lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), np.log(a) * a**b)),
    ("max", lambda a, b: call("max", a, b), lambda a, b: ((a >= b) * 1.0, (b > a) * 1.0)),
    ("min", lambda a, b: call("min", a, b), lambda a, b: ((a <= b) * 1.0, (b < a) * 1.0)),
]


@pytest.mark.parametrize(("name", "build", "partials"), BINARY, ids=[b[0] for b in BINARY])
def test_binary_rule_gradient(name: str, build: Callable[[Node, Node], Node],
                              partials: Callable[..., tuple[object, object]]) -> None:
    rng = np.random.default_rng(RNG_SEED)
    P = rng.uniform(0.3, 3.0, size=(50, 2))
    g = Surface(build(X, Y), name).grad(P)
    da, db = partials(P[:, 0], P[:, 1])
    np.testing.assert_allclose(g[:, 0], np.broadcast_to(da, 50), rtol=1e-12)
    np.testing.assert_allclose(g[:, 1], np.broadcast_to(db, 50), rtol=1e-12)


def test_pow_hessian_with_variable_exponent() -> None:
    # f = x^y: f_xx = y(y-1)x^(y-2), f_xy = x^(y-1)(1 + y ln x), f_yy = x^y ln(x)^2
    P = np.array([[1.5, 2.5], [2.0, 0.5], [0.7, -1.3]])
    x, y = P[:, 0], P[:, 1]
    H = Surface(X**Y, "x^y").hessian(P)
    np.testing.assert_allclose(H[:, 0, 0], y * (y - 1) * x ** (y - 2), rtol=1e-12)
    np.testing.assert_allclose(H[:, 0, 1], x ** (y - 1) * (1 + y * np.log(x)), rtol=1e-12)
    np.testing.assert_allclose(H[:, 1, 0], H[:, 0, 1])
    np.testing.assert_allclose(H[:, 1, 1], x**y * np.log(x) ** 2, rtol=1e-12)


def test_every_primitive_is_covered_by_a_test() -> None:
    tested = {u[0] for u in UNARY} | {b[0] for b in BINARY} | {
        "neg", "sign", "gt", "ge", "where", "sum", "mean", "expand", "expand_mean", "sum_to",
        "broadcast_like", "matmul", "transpose", "logsumexp"}
    assert set(PRIMITIVES) <= tested, set(PRIMITIVES) - tested


def test_logsumexp_gradient_is_softmax_and_hessian_its_covariance() -> None:
    # f(x, y) = log Σ_c exp(x u_c + y v_c): ∇f = E_p[(u, v)], H = Cov_p[(u, v)], p = softmax.
    u, v = np.array([1.0, -2.0, 0.5]), np.array([0.3, 1.0, -1.5])
    expr = call("logsumexp", X * data("u", (3,)) + Y * data("v", (3,)))
    surf = Surface(expr, "lse", data={"u": u, "v": v})
    P = np.array([[0.2, -0.7], [800.0, 3.0]])  # the second point would overflow exp naively
    values, grads, hess = surf.value_grad_hessian(P)
    for k, (x, y) in enumerate(P):
        z = x * u + y * v
        top = z.max()
        p = np.exp(z - top) / np.exp(z - top).sum()
        feats = np.stack([u, v], axis=1)
        mean = p @ feats
        assert values[k] == pytest.approx(top + math.log(np.exp(z - top).sum()))
        np.testing.assert_allclose(grads[k], mean, atol=1e-12)
        np.testing.assert_allclose(hess[k], (feats - mean).T @ (p[:, None] * (feats - mean)),
                                   atol=1e-12)


def test_fan_out_accumulates_gradients() -> None:
    # x used three times: d/dx (x * x * x) = 3 x^2 and d/dx (x*y + x) = y + 1.
    P = np.array([[2.0, 5.0], [-1.5, 0.5]])
    with literal():
        cube, reuse = X * X * X, X * Y + X
    np.testing.assert_allclose(Surface(cube, "x^3").grad(P)[:, 0], 3 * P[:, 0] ** 2)
    np.testing.assert_allclose(Surface(reuse, "xy+x").grad(P)[:, 0], P[:, 1] + 1)
    view = graph_view(Surface(reuse, "xy+x"), (2.0, 5.0))
    x_node = next(n for n in view.nodes if n.label == "x")
    assert x_node.grad == pytest.approx(6.0)  # 5 through the multiply gate + 1 through add


def test_graph_view_gates() -> None:
    # f = max(x, y) + x*y at (3, 2): max routes to x, multiply swaps, add distributes.
    with literal():
        expr = call("max", X, Y) * 1.0 + X * Y
    view = graph_view(Surface(expr, "max(x,y)+x*y"), (3.0, 2.0))
    by_op = {n.op: n for n in view.nodes}
    assert by_op["max"].value == 3.0 and by_op["max"].grad == 1.0
    x_node = next(n for n in view.nodes if n.label == "x")
    y_node = next(n for n in view.nodes if n.label == "y")
    assert x_node.grad == pytest.approx(1.0 + 2.0)  # routed by max, plus y from the multiply
    assert y_node.grad == pytest.approx(0.0 + 3.0)  # max sends y nothing; multiply gives x
    assert view.nodes[view.output].value == pytest.approx(9.0)
    assert all(e[0] in {n.id for n in view.nodes} for e in view.edges)


def test_data_broadcasting_mean_squared_error() -> None:
    # Linear regression loss over (w, b) = (x, y) on data (u, t): mean((w u + b - t)^2).
    rng = np.random.default_rng(RNG_SEED)
    u, t = rng.normal(size=40), rng.normal(size=40)
    expr = call("mean", (X * data("u", ("S",)) + Y - data("t", ("S",))) ** 2)
    s = Surface(expr, "mse", data={"u": u, "t": t})
    P = rng.normal(size=(7, 2))
    r = P[:, :1] * u + P[:, 1:] - t
    v, g, H = s.value_grad_hessian(P)
    np.testing.assert_allclose(v, (r**2).mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(g[:, 0], (2 * r * u).mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(g[:, 1], (2 * r).mean(axis=1), rtol=1e-12)
    expected_h = 2 * np.array([[np.mean(u * u), np.mean(u)], [np.mean(u), 1.0]])
    np.testing.assert_allclose(H, np.broadcast_to(expected_h, (7, 2, 2)), rtol=1e-12)
    batch = np.array([0, 3, 5])
    rb = P[:, :1] * u[batch] + P[:, 1:] - t[batch]
    np.testing.assert_allclose(s.value(P, batch=batch), (rb**2).mean(axis=1), rtol=1e-12)


def test_sum_where_and_scalar_plus_reduction() -> None:
    # sum over data plus a per-point term: checks that the point axis and data axis stay apart.
    d = np.array([1.0, -2.0, 3.0])
    expr = call("sum", call("where", data("d", ("S",)), X * X, Y * data("d", ("S",)))) + X * Y
    s = Surface(expr, "where", data={"d": d})
    P = np.array([[1.5, -0.5], [2.0, 3.0]])
    x, y = P[:, 0], P[:, 1]
    n_pos, neg_sum = 2, -2.0
    np.testing.assert_allclose(s.value(P), n_pos * x**2 + y * neg_sum + x * y)
    np.testing.assert_allclose(s.grad(P), np.column_stack([2 * n_pos * x + y, neg_sum + x]))
    H = s.hessian(P)
    np.testing.assert_allclose(H[:, 0, 0], 2 * n_pos)
    np.testing.assert_allclose(H[:, 0, 1], 1.0)


def test_matmul_and_transpose_gradients() -> None:
    rng = np.random.default_rng(RNG_SEED)
    Xd, Bd = rng.normal(size=(5, 2)), rng.normal(size=(2, 3))
    M = data("X", ("S", 2))
    W = data("B", (2, 3))
    # f = sum(sum((X @ (x B))^2)) + sum(sum(transpose(x B) * y))
    xb = X * W
    expr = call("sum", call("sum", call("matmul", M, xb) ** 2)) + call(
        "sum", call("sum", call("transpose", xb) * Y))
    s = Surface(expr, "matmul", data={"X": Xd, "B": Bd})
    P = np.array([[0.3, 1.1], [-0.7, 2.0]])
    x, y = P[:, 0], P[:, 1]
    c2, c1 = np.sum((Xd @ Bd) ** 2), np.sum(Bd)
    np.testing.assert_allclose(s.value(P), c2 * x**2 + c1 * x * y, rtol=1e-12)
    np.testing.assert_allclose(s.grad(P), np.column_stack([2 * c2 * x + c1 * y, c1 * x]),
                               rtol=1e-12)
    np.testing.assert_allclose(s.hessian(P)[:, 0, 0], 2 * c2, rtol=1e-12)
    np.testing.assert_allclose(s.hessian(P)[:, 0, 1], c1, rtol=1e-12)


def test_non_finite_values_without_warnings() -> None:
    # pytest turns warnings into errors, so a leaked RuntimeWarning fails this test.
    s = Surface(call("log", X) + call("exp", Y), "log(x)+exp(y)")
    v, g, H = s.value_grad_hessian(np.array([[-1.0, 0.0], [1.0, 800.0], [1.0, 0.0]]))
    assert np.isnan(v[0]) and np.isinf(v[1]) and v[2] == pytest.approx(1.0)
    assert np.isinf(g[1, 1]) and np.isfinite(g[2]).all()
    assert np.isfinite(H[2]).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=1, max_size=12))
def test_a_batch_equals_its_points_one_at_a_time(points: list[tuple[float, float]]) -> None:
    with literal():
        expr = call("sin", X * Y) + call("max", X, Y * Y) + call("sigmoid", X - 2 * Y) ** 3
    s = Surface(expr, "mixed")
    P = np.array(points, dtype=np.float64)
    v, g, H = s.value_grad_hessian(P)
    for i, p in enumerate(P):
        vi, gi, Hi = s.value_grad_hessian(p[None, :])
        assert np.array_equal(v[i:i + 1], vi) and np.array_equal(g[i:i + 1], gi)
        assert np.array_equal(H[i:i + 1], Hi)


def test_gradient_check_agrees_with_exact_gradient() -> None:
    s = Surface((1 - X) ** 2 + 100 * (Y - X**2) ** 2, "rosenbrock")
    P = np.random.default_rng(RNG_SEED).uniform(-2, 2, size=(30, 2))
    result = check_gradient(s.value, s.grad, P)
    assert result.passed.all() and result.relative_error.max() < 1e-6
    x, y = P[:, 0], P[:, 1]
    exact = np.column_stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])
    np.testing.assert_allclose(numerical_gradient(s.value, P), exact, rtol=1e-6, atol=1e-6)


def test_gradient_check_catches_a_wrong_derivative() -> None:
    # A classic mistake: d/du sin(u) written as sin(u). The check must flag it.
    good = Surface(call("sin", X) * Y, "sin(x)*y")
    s = good.with_rules({"sin": lambda g, out, a: (g * out,)})
    P = np.array([[0.5, 1.0], [1.2, -2.0]])
    assert not check_gradient(s.value, s.grad, P).passed.any()
    # the override is the surface's own: the shared table and other surfaces are untouched
    assert check_gradient(good.value, good.grad, P).passed.all()
    again = Surface(call("sin", X) * Y, "again")
    assert check_gradient(again.value, again.grad, P).passed.all()


def test_relative_error_definition() -> None:
    assert relative_error(np.array([1.0]), np.array([1.1]))[0] == pytest.approx(0.1 / 1.1)
    # where a gradient is not finite (sqrt' at 0 or below) the check cannot pass
    nan_err = relative_error(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    assert np.isnan(nan_err[0]) and nan_err[1] == 0.0
    s0 = Surface(call("sqrt", X) + Y, "sqrt(x) + y")
    assert not check_gradient(s0.value, s0.grad, np.array([[-1.0, 0.0]])).passed.any()
    assert relative_error(np.array([0.0]), np.array([0.0]))[0] == 0.0
    # at a minimum both are ~0: tiny noise is not reported as a 100% error
    assert relative_error(np.array([0.0]), np.array([3e-11]))[0] < 1e-7
    s = Surface((X**2 + Y - 11) ** 2 + (X + Y**2 - 7) ** 2, "himmelblau")
    assert check_gradient(s.value, s.grad, np.array([[3.0, 2.0]])).passed.all()
    r = Surface((1 - X) ** 2 + 100 * (Y - X**2) ** 2, "rosenbrock")
    assert check_gradient(r.value, r.grad, np.array([[1.0, 1.0]])).passed.all()


def test_generated_code_holds_only_engine_names_and_numbers() -> None:
    with literal():
        expr = call("softplus", X / 3.0 - Y**2.5) + call("leaky_relu", -X)
    source, _ = generate(gradient(expr, [X, Y]), ["x", "y"])
    body = re.sub(r"np\.\w+|axis|None|def graph|return", "", source)
    tokens = set(re.findall(r"[A-Za-z_]\w*", body))
    assert tokens <= {f"t{i}" for i in range(1000)} | {"v0", "v1"}, tokens


def test_deep_graphs_compile_without_recursion() -> None:
    expr = X
    for i in range(5000):
        expr = call("sin", expr) + (i % 7) * 1e-3 * Y
    s = Surface(expr, "deep")
    g = s.grad(np.array([[0.3, 0.2]]))
    assert np.isfinite(g).all()
    numeric = numerical_gradient(s.value, np.array([[0.3, 0.2]]))[0]
    assert math.isclose(numeric[1], g[0, 1], rel_tol=1e-5)
    assert abs(g[0, 0]) < 1e-20  # 5000 nested sines flatten x's influence: vanishing gradient


def test_constant_surface_broadcasts() -> None:
    s = Surface(const(3.0) + 0.0 * X, "3")
    v, g, H = s.value_grad_hessian(np.zeros((4, 2)))
    assert v.shape == (4,) and (v == 3.0).all() and (g == 0).all() and (H == 0).all()


# Classic backprop bugs, written as derivative rules: sin'(u) as sin(u); the multiply gate
# giving each input its own value instead of the other's; u^n's derivative missing its n.
WRONG_RULES: dict[str, tuple[str, Any]] = {
    "sin(x) * y": ("sin", lambda g, out, a: (g * out,)),
    "x * y + x": ("mul", lambda g, out, a, b: (g * a, g * b)),
    "x^3 + y": ("pow", lambda g, out, a, b: (g * a ** (b - 1.0), None)),
}


@pytest.mark.parametrize("formula", sorted(WRONG_RULES))
def test_injected_backprop_mistakes_are_caught_by_the_gradient_check(formula: str) -> None:
    import gradscape.core as core  # noqa: PLC0415

    good = core.surface(formula)
    name, rule = WRONG_RULES[formula]
    bad = good.with_rules({name: rule})
    P = np.array([[0.7, 1.3], [1.9, -0.6]])
    assert check_gradient(good.value, good.grad, P).passed.all()
    assert not check_gradient(bad.value, bad.grad, P).passed.any()
    np.testing.assert_array_equal(bad.value(P), good.value(P))  # only the backward pass is off


def test_overriding_an_unknown_primitive_is_refused() -> None:
    with pytest.raises(ValueError, match="no primitive named 'sine'"):
        Surface(X * Y, "xy").with_rules({"sine": lambda g, out, a: (g,)})


def test_data_columns_of_different_shapes_are_different_nodes() -> None:
    # A data set's column u (one value per sample) and a fixed vector u of length 3 share a
    # name but not a shape: interning them as one node broke whichever was built second.
    column, vector = data("u", ("S",)), data("u", (3,))
    assert column is not vector
    assert column.shape == ("S",) and vector.shape == (3,)
    assert data("u", (3,)) is vector  # the same leaf is still shared
