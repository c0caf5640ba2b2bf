"""Optimizers against torch.optim trajectories, closed-form math, and their own contracts.

Gradients and Hessians here are written out by hand in numpy, so these tests do not depend
on core's autodiff; expected values come from torch (tests/data/torch_golden.json, see
scripts/make_torch_golden.py) or from math, never from the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.optimizers import OPTIMIZERS, inspect
from gradscape.core.runs import Race, RunSpec
from gradscape.core.schedules import lr_curve

GOLDEN = json.loads((Path(__file__).parent / "data" / "torch_golden.json").read_text())
Fn = Callable[[np.ndarray], np.ndarray]


# --- the golden functions, by hand ---------------------------------------------------------
def _rosenbrock(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return np.column_stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def _rosenbrock_value(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_hessian(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    H = np.empty((len(P), 2, 2))
    H[:, 0, 0] = 2 - 400 * (y - x**2) + 800 * x**2
    H[:, 0, 1] = H[:, 1, 0] = -400 * x
    H[:, 1, 1] = 200
    return H


def _elongated(P: np.ndarray) -> np.ndarray:
    return np.column_stack([P[:, 0], 10 * P[:, 1]])


def _saddle(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return np.column_stack([2 * x + 0.1 * y, -2 * y + 0.1 * x + y**3])


GRADS: dict[str, Fn] = {"rosenbrock": _rosenbrock, "elongated": _elongated, "saddle": _saddle}


@dataclass
class Ctx:
    """A hand-made step context (what core.runs.StepContext gives the optimizers)."""

    fn: Fn
    rng: np.random.Generator
    values: np.ndarray
    hessian: np.ndarray | None = None
    bounds: tuple[float, float, float, float] = (-2.0, 2.0, -1.0, 3.0)

    def value_fn(self, P: np.ndarray) -> np.ndarray:
        return self.fn(P)


def _replay(optimizer: str, params: dict[str, Any], grad: Fn, start: np.ndarray, steps: int,
            lrs: np.ndarray | None = None, hessian: Fn | None = None) -> np.ndarray:
    """(N, steps + 1, 2) trajectory; lrs per step (default: the constant hp lr)."""
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate(params)
    P = np.array(start, dtype=np.float64).reshape(-1, 2)
    state = spec.init(P)
    out = [P]
    for k in range(steps):
        lr = hp["lr"] if lrs is None else float(lrs[k])
        ctx = None if hessian is None else Ctx(_rosenbrock_value, np.random.default_rng(0),
                                               _rosenbrock_value(P), hessian(P))
        update, state = spec.update(grad(P), state, P, hp, lr, ctx)
        P = P + update
        out.append(P)
    return np.stack(out, axis=1)


# --- torch ----------------------------------------------------------------------------------
def _case_id(c: dict[str, Any]) -> str:
    params = "-".join(f"{k}={v}" for k, v in c["params"].items())
    return f"{c['optimizer']}-{params}-{c['function']}-{c['start']}"


@pytest.mark.parametrize("case", GOLDEN["runs"], ids=_case_id)
def test_matches_torch_optim(case: dict[str, Any]) -> None:
    ours = _replay(case["optimizer"], case["params"], GRADS[case["function"]],
                   np.array(case["start"]), GOLDEN["steps"])[0]
    np.testing.assert_allclose(ours, np.array(case["points"]), rtol=1e-10, atol=1e-12)


def test_all_golden_starts_in_one_batch_match_torch() -> None:
    # The same runs again, every start of a setting as one (N, 2) batch.
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in GOLDEN["runs"]:
        key = json.dumps([c["optimizer"], c["params"], c["function"]])
        groups.setdefault(key, []).append(c)
    for cases in groups.values():
        first = cases[0]
        starts = np.array([c["start"] for c in cases])
        ours = _replay(first["optimizer"], first["params"], GRADS[first["function"]], starts,
                       GOLDEN["steps"])
        expected = np.array([c["points"] for c in cases])
        np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("optimizer", sorted(GOLDEN["defaults"]))
def test_hyperparameters_and_defaults_are_torchs(optimizer: str) -> None:
    torch_defaults = GOLDEN["defaults"][optimizer]
    spec = OPTIMIZERS[optimizer]
    assert list(spec.params) == list(torch_defaults)  # same names, same order
    resolved = spec.validate({})
    for name, value in torch_defaults.items():
        got = list(resolved[name]) if isinstance(value, list) else resolved[name]
        assert got == value and isinstance(got, bool) == isinstance(value, bool), name


def test_scheduled_adam_matches_torch() -> None:
    case = GOLDEN["scheduled_run"]
    lrs = lr_curve(case["schedule"], case["params"]["lr"], GOLDEN["steps"],
                   case["schedule_params"])
    ours = _replay("adam", case["params"], _rosenbrock, np.array(case["start"]),
                   GOLDEN["steps"], lrs=lrs)[0]
    np.testing.assert_allclose(ours, np.array(case["points"]), rtol=1e-10, atol=1e-12)


def test_scheduled_adam_matches_torch_through_core_optimize() -> None:
    case = GOLDEN["scheduled_run"]
    t = core.optimize(core.surface("(1 - x)^2 + 100*(y - x^2)^2"), "adam",
                      start=tuple(case["start"]), steps=GOLDEN["steps"],
                      schedule=case["schedule"], schedule_params=case["schedule_params"],
                      tolerance=0.0, **case["params"])
    np.testing.assert_allclose(t.points, np.array(case["points"]), rtol=1e-10, atol=1e-12)


def test_momentum_switched_on_mid_run_matches_torch() -> None:
    # torch creates the momentum buffer (b = g, undamped) on the first step that uses it.
    case = GOLDEN["retuned_run"]
    spec = OPTIMIZERS["sgd"]
    P = np.array([case["start"]])
    state = spec.init(P)
    points = [P[0]]
    for k in range(GOLDEN["steps"]):
        hp = spec.validate(case["before"] if k < case["switch"] else case["after"])
        update, state = spec.update(_elongated(P), state, P, hp, hp["lr"], None)
        P = P + update
        points.append(P[0])
    np.testing.assert_allclose(points, case["points"], rtol=1e-10, atol=1e-12)


# --- contracts ------------------------------------------------------------------------------
GRADIENT_METHODS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
RICH = {"sgd": {"momentum": 0.7, "dampening": 0.2, "weight_decay": 0.1},
        "adagrad": {"lr_decay": 0.1, "initial_accumulator_value": 0.3, "weight_decay": 0.1},
        "rmsprop": {"centered": True, "momentum": 0.3, "weight_decay": 0.1},
        "adam": {"amsgrad": True, "weight_decay": 0.1}, "adamw": {"amsgrad": True}}


@pytest.mark.parametrize("optimizer", [*GRADIENT_METHODS, "newton", "saddle_free_newton"])
def test_a_batch_equals_its_points_run_alone(optimizer: str) -> None:
    starts = np.array([[-1.2, 1.0], [0.7, -0.4], [0.5, 0.9], [0.0, 0.0], [1.0, 1.0]])
    params = {"lr": 1e-3 if optimizer in GRADIENT_METHODS else 0.5, **RICH.get(optimizer, {})}
    hessian = _rosenbrock_hessian if OPTIMIZERS[optimizer].needs_hessian else None
    batch = _replay(optimizer, params, _rosenbrock, starts, 30, hessian=hessian)
    for i, s in enumerate(starts):
        alone = _replay(optimizer, params, _rosenbrock, s[None, :], 30, hessian=hessian)[0]
        np.testing.assert_allclose(batch[i], alone, rtol=1e-15, atol=0)


def _snapshot(obj: Any) -> list[Any]:
    return [np.copy(x) if isinstance(x, np.ndarray) else x for x in obj]


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_updates_do_not_mutate_their_inputs(optimizer: str) -> None:
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate({k: v for k, v in {"weight_decay": 0.1, **RICH.get(optimizer, {})}.items()
                        if k in spec.params})
    P = np.array([[1.0, 2.0], [-0.5, 0.3]])
    g = _rosenbrock(P)

    def ctx() -> Ctx:
        return Ctx(_rosenbrock_value, np.random.default_rng(1), _rosenbrock_value(P),
                   _rosenbrock_hessian(P))

    _, state = spec.update(g, spec.init(P), P, hp, 0.1, ctx())
    c = ctx()
    before = [P.copy(), g.copy(), c.values.copy(), np.copy(c.hessian), _snapshot(state),
              dict(hp)]
    spec.update(g, state, P, hp, 0.1, c)
    after = [P, g, c.values, c.hessian, _snapshot(state), hp]
    for b, a in zip(before[:4], after[:4], strict=True):
        np.testing.assert_array_equal(b, a)
    for b, a in zip(before[4], after[4], strict=True):
        np.testing.assert_array_equal(b, a)
    assert before[5] == after[5]


@pytest.mark.parametrize(("optimizer", "params", "message"), [
    ("sgd", {"lr": -1.0}, r"Invalid lr: -1\.0 \(lr must be > 0\)"),
    ("sgd", {"lr": 0.0}, r"Invalid lr: 0\.0"),
    ("sgd", {"momentum": -0.1}, r"Invalid momentum: -0\.1"),
    ("sgd", {"dampening": 2}, r"Invalid dampening: 2"),
    ("sgd", {"nesterov": True}, r"Invalid nesterov: true with momentum 0"),
    ("sgd", {"momentum": 0.9, "nesterov": True, "dampening": 0.1}, r"nesterov.*dampening 0\.1"),
    ("nesterov", {"momentum": 0.0}, r"Invalid nesterov"),
    ("sgd", {"lr": float("nan")}, r"Invalid lr: nan"),
    ("sgd", {"lr": float("inf")}, r"Invalid lr: inf"),
    ("sgd", {"lr": "fast"}, r"Invalid lr: 'fast'"),
    ("sgd", {"lr": True}, r"Invalid lr: True"),
    ("sgd", {"weight_decay": -1e-3}, r"Invalid weight_decay: -0\.001"),
    ("adam", {"betas": (0.9, 1.0)}, r"Invalid betas\[1\]: 1\.0"),
    ("adam", {"betas": (-0.1, 0.9)}, r"Invalid betas\[0\]: -0\.1"),
    ("adam", {"betas": 0.9}, r"Invalid betas: 0\.9"),
    ("adam", {"betas": (0.9, 0.99, 0.999)}, r"Invalid betas"),
    ("adam", {"eps": -1e-8}, r"Invalid eps: -1e-08"),
    ("adam", {"amsgrad": 1}, r"Invalid amsgrad: 1"),
    ("adamw", {"weight_decay": -0.01}, r"Invalid weight_decay: -0\.01"),
    ("rmsprop", {"alpha": 1.5}, r"Invalid alpha: 1\.5"),
    ("rmsprop", {"centered": "yes"}, r"Invalid centered: 'yes'"),
    ("adagrad", {"lr_decay": -1}, r"Invalid lr_decay: -1"),
    ("adagrad", {"initial_accumulator_value": -0.5}, r"Invalid initial_accumulator_value"),
    ("adam", {"momentum": 0.9}, r"unknown parameter\(s\) 'momentum' for adam"),
    ("random_search", {"lr": 0.1}, r"unknown parameter\(s\) 'lr' for random_search"),
    ("random_local_search", {"step_size": 0}, r"Invalid step_size: 0"),
    ("newton", {"damping": -1.0}, r"Invalid damping: -1\.0"),
    ("saddle_free_newton", {"min_curvature": 0.0}, r"Invalid min_curvature: 0\.0"),
])
def test_invalid_hyperparameters_name_parameter_and_value(optimizer: str,
                                                          params: dict[str, Any],
                                                          message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OPTIMIZERS[optimizer].validate(params)


def test_validate_fills_defaults_and_converts() -> None:
    hp = OPTIMIZERS["adam"].validate({"lr": 1, "betas": [0.5, 0.75]})
    assert hp == {"lr": 1.0, "betas": (0.5, 0.75), "eps": 1e-8, "weight_decay": 0.0,
                  "amsgrad": False}
    assert OPTIMIZERS["adamw"].validate({})["weight_decay"] == 0.01


def test_presets_share_sgd_rule_with_other_defaults() -> None:
    assert OPTIMIZERS["momentum"].validate({})["momentum"] == 0.9
    nesterov = OPTIMIZERS["nesterov"].validate({})
    assert nesterov["momentum"] == 0.9 and nesterov["nesterov"] is True
    for preset in ["momentum", "nesterov"]:
        assert OPTIMIZERS[preset].update is OPTIMIZERS["sgd"].update
        assert OPTIMIZERS[preset].init is OPTIMIZERS["sgd"].init


# --- second order, by math ------------------------------------------------------------------
A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -2.0])


def _quadratic_ctx(P: np.ndarray, H: np.ndarray) -> Ctx:
    values = 0.5 * np.einsum("ni,ij,nj->n", P, A, P) - P @ B
    return Ctx(lambda Q: Q, np.random.default_rng(0), values,
               np.broadcast_to(H, (len(P), 2, 2)).copy())


def _newton_step(optimizer: str, P: np.ndarray, g: np.ndarray, H: np.ndarray,
                 **params: Any) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate(params)
    update, state = spec.update(g, spec.init(P), P, hp, hp["lr"], _quadratic_ctx(P, H))
    return update, inspect(spec, state, update, hp["lr"])


def test_newton_solves_a_quadratic_in_one_step() -> None:
    # f = ½θᵀAθ − Bᵀθ: ∇f = Aθ − B, H = A, minimum at A⁻¹B, reached from anywhere at once.
    P = np.random.default_rng(2).uniform(-5, 5, size=(20, 2))
    update, _ = _newton_step("newton", P, P @ A - B, A)
    np.testing.assert_allclose(P + update, np.tile(np.linalg.solve(A, B), (20, 1)),
                               rtol=1e-12, atol=1e-12)


def test_damped_newton_and_its_step_factor() -> None:
    P = np.array([[2.0, -1.0]])
    g = P @ A - B
    update, _ = _newton_step("newton", P, g, A, lr=0.5, damping=0.3)
    np.testing.assert_allclose(update[0], -0.5 * np.linalg.solve(A + 0.3 * np.eye(2), g[0]),
                               rtol=1e-13)


@pytest.mark.parametrize("H", [np.zeros((2, 2)), np.array([[1.0, 1.0], [1.0, 1.0]]),
                               np.array([[np.nan, 0.0], [0.0, 1.0]])])
def test_newton_falls_back_to_a_gradient_step(H: np.ndarray) -> None:
    P = np.array([[2.0, -1.0], [0.5, 0.5]])
    g = np.array([[1.0, 2.0], [-3.0, 0.5]])
    update, view = _newton_step("newton", P, g, H, lr=0.25)
    np.testing.assert_array_equal(update, -0.25 * g)
    np.testing.assert_array_equal(view["fallback"], np.ones_like(g))


def test_newton_jumps_into_a_saddle_and_saddle_free_newton_leaves_it() -> None:
    # f = x² − y²: g = (2x, −2y), H = diag(2, −2). Newton: θ − H⁻¹g = (0, 0).
    # Saddle-free: θ − |H|⁻¹g = (x − x, y + y) = (0, 2y): downhill along y, away from (0, 0).
    P = np.array([[0.5, 0.3], [-1.0, -0.2]])
    g = np.column_stack([2 * P[:, 0], -2 * P[:, 1]])
    H = np.diag([2.0, -2.0])
    newton, _ = _newton_step("newton", P, g, H)
    np.testing.assert_allclose(P + newton, 0.0, atol=1e-15)
    sfn, view = _newton_step("saddle_free_newton", P, g, H)
    np.testing.assert_allclose(P + sfn, np.column_stack([0 * P[:, 0], 2 * P[:, 1]]),
                               atol=1e-15)
    np.testing.assert_allclose(view["curvature"], [[2.0, 2.0], [2.0, 2.0]])
    assert not view["escaped"].any()


def test_saddle_free_newton_escapes_from_the_saddle_point_itself() -> None:
    # At the saddle g = 0, so |H|⁻¹g = 0; the escape step goes escape_step along ±e_y, the
    # eigenvector of λ = −2, and f drops by ½·2·s² = s² (exactly, for x² − y²).
    P = np.zeros((1, 2))
    update, view = _newton_step("saddle_free_newton", P, np.zeros((1, 2)),
                                np.diag([2.0, -2.0]), escape_step=0.25, lr=0.5)
    np.testing.assert_allclose(np.abs(update), [[0.0, 0.25]], atol=1e-16)
    assert view["escaped"].all()
    # A minimum is not escaped from.
    update, view = _newton_step("saddle_free_newton", P, np.zeros((1, 2)), np.eye(2))
    np.testing.assert_array_equal(update, 0.0)
    assert not view["escaped"].any()


def test_saddle_free_newton_floors_small_curvature() -> None:
    P = np.array([[1.0, 1.0]])
    g = np.array([[0.5, 0.02]])
    H = np.diag([4.0, 1e-9])
    update, _ = _newton_step("saddle_free_newton", P, g, H, min_curvature=0.1)
    np.testing.assert_allclose(update, [[-0.5 / 4.0, -0.02 / 0.1]], rtol=1e-13)


def test_newton_walks_into_a_saddle_and_saddle_free_newton_leaves_it_in_core() -> None:
    s = core.surface("saddle")  # x^2 - y^2
    newton = core.optimize(s, "newton", start=(0.5, 0.3), steps=20, tolerance=1e-10)
    np.testing.assert_allclose(newton.points[1], [0.0, 0.0], atol=1e-15)
    sfn = core.optimize(s, "saddle_free_newton", start=(0.5, 0.3), steps=3)
    assert abs(sfn.points[-1][1]) > 0.3 and sfn.values[-1] < sfn.values[0]


def test_saddle_free_newton_escapes_in_core() -> None:
    # Started exactly on the saddle's attracting axis, GD stalls at (0, 0); the escape step
    # along the negative-curvature eigenvector leaves it for a minimum (0, ±√2).
    s = core.surface("x^2 - y^2 + 0.25*y^4")
    gd = core.optimize(s, "sgd", start=(1.0, 0.0), steps=300, lr=0.1)
    assert gd.status == "converged" and np.allclose(gd.points[-1], 0.0, atol=1e-7)
    sfn = core.optimize(s, "saddle_free_newton", start=(1.0, 0.0), steps=60)
    assert sfn.status == "converged"
    np.testing.assert_allclose(np.abs(sfn.points[-1]), [0.0, np.sqrt(2.0)], atol=1e-8)


# --- searches -------------------------------------------------------------------------------
def _himmelblau(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _search(optimizer: str, seed: int, steps: int = 200,
            **params: Any) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Trajectory (steps+1, N, 2), losses (steps+1, N), and every proposal evaluated."""
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate(params)
    proposals: list[np.ndarray] = []

    def recorded(Q: np.ndarray) -> np.ndarray:
        proposals.append(Q.copy())
        return _himmelblau(Q)

    rng = np.random.default_rng(seed)
    P = np.array([[0.0, 0.0], [-1.5, 2.5], [1.9, -0.9]])
    state = spec.init(P)
    path, losses = [P], [_himmelblau(P)]
    for _ in range(steps):
        ctx = Ctx(recorded, rng, _himmelblau(P), bounds=(-2.0, 2.0, -1.0, 3.0))
        update, state = spec.update(np.full_like(P, np.nan), state, P, hp, 1.0, ctx)
        P = P + update
        path.append(P)
        losses.append(_himmelblau(P))
    return np.array(path), np.array(losses), proposals


