"""core.train against torch.optim (full batch and epochs of mini-batches, schedules included),
the records it keeps, divergence, and the stability thresholds on an exact quadratic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import gradscape.core as core
from gradscape.core.training import network_optimizers
from tests.torch_mlp import data_loss, flat, modules

PROB = core.network_problem("moons", hidden=(6, 5), activation="tanh", samples=40,
                            test_samples=20, seed=2, weight_decay=0.001)

# An exact quadratic: a network with no hidden layer, trained with MSE.
LINEAR = core.network_problem("sine", hidden=(), samples=50, seed=1)

TORCH: dict[str, tuple[Callable[..., torch.optim.Optimizer], dict[str, Any]]] = {
    "sgd": (torch.optim.SGD, {"lr": 0.3, "weight_decay": 0.01}),
    "momentum": (lambda p, **h: torch.optim.SGD(p, momentum=0.9, **h),
                 {"lr": 0.05, "dampening": 0.1}),
    "nesterov": (lambda p, **h: torch.optim.SGD(p, momentum=0.9, nesterov=True, **h),
                 {"lr": 0.05}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.01,
                                      "initial_accumulator_value": 0.1}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 0.01, "momentum": 0.5, "centered": True}),
    "adam": (torch.optim.Adam, {"lr": 0.02, "amsgrad": True, "betas": (0.8, 0.99)}),
    "adamw": (torch.optim.AdamW, {"lr": 0.02}),
}


def _torch_path(prob: Any, opt_id: str, theta0: np.ndarray, steps: int,
                batches: list[np.ndarray] | None = None,
                scheduler: Callable[[torch.optim.Optimizer], Any] | None = None) -> np.ndarray:
    make, hp = TORCH[opt_id]
    model = modules(prob, theta0)
    opt = make(model.parameters(), **hp)
    sched = scheduler(opt) if scheduler else None
    X, y = torch.tensor(prob.X), prob.y
    path = [flat(model)]
    for k in range(steps):
        idx = np.arange(len(y)) if batches is None else batches[k]
        opt.zero_grad()
        loss = data_loss(prob, model(X[idx]), y[idx])
        if prob.weight_decay:
            loss = loss + 0.5 * prob.weight_decay * sum((p * p).sum() for p in model.parameters())
        loss.backward()
        opt.step()
        if sched:
            sched.step()
        path.append(flat(model))
    return np.array(path)


def test_every_network_optimizer_is_tested() -> None:
    assert set(network_optimizers()) - {"random_local_search"} == set(TORCH)


@pytest.mark.parametrize("opt_id", sorted(TORCH))
def test_full_batch_trajectory_equals_torch(opt_id: str) -> None:
    theta0 = PROB.init(3)
    tr = core.train(PROB, opt_id, steps=60, start=theta0, **TORCH[opt_id][1])
    assert tr.status == "max_steps" and tr.updates == 60
    np.testing.assert_allclose(tr.thetas, _torch_path(PROB, opt_id, theta0, 60), rtol=0,
                               atol=1e-6)
    assert tr.thetas.shape == (61, PROB.n_params)


def test_schedule_with_warmup_equals_torch_schedulers() -> None:
    theta0 = PROB.init(1)
    tr = core.train(PROB, "adam", steps=40, start=theta0, lr=0.02, schedule="step",
                    schedule_params={"step_size": 10, "gamma": 0.5, "warmup_steps": 5,
                                     "warmup_start_factor": 0.2})
    sched = lambda o: torch.optim.lr_scheduler.SequentialLR(  # noqa: E731
        o, [torch.optim.lr_scheduler.LinearLR(o, start_factor=0.2, total_iters=5),
            torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5)], milestones=[5])
    saved = TORCH["adam"]
    TORCH["adam"] = (torch.optim.Adam, {"lr": 0.02})
    try:
        ref = _torch_path(PROB, "adam", theta0, 40, scheduler=sched)
    finally:
        TORCH["adam"] = saved
    np.testing.assert_allclose(tr.thetas, ref, rtol=0, atol=1e-6)


def test_minibatch_epochs_reshuffle_and_equal_torch() -> None:
    theta0, n, bs = PROB.init(4), 40, 16
    tr = core.train(PROB, "sgd", steps=9, start=theta0, batch_size=bs, seed=7, lr=0.3,
                    weight_decay=0.01)
    # the documented contract: epochs of np.random.default_rng([seed, 11]) permutations,
    # cut into consecutive batches, the last one of each epoch short (40 = 16 + 16 + 8)
    rng = np.random.default_rng([7, 11])
    batches: list[np.ndarray] = []
    while len(batches) < 9:
        perm = rng.permutation(n)
        batches += [perm[lo:lo + bs] for lo in range(0, n, bs)]
    assert [len(b) for b in batches[:4]] == [16, 16, 8, 16]
    np.testing.assert_allclose(tr.thetas, _torch_path(PROB, "sgd", theta0, 9, batches),
                               rtol=0, atol=1e-6)
    np.testing.assert_allclose(tr.epochs[[0, 1, 2, 3, 6, 9]],
                               [0, 0.4, 0.8, 1.0, 2.0, 3.0])
    full = core.train(PROB, "sgd", steps=9, start=theta0, lr=0.3, weight_decay=0.01)
    assert not np.allclose(full.thetas[-1], tr.thetas[-1])  # the noise is really there


def test_records_are_the_losses_and_accuracies_at_each_iterate() -> None:
    tr = core.train(PROB, "adam", steps=30, start=PROB.init(0), batch_size=8, lr=0.05)
    np.testing.assert_allclose(tr.train_loss, PROB.loss(tr.thetas), atol=1e-12)
    np.testing.assert_allclose(tr.test_loss, PROB.loss(tr.thetas, PROB.X_test, PROB.y_test),
                               atol=1e-12)
    for k in (0, 17, 30):
        acc = np.mean(np.argmax(PROB.predict(tr.thetas[k], PROB.X), axis=1) == PROB.y)
        tacc = np.mean(np.argmax(PROB.predict(tr.thetas[k], PROB.X_test), axis=1)
                       == PROB.y_test)
        assert tr.train_acc is not None and tr.test_acc is not None
        assert tr.train_acc[k] == acc and tr.test_acc[k] == tacc
    assert tr.grad_norm.shape == (30,) and np.all(tr.grad_norm > 0)
    assert tr.train_loss[-1] < tr.train_loss[0]


def test_full_batch_grad_norm_is_the_gradient_norm() -> None:
    tr = core.train(PROB, "momentum", steps=10, start=PROB.init(0), lr=0.1)
    np.testing.assert_allclose(tr.grad_norm, np.linalg.norm(PROB.grad(tr.thetas[:-1]), axis=1))


def test_regression_has_no_accuracy_and_learns_the_sine() -> None:
    prob = core.network_problem("sine", hidden=(16,), samples=100, noise=0.05)
    tr = core.train(prob, "adam", steps=400, lr=0.03)
    assert tr.train_acc is None and tr.test_acc is None
    assert tr.test_loss[-1] < 0.1 * tr.test_loss[0]


def test_divergence_is_a_status() -> None:
    for prob, hp in ((LINEAR, {"lr": 50.0}), (PROB, {"lr": 1000.0, "weight_decay": 1.0})):
        tr = core.train(prob, "sgd", steps=200, **hp)
        assert tr.status == "diverged"
        assert tr.updates < 200 and np.all(np.isfinite(tr.train_loss))
        assert tr.thetas.shape[0] == tr.updates + 1 and np.all(np.abs(tr.thetas) <= 1e8)


def test_random_local_search_never_increases_the_loss() -> None:
    tr = core.train(PROB, "random_local_search", steps=50, step_size=0.05)
    assert np.all(np.diff(tr.train_loss) <= 0) and tr.train_loss[-1] < tr.train_loss[0]




def _lam() -> float:
    return float(np.linalg.eigvalsh(LINEAR.hessian(np.zeros(LINEAR.n_params)))[-1])


@pytest.mark.parametrize(("opt_id", "beta", "damp"), [
    ("sgd", 0.0, 0.0), ("momentum", 0.9, 0.0), ("momentum", 0.5, 0.6), ("nesterov", 0.9, 0.0)])
def test_threshold_separates_stable_from_unstable(opt_id: str, beta: float,
                                                  damp: float) -> None:
    lam = _lam()
    extra = {"momentum": beta, "dampening": damp} if opt_id != "sgd" else {}
    tr = core.train(LINEAR, opt_id, steps=1, lr=0.1, sharpness_every=1, **extra)
    eta = 0.1
    assert tr.sharpness[0] == pytest.approx(lam, rel=1e-6)
    # the threshold on ηλ, derived by hand for each linear recurrence on a quadratic:
    # (2 + 2β)/(1 - τ) for heavy ball with dampening τ, (2 + 2β)/(1 + 2β) for Nesterov
    bound = (2 + 2 * beta) / (1 + 2 * beta) if opt_id == "nesterov" else \
        (2 + 2 * beta) / (1 - damp)
    assert tr.threshold[0] == pytest.approx(bound / eta)
    for factor, grows in ((0.97, False), (1.03, True)):
        run = core.train(LINEAR, opt_id, steps=3000, lr=factor * bound / lam, **extra)
        last = run.train_loss[-1] if run.status != "diverged" else np.inf
        assert (last > run.train_loss[0]) == grows, (factor, run.status)


def test_adam_preconditioned_sharpness_is_the_eigenvalue_of_p_inverse_h() -> None:
    tr = core.train(PROB, "adam", steps=12, lr=0.01, sharpness_every=6)
    assert tr.preconditioned is not None and np.isnan(tr.preconditioned[0])
    # rebuild the state at step 6 from torch's Adam: P = (1 - β1^t)(sqrt(v / (1 - β2^t)) + ε)
    model = modules(PROB, PROB.init(0))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    X = torch.tensor(PROB.X)
    for _ in range(6):
        opt.zero_grad()
        loss = data_loss(PROB, model(X), PROB.y) + 0.5 * PROB.weight_decay * sum(
            (p * p).sum() for p in model.parameters())
        loss.backward()
        opt.step()
    v = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            v += [opt.state[m.weight]["exp_avg_sq"].numpy().T.ravel(),
                  opt.state[m.bias]["exp_avg_sq"].numpy()]
    P = (1 - 0.9**6) * (np.sqrt(np.concatenate(v) / (1 - 0.999**6)) + 1e-8)
    H = PROB.hessian(flat(model))
    expected = np.max(np.linalg.eigvals(H / P[:, None]).real)
    assert tr.preconditioned[1] == pytest.approx(expected, rel=1e-5)
    assert tr.threshold[1] == pytest.approx((2 + 1.8) / (0.1 * 0.01))


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"optimizer_id": "newton"}, "optimizer"), ({"optimizer_id": "lbfgs"}, "optimizer"),
    ({"steps": 0}, "steps"), ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 41}, "batch_size"), ({"start": np.zeros(3)}, "start"),
    ({"lr": -1.0}, "lr"), ({"schedule": "cyclic"}, "schedule"),
    ({"sharpness_every": -2}, "sharpness_every"),
])
def test_bad_training_specs(kwargs: dict[str, Any], field: str) -> None:
    args = {"optimizer_id": "sgd", "steps": 5, **kwargs}
    with pytest.raises(ValueError, match=f"Invalid {field}"):
        core.train(PROB, **args)
