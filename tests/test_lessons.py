"""Every lesson's claim, asserted by running its scene through core.

Each test is the claim sentence of one lesson, in code. If the engine changes so that a
lesson no longer shows what it says, the build breaks here.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.graph import PRIMITIVES, Primitive
from gradscape.core.runs import basins
from gradscape.lessons import LESSONS, LESSONS_BY_ID, run_scene, scene_surface

CONCEPT_SECTIONS = {"1", "2", "3", "4", "5", "6", "7"}


def lesson_runs(lesson_id: str) -> list[core.runs.Trajectory]:
    return run_scene(LESSONS_BY_ID[lesson_id].scene)


def test_gallery_covers_every_concept_and_both_languages() -> None:
    assert len(LESSONS) >= 14
    assert {lesson.concept for lesson in LESSONS} == CONCEPT_SECTIONS
    assert len(LESSONS_BY_ID) == len(LESSONS)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for lesson in LESSONS:
        for text in (lesson.title, lesson.summary, lesson.explanation, lesson.watch,
                     lesson.predict, lesson.claim):
            assert text["en"].strip() and cjk.search(text["zh"]), lesson.id


def test_random_vs_gradient() -> None:
    random_search, local_search, gd = lesson_runs("random_vs_gradient")
    assert gd.values[-1] < 1e-6
    assert local_search.values[-1] < 0.1
    assert random_search.values[-1] > 1.0


def test_gradient_check(monkeypatch: pytest.MonkeyPatch) -> None:
    lesson = LESSONS_BY_ID["gradient_check"]
    (t,) = run_scene(lesson.scene)
    surf = scene_surface(lesson.scene["surface"])
    assert (core.check_gradient(surf.value, surf.grad, t.points).relative_error < 1e-7).all()
    wrong = Primitive("sin", 1, "np.sin({0})", lambda g, out, a: (g * out,),
                      PRIMITIVES["sin"].shape, user=True)
    monkeypatch.setitem(PRIMITIVES, "sin", wrong)
    buggy = core.surface(lesson.scene["surface"]["formula"] + " + 0*x")  # a fresh compile
    check = core.check_gradient(buggy.value, buggy.grad, np.array([lesson.extras["point"]]))
    assert check.relative_error[0] > 1e-2


def test_backprop_gates() -> None:
    lesson = LESSONS_BY_ID["backprop_gates"]
    view = core.graph_view(scene_surface(lesson.scene["surface"]), tuple(lesson.extras["point"]))
    by_label = {n.label: n for n in view.nodes if n.op in ("var",)}
    assert by_label["x"].grad == pytest.approx(4.0)
    assert by_label["y"].grad == pytest.approx(3.0)
    maximum = next(n for n in view.nodes if n.op == "max")
    x_id, y_id = by_label["x"].id, by_label["y"].id
    assert maximum.inputs == (x_id, y_id) and maximum.value == 3.0


def test_learning_rate() -> None:
    slow, right, bouncy, wild = lesson_runs("learning_rate")
    assert slow.values[-1] > 1.0
    assert right.values[-1] < 1e-6
    assert bouncy.values[-1] < 1e-6
    signs = np.sign(bouncy.points[1:40, 1])
    assert (signs[1:] == -signs[:-1]).all()  # y flips sign every step
    assert wild.status == "diverged"
    assert all(t.status != "diverged" for t in (slow, right, bouncy))
    lam_max = slow.eigenvalues[0].max()
    assert 0.095 < 2 / lam_max < 0.11  # the stability bound the lesson names


def test_feature_scaling() -> None:
    lesson = LESSONS_BY_ID["feature_scaling"]
    (raw,) = run_scene(lesson.scene)
    assert raw.status == "max_steps"
    standardized = lesson.variant["scene"]  # what the panel's "standardize" button shows
    assert standardized["surface"] == {**lesson.scene["surface"], "options": {"standardize": True}}
    (scaled,) = run_scene(standardized)
    assert scaled.status == "converged" and scaled.stop_step <= 5
    surface = scene_surface(standardized["surface"])
    lam = np.linalg.eigvalsh(surface.hessian(np.zeros((1, 2)))[0])
    assert standardized["runs"][0]["params"]["lr"] == pytest.approx(1 / lam[1])
    assert scaled.values[-1] == pytest.approx(raw.values.min(), rel=1e-3)


def test_mini_batch_noise() -> None:
    single, sixteen, full = lesson_runs("mini_batch_noise")
    assert full.status == "converged"
    minimum = full.values[-1]
    assert np.mean(single.values[-50:]) > 1.05 * minimum
    assert (np.diff(single.values) > 0).sum() > 50
    assert (np.diff(full.values) > 0).sum() < 10
    assert np.mean(sixteen.values[-50:]) < np.mean(single.values[-50:])


def test_momentum_escapes() -> None:
    gd, momentum = lesson_runs("momentum_escapes")
    np.testing.assert_allclose(gd.points[-1], [-1.235, 1.325], atol=0.01)
    np.testing.assert_allclose(momentum.points[-1], [2.5, -1.0], atol=0.01)


def test_adagrad_vs_rmsprop() -> None:
    adagrad, rmsprop = lesson_runs("adagrad_vs_rmsprop")
    sigma_a = adagrad.inspector["sigma"]
    assert (np.diff(sigma_a, axis=0) >= 0).all()  # a running sum only grows
    sigma_r = rmsprop.inspector["sigma"]
    assert (sigma_r[-1] < sigma_r.max(axis=0)).all()
    assert adagrad.values[-1] > 1.0 and rmsprop.values[-1] < 0.1


def test_adam_is_rmsprop_plus_momentum() -> None:
    adam = lesson_runs("adam_is_rmsprop_plus_momentum")[0]
    m, v = np.zeros(2), np.zeros(2)
    for t, g in enumerate(adam.grads[:-1], start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        np.testing.assert_allclose(adam.inspector["m"][t - 1], m / (1 - 0.9**t), rtol=1e-12)
        np.testing.assert_allclose(adam.inspector["sigma"][t - 1],
                                   np.sqrt(v / (1 - 0.999**t)) + 1e-8, rtol=1e-12)


def test_decay_and_warmup() -> None:
    constant, decayed, warm = lesson_runs("decay_and_warmup")
    assert np.mean(decayed.values[-100:]) * 10 < np.mean(constant.values[-100:])
    rises = np.diff(warm.lrs[:50])
    assert (rises > 0).all() and warm.lrs[50] == pytest.approx(0.3)
    assert (np.diff(warm.lrs[50:]) <= 0).all()


def test_saddle_point() -> None:
    on_ridge, near_ridge, newton, saddle_free = lesson_runs("saddle_point")
    assert on_ridge.status == "converged"
    np.testing.assert_allclose(on_ridge.points[-1], [0.0, 0.0], atol=1e-6)
    slow = np.hypot(near_ridge.grads[:, 0], near_ridge.grads[:, 1]) < 0.05
    assert slow.sum() > 50
    np.testing.assert_allclose(near_ridge.points[-1], [0.0, np.sqrt(2)], atol=1e-6)
    np.testing.assert_allclose(newton.points[-1], [0.0, 0.0], atol=1e-6)
    assert saddle_free.status == "converged" and saddle_free.stop_step <= 15
    np.testing.assert_allclose(np.abs(saddle_free.points[-1]), [0.0, np.sqrt(2)], atol=1e-6)
    lam = on_ridge.eigenvalues[-1]
    assert lam[0] < 0 < lam[1]  # at the saddle: one negative, one positive eigenvalue


def test_classify_critical_points() -> None:
    lesson = LESSONS_BY_ID["classify_critical_points"]
    found = core.critical_points(scene_surface(lesson.scene["surface"]))
    assert Counter(c.kind for c in found) == {"minimum": 4, "maximum": 1, "saddle": 4}
    for c in found:
        signs = set(np.sign(c.eigenvalues))
        expected = {"minimum": {1.0}, "maximum": {-1.0}, "saddle": {-1.0, 1.0}}[c.kind]
        assert signs == expected
    maximum = next(c for c in found if c.kind == "maximum")
    np.testing.assert_allclose(maximum.point, [-0.2708, -0.9230], atol=1e-3)


def test_saturation() -> None:
    lesson = LESSONS_BY_ID["saturation"]
    (sigmoid,) = run_scene(lesson.scene)
    assert sigmoid.values[-1] > 0.95 * sigmoid.values[0]
    relu_scene = lesson.variant["scene"]  # the panel's "switch to ReLU": same start and rate
    assert relu_scene["runs"] == lesson.scene["runs"]
    assert relu_scene["surface"]["options"] == {**lesson.scene["surface"]["options"],
                                                "activation": "relu"}
    (relu,) = run_scene(relu_scene)
    assert relu.status == "converged" and relu.values[-1] < 0.15


def test_basins_of_attraction() -> None:
    lesson = LESSONS_BY_ID["basins_of_attraction"]
    surf = scene_surface(lesson.scene["surface"])
    crit = core.critical_points(surf)
    # The scene's map (gradient descent) and the panel's "momentum's map" variant.
    runs = [lesson.scene["runs"][0], lesson.variant["scene"]["runs"][0]]
    assert [r["optimizer"] for r in runs] == ["sgd", "momentum"]
    maps = [basins(surf, r["optimizer"], steps=lesson.scene["steps"], resolution=60,
                   critical=crit, **r["params"]) for r in runs]
    gd_labels = {int(i) for i in np.unique(maps[0].labels)}
    assert {crit[i].kind for i in gd_labels} == {"minimum"} and len(gd_labels) == 4
    assert (maps[0].labels != maps[1].labels).mean() > 0.10


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_scene_runs_without_nan(lesson: object) -> None:
    scenes = [lesson.scene]  # type: ignore[attr-defined]
    if lesson.variant:  # type: ignore[attr-defined]
        scenes.append(lesson.variant["scene"])  # type: ignore[attr-defined]
        assert re.search(r"[\u4e00-\u9fff]", lesson.variant["label"]["zh"])  # type: ignore[attr-defined]
    for scene in scenes:
        for t in run_scene(scene):
            assert np.isfinite(t.points).all() and np.isfinite(t.values).all()
