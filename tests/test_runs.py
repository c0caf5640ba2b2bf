"""Races, trajectories and basin maps: statuses, chunking, retuning, determinism."""

from __future__ import annotations

import numpy as np
import pytest

import gradscape.core as core
from gradscape.core.datasets import dataset_surface
from gradscape.core.runs import Race, RunSpec, basins, optimize

HIMMELBLAU_MINIMA = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                              [3.584428, -1.848126]])


def test_gradient_descent_on_a_bowl_follows_the_closed_form() -> None:
    # f = x^2 + 3y^2, GD: x_t = (1 - 2η)^t x_0, y_t = (1 - 6η)^t y_0.
    t = optimize(core.surface("x^2 + 3*y^2"), "sgd", start=(1.0, -2.0), steps=20, lr=0.1)
    k = np.arange(21)
    np.testing.assert_allclose(t.points[:, 0], 0.8**k, rtol=1e-12)
    np.testing.assert_allclose(t.points[:, 1], -2.0 * 0.4**k, rtol=1e-12)
    assert t.status == "max_steps" and t.stop_step == 20 and t.points.shape == (21, 2)
    np.testing.assert_allclose(t.values, t.points[:, 0] ** 2 + 3 * t.points[:, 1] ** 2)
    np.testing.assert_allclose(t.updates, np.diff(t.points, axis=0))
    np.testing.assert_allclose(t.lrs, 0.1)


@pytest.mark.parametrize(("optimizer", "params"), [
    ("sgd", {"lr": 0.01}), ("momentum", {"lr": 0.005}), ("nesterov", {"lr": 0.005}),
    ("adagrad", {"lr": 0.5}), ("rmsprop", {"lr": 0.02}), ("adam", {"lr": 0.05}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.0}), ("newton", {}),
    ("saddle_free_newton", {}),
])
@pytest.mark.parametrize("surface", ["bowl", "elongated_bowl", "himmelblau", "booth"])
def test_convergence_table(optimizer: str, params: dict[str, float], surface: str) -> None:
    s = core.surface(surface)
    start = (1.5, 1.5) if surface != "booth" else (-2.0, 6.0)
    t = optimize(s, optimizer, start=start, steps=5000, tolerance=1e-6, **params)
    minima = [c.point for c in core.critical_points(s) if c.kind == "minimum"]
    assert t.status == "converged", (t.status, t.points[-1])
    assert min(np.linalg.norm(t.points[-1] - m) for m in minima) < 1e-4


def test_divergence_is_a_status_with_no_nan_anywhere() -> None:
    s = core.surface("x^2 + y^2")
    t = optimize(s, "sgd", start=(1.0, 1.0), steps=500, lr=1.5)  # |1 - 2η| = 2 > 1
    assert t.status == "diverged"
    for arr in [t.points, t.values, t.grads, t.updates, t.lrs, *t.inspector.values()]:
        assert np.isfinite(arr).all()
    assert t.points.shape[0] == t.updates.shape[0] + 1 == t.stop_step + 1
    # x_t = (-2)^t: it froze at the last point whose loss 2 x^2 stays within the 1e8 bound
    assert np.abs(t.points[-1]).tolist() == [4096.0, 4096.0] and t.stop_step == 12


def test_non_finite_loss_diverges_immediately_and_cleanly() -> None:
    t = optimize(core.surface("log(x) + y^2"), "sgd", start=(-1.0, 0.0), steps=10, lr=0.1)
    assert t.status == "diverged" and t.points.shape == (0, 2) and t.stop_step == 0


def test_leaving_the_bounds_does_not_stop_a_run() -> None:
    s = core.surface("0.01*x", bounds=(-1, 1, -1, 1))
    t = optimize(s, "sgd", start=(0.0, 0.0), steps=300, lr=1.0)
    assert t.status == "max_steps" and t.points[-1, 0] == pytest.approx(-3.0)


def test_chunks_and_mid_run_retuning_equal_an_unpaused_run() -> None:
    s = core.surface("rosenbrock")
    spec = RunSpec("adam", (-1.0, 2.0), {"lr": 0.01})
    whole = Race(s, [spec], steps=300).run()[0]
    race = Race(s, [spec], steps=300)
    chunks = [race.advance(n)[0] for n in (1, 7, 100, 500)]
    assert np.array_equal(np.concatenate([c.points for c in chunks]), whole.points)
    assert np.array_equal(np.concatenate([c.values for c in chunks]), whole.values)

    # retune after 100 steps == a run whose lr changes at step 100 (by hand, same state)
    race = Race(s, [spec], steps=300)
    race.advance(100)
    race.retune(0, {"lr": 0.002})
    race.advance(1000)
    retuned = race.trajectories()[0]
    hp = core.optimizers.OPTIMIZERS["adam"].validate({"lr": 0.01})
    P, state = np.array([[-1.0, 2.0]]), core.optimizers.adam_init(np.zeros((1, 2)))
    for k in range(300):
        lr = 0.01 if k < 100 else 0.002
        update, state = core.optimizers.adam_update(s.grad(P), state, P, hp, lr)
        P = P + update
    np.testing.assert_allclose(retuned.points[-1], P[0], rtol=1e-13)
    assert retuned.params["lr"] == 0.002


