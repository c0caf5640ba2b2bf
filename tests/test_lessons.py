"""Every lesson's claim, asserted by running its scene through core.

Each lesson's sentences are checked here in code: the numbers its texts state through
FACT_CHECKS (lesson id -> fact -> check; tests/test_lesson_authoring.py runs each one and
fails on a number in a text that is neither a scene value nor a listed fact), the rest by
one test per lesson. A check measures near the place the claim is about and compares like
with like; anything random holds for seeds 0-19 (the scene with its seed replaced), and a
claim holds for small changes of what the lesson does not single out (starts moved by 0.1,
learning rates within 10%). Expected values come from math (eigenvalues, closed forms,
formulas written out in the test), never from the code under test.
"""

from __future__ import annotations

import copy
import functools
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.runs import Trajectory, basins
from gradscape.lessons import LESSONS, LESSONS_BY_ID, is_network, run_scene, scene_surface

CONCEPT_SECTIONS = {str(n) for n in range(1, 10)}  # CONCEPTS.md sections 1-9 (9: real networks)
SEEDS = range(20)
NUDGES = [(0.0, 0.0), (0.1, 0.0), (-0.1, 0.0), (0.0, 0.1), (0.0, -0.1)]
LR_FACTORS = (0.9, 1.0, 1.1)


# --- scenes, run once and cached ----------------------------------------------------------------
def scene_of(lesson_id: str, variant: bool = False) -> dict[str, Any]:
    lesson = LESSONS_BY_ID[lesson_id]
    return copy.deepcopy(lesson.variant["scene"] if variant else lesson.scene)


@functools.cache
def runs(lesson_id: str, seed: int | None = None, variant: bool = False) -> list[Trajectory]:
    """The lesson's scene (or its variant) as core races it, with its seed replaced if given."""
    scene = scene_of(lesson_id, variant)
    if seed is not None:
        scene["seed"] = seed
    return run_scene(scene)


@functools.cache
def nudged(lesson_id: str, index: int, variant: bool = False,
           lr_factors: tuple[float, ...] = LR_FACTORS) -> list[Trajectory]:
    """Run `index` of the scene from every start moved by 0.1 and every learning rate within
    10%, all in one race (the runs of a race are independent): 15 trajectories."""
    scene = scene_of(lesson_id, variant)
    base = scene["runs"][index]
    many = []
    for factor in lr_factors:
        for dx, dy in NUDGES:
            r = copy.deepcopy(base)
            r["start"] = [r["start"][0] + dx, r["start"][1] + dy]
            if "lr" in r["params"]:
                r["params"]["lr"] *= factor
            many.append(r)
    return run_scene({**scene, "runs": many})


def surface_of(lesson_id: str, variant: bool = False) -> core.Surface:
    return scene_surface(scene_of(lesson_id, variant)["surface"])


def hessian_eigenvalues(surf: core.Surface, point: tuple[float, float]) -> np.ndarray:
    return np.linalg.eigvalsh(surf.hessian(np.array([point], dtype=float))[0])


# --- random_vs_gradient ---------------------------------------------------------------------------
def check_gd_reaches_minimum() -> None:
    gd_runs = [runs("random_vs_gradient")[2], *nudged("random_vs_gradient", 2)]
    assert all(t.values[-1] < 1e-6 for t in gd_runs)  # booth's minimum is 0


def check_searches_stay_above() -> None:
    for seed in SEEDS:
        random_search, local_search, gd = runs("random_vs_gradient", seed)
        assert random_search.values[-1] > 1e-4 and local_search.values[-1] > 1e-4, seed
        assert gd.values[-1] < min(random_search.values[-1], local_search.values[-1])


def check_random_search_furthest() -> None:
    for seed in SEEDS:
        random_search, local_search, _ = runs("random_vs_gradient", seed)
        assert random_search.values[-1] > local_search.values[-1], seed


# --- gradient_check -------------------------------------------------------------------------------
def check_gradient_error_below_1e9() -> None:
    surf = surface_of("gradient_check")
    for t in [runs("gradient_check")[0], *nudged("gradient_check", 0)]:
        assert (core.check_gradient(surf.value, surf.grad, t.points).relative_error < 1e-9).all()


def check_wrong_sin_rule_above_1e2() -> None:
    lesson = LESSONS_BY_ID["gradient_check"]
    # d/du sin(u) written as sin(u), injected into this one surface's backward pass
    buggy = core.surface(lesson.scene["surface"]["formula"]).with_rules(
        {"sin": lambda g, out, a: (g * out,)})
    check = core.check_gradient(buggy.value, buggy.grad, np.array([lesson.extras["point"]]))
    assert check.relative_error[0] > 1e-2


