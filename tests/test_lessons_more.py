"""The claims of lessons/more.py, asserted by running each scene through core.

Numbers the texts state that are not scene values are facts, each checked by one function in
FACT_CHECKS (tests/test_lesson_authoring.py runs them and matches them to the lesson's facts).
Expected values come from math written out here (closed-form gradients and Hessians, the
unrolled momentum sum, RMSProp's bound 1/√(1 − α)), never from the code under test. None of
these scenes draws random numbers (full batches, no noise, no random search), so a seed changes
nothing (checked below); claims about runs also hold from starts moved by 0.1 and with learning
rates within 10%, the settings a lesson does not single out.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.runs import Trajectory
from gradscape.lessons import LESSONS_BY_ID, run_scene, scene_surface
from gradscape.lessons.more import MORE_LESSONS

NUDGES = [(0.0, 0.0), (0.1, 0.0), (-0.1, 0.0), (0.0, 0.1), (0.0, -0.1)]
LR_FACTORS = (0.9, 1.0, 1.1)


def scene_of(lesson_id: str, variant: bool = False) -> dict[str, Any]:
    lesson = LESSONS_BY_ID[lesson_id]
    return copy.deepcopy(lesson.variant["scene"] if variant else lesson.scene)


@functools.cache
def runs(lesson_id: str, variant: bool = False) -> list[Trajectory]:
    return run_scene(scene_of(lesson_id, variant))


@functools.cache
def nudged(lesson_id: str, index: int, variant: bool = False) -> list[Trajectory]:
    """Run `index` from every start moved by 0.1 and every learning rate within 10%."""
    scene = scene_of(lesson_id, variant)
    base = scene["runs"][index]
    many = []
    for factor in LR_FACTORS:
        for dx, dy in NUDGES:
            r = copy.deepcopy(base)
            r["start"] = [base["start"][0] + dx, base["start"][1] + dy]
            r["params"]["lr"] = base["params"]["lr"] * factor
            many.append(r)
    scene["runs"] = many
    return run_scene(scene)


def surface_of(lesson_id: str, variant: bool = False) -> core.Surface:
    return scene_surface(scene_of(lesson_id, variant)["surface"])


def test_more_lessons_are_deterministic_so_seeds_do_not_matter() -> None:
    for lesson in MORE_LESSONS:
        scenes = [lesson.scene] + ([lesson.variant["scene"]] if lesson.variant else [])
        for sc in scenes:
            for r in sc["runs"]:
                assert not r.get("noise") and r.get("batch_size") is None, lesson.id
                assert r["optimizer"] not in ("random_search", "random_local_search")
    reseeded = scene_of("nesterov_lookahead")
    reseeded["seed"] = 13
    for a, b in zip(run_scene(reseeded), runs("nesterov_lookahead"), strict=True):
        np.testing.assert_array_equal(a.points, b.points)


# --- input_scaling ------------------------------------------------------------------------------
def scaling_gradients(variant: bool) -> tuple[float, float]:
    lesson = LESSONS_BY_ID["input_scaling"]
    point = tuple((lesson.variant["scene"] if variant else lesson.scene)["runs"][0]["start"])
    view = core.graph_view(surface_of("input_scaling", variant), point)
    by_label = {n.label: n for n in view.nodes if n.op == "var"}
    return float(by_label["x"].grad), float(by_label["y"].grad)


def test_input_scaling() -> None:
    lesson = LESSONS_BY_ID["input_scaling"]
    assert lesson.extras["point"] == lesson.scene["runs"][0]["start"] == [1.0, 1.0]
    # f = (x·u + y − 1)²: df/dx = 2 r u, df/dy = 2 r with r = x·u + y − 1 (written out here).
    for variant, u, (x, y) in ((False, 0.5, (1.0, 1.0)), (True, 500.0, (0.001, 1.0))):
        r = x * u + y - 1.0
        assert scaling_gradients(variant) == pytest.approx((2 * r * u, 2 * r), rel=1e-12)
    assert scaling_gradients(False) == pytest.approx((0.5, 1.0))
    assert scaling_gradients(True) == pytest.approx((500.0, 1.0))
    # Same η: the first run reaches the minimum, the second diverges on its first step.
    for t in nudged("input_scaling", 0):
        assert t.status != "diverged" and t.values[-1] < 1e-6
    for t in nudged("input_scaling", 0, variant=True):
        assert t.status == "diverged" and t.stop_step <= 1


def check_scaling_prediction() -> None:  # "1.5": w·u + b at both points
    for variant in (False, True):
        sc = scene_of("input_scaling", variant)
        loss = float(scene_surface(sc["surface"]).value(np.array([sc["runs"][0]["start"]]))[0])
        assert loss == pytest.approx((1.5 - 1.0) ** 2, rel=1e-12)  # residual 1.5 − target 1
        assert scaling_gradients(variant)[1] == pytest.approx(2 * (1.5 - 1.0))  # and r > 0


def check_scaling_ratio() -> None:  # "1000": input ratio and x's gradient ratio
    ratio = scaling_gradients(True)[0] / scaling_gradients(False)[0]
    assert ratio == pytest.approx(1000.0, rel=1e-12)
    assert scaling_gradients(True)[1] == pytest.approx(scaling_gradients(False)[1], rel=1e-12)


# --- momentum_weighted_sum ----------------------------------------------------------------------
def unrolled_momentum(grads: np.ndarray, mu: float) -> np.ndarray:
    """m_t = Σ_k μᵏ g_{t−k}, written as the explicit sum (not the recursion under test)."""
    n = len(grads)
    weights = mu ** np.arange(n)
    return np.array([(weights[:t + 1, None] * grads[t::-1]).sum(axis=0) for t in range(n)])


def momentum_run() -> tuple[Trajectory, float, float]:
    (t,) = runs("momentum_weighted_sum")
    params = LESSONS_BY_ID["momentum_weighted_sum"].scene["runs"][0]["params"]
    return t, params["momentum"], params["lr"]


def check_momentum_sum() -> None:  # "1e-12"
    t, mu, lr = momentum_run()
    g = t.grads[:-1]
    expected = unrolled_momentum(g, mu)
    scale = np.abs(expected).max()
    assert np.abs(t.inspector["m"] - expected).max() <= 1e-12 * scale
    assert np.abs(t.updates + lr * expected).max() <= 1e-12 * lr * scale  # movement = −η m


def lag_weight(lag: int) -> float:
    """The weight the recorded step puts on the gradient `lag` steps back, measured: take the
    gradient out of the unrolled sum with every other weight μᵏ and solve for its coefficient."""
    t, mu, _ = momentum_run()
    g = t.grads[:-1]
    step = lag + 5
    others = sum(mu**k * g[step - k] for k in range(step + 1) if k != lag)
    coeffs = (t.inspector["m"][step] - others) / g[step - lag]
    assert coeffs[0] == pytest.approx(coeffs[1], rel=1e-9)
    return float(coeffs[0])


def check_momentum_lag() -> None:  # "10": the lag whose weight is about 0.35
    weights = [lag_weight(k) for k in range(1, 30)]
    assert int(np.argmin([abs(w - 0.35) for w in weights])) + 1 == 10


def check_momentum_weight() -> None:  # "0.35"
    assert round(lag_weight(10), 2) == 0.35


def test_momentum_weighted_sum() -> None:
    t, mu, lr = momentum_run()
    # The notes' form: movement = μ·(last movement) − η g, at every step.
    np.testing.assert_allclose(t.updates[1:], mu * t.updates[:-1] - lr * t.grads[1:-1],
                               rtol=1e-12, atol=1e-15)


# --- nesterov_lookahead -------------------------------------------------------------------------
def steps_below(t: Trajectory, level: float) -> int:
    below = np.nonzero(t.values < level)[0]
    assert below.size, f"{t.optimizer} never went below {level}"
    return int(below[0])


def check_nesterov_level() -> None:  # "1e-6": both get there, Nesterov first, at every
    # nudged start and rate (the margin varies: 0.43 to 0.86 of heavy-ball's steps)
    for heavy, nesterov in zip(nudged("nesterov_lookahead", 0), nudged("nesterov_lookahead", 1),
                               strict=True):
        assert steps_below(nesterov, 1e-6) < steps_below(heavy, 1e-6)


def check_nesterov_direction() -> None:  # "1e-12": d = g + μ b, b the unrolled sum
    _, nesterov = runs("nesterov_lookahead")
    mu = LESSONS_BY_ID["nesterov_lookahead"].scene["runs"][1]["params"]["momentum"]
    g = nesterov.grads[:-1]
    expected = g + mu * unrolled_momentum(g, mu)
    assert np.abs(nesterov.inspector["m"] - expected).max() <= 1e-12 * np.abs(expected).max()


def test_nesterov_lookahead() -> None:
    for heavy, nesterov in zip(nudged("nesterov_lookahead", 0), nudged("nesterov_lookahead", 1),
                               strict=True):
        ups = (np.diff(heavy.values) > 0).sum(), (np.diff(nesterov.values) > 0).sum()
        assert ups[1] < ups[0]
    heavy, _ = runs("nesterov_lookahead")
    assert heavy.optimizer == "momentum" and heavy.params.get("nesterov") is not True


# --- rmsprop_alpha ------------------------------------------------------------------------------
def step_ratios(t: Trajectory) -> np.ndarray:
    """|step| / η per step and coordinate."""
    return np.abs(t.updates) / t.lrs[:, None]


def alphas() -> tuple[float, float]:
    r = LESSONS_BY_ID["rmsprop_alpha"].scene["runs"]
    return r[0]["params"]["alpha"], r[1]["params"]["alpha"]


def check_rmsprop_bound() -> None:  # "1.06": σ² ≥ (1 − α) g², so |g|/σ ≤ 1/√(1 − α)
    _, present = alphas()
    assert 1 / np.sqrt(1 - present) <= 1.06
    for t in nudged("rmsprop_alpha", 1):
        assert step_ratios(t).max() <= 1.06


def check_rmsprop_first_step() -> None:  # "10": the first step is η/√(1 − α)
    history, _ = alphas()
    assert 1 / np.sqrt(1 - history) == pytest.approx(10.0)
    for t in nudged("rmsprop_alpha", 0):
        np.testing.assert_allclose(step_ratios(t)[0], [10.0, 10.0], rtol=1e-6)


def check_rmsprop_share() -> None:  # "1%": σ² after one step holds (1 − α) g²
    history, _ = alphas()
    assert 1 - history == pytest.approx(0.01)
    t = runs("rmsprop_alpha")[0]
    g0 = t.grads[0]
    np.testing.assert_allclose(t.inspector["sigma"][0], np.sqrt(0.01 * g0 * g0) + 1e-8,
                               rtol=1e-12)


def test_rmsprop_alpha() -> None:
    for t in nudged("rmsprop_alpha", 1):  # α = 0.1: the typical step is almost exactly η
        assert (np.median(step_ratios(t), axis=0) > 0.85).all()
    for t in nudged("rmsprop_alpha", 0):  # α = 0.99: the median step is under half of η
        assert (np.median(step_ratios(t), axis=0) < 0.5).all()


# --- taylor_saddle_escape -----------------------------------------------------------------------
def saddle_hessian() -> np.ndarray:
    return surface_of("taylor_saddle_escape").hessian(np.zeros((1, 2)))[0]


def check_taylor_eigenvalue() -> None:  # "−2": f = x² − y² + y⁴/4 has H(0) = diag(2, −2)
    np.testing.assert_allclose(np.linalg.eigvalsh(saddle_hessian()), [-2.0, 2.0], atol=1e-12)


def check_taylor_actual() -> None:  # "−0.234": the loss after the escape step
    sfn, _ = runs("taylor_saddle_escape")
    np.testing.assert_allclose(sfn.points[1], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(sfn.points[2]), [0.0, 0.5], atol=1e-12)
    assert sfn.values[2] == pytest.approx(-0.25 + 0.25 * 0.5**4, rel=1e-12)  # closed form
    assert round(float(sfn.values[2]), 3) == -0.234


def check_taylor_model() -> None:  # "−0.25": ½ uᵀHu for the step u the run took
    sfn, _ = runs("taylor_saddle_escape")
    u = sfn.points[2] - sfn.points[1]
    grad = surface_of("taylor_saddle_escape").grad(sfn.points[1:2])[0]
    model = sfn.values[1] + grad @ u + 0.5 * u @ saddle_hessian() @ u
    assert model == pytest.approx(-0.25, rel=1e-12)


def test_taylor_saddle_escape() -> None:
    sfn, gd = runs("taylor_saddle_escape")
    assert sfn.values[1] == pytest.approx(0.0, abs=1e-12)
    lam, vec = np.linalg.eigh(saddle_hessian())
    u = sfn.points[2] - sfn.points[1]
    assert abs(u @ vec[:, 0]) == pytest.approx(0.5, rel=1e-12)  # along the blue eigenvector
    assert lam[0] < 0
    assert gd.status == "converged"
    np.testing.assert_allclose(gd.points[-1], [0.0, 0.0], atol=1e-6)
    for t in nudged("taylor_saddle_escape", 1):  # any start on y = 0 stops at the saddle
        if t.points[0, 1] == 0.0:
            np.testing.assert_allclose(t.points[-1], [0.0, 0.0], atol=1e-6)


# --- dead_relu ----------------------------------------------------------------------------------
def check_leaky_slope() -> None:  # "0.01": the slope of leaky ReLU for z < 0, by differences
    leaky = core.surface("leaky_relu(x) + 0*y")
    z = np.array([[-2.0, 0.0], [-0.3, 0.0]])
    assert leaky.grad(z)[:, 0] == pytest.approx([0.01, 0.01], rel=1e-12)
    h = np.array([1e-6, 0.0])
    fd = (leaky.value(z + h) - leaky.value(z - h)) / (2 * h[0])
    assert fd == pytest.approx([0.01, 0.01], rel=1e-6)


def check_leaky_grows() -> None:  # "1": w ends above 1, for every nudged start and rate
    for t in nudged("dead_relu", 0, variant=True):
        assert t.points[-1, 0] > 1.0 and t.values[-1] < t.values[0]


def test_dead_relu() -> None:
    lesson = LESSONS_BY_ID["dead_relu"]
    surf = surface_of("dead_relu")
    u = surf.data["u"]
    assert len(u) == lesson.scene["surface"]["options"]["samples"] == 64
    for t in nudged("dead_relu", 0):
        w, b = t.points[0]
        assert (w * u + b < 0).all()  # z < 0 on every point, so ReLU's slope is 0 everywhere
        assert (t.grads[0] == 0.0).all() and t.stop_step == 0
        assert (t.points == t.points[0]).all()
    assert lesson.variant["scene"]["runs"] == lesson.scene["runs"]
    assert lesson.variant["scene"]["surface"]["options"] == {
        **lesson.scene["surface"]["options"], "activation": "leaky_relu"}


# --- tanh_saturates ------------------------------------------------------------------------------
def slopes(name: str, z: np.ndarray) -> np.ndarray:
    """d act/dz from core, checked against centred differences of core's own values."""
    surf = core.surface(f"{name}(x) + 0*y")
    P = np.stack([z, np.zeros_like(z)], axis=1)
    h = np.array([1e-6, 0.0])
    fd = (surf.value(P + h) - surf.value(P - h)) / 2e-6
    np.testing.assert_allclose(surf.grad(P)[:, 0], fd, rtol=1e-6, atol=1e-9)
    return surf.grad(P)[:, 0]