@pytest.mark.parametrize("optimizer", ["random_search", "random_local_search"])
def test_random_searches_never_increase_the_loss_and_repeat_per_seed(optimizer: str) -> None:
    path, losses, _ = _search(optimizer, seed=3)
    again, _, _ = _search(optimizer, seed=3)
    other, _, _ = _search(optimizer, seed=4)
    assert (np.diff(losses, axis=0) <= 0).all()
    assert (losses[-1] < losses[0]).all()
    np.testing.assert_array_equal(path, again)
    assert not np.array_equal(path, other)


def test_random_search_keeps_the_best_point_it_has_seen() -> None:
    path, _, proposals = _search("random_search", seed=5, steps=100)
    tried = np.stack(proposals)  # (steps, N, 2)
    xmin, xmax, ymin, ymax = -2.0, 2.0, -1.0, 3.0
    assert (tried[..., 0] >= xmin).all() and (tried[..., 0] <= xmax).all()
    assert (tried[..., 1] >= ymin).all() and (tried[..., 1] <= ymax).all()
    for k in range(1, len(path)):
        seen = np.concatenate([path[:1], tried[:k]])  # the start and the first k proposals
        values = _himmelblau(seen.reshape(-1, 2)).reshape(seen.shape[:2])
        best = np.argmin(values, axis=0)
        # θ + (θ' − θ) can differ from θ' in the last bit
        np.testing.assert_allclose(path[k], seen[best, np.arange(seen.shape[1])], rtol=1e-15,
                                   atol=1e-15)