# --- backprop_gates -------------------------------------------------------------------------------
def gates_view() -> core.graph.GraphView:
    lesson = LESSONS_BY_ID["backprop_gates"]
    return core.graph_view(surface_of("backprop_gates"), tuple(lesson.extras["point"]))


def check_max_routes_one_to_x() -> None:
    view = gates_view()
    by_label = {n.label: n for n in view.nodes if n.op == "var"}
    maximum = next(n for n in view.nodes if n.op == "max")
    assert maximum.grad == 1.0 and maximum.inputs == (by_label["x"].id, by_label["y"].id)
    assert maximum.value == 3.0  # x = 3 is the larger input: it gets the 1, y gets 0
    # y's gradient is x = 3 from the multiply alone, so max sent y nothing.
    assert by_label["y"].grad == pytest.approx(3.0)


def check_x_collects_four() -> None:
    by_label = {n.label: n for n in gates_view().nodes if n.op == "var"}
    assert by_label["x"].grad == pytest.approx(4.0)
    f = surface_of("backprop_gates").value  # and by a centred difference
    h = 1e-6
    fd = (f(np.array([[3.0 + h, 2.0]])) - f(np.array([[3.0 - h, 2.0]]))) / (2 * h)
    assert fd[0] == pytest.approx(4.0, rel=1e-6)


# --- learning_rate --------------------------------------------------------------------------------
def lr_eigenvalues() -> np.ndarray:
    return runs("learning_rate")[0].eigenvalues[0]


def lr_race(rates: np.ndarray, steps: int = 200) -> list[Trajectory]:
    scene = scene_of("learning_rate")
    start = scene["runs"][0]["start"]
    return run_scene({**scene, "steps": steps,
                      "runs": [{"optimizer": "sgd", "start": start, "params": {"lr": float(r)}}
                               for r in rates]})


def check_curves_20_times_more() -> None:
    assert lr_eigenvalues() == pytest.approx([1.0, 20.0])


def check_eigenvalue_1_and_slow_loss_above_1() -> None:
    assert lr_eigenvalues()[0] == pytest.approx(1.0)
    slow = [runs("learning_rate")[0], *nudged("learning_rate", 0)]
    assert all(t.values[-1] > 1.0 and len(t.points) == 201 for t in slow)


def check_sign_flips_exactly_between_bounds() -> None:
    """η < 1/λmax: y keeps its sign; 1/λmax < η < 2/λmax = 0.1: it flips every step and the
    run converges; η > 0.1: it diverges."""
    lam_max = lr_eigenvalues()[1]
    assert 2 / lam_max == pytest.approx(0.1)
    inside = np.linspace(1 / lam_max, 2 / lam_max, 17)[1:-1]  # 15 rates strictly inside
    for t in lr_race(inside, steps=400):
        y = t.points[:40, 1]
        assert (np.sign(y[1:]) == -np.sign(y[:-1])).all() and t.status != "diverged"
        assert t.values[-1] < 1e-6
    for t in lr_race(np.linspace(0.001, 1 / lam_max, 16)[:-1]):
        assert (np.sign(t.points[:40, 1]) == 1).all()
    for t in lr_race(np.linspace(2 / lam_max, 0.15, 8)[1:]):
        assert t.status == "diverged"


def check_011_is_10_percent_over() -> None:
    lam_max = lr_eigenvalues()[1]
    assert 0.11 / (2 / lam_max) == pytest.approx(1.10)
    assert runs("learning_rate")[3].status == "diverged"


# --- feature_scaling ------------------------------------------------------------------------------
def raw_minimum() -> float:
    surf = surface_of("feature_scaling")
    w, b = np.polyfit(surf.data["u"], surf.data["t"], 1)  # least squares, independently
    return float(surf.value(np.array([[w, b]]))[0])


def steps_within_1pct(t: Trajectory) -> int:
    within = np.nonzero(t.values <= 1.01 * raw_minimum())[0]
    return int(within[0]) if len(within) else 10**9


def check_raw_feature_in_0_10() -> None:
    u = surface_of("feature_scaling").data["u"]
    assert u.min() >= 0 and u.max() <= 10 and u.max() - u.min() > 9


def check_raw_eigenvalues_68_and_half() -> None:
    lam = hessian_eigenvalues(surface_of("feature_scaling"), (0.0, 0.0))
    assert round(lam[1]) == 68 and lam[0] == pytest.approx(0.5, abs=0.02)
    lr = scene_of("feature_scaling")["runs"][0]["params"]["lr"]
    assert lr == pytest.approx(1 / lam[1], rel=2e-3)  # η = 1/λmax, as the text says