def test_scheduled_changes_replay_a_live_retune_by_hand() -> None:
    # A link carries the retunes made during a race as (step, params): replayed, the path
    # must be the hand-written loop whose lr changes at steps 37 and 150 (optimizer state
    # kept), and equal to the live race retuned at those steps.
    s = core.surface("rosenbrock")
    changes = ((37, {"lr": 0.002}), (150, {"lr": 0.02, "betas": (0.5, 0.999)}))
    spec = RunSpec("adam", (-1.0, 2.0), {"lr": 0.01}, changes=changes)
    replayed = Race(s, [spec, RunSpec("sgd", (1.0, 1.0), {"lr": 1e-4})], steps=300).run()[0]
    P, state = np.array([[-1.0, 2.0]]), core.optimizers.adam_init(np.zeros((1, 2)))
    hp = dict(core.optimizers.OPTIMIZERS["adam"].validate({"lr": 0.01}))
    for k in range(300):
        if k == 37:
            hp["lr"] = 0.002
        if k == 150:
            hp["lr"], hp["betas"] = 0.02, (0.5, 0.999)
        update, state = core.optimizers.adam_update(s.grad(P), state, P, hp, hp["lr"])
        P = P + update
        np.testing.assert_allclose(replayed.points[k + 1], P[0], rtol=1e-12)
    assert replayed.lrs[36] == 0.01 and replayed.lrs[37] == 0.002 and replayed.lrs[150] == 0.02

    live = Race(s, [RunSpec("adam", (-1.0, 2.0), {"lr": 0.01})], steps=300)
    live.advance(37)
    live.retune(0, {"lr": 0.002})
    live.advance(113)
    live.retune(0, {"lr": 0.02, "betas": (0.5, 0.999)})
    live.advance(1000)
    np.testing.assert_array_equal(live.trajectories()[0].points, replayed.points)


