"""Optimizers against torch.optim trajectories, math, and their own contracts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import core
from core.optimizers import OPTIMIZERS, inspect
from core.schedules import SCHEDULES

GOLDEN = json.loads((Path(__file__).parent / "data" / "torch_golden.json").read_text())


def _rosenbrock(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return np.column_stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def _elongated(P: np.ndarray) -> np.ndarray:
    return np.column_stack([P[:, 0], 10 * P[:, 1]])


def _saddle(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return np.column_stack([2 * x + 0.1 * y, -2 * y + 0.1 * x + y**3])


GRADS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "rosenbrock": _rosenbrock, "elongated": _elongated, "saddle": _saddle}


def _replay(optimizer: str, params: dict[str, Any], grad: Callable[[np.ndarray], np.ndarray],
            start: np.ndarray, steps: int) -> np.ndarray:
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate(params)
    P = np.array(start, dtype=np.float64).reshape(-1, 2)
    state = spec.init(P)
    out = [P]
    for _ in range(steps):
        update, state = spec.update(grad(P), state, P, hp, hp["lr"], None)
        P = P + update
        out.append(P)
    return np.stack(out, axis=1)  # (N, steps + 1, 2)


@pytest.mark.parametrize("case", GOLDEN["runs"], ids=lambda c: (
    f"{c['optimizer']}-{'-'.join(f'{k}={v}' for k, v in c['params'].items())}-"
    f"{c['function']}-{c['start']}"))
def test_matches_torch_optim(case: dict[str, Any]) -> None:
    ours = _replay(case["optimizer"], case["params"], GRADS[case["function"]],
                   np.array(case["start"]), GOLDEN["steps"])[0]
    np.testing.assert_allclose(ours, np.array(case["points"]), rtol=1e-10, atol=1e-12)


def test_scheduled_adam_matches_torch_through_core_optimize() -> None:
    case = GOLDEN["scheduled_run"]
    t = core.optimize(core.surface("(1 - x)^2 + 100*(y - x^2)^2"), "adam",
                      start=tuple(case["start"]), steps=GOLDEN["steps"],
                      schedule=case["schedule"], schedule_params=case["schedule_params"],
                      tolerance=0.0, **case["params"])
    np.testing.assert_allclose(t.points, np.array(case["points"]), rtol=1e-10, atol=1e-12)


def test_a_batch_equals_its_points_run_alone() -> None:
    starts = np.array([[-1.2, 1.0], [0.7, -0.4], [0.5, 0.9], [0.0, 0.0]])
    for opt in ["sgd", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]:
        params = {"lr": 1e-3, **({"centered": True, "momentum": 0.3} if opt == "rmsprop"
                                 else {})}
        batch = _replay(opt, params, _rosenbrock, starts, 30)
        for i, s in enumerate(starts):
            alone = _replay(opt, params, _rosenbrock, s[None, :], 30)[0]
            np.testing.assert_array_equal(batch[i], alone)


def test_updates_do_not_mutate_their_inputs() -> None:
    for opt in ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw"]:
        spec = OPTIMIZERS[opt]
        hp = spec.validate({"weight_decay": 0.1})
        P = np.array([[1.0, 2.0]])
        g = np.array([[0.5, -0.5]])
        state = spec.init(P)
        _, state = spec.update(g, state, P, hp, 0.1, None)
        snapshot = [np.copy(x) if isinstance(x, np.ndarray) else x for x in state]
        P0, g0 = P.copy(), g.copy()
        spec.update(g, state, P, hp, 0.1, None)
        assert np.array_equal(P, P0) and np.array_equal(g, g0)
        for before, after in zip(snapshot, state, strict=True):
            assert np.array_equal(before, after)


@pytest.mark.parametrize(("optimizer", "params", "name"), [
    ("sgd", {"lr": -1.0}, "lr"),
    ("sgd", {"lr": 0.0}, "lr"),
    ("sgd", {"momentum": -0.1}, "momentum"),
    ("sgd", {"nesterov": True}, "nesterov"),
    ("sgd", {"lr": float("nan")}, "lr"),
    ("sgd", {"lr": "fast"}, "lr"),
    ("adam", {"betas": (0.9, 1.0)}, "betas"),
    ("adam", {"betas": (-0.1, 0.9)}, "betas"),
    ("adam", {"betas": 0.9}, "betas"),
    ("adam", {"eps": -1e-8}, "eps"),
    ("adam", {"amsgrad": 1}, "amsgrad"),
    ("rmsprop", {"alpha": 1.5}, "alpha"),
    ("adagrad", {"lr_decay": -1}, "lr_decay"),
    ("adam", {"momentum": 0.9}, "momentum"),
    ("random_local_search", {"step_size": 0}, "step_size"),
])
def test_invalid_hyperparameters_name_parameter_and_value(optimizer: str,
                                                          params: dict[str, Any],
                                                          name: str) -> None:
    with pytest.raises(ValueError, match=name):
        OPTIMIZERS[optimizer].validate(params)


def test_presets_share_sgd_rule_with_other_defaults() -> None:
    assert OPTIMIZERS["momentum"].validate({})["momentum"] == 0.9
    nesterov = OPTIMIZERS["nesterov"].validate({})
    assert nesterov["momentum"] == 0.9 and nesterov["nesterov"] is True
    assert OPTIMIZERS["momentum"].update is OPTIMIZERS["sgd"].update


def test_newton_solves_a_quadratic_in_one_step() -> None:
    # f = (x-1)^2 + 3(y+2)^2 + x y: Newton with lr 1 lands on H^{-1}-solution of grad = 0.
    s = core.surface("(x - 1)^2 + 3*(y + 2)^2 + x*y")
    H = np.array([[2.0, 1.0], [1.0, 6.0]])
    expected = np.linalg.solve(H, np.array([2.0, -12.0]))  # grad = H θ - (2, -12)
    t = core.optimize(s, "newton", start=(4.0, 4.0), steps=5, tolerance=1e-12)
    np.testing.assert_allclose(t.points[1], expected, rtol=1e-12)
    # Converged means a tiny gradient *and* a tiny step, so it is declared one step later.
    assert t.status == "converged" and t.stop_step == 2
    np.testing.assert_allclose(t.points[2], t.points[1], atol=1e-14)


def test_newton_walks_into_a_saddle_and_saddle_free_newton_leaves_it() -> None:
    s = core.surface("saddle")  # x^2 - y^2
    newton = core.optimize(s, "newton", start=(0.5, 0.3), steps=20, tolerance=1e-10)
    np.testing.assert_allclose(newton.points[1], [0.0, 0.0], atol=1e-15)
    sfn = core.optimize(s, "saddle_free_newton", start=(0.5, 0.3), steps=3)
    assert abs(sfn.points[-1][1]) > 0.3 and sfn.values[-1] < sfn.values[0]


def test_saddle_free_newton_escapes_from_the_saddle_itself() -> None:
    # Started exactly on the saddle's attracting axis, GD and Newton stall at (0, 0);
    # the escape step along the negative-curvature eigenvector leaves it.
    s = core.surface("x^2 - y^2 + 0.25*y^4")
    gd = core.optimize(s, "sgd", start=(1.0, 0.0), steps=300, lr=0.1)
    assert gd.status == "converged" and np.allclose(gd.points[-1], 0.0, atol=1e-7)
    sfn = core.optimize(s, "saddle_free_newton", start=(1.0, 0.0), steps=60)
    assert sfn.status == "converged"
    np.testing.assert_allclose(np.abs(sfn.points[-1]), [0.0, np.sqrt(2.0)], atol=1e-8)


def test_random_searches_never_increase_the_loss_and_repeat_per_seed() -> None:
    s = core.surface("himmelblau")
    for opt in ["random_search", "random_local_search"]:
        a = core.optimize(s, opt, start=(0.0, 0.0), steps=200, seed=3)
        b = core.optimize(s, opt, start=(0.0, 0.0), steps=200, seed=3)
        c = core.optimize(s, opt, start=(0.0, 0.0), steps=200, seed=4)
        assert (np.diff(a.values) <= 0).all()
        np.testing.assert_array_equal(a.points, b.points)
        assert not np.array_equal(a.points, c.points)
        assert a.values[-1] < a.values[0]


def test_adam_inspector_is_the_bias_corrected_average() -> None:
    spec = OPTIMIZERS["adam"]
    hp = spec.validate({"lr": 0.1, "betas": (0.5, 0.75)})
    P = np.array([[1.0, -1.0]])
    grads = [np.array([[1.0, 2.0]]), np.array([[3.0, -2.0]])]
    state = spec.init(P)
    for g in grads:
        update, state = spec.update(g, state, P, hp, 0.1, None)
        P = P + update
    # by hand: m2 = 0.5*(0.5*1) + 0.5*3 = 1.75 (x); bias correction 1 - 0.25 = 0.75
    m_hat = (0.5 * 0.5 * grads[0] + 0.5 * grads[1]) / 0.75
    v_hat = (0.75 * 0.25 * grads[0] ** 2 + 0.25 * grads[1] ** 2) / (1 - 0.75**2)
    view = inspect(spec, state, update, 0.1)
    np.testing.assert_allclose(view["m"], m_hat, rtol=1e-14)
    np.testing.assert_allclose(view["sigma"], np.sqrt(v_hat) + 1e-8, rtol=1e-14)
    np.testing.assert_allclose(view["step"], -0.1 * m_hat / (np.sqrt(v_hat) + 1e-8))


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_every_optimizer_has_rule_schema_and_inspector(optimizer: str) -> None:
    spec = OPTIMIZERS[optimizer]
    assert spec.rule and spec.update.__doc__
    hp = spec.validate({})
    for name, param in spec.params.items():
        assert param.json_schema()["default"] == (list(hp[name]) if param.kind == "pair"
                                                   else hp[name])
    t = core.optimize(core.surface("bowl"), optimizer, start=(1.0, 1.0), steps=3)
    assert set(t.inspector) >= {"m", "sigma", "step"}
    for arr in t.inspector.values():
        assert arr.shape == (t.updates.shape[0], 2)


def test_schedules_registered() -> None:
    assert {"constant", "step", "exponential", "inverse_time", "cosine"} <= set(SCHEDULES)