def check_standardized_eigenvalues_2() -> None:
    lam = hessian_eigenvalues(surface_of("feature_scaling", variant=True), (0.0, 0.0))
    assert lam == pytest.approx([2.0, 2.0])
    assert scene_of("feature_scaling", True)["runs"][0]["params"]["lr"] == 1 / lam[1]


def check_raw_387_steps() -> None:
    assert steps_within_1pct(runs("feature_scaling")[0]) == 387


def check_within_1pct_and_same_model() -> None:
    (raw,), (scaled,) = runs("feature_scaling"), runs("feature_scaling", variant=True)
    assert scaled.values[0] == pytest.approx(raw.values[0], rel=1e-4)  # the same line
    assert scaled.values[1] <= 1.01 * raw_minimum()  # within 1% after one step: exactly on it
    assert scaled.values[1] == pytest.approx(raw_minimum(), rel=1e-9)


def check_more_than_300_steps() -> None:
    assert all(steps_within_1pct(t) > 300 for t in nudged("feature_scaling", 0))


def check_lr_within_10pct() -> None:
    ts = nudged("feature_scaling", 0)
    assert [t.params["lr"] for t in ts[::5]] == pytest.approx([0.9 * 0.0148, 0.0148,
                                                               1.1 * 0.0148])
    assert min(steps_within_1pct(t) for t in ts) > 300


# --- mini_batch_noise -----------------------------------------------------------------------------
@functools.cache
def batch_ratios() -> np.ndarray:
    """(seed, [batch 1, batch 16]) mean loss of the last 50 steps over the full batch's end."""
    out = []
    for seed in SEEDS:
        single, sixteen, full = runs("mini_batch_noise", seed)
        assert full.status == "converged"
        out.append([np.mean(single.values[-50:]), np.mean(sixteen.values[-50:])]
                   / full.values[-1])
    return np.array(out)


def check_64_samples() -> None:
    assert surface_of("mini_batch_noise").samples == 64


def check_last_50_steps() -> None:
    for seed in SEEDS:
        single = runs("mini_batch_noise", seed)[0]
        assert len(single.values) == 301  # all 300 steps taken: the last 50 are steps 251-300
    assert batch_ratios().shape == (20, 2)


def check_batch1_above_5pct() -> None:
    assert (batch_ratios()[:, 0] > 1.05).all()


def check_batch16_within_1pct() -> None:
    assert (batch_ratios()[:, 1] < 1.01).all()


def check_every_seed_0_19() -> None:
    assert len({tuple(runs("mini_batch_noise", s)[0].points[5]) for s in SEEDS}) == 20
    # The seed fixes the batches: a replay is the same path.
    replay = run_scene(scene_of("mini_batch_noise"))
    for again, first in zip(replay, runs("mini_batch_noise"), strict=True):
        np.testing.assert_array_equal(again.points, first.points)
    assert (batch_ratios()[:, 0] > batch_ratios()[:, 1]).all()


# --- momentum_escapes -----------------------------------------------------------------------------
def check_gd_shallow_minimum() -> None:
    for t in [runs("momentum_escapes")[0], *nudged("momentum_escapes", 0)]:
        np.testing.assert_allclose(t.points[-1], [-1.2, 1.3], atol=0.05)


def check_momentum_global_minimum() -> None:
    surf = surface_of("momentum_escapes")
    for t in [runs("momentum_escapes")[1], *nudged("momentum_escapes", 1)]:
        np.testing.assert_allclose(t.points[-1], [2.5, -1.0], atol=0.05)
    # The global minimum: lower than every point of a fine grid over the bounds.
    xmin, xmax, ymin, ymax = surf.bounds
    grid = np.stack(np.meshgrid(np.linspace(xmin, xmax, 300), np.linspace(ymin, ymax, 300)),
                    axis=-1).reshape(-1, 2)
    assert runs("momentum_escapes")[1].values[-1] <= surf.value(grid).min() + 1e-9


# --- adagrad_vs_rmsprop ---------------------------------------------------------------------------
def check_adagrad_above_3() -> None:
    assert all(t.values[-1] > 3 for t in nudged("adagrad_vs_rmsprop", 0))


def check_rmsprop_below_02() -> None:
    assert all(t.values[-1] < 0.2 for t in nudged("adagrad_vs_rmsprop", 1))