@pytest.mark.parametrize(("changes", "message"), [
    (((0, {"lr": 0.1}),), "rising from 1"),
    (((50, {"lr": 0.1}), (50, {"lr": 0.2})), "rising from 1"),
    (((10, {"lr": -1.0}),), "lr"),
    (tuple((k, {"lr": 0.1}) for k in range(1, 66)), "at most 64"),
])
def test_invalid_scheduled_changes_say_what_to_change(
        changes: tuple[tuple[int, dict[str, float]], ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Race(core.surface("bowl"), [RunSpec("adam", (1.0, 1.0), {"lr": 0.01}, changes=changes)],
             steps=100)


def test_a_race_is_one_batch_and_equals_separate_runs() -> None:
    s = core.surface("himmelblau")
    specs = [RunSpec("sgd", (0.0, 0.0), {"lr": 0.01}), RunSpec("adam", (1.0, -1.0), {"lr": 0.1}),
             RunSpec("rmsprop", (-2.0, 2.0), {"lr": 0.01}, schedule="cosine",
                     schedule_params={"T_max": 100})]
    together = Race(s, specs, steps=200).run()
    for spec, t in zip(specs, together, strict=True):
        alone = Race(s, [spec], steps=200).run()[0]
        np.testing.assert_array_equal(alone.points, t.points)


def test_noise_and_batches_are_deterministic_per_seed() -> None:
    s = core.surface("himmelblau")
    spec = RunSpec("sgd", (0.0, 0.0), {"lr": 0.01}, noise=5.0)
    a = Race(s, [spec], steps=50, seed=1).run()[0]
    b = Race(s, [spec], steps=50, seed=1).run()[0]
    c = Race(s, [spec], steps=50, seed=2).run()[0]
    assert np.array_equal(a.points, b.points) and not np.array_equal(a.points, c.points)
    clean = Race(s, [RunSpec("sgd", (0.0, 0.0), {"lr": 0.01})], steps=50).run()[0]
    noise = a.grads[0] - clean.grads[0]
    assert 0 < np.abs(noise).max() < 40  # N(0, 5^2) noise, a few sigma at most

    data = core.surface("linear_regression")
    mini = [RunSpec("sgd", (0.0, 0.0), {"lr": 0.01}, batch_size=bs) for bs in (1, 8, None)]
    r1 = Race(data, mini, steps=30, seed=5).run()
    r2 = Race(data, mini, steps=30, seed=5).run()
    for x, y in zip(r1, r2, strict=True):
        assert np.array_equal(x.points, y.points)
    full_grad = data.grad(r1[0].points[1:2])
    assert not np.allclose(r1[0].grads[1], full_grad)  # batch size 1 is a noisy estimate
    np.testing.assert_allclose(r1[2].grads[1], data.grad(r1[2].points[1:2])[0])


def test_eigen_records_on_request() -> None:
    t = optimize(core.surface("saddle"), "sgd", start=(1.0, 0.5), steps=5, lr=0.1, eigen=True)
    assert t.eigenvalues is not None and t.eigenvectors is not None
    np.testing.assert_allclose(t.eigenvalues, np.tile([-2.0, 2.0], (6, 1)))


def test_the_opening_is_the_first_point_of_every_path_before_a_step() -> None:
    # Himmelblau f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2; at (1, 1): 81 + 25 = 106; its
    # Hessian there [[4(3x^2 + y - 11) + 2, 4x + 4y], [4x + 4y, 4(x + 3y^2 - 7) + 2]]
    # = [[-26, 8], [8, -10]] has eigenvalues -18 -+ sqrt(8^2 + 8^2).
    specs = [RunSpec("adam", (1.0, 1.0), {"lr": 0.1}), RunSpec("newton", (1.0, 1.0)),
             RunSpec("sgd", (0.0, 0.0), {"lr": 0.01}, noise=0.5)]
    race = Race(core.surface("himmelblau"), specs, steps=30, seed=3, eigen=True)
    opening = race.opening()
    assert opening is not None and [len(t.points) for t in opening] == [1, 1, 1]
    assert opening[0].values[0] == 106.0 and opening[2].values[0] == 170.0  # 121 + 49
    assert opening[0].eigenvalues is not None
    np.testing.assert_allclose(opening[0].eigenvalues[0], [-18 - 128**0.5, -18 + 128**0.5])
    assert all(len(t.updates) == 0 and t.stop_step == 0 for t in opening)
    # Nothing was stepped or drawn: the race then records the same points, bit for bit,
    # as an identical race that never opened (the noisy run's generator untouched).
    first = race.advance(30)
    fresh = Race(core.surface("himmelblau"), specs, steps=30, seed=3, eigen=True).advance(30)
    for o, a, b in zip(opening, first, fresh, strict=True):
        assert np.array_equal(a.points, b.points) and np.array_equal(a.values, b.values)
        assert np.array_equal(o.points, a.points[:1]) and np.array_equal(o.values, a.values[:1])
        assert o.eigenvectors is not None and a.eigenvectors is not None
        assert np.array_equal(o.eigenvectors, a.eigenvectors[:1])
    assert race.opening() is None  # it has stepped


def test_no_opening_for_mini_batches() -> None:
    # A mini-batch run's first evaluation draws the first batch: it can't be previewed.
    surface = dataset_surface("linear_regression")
    race = Race(surface, [RunSpec("sgd", (0.0, 0.0), {"lr": 0.1}, batch_size=4)], steps=5)
    assert race.opening() is None


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"optimizer_id": "sgdd"}, "sgdd"),
    ({"steps": 0}, "steps"),
    ({"start": (float("nan"), 0.0)}, "start"),
    ({"lr": -0.1}, "lr"),
    ({"noise": -1.0}, "noise"),
    ({"batch_size": 4}, "batch_size"),
    ({"schedule": "nope"}, "nope"),
])
def test_bad_run_settings_are_value_errors(kwargs: dict[str, object], name: str) -> None:
    args: dict[str, object] = {"optimizer_id": "sgd", "start": (0.0, 0.0), "steps": 10}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        optimize(core.surface("bowl"), **args)  # type: ignore[arg-type]


def test_race_limits() -> None:
    with pytest.raises(ValueError, match="runs"):
        Race(core.surface("bowl"), [RunSpec("sgd", (0, 0))] * 17, steps=10)
    with pytest.raises(ValueError, match="steps"):
        Race(core.surface("bowl"), [RunSpec("sgd", (0, 0))], steps=10**7)


def test_basins_on_himmelblau_match_its_four_minima() -> None:
    s = core.surface("himmelblau")
    b = basins(s, "sgd", steps=400, resolution=41, lr=0.01)
    kinds = [c.kind for c in b.critical]
    reached = {int(i) for i in np.unique(b.labels) if i >= 0}
    assert {kinds[i] for i in reached} == {"minimum"} and len(reached) == 4
    # each quadrant's corner start falls into that quadrant's minimum
    corners = {(0, 0): (-3.779310, -3.283186), (0, -1): (3.584428, -1.848126),
               (-1, 0): (-2.805118, 3.131312), (-1, -1): (3.0, 2.0)}
    for (i, j), minimum in corners.items():
        label = b.labels[i, j]
        np.testing.assert_allclose(b.critical[label].point, minimum, atol=1e-5)
        assert b.status[i, j] == "converged"
    assert (b.final_values[b.labels >= 0] < 1e-8).all()
    assert b.steps_taken.max() <= 400 and b.labels.shape == (41, 41)


def test_basins_report_divergence() -> None:
    b = basins(core.surface("bowl"), "sgd", steps=50, resolution=5, lr=1.5)
    assert (b.status[np.abs(b.final_points).sum(axis=2) > 0] == "diverged").all()
    assert np.isfinite(b.final_points).all()