def test_random_local_search_proposes_gaussian_steps_of_the_given_size() -> None:
    _, _, proposals = _search("random_local_search", seed=6, steps=400, step_size=0.05)
    path, _, _ = _search("random_local_search", seed=6, steps=400, step_size=0.05)
    offsets = np.stack(proposals) - path[:-1]  # (steps, N, 2), each s·δ with δ ~ N(0, I)
    assert abs(offsets.std() / 0.05 - 1) < 0.05 and abs(offsets.mean()) < 0.005


def test_random_searches_in_core_repeat_per_seed() -> None:
    s = core.surface("himmelblau")
    for opt in ["random_search", "random_local_search"]:
        a = core.optimize(s, opt, start=(0.0, 0.0), steps=200, seed=3)
        b = core.optimize(s, opt, start=(0.0, 0.0), steps=200, seed=3)
        assert (np.diff(a.values) <= 0).all() and a.values[-1] < a.values[0]
        np.testing.assert_array_equal(a.points, b.points)


# --- the step inspector ---------------------------------------------------------------------
def _two_steps(optimizer: str, params: dict[str, Any],
               grads: list[np.ndarray]) -> tuple[dict[str, np.ndarray], float]:
    spec = OPTIMIZERS[optimizer]
    hp = spec.validate(params)
    P = np.array([[1.0, -1.0]])
    state = spec.init(P)
    for g in grads:
        update, state = spec.update(g, state, P, hp, hp["lr"], None)
        P = P + update
    return inspect(spec, state, update, hp["lr"]), hp["lr"]