# --- adam_is_rmsprop_plus_momentum ----------------------------------------------------------------
def check_adam_formulas() -> None:
    """m and σ against the notes' formulas with β₁ = 0.9, β₂ = 0.999, written out here."""
    adam = runs("adam_is_rmsprop_plus_momentum")[0]
    m, v = np.zeros(2), np.zeros(2)
    for t, g in enumerate(adam.grads[:-1], start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        np.testing.assert_allclose(adam.inspector["m"][t - 1], m / (1 - 0.9**t), rtol=1e-12)
        np.testing.assert_allclose(adam.inspector["sigma"][t - 1],
                                   np.sqrt(v / (1 - 0.999**t)) + 1e-8, rtol=1e-12)


def check_momentum_buffer_is_a_sum() -> None:
    momentum = runs("adam_is_rmsprop_plus_momentum")[2]
    b = np.zeros(2)
    for t, g in enumerate(momentum.grads[:-1]):
        b = 0.9 * b + g
        np.testing.assert_allclose(momentum.inspector["m"][t], b, rtol=1e-12)


@functools.cache
def steady_slope() -> tuple[Trajectory, Trajectory]:
    """Momentum and Adam on a plane: the same gradient (1, 2) at every step."""
    surf = core.surface("x + 2*y", (-1e4, 1e4, -1e4, 1e4))
    race = core.runs.Race(surf, [core.runs.RunSpec("momentum", (0.0, 0.0), {"lr": 1e-3}),
                                 core.runs.RunSpec("adam", (0.0, 0.0), {"lr": 1e-3})],
                          steps=200)
    momentum, adam = race.run()
    return momentum, adam


def check_buffer_grows_to_10() -> None:
    momentum, _ = steady_slope()
    np.testing.assert_allclose(momentum.inspector["m"][-1], 10 * np.array([1.0, 2.0]),
                               rtol=1e-8)  # 10·(1 − 0.9²⁰⁰)
    assert OPTIMIZERS["momentum"].params["momentum"].default == 0.9


def check_adam_weights_sum_to_1() -> None:
    _, adam = steady_slope()
    np.testing.assert_allclose(adam.inspector["m"], np.tile([1.0, 2.0], (200, 1)), rtol=1e-12)


# --- decay_and_warmup -----------------------------------------------------------------------------
def check_warmup_starts_at_5pct() -> None:
    warm = runs("decay_and_warmup")[3]
    assert warm.lrs[0] == pytest.approx(0.05 * 2.0)
    assert (np.diff(warm.lrs[:50]) > 0).all() and warm.lrs[50] == pytest.approx(2.0, rel=1e-3)


@functools.cache
def decay_ratios() -> np.ndarray:
    out = []
    for seed in SEEDS:
        constant, decayed, *_ = runs("decay_and_warmup", seed)
        out.append(np.mean(constant.values[-100:]) / np.mean(decayed.values[-100:]))
    return np.array(out)


def check_last_100_steps() -> None:
    constant, decayed, *_ = runs("decay_and_warmup")
    assert len(constant.values) == len(decayed.values) == 601
    assert decay_ratios()[0] > 10


def check_decay_every_seed() -> None:
    assert (decay_ratios() > 10).all()


def check_no_warmup_other_minimum() -> None:
    for t in [runs("decay_and_warmup")[2], *nudged("decay_and_warmup", 2)]:
        np.testing.assert_allclose(t.points[-1], [3.58, -1.85], atol=0.01)


def check_warmup_stays_at_3_2() -> None:
    for t in [runs("decay_and_warmup")[3], *nudged("decay_and_warmup", 3)]:
        np.testing.assert_allclose(t.points[-1], [3.0, 2.0], atol=1e-6)


# --- saddle_point ---------------------------------------------------------------------------------
SADDLE_LAMBDA = -2.0  # f = x² − y² + y⁴/4: H(0, 0) = diag(2, −2)


def check_growth_factor() -> None:
    near = runs("saddle_point")[1]
    lr = scene_of("saddle_point")["runs"][1]["params"]["lr"]
    y = near.points[:, 1]
    close = np.nonzero(np.abs(y[1:]) < 0.01)[0]
    np.testing.assert_allclose(y[close + 1] / y[close], 1 - lr * SADDLE_LAMBDA, rtol=1e-3)
    assert 1 - lr * SADDLE_LAMBDA == pytest.approx(1.1)


def check_90_steps() -> None:
    def leaves(t: Trajectory) -> int:
        return int(np.argmax(np.abs(t.points[:, 1]) > 0.5))

    assert leaves(runs("saddle_point")[1]) == 90
    # x moved by 0.1 (y = 0.0001 is what the lesson is about)
    assert all(85 <= leaves(t) <= 95 for t in nudged("saddle_point", 1, lr_factors=(1.0,))[:3])


def check_escape_step() -> None:
    sf = runs("saddle_point")[3]
    assert bool(sf.inspector["escaped"][1, 0]) and not sf.inspector["escaped"][0, 0]
    step = sf.updates[1]
    assert np.hypot(*step) == pytest.approx(0.5)
    # Along the eigenvector of the negative eigenvalue of the Hessian where it stood.
    surf = surface_of("saddle_point")
    lam, vec = np.linalg.eigh(surf.hessian(sf.points[1:2])[0])
    assert lam[0] < 0 and abs(vec[:, 0] @ step) == pytest.approx(0.5)


def check_newton_2_steps() -> None:
    newton = runs("saddle_point")[2]
    assert newton.stop_step == 2
    np.testing.assert_allclose(newton.points[2], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(newton.points[-1], [0.0, 0.0], atol=1e-12)


def check_sfn_first_point() -> None:
    sf = runs("saddle_point")[3]
    np.testing.assert_allclose(sf.points[1], [0.0, 0.0002], atol=1e-12)


def check_escape_threshold() -> None:
    sf = runs("saddle_point")[3]
    assert np.hypot(*sf.grads[1]) < 0.001 < np.hypot(*sf.grads[2])
    assert OPTIMIZERS["saddle_free_newton"].params["escape_gradient"].default == 0.001


def check_sfn_within_10() -> None:
    for t in [runs("saddle_point")[3], *nudged("saddle_point", 3, lr_factors=(1.0,))[:3]]:
        assert t.status == "converged" and t.stop_step <= 10
        np.testing.assert_allclose(t.points[-1], [0.0, np.sqrt(2)], atol=1e-9)


# --- classify_critical_points ---------------------------------------------------------------------
@functools.cache
def himmelblau_critical() -> list[Any]:
    return core.critical_points(surface_of("classify_critical_points"))


def check_local_maximum_at() -> None:
    maximum = next(c for c in himmelblau_critical() if c.kind == "maximum")
    np.testing.assert_allclose(maximum.point, [-0.27, -0.92], atol=0.005)


def check_smallest_eigenvalue_14() -> None:
    sizes = [np.abs(c.eigenvalues).min() for c in himmelblau_critical()]
    assert 14 <= min(sizes) < 15


# --- saturation -----------------------------------------------------------------------------------
def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-z)))