def check_tanh_max_slope() -> None:  # "1": 1 − tanh²(z) is largest, 1, at z = 0
    z = np.linspace(-6.0, 6.0, 1201)
    s = slopes("tanh", z)
    assert s.max() == pytest.approx(1.0, rel=1e-12) and z[np.argmax(s)] == pytest.approx(0.0)
    np.testing.assert_allclose(s, 1 - np.tanh(z) ** 2, rtol=1e-12, atol=1e-15)


def check_tanh_stalls() -> None:  # "1%"
    for t in nudged("tanh_saturates", 0):
        assert t.values[-1] > 0.99 * t.values[0]


def check_tanh_unsaturated_learns() -> None:  # "15%"
    for t in nudged("tanh_saturates", 0, variant=True):
        assert t.values[-1] < 0.85 * t.values[0]


def test_tanh_saturates() -> None:
    # Faster than the sigmoid's: about 4e^(−2|z|) against e^(−|z|), so the ratio keeps
    # falling, and from |z| = 2 on tanh's slope is the smaller one.
    z = np.linspace(0.0, 10.0, 201)
    ratio = slopes("tanh", z) / slopes("sigmoid", z)
    assert (np.diff(ratio) < 0).all() and (ratio[z >= 2.0] < 1).all()
    lesson = LESSONS_BY_ID["tanh_saturates"]
    u = surface_of("tanh_saturates").data["u"]
    for t in nudged("tanh_saturates", 0):  # z large on almost every point: slope below 0.1
        w, b = t.points[0]
        assert (1 - np.tanh(w * u + b) ** 2 < 0.1).mean() > 0.9
    w, b = lesson.variant["scene"]["runs"][0]["start"]  # from b = 0.5: z near 0 for most
    assert np.median(np.abs(w * u + b)) < 1.0
    assert lesson.variant["scene"]["surface"] == lesson.scene["surface"]