G1, G2 = np.array([[1.0, 2.0]]), np.array([[3.0, -2.0]])


def test_adam_inspector_is_the_bias_corrected_average() -> None:
    view, _ = _two_steps("adam", {"lr": 0.1, "betas": (0.5, 0.75)}, [G1, G2])
    m_hat = (0.5 * 0.5 * G1 + 0.5 * G2) / (1 - 0.5**2)
    v_hat = (0.75 * 0.25 * G1**2 + 0.25 * G2**2) / (1 - 0.75**2)
    np.testing.assert_allclose(view["m"], m_hat, rtol=1e-14)
    np.testing.assert_allclose(view["sigma"], np.sqrt(v_hat) + 1e-8, rtol=1e-14)
    np.testing.assert_allclose(view["step"], -0.1 * m_hat / (np.sqrt(v_hat) + 1e-8))


def test_rmsprop_and_adagrad_sigma_by_hand() -> None:
    view, _ = _two_steps("rmsprop", {"alpha": 0.5, "eps": 0.0}, [G1, G2])
    np.testing.assert_allclose(view["sigma"], np.sqrt(0.5 * 0.5 * G1**2 + 0.5 * G2**2))
    np.testing.assert_allclose(view["m"], G2)
    view, _ = _two_steps("rmsprop", {"alpha": 0.5, "eps": 0.0, "centered": True}, [G1, G2])
    mean = 0.5 * 0.5 * G1 + 0.5 * G2
    np.testing.assert_allclose(view["sigma"],
                               np.sqrt(0.5 * 0.5 * G1**2 + 0.5 * G2**2 - mean**2))
    view, _ = _two_steps("adagrad", {"eps": 0.0, "initial_accumulator_value": 0.5}, [G1, G2])
    np.testing.assert_allclose(view["sigma"], np.sqrt(0.5 + G1**2 + G2**2))
    np.testing.assert_allclose(view["sum_g2"], 0.5 + G1**2 + G2**2)