def neuron_inputs(w: float, b: float) -> np.ndarray:
    return np.asarray(w * surface_of("saturation").data["u"] + b)


def check_saturated_output_near_1() -> None:
    w, b = scene_of("saturation")["runs"][0]["start"]
    out = sigmoid(neuron_inputs(w, b))
    assert np.median(out) > 0.99 and np.median(out * (1 - out)) < 0.01


def check_saturated_less_than_10pct() -> None:
    ts = [runs("saturation")[0], *nudged("saturation", 0)]
    assert all(t.values[-1] > 0.9 * t.values[0] and len(t.values) == 301 for t in ts)


def check_same_loss_within_1pct() -> None:
    (sat,), (free,) = runs("saturation"), runs("saturation", variant=True)
    assert free.values[0] == pytest.approx(sat.values[0], rel=0.01)


def check_unsaturated_below_30pct() -> None:
    ts = [runs("saturation", variant=True)[0], *nudged("saturation", 0, variant=True)]
    assert all(t.values[-1] < 0.3 * t.values[0] for t in ts)


# --- basins_of_attraction -------------------------------------------------------------------------
@functools.cache
def basin_maps() -> tuple[Any, ...]:
    lesson = LESSONS_BY_ID["basins_of_attraction"]
    surf = surface_of("basins_of_attraction")
    crit = core.critical_points(surf)
    chosen = [lesson.scene["runs"][0], lesson.variant["scene"]["runs"][0]]
    assert [r["optimizer"] for r in chosen] == ["sgd", "momentum"]
    maps = [basins(surf, r["optimizer"], steps=lesson.scene["steps"], resolution=60,
                   critical=crit, **r["params"]) for r in chosen]
    return crit, *maps


def check_momentum_09() -> None:
    assert OPTIMIZERS["momentum"].params["momentum"].default == 0.9
    assert "momentum" not in LESSONS_BY_ID["basins_of_attraction"].variant["scene"]["runs"][0][
        "params"]


def check_basins_differ_10pct() -> None:
    crit, gd_map, momentum_map = basin_maps()
    assert (gd_map.labels != momentum_map.labels).mean() > 0.10
    surf = surface_of("basins_of_attraction")
    for factor in (0.9, 1.1):  # and with the learning rate 10% lower or higher
        lr = 0.01 * factor
        maps = [basins(surf, opt, steps=500, resolution=60, critical=crit, lr=lr)
                for opt in ("sgd", "momentum")]
        assert (maps[0].labels != maps[1].labels).mean() > 0.10