# --- mse_vs_cross_entropy -----------------------------------------------------------------------
def neuron_data() -> tuple[np.ndarray, np.ndarray]:
    mse, ce = surface_of("mse_vs_cross_entropy"), surface_of("mse_vs_cross_entropy", True)
    np.testing.assert_array_equal(mse.data["u"], ce.data["u"])  # the same 64 points
    np.testing.assert_array_equal(mse.data["c"], ce.data["c"])
    return mse.data["u"], mse.data["c"]


def closed_form_gradients(w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """MSE: mean 2(σ − c)σ(1 − σ)·(u, 1); cross-entropy: mean (σ − c)·(u, 1)."""
    u, c = neuron_data()
    s = 1 / (1 + np.exp(-(w * u + b)))
    mse = np.array([np.mean(2 * (s - c) * s * (1 - s) * u), np.mean(2 * (s - c) * s * (1 - s))])
    ce = np.array([np.mean((s - c) * u), np.mean(s - c)])
    return mse, ce


def check_ce_ratio() -> None:  # "30"
    mse_t, ce_t = runs("mse_vs_cross_entropy")[0], runs("mse_vs_cross_entropy", True)[0]
    mse, ce = closed_form_gradients(*mse_t.points[0])
    np.testing.assert_allclose(mse_t.grads[0], mse, rtol=1e-10)
    np.testing.assert_allclose(ce_t.grads[0], ce, rtol=1e-10)
    for a, b in zip(nudged("mse_vs_cross_entropy", 0), nudged("mse_vs_cross_entropy", 0, True),
                    strict=True):
        assert np.linalg.norm(b.grads[0]) > 30 * np.linalg.norm(a.grads[0])


def check_mse_stalls() -> None:  # "10%"
    for t in nudged("mse_vs_cross_entropy", 0):
        assert t.values[-1] > 0.90 * t.values[0]


def check_ce_learns() -> None:  # "75%"
    for t in nudged("mse_vs_cross_entropy", 0, variant=True):
        assert t.values[-1] < 0.25 * t.values[0]


def test_mse_vs_cross_entropy() -> None:
    lesson = LESSONS_BY_ID["mse_vs_cross_entropy"]
    assert lesson.variant["scene"]["runs"] == lesson.scene["runs"]
    assert lesson.scene["surface"]["options"]["activation"] == "sigmoid"
    neuron_data()


# --- many_local_minima --------------------------------------------------------------------------
def stop_together_in_a_local_minimum(variant: bool, above: float) -> None:
    surf = surface_of("many_local_minima", variant)
    per_run = [nudged("many_local_minima", i, variant) for i in range(3)]
    for together in zip(*per_run, strict=True):
        ends = np.array([t.points[-1] for t in together])
        assert np.ptp(ends, axis=0).max() < 0.05  # the same minimum
        assert all(t.status != "diverged" and t.values[-1] > above for t in together)
        end = ends[0]
        assert np.linalg.norm(surf.grad(end[None])[0]) < 1e-2
        assert (np.linalg.eigvalsh(surf.hessian(end[None])[0]) > 0).all()
        assert np.abs(end - np.round(end)).max() < 0.05  # the dimple at an integer point
        start = together[0].points[0]
        assert (np.round(end) == np.round(start)).all()  # ... the one they started in


def check_rastrigin_stuck() -> None:  # "12"
    stop_together_in_a_local_minimum(False, 12.0)


def check_ackley_stuck() -> None:  # "9"
    stop_together_in_a_local_minimum(True, 9.0)


def test_many_local_minima_global_minimum_is_zero_at_the_origin() -> None:
    for variant in (False, True):
        surf = surface_of("many_local_minima", variant)
        assert abs(float(surf.value(np.zeros((1, 2)))[0])) < 1e-12
        grid = np.stack(np.meshgrid(np.linspace(-5, 5, 201), np.linspace(-5, 5, 201)), -1)
        assert surf.value(grid.reshape(-1, 2)).min() >= -1e-12


# --- typed_formula ------------------------------------------------------------------------------
def typed_minima() -> list[Any]:
    found = core.critical_points(surface_of("typed_formula"))
    assert Counter(c.kind for c in found) == {"minimum": 2, "saddle": 1}
    return sorted((c for c in found if c.kind == "minimum"), key=lambda c: c.point[0])


def check_typed_plus_one() -> None:  # "1": ∇f = (4x³ − 4y, 4y³ − 4x) = 0 gives y = x³, x⁹ = x
    np.testing.assert_allclose(typed_minima()[1].point, [1.0, 1.0], atol=1e-8)


def check_typed_minus_one() -> None:  # "−1"
    np.testing.assert_allclose(typed_minima()[0].point, [-1.0, -1.0], atol=1e-8)


def check_typed_value() -> None:  # "−2" = 1 + 1 − 4
    for c in typed_minima():
        assert c.value == pytest.approx(1 + 1 - 4, abs=1e-12)


def test_typed_formula() -> None:
    found = core.critical_points(surface_of("typed_formula"))
    (saddle,) = [c for c in found if c.kind == "saddle"]
    np.testing.assert_allclose(saddle.point, [0.0, 0.0], atol=1e-8)
    for t in nudged("typed_formula", 0):
        np.testing.assert_allclose(t.points[-1], [1.0, 1.0], atol=1e-4)
    for t in nudged("typed_formula", 1):
        np.testing.assert_allclose(t.points[-1], [-1.0, -1.0], atol=1e-4)
    at_saddle = runs("typed_formula")[2]
    assert (at_saddle.grads[0] == 0.0).all() and at_saddle.stop_step == 0


FACT_CHECKS: dict[str, dict[str, Callable[[], None]]] = {
    "input_scaling": {"1.5": check_scaling_prediction, "1000": check_scaling_ratio},
    "momentum_weighted_sum": {"10": check_momentum_lag, "1e-12": check_momentum_sum,
                              "0.35": check_momentum_weight},
    "nesterov_lookahead": {"1e-6": check_nesterov_level,
                           "1e-12": check_nesterov_direction},
    "rmsprop_alpha": {"1.06": check_rmsprop_bound, "10": check_rmsprop_first_step,
                      "1%": check_rmsprop_share},
    "taylor_saddle_escape": {"−2": check_taylor_eigenvalue, "−0.234": check_taylor_actual,
                             "−0.25": check_taylor_model},
    "dead_relu": {"0.01": check_leaky_slope, "1": check_leaky_grows},
    "tanh_saturates": {"1": check_tanh_max_slope, "1%": check_tanh_stalls,
                       "15%": check_tanh_unsaturated_learns},
    "mse_vs_cross_entropy": {"30": check_ce_ratio, "10%": check_mse_stalls,
                             "75%": check_ce_learns},
    "many_local_minima": {"12": check_rastrigin_stuck, "9": check_ackley_stuck},
    "typed_formula": {"1": check_typed_plus_one, "−1": check_typed_minus_one,
                      "−2": check_typed_value},
}


@pytest.mark.parametrize(("lesson_id", "fact"),
                         [(k, f) for k, checks in FACT_CHECKS.items() for f in checks])
def test_fact(lesson_id: str, fact: str) -> None:
    """Each fact's check (the authoring test on branch i12fix runs them too)."""
    assert fact in LESSONS_BY_ID[lesson_id].facts
    FACT_CHECKS[lesson_id][fact]()


def test_every_more_lesson_has_its_checks() -> None:
    for lesson in MORE_LESSONS:
        assert set(lesson.facts) == set(FACT_CHECKS.get(lesson.id, {})), lesson.id


def test_many_local_minima_a_local_minimum_near_every_integer_point() -> None:
    """The explanation's "a local minimum near every integer point": gradient descent with a
    small step from each integer point of the window (origin excepted) stops within 0.1 of
    it, at a point with zero gradient and a positive definite Hessian."""
    for variant in (False, True):
        surf = surface_of("many_local_minima", variant)
        xmin, xmax, ymin, ymax = surf.bounds
        grid = [(float(i), float(j)) for i in range(int(np.ceil(xmin)), int(xmax) + 1)
                for j in range(int(np.ceil(ymin)), int(ymax) + 1) if (i, j) != (0, 0)]
        ends = np.array(grid)
        for _ in range(3000):  # plain gradient descent on all of them at once, η = 0.001
            ends = ends - 0.001 * surf.grad(ends)
        assert np.abs(ends - np.array(grid)).max() < 0.1
        assert np.linalg.norm(surf.grad(ends), axis=1).max() < 1e-3
        assert (np.linalg.eigvalsh(surf.hessian(ends)) > 0).all()