def test_sgd_momentum_inspector_is_the_buffer() -> None:
    view, _ = _two_steps("momentum", {"lr": 0.1}, [G1, G2])
    np.testing.assert_allclose(view["m"], 0.9 * G1 + G2)  # b₁ = g₁, b₂ = μ b₁ + g₂
    np.testing.assert_array_equal(view["sigma"], np.ones((1, 2)))
    view, _ = _two_steps("nesterov", {"lr": 0.1}, [G1, G2])
    np.testing.assert_allclose(view["m"], G2 + 0.9 * (0.9 * G1 + G2))  # g + μ b


@pytest.mark.parametrize("optimizer", GRADIENT_METHODS)
def test_diagonal_methods_step_is_minus_lr_m_over_sigma(optimizer: str) -> None:
    params = {"lr": 0.05, **RICH.get(optimizer, {})}
    params.pop("lr_decay", None)
    if optimizer == "adamw":
        params["weight_decay"] = 0.0  # AdamW's decoupled −ηλθ is outside m/σ
    view, lr = _two_steps(optimizer, params, [G1, G2, -G1])
    np.testing.assert_allclose(view["step"], -lr * view["m"] / view["sigma"], rtol=1e-13)


def test_adamw_decay_is_decoupled_and_adam_weight_decay_is_not() -> None:
    # With g = 0 AdamW only shrinks θ: θ ← θ(1 − ηλ) each step (m = 0 stays 0).
    P0 = np.array([[2.0, -1.0]])
    path = _replay("adamw", {"lr": 0.1, "weight_decay": 0.5}, np.zeros_like, P0, 5)[0]
    np.testing.assert_allclose(path, P0 * (1 - 0.05) ** np.arange(6)[:, None], rtol=1e-14)
    # Adam adds λθ to g, and its first step is then ≈ η·sign(θ) whatever λ is.
    path = _replay("adam", {"lr": 0.1, "weight_decay": 0.5}, np.zeros_like, P0, 1)[0]
    np.testing.assert_allclose(path[1] - path[0], [-0.1, 0.1], rtol=1e-7)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_every_optimizer_has_rule_schema_and_inspector(optimizer: str) -> None:
    spec = OPTIMIZERS[optimizer]
    assert spec.id == optimizer and spec.name and spec.rule
    assert spec.update.__doc__ and "θ ←" in spec.update.__doc__  # the rule, as math
    hp = spec.validate({})
    for name, param in spec.params.items():
        assert param.json_schema()["default"] == (list(hp[name]) if param.kind == "pair"
                                                   else hp[name])
    P = np.array([[1.0, 1.5], [-0.5, 0.2], [0.3, -1.0]])
    state = spec.init(P)
    assert state.t == 0 and state.m.shape == state.sigma.shape == P.shape
    ctx = Ctx(_rosenbrock_value, np.random.default_rng(0), _rosenbrock_value(P),
              _rosenbrock_hessian(P))
    update, state = spec.update(_rosenbrock(P), state, P, hp, hp.get("lr", 1.0), ctx)
    assert state.t == 1 and update.shape == P.shape
    view = inspect(spec, state, update, hp.get("lr", 1.0))
    assert {"m", "sigma", "step"} <= set(view)
    for arr in view.values():
        assert arr.shape == P.shape and arr.dtype == np.float64
    np.testing.assert_array_equal(view["step"], update)