FACT_CHECKS: dict[str, dict[str, Callable[[], None]]] = {
    "random_vs_gradient": {"1e-6": check_gd_reaches_minimum, "1e-4": check_searches_stay_above,
                           "19": check_random_search_furthest},
    "gradient_check": {"1e-9": check_gradient_error_below_1e9,
                       "1e-2": check_wrong_sin_rule_above_1e2},
    "backprop_gates": {"1": check_max_routes_one_to_x, "4": check_x_collects_four},
    "learning_rate": {"20": check_curves_20_times_more,
                      "1": check_eigenvalue_1_and_slow_loss_above_1,
                      "0.1": check_sign_flips_exactly_between_bounds,
                      "10%": check_011_is_10_percent_over},
    "feature_scaling": {"10": check_raw_feature_in_0_10, "68": check_raw_eigenvalues_68_and_half,
                        "2": check_standardized_eigenvalues_2, "387": check_raw_387_steps,
                        "1%": check_within_1pct_and_same_model},
    "mini_batch_noise": {"64": check_64_samples, "50": check_last_50_steps,
                         "5%": check_batch1_above_5pct, "1%": check_batch16_within_1pct,
                         "19": check_every_seed_0_19},
    "momentum_escapes": {"−1.2": check_gd_shallow_minimum, "1.3": check_gd_shallow_minimum,
                         "2.5": check_momentum_global_minimum,
                         "−1": check_momentum_global_minimum},
    "adagrad_vs_rmsprop": {"3": check_adagrad_above_3, "0.2": check_rmsprop_below_02},
    "adam_is_rmsprop_plus_momentum": {"0.9": check_adam_formulas, "0.999": check_adam_formulas,
                                      "10": check_buffer_grows_to_10,
                                      "1": check_adam_weights_sum_to_1},
    "decay_and_warmup": {"5%": check_warmup_starts_at_5pct, "100": check_last_100_steps,
                         "19": check_decay_every_seed, "3.58": check_no_warmup_other_minimum,
                         "−1.85": check_no_warmup_other_minimum,
                         "3": check_warmup_stays_at_3_2},
    "saddle_point": {"1.1": check_growth_factor, "90": check_90_steps, "0.5": check_90_steps,
                     "2": check_newton_2_steps, "10": check_sfn_within_10},
    "classify_critical_points": {"−0.27": check_local_maximum_at,
                                 "−0.92": check_local_maximum_at,
                                 "14": check_smallest_eigenvalue_14},
    "saturation": {"1": check_saturated_output_near_1,
                   "10%": check_saturated_less_than_10pct, "1%": check_same_loss_within_1pct,
                   "30%": check_unsaturated_below_30pct},
    "basins_of_attraction": {"0.9": check_momentum_09, "10%": check_basins_differ_10pct},
}


# --- the rest of each claim, in words the checks above do not cover ------------------------------
def test_gallery_covers_every_concept_and_both_languages() -> None:
    assert len([x for x in LESSONS if not is_network(x)]) >= 22  # 2D lessons
    assert {lesson.concept for lesson in LESSONS} == CONCEPT_SECTIONS
    assert len(LESSONS_BY_ID) == len(LESSONS)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for lesson in LESSONS:
        for text in (lesson.title, lesson.summary, lesson.explanation, lesson.watch,
                     lesson.predict, lesson.claim):
            assert text["en"].strip() and cjk.search(text["zh"]), lesson.id


def test_chinese_says_local_extrema_and_never_sgd_for_gradient_descent() -> None:
    """极小值/极大值 for local extrema: 最大值 never, 最小值 only for a global minimum or the
    least-squares one; "SGD" only where the batch really is random."""
    from gradscape.lessons.catalog import LESSONS as CATALOG
    for lesson in CATALOG:
        texts = [lesson.title, lesson.summary, lesson.explanation, lesson.watch,
                 lesson.predict, lesson.claim]
        for text in texts:
            assert "最大值" not in text["zh"], lesson.id
            assert "SGD" not in text["en"] and "SGD" not in text["zh"], lesson.id
            for phrase in ("噪声底部", "低 10 倍", "远远太大", "穿过门", "几乎恰好"):
                assert phrase not in text["zh"], (lesson.id, phrase)


def test_random_vs_gradient_gd_is_closest() -> None:
    check_searches_stay_above()  # gradient descent below both searches, every seed


def test_backprop_gates_max_compares_x_and_y() -> None:
    check_max_routes_one_to_x()


def test_learning_rate_answer() -> None:
    slow, right, bouncy, wild = runs("learning_rate")
    assert right.values[-1] < 1e-6 and bouncy.values[-1] < 1e-6  # 0.05 and 0.095 reach it
    assert slow.values[-1] > 1 and wild.status == "diverged"
    for t in nudged("learning_rate", 2, lr_factors=(1.0,)):  # 0.095 from nearby starts
        y = t.points[:40, 1]
        assert (np.sign(y[1:]) == -np.sign(y[:-1])).all() and t.values[-1] < 1e-6


