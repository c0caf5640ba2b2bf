"""The network's loss, gradient, Hessian-vector products, Hessian and predictions against torch
(float64), on several data sets, depths and activations; and its bad specs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import gradscape.core as core
from tests.torch_mlp import loss_fn, modules

CASES = [
    ("moons", (16, 16), "tanh", 0.0),
    ("spirals", (8,), "relu", 0.01),
    ("blobs", (5, 4, 3), "softplus", 0.0),
    ("sine", (10,), "sigmoid", 0.1),
    ("xor", (), "tanh", 0.0),
    ("circles", (6, 6, 6, 6), "leaky_relu", 0.0),
]


def _problem(dataset: str, hidden: tuple[int, ...], act: str, wd: float) -> Any:
    return core.network_problem(dataset=dataset, hidden=hidden, activation=act, samples=60,
                                test_samples=30, weight_decay=wd, seed=3,
                                classes=3 if dataset == "blobs" else None)


@pytest.mark.parametrize(("dataset", "hidden", "act", "wd"), CASES)
def test_loss_grad_hvp_hessian_equal_torch(dataset: str, hidden: tuple[int, ...], act: str,
                                           wd: float) -> None:
    prob = _problem(dataset, hidden, act, wd)
    f = loss_fn(prob)
    thetas = np.stack([prob.init(s) * (1 + s) for s in range(3)])  # larger weights too
    values, grads = prob.loss_and_grad(thetas)
    np.testing.assert_allclose(prob.loss(thetas), values, rtol=0, atol=1e-12)
    V = np.random.default_rng(1).normal(size=(5, prob.n_params))
    for i, theta in enumerate(thetas):
        t = torch.tensor(theta, requires_grad=True)
        loss = f(t)
        (g,) = torch.autograd.grad(loss, t, create_graph=True)
        assert abs(values[i] - loss.item()) < 1e-8
        np.testing.assert_allclose(grads[i], g.detach().numpy(), rtol=0, atol=1e-8)
        hv = np.stack([torch.autograd.grad(g @ torch.tensor(v), t, retain_graph=True)[0].numpy()
                       for v in V])
        np.testing.assert_allclose(prob.hvp(theta, V), hv, rtol=0, atol=1e-8)
    H = torch.func.hessian(f)(torch.tensor(thetas[1])).numpy()
    np.testing.assert_allclose(prob.hessian(thetas[1]), H, rtol=0, atol=1e-8)


@pytest.mark.parametrize(("dataset", "hidden", "act", "wd"), CASES[:4])
def test_predict_equals_torch_modules(dataset: str, hidden: tuple[int, ...], act: str,
                                      wd: float) -> None:
    prob = _problem(dataset, hidden, act, wd)
    theta = prob.init(5)
    with torch.no_grad():
        out = modules(prob, theta)(torch.tensor(prob.X_test))
    if prob.task == "regression":
        np.testing.assert_allclose(prob.predict(theta, prob.X_test), out[:, 0].numpy(),
                                   atol=1e-12)
    else:
        np.testing.assert_allclose(prob.predict(theta, prob.X_test),
                                   torch.softmax(out, dim=1).numpy(), atol=1e-12)


def test_parameter_count_and_layout() -> None:
    prob = core.network_problem("spirals", hidden=(32, 32), samples=50)
    assert prob.n_params == 1218  # the 2-32-32-2 network
    theta = np.arange(prob.n_params, dtype=np.float64)
    # Layer 0's W is (2, 32) row-major: W[1, 0] is element 32; b follows the 64 weights.
    model = modules(prob, theta)
    assert model[0].weight[0, 1].item() == 32.0
    assert model[0].bias[0].item() == 64.0


def test_init_is_torch_linear_default_range() -> None:
    prob = core.network_problem("moons", hidden=(4, 64), samples=50)
    theta = prob.init(seed=1)
    for layer in prob.layers:
        part = theta[layer.offset:layer.offset + layer.size]
        bound = 1.0 / np.sqrt(layer.fan_in)
        assert np.all(np.abs(part) <= bound)
        if part.size >= 100:  # uniform over the whole range: |u| has mean bound/2
            assert np.max(np.abs(part)) > 0.9 * bound
            assert abs(np.mean(np.abs(part)) / bound - 0.5) < 0.1
    np.testing.assert_array_equal(prob.init(seed=1), theta)
    assert not np.array_equal(prob.init(seed=2), theta)


def test_loss_batch_of_many_points_matches_one_by_one() -> None:
    prob = core.network_problem("circles", hidden=(64,), samples=300)
    T = prob.init(0) + np.random.default_rng(0).normal(size=(700, prob.n_params)) * 0.3
    one = np.array([loss_fn(prob)(torch.tensor(t)).item() for t in T[::70]])
    np.testing.assert_allclose(prob.loss(T)[::70], one, atol=1e-10)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"dataset": "mnist"}, "dataset"),
    ({"hidden": (0,)}, "hidden"),
    ({"hidden": (65,)}, "hidden"),
    ({"hidden": (4, 4, 4, 4, 4)}, "hidden"),
    ({"hidden": "16"}, "hidden"),
    ({"activation": "gelu"}, "activation"),
    ({"samples": 1}, "samples"),
    ({"samples": 10_000}, "samples"),
    ({"test_samples": 0}, "test_samples"),
    ({"noise": -0.1}, "noise"),
    ({"noise": 5.0}, "noise"),
    ({"seed": -1}, "seed"),
    ({"weight_decay": -1.0}, "weight_decay"),
    ({"dataset": "moons", "classes": 3}, "classes"),
])
def test_bad_specs_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=f"Invalid {field}"):
        core.network_problem(**kwargs)


def test_bad_shapes_name_the_argument() -> None:
    prob = core.network_problem("moons", hidden=(3,), samples=20)
    with pytest.raises(ValueError, match="Invalid theta"):
        prob.loss(np.zeros((2, prob.n_params + 1)))
    with pytest.raises(ValueError, match="Invalid V"):
        prob.hvp(np.zeros(prob.n_params), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="Invalid X"):
        prob.predict(np.zeros(prob.n_params), np.zeros((4, 3)))