def test_inspect_accepts_a_stack_of_states() -> None:
    # core.runs stacks per-step states into one state with a leading step axis.
    for optimizer in ["adagrad", "random_local_search", "newton"]:
        spec = OPTIMIZERS[optimizer]
        hp = spec.validate({})
        P = np.array([[1.0, 1.5]])
        state, states, updates = spec.init(P), [], []
        for _ in range(4):
            ctx = Ctx(_rosenbrock_value, np.random.default_rng(0), _rosenbrock_value(P),
                      _rosenbrock_hessian(P))
            update, state = spec.update(_rosenbrock(P), state, P, hp, hp.get("lr", 1.0), ctx)
            P = P + update
            states.append(state)
            updates.append(update)
        stacked = type(state)(*(np.array(f) for f in zip(*states, strict=True)))
        view = inspect(spec, stacked, np.array(updates), 1.0)
        for arr in view.values():
            assert arr.shape == (4, 1, 2)
        np.testing.assert_array_equal(view["m"][-1], state.m)


# --- the playground's learning rates -------------------------------------------------------
PLAYGROUND = [o.id for o in OPTIMIZERS.values() if o.playground_lr is not None]


@pytest.mark.parametrize("optimizer", PLAYGROUND)
def test_playground_learning_rate_gets_a_first_race_to_a_minimum(optimizer: str) -> None:
    # The default scene (Himmelblau from the saddle's stable manifold, 500 steps): at its
    # playground lr every such optimizer gets down to a minimum (f = 0 at each of the four)
    # within 300 steps, where a rate that diverges or crawls would not.
    spec = OPTIMIZERS[optimizer]
    assert spec.playground_lr is not None
    spec.validate({"lr": spec.playground_lr})  # a valid setting
    run = Race(core.surface("himmelblau"), [RunSpec(optimizer, (0.1994, 4.0),
                                                    {"lr": spec.playground_lr})],
               steps=300).run()[0]
    values = np.asarray(run.values)
    assert np.isfinite(values).all()
    assert values[-1] < 1e-2 < 133 < values[0]  # f(0.1994, 4) = 133.07