def test_feature_scaling_answer_is_one_step() -> None:
    (scaled,) = runs("feature_scaling", variant=True)
    assert scaled.status == "converged" and scaled.stop_step <= 2
    assert scaled.values[1] == pytest.approx(raw_minimum(), rel=1e-9)
    lesson = LESSONS_BY_ID["feature_scaling"]
    standardized = lesson.variant["scene"]  # what the panel's "standardize" button shows
    assert standardized["surface"] == {**lesson.scene["surface"], "options": {"standardize": True}}


def test_feature_scaling_1_over_lambda_max_settles_the_steep_direction_at_once() -> None:
    (raw,) = runs("feature_scaling")
    surf = surface_of("feature_scaling")
    _, vec = np.linalg.eigh(surf.hessian(np.zeros((1, 2)))[0])
    w, b = np.polyfit(surf.data["u"], surf.data["t"], 1)
    steep = (raw.points - [w, b]) @ vec[:, 1]  # the distance along the steep eigenvector
    shallow = (raw.points - [w, b]) @ vec[:, 0]
    assert abs(steep[1]) < 1e-3 * abs(steep[0])  # one step
    assert abs(shallow[100]) > 0.4 * abs(shallow[0])  # while the valley takes hundreds


def test_momentum_rolls_over_the_saddle() -> None:
    surf = surface_of("momentum_escapes")
    saddles = [c.point for c in core.critical_points(surf) if c.kind == "saddle"]
    gd, momentum = runs("momentum_escapes")
    between = min(saddles, key=lambda p: np.hypot(*(np.asarray(p) - gd.points[-1])))
    assert np.hypot(*(momentum.points - between).T).min() < 0.2  # rolls right over it
    assert momentum.values[-1] < gd.values[-1] - 1  # a deeper minimum


def test_mini_batch_full_batch_is_gradient_descent_and_lowest() -> None:
    single, sixteen, full = runs("mini_batch_noise")
    assert full.status == "converged"
    assert full.values[-1] < min(single.values[-1], sixteen.values[-1])
    surf = surface_of("mini_batch_noise")
    u, t = surf.data["u"], surf.data["t"]
    w, b = np.polyfit(u, t, 1)
    np.testing.assert_allclose(full.points[-1], [w, b], atol=1e-6)  # the least-squares line


def test_adagrad_vs_rmsprop_sigma_and_the_notes_form() -> None:
    adagrad, rmsprop = runs("adagrad_vs_rmsprop")
    sigma_a = adagrad.inspector["sigma"]
    assert (np.diff(sigma_a, axis=0) >= 0).all()  # a running sum only grows
    sigma_r = rmsprop.inspector["sigma"]
    assert (sigma_r[-1] < sigma_r.max(axis=0)).all()
    assert rmsprop.values[-1] < adagrad.values[-1]
    # The notes' AdaGrad: η_t = η/√(t+1) over the root mean square of the t+1 gradients so far.
    lr = scene_of("adagrad_vs_rmsprop")["runs"][0]["params"]["lr"]
    g = adagrad.grads[:-1]
    count = np.arange(1, len(g) + 1)[:, None]
    rms = np.sqrt(np.cumsum(g * g, axis=0) / count)
    np.testing.assert_allclose(adagrad.updates, -(lr / np.sqrt(count)) * g / rms, rtol=1e-8)


def test_decay_and_warmup_first_step_and_what_warmup_changes() -> None:
    _, _, cold, warm = runs("decay_and_warmup")
    first = cold.inspector["m"][0] / cold.inspector["sigma"][0]
    np.testing.assert_allclose(np.abs(first), [1.0, 1.0], rtol=1e-6)  # m/σ = ±1 at step 1
    np.testing.assert_allclose(np.abs(cold.updates[0]), [2.0, 2.0], rtol=1e-4)
    # The warm-up run's first steps stay near the start; the cold run's do not.
    far = lambda t: np.hypot(*(t.points[:20] - t.points[0]).T).max()  # noqa: E731
    assert far(warm) < 1.5 < far(cold)
    assert cold.lrs[0] > 10 * warm.lrs[0]


def test_saddle_point_ridge_and_arrows() -> None:
    on_ridge, near_ridge, _, _ = runs("saddle_point")
    assert on_ridge.status == "converged"
    assert (on_ridge.grads[:, 1] == 0).all()  # never a y part
    np.testing.assert_allclose(on_ridge.points[-1], [0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(near_ridge.points[-1], [0.0, np.sqrt(2)], atol=1e-6)
    # The arrows at the saddle: positive eigenvalue along x, negative along y.
    lam, vec = on_ridge.eigenvalues[-1], on_ridge.eigenvectors[-1]
    assert lam[0] < 0 < lam[1]
    assert abs(vec[1, 0]) == pytest.approx(1) and abs(vec[0, 1]) == pytest.approx(1)


def test_saddle_arrow_colours_are_the_plots() -> None:
    """The watch text names the colours frontend/js/lib/palette.js draws the arrows in."""
    from pathlib import Path
    palette = (Path(__file__).parents[1] / "frontend/js/lib/palette.js").read_text()
    table = (Path(__file__).parents[1] / "frontend/js/lib/palette_data.js").read_text()
    assert 'EIGEN_POSITIVE = "#1a1a1a"' in table  # near-black, solid
    assert 'EIGEN_NEGATIVE = "#882255"' in table  # wine red, dashed
    assert re.search(r"color: EIGEN_NEGATIVE, dash: \[\d", palette)
    watch = LESSONS_BY_ID["saddle_point"].watch
    assert "solid black" in watch["en"] and "dashed wine-red" in watch["en"]
    assert "黑色实线" in watch["zh"] and "酒红色虚线" in watch["zh"]


def test_classify_critical_points() -> None:
    found = himmelblau_critical()
    assert Counter(c.kind for c in found) == {"minimum": 4, "maximum": 1, "saddle": 4}
    surf = surface_of("classify_critical_points")
    for c in found:
        lam = np.linalg.eigvalsh(surf.hessian(np.array([c.point]))[0])  # independently
        expected = {"minimum": {1.0}, "maximum": {-1.0}, "saddle": {-1.0, 1.0}}[c.kind]
        assert set(np.sign(lam)) == expected
        if c.kind == "minimum":
            assert surf.value(np.array([c.point]))[0] < 1e-12  # global: Himmelblau ≥ 0


def test_sigmoid_slope_is_at_most_a_quarter() -> None:
    z = np.linspace(-20, 20, 40001)
    slope = sigmoid(z) * (1 - sigmoid(z))
    assert slope.max() == pytest.approx(0.25) and z[slope.argmax()] == pytest.approx(0.0)


def test_saturation_variant_is_unsaturated() -> None:
    lesson = LESSONS_BY_ID["saturation"]
    assert lesson.variant["scene"]["surface"] == lesson.scene["surface"]  # the same neuron
    (w, b) = lesson.variant["scene"]["runs"][0]["start"]
    out = sigmoid(neuron_inputs(w, b))
    assert np.median(out * (1 - out)) > 0.1
    (sat,), (free,) = runs("saturation"), runs("saturation", variant=True)
    assert np.hypot(*free.grads[0]) > 10 * np.hypot(*sat.grads[0])


def test_basins_of_attraction() -> None:
    crit, gd_map, _ = basin_maps()
    gd_labels = {int(i) for i in np.unique(gd_map.labels)}
    assert {crit[i].kind for i in gd_labels} == {"minimum"} and len(gd_labels) == 4
    # The saddles and the maximum lie on borders: the starts around each reach two or more
    # different minima.
    for c in crit:
        if c.kind == "minimum":
            continue
        j = int(np.abs(gd_map.xs - c.point[0]).argmin())
        i = int(np.abs(gd_map.ys - c.point[1]).argmin())
        around = gd_map.labels[max(i - 1, 0):i + 2, max(j - 1, 0):j + 2]
        assert len(set(around.ravel().tolist()) - {-1}) >= 2, c.kind


# 2D scenes only: the network lessons' scenes are races of real networks, each trained and
# checked in tests/test_lessons_networks.py.
@pytest.mark.parametrize("lesson", [x for x in LESSONS if not is_network(x)],
                         ids=lambda lesson: lesson.id)
def test_every_scene_runs_without_nan(lesson: object) -> None:
    scenes = [lesson.scene]  # type: ignore[attr-defined]
    if lesson.variant:  # type: ignore[attr-defined]
        scenes.append(lesson.variant["scene"])  # type: ignore[attr-defined]
        assert re.search(r"[\u4e00-\u9fff]", lesson.variant["label"]["zh"])  # type: ignore[attr-defined]
    for scene in scenes:
        for t in run_scene(scene):
            assert np.isfinite(t.points).all() and np.isfinite(t.values).all()


def test_details_behind_the_shortened_answers() -> None:
    """What the answers said before they were shortened to fit above the plot: still true."""
    check_more_than_300_steps()  # feature_scaling: any η within 10% of 1/λmax
    check_lr_within_10pct()
    check_momentum_buffer_is_a_sum()  # adam_is_rmsprop_plus_momentum: b ← 0.9·b + g exactly
    check_escape_step()  # saddle_point: saddle-free Newton's escape step
    check_sfn_first_point()
    check_escape_threshold()
