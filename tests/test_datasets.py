"""Data-set surfaces: losses and gradients against numpy written out here by hand."""

from __future__ import annotations

import numpy as np
import pytest

from gradscape.core.datasets import DATASETS, dataset_surface

POINTS = np.array([[0.5, -0.3], [2.0, 1.0], [-1.5, 0.7]])


def _sig(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


ACT = {
    "sigmoid": (_sig, lambda z: _sig(z) * (1 - _sig(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
}


def test_linear_regression_matches_hand_written_mse() -> None:
    s = dataset_surface("linear_regression")
    u, t = s.data["u"], s.data["t"]
    w, b = POINTS[:, :1], POINTS[:, 1:]
    r = w * u + b - t
    v, g = s.value_and_grad(POINTS)
    np.testing.assert_allclose(v, np.mean(r**2, axis=1), rtol=1e-12)
    np.testing.assert_allclose(g, np.column_stack([np.mean(2 * r * u, 1), np.mean(2 * r, 1)]),
                               rtol=1e-12)


def test_standardizing_the_feature_makes_the_bowl_round() -> None:
    # Hessian of the MSE is 2 [[E u^2, E u], [E u, 1]]: condition number 1 once standardized.
    raw = np.linalg.eigvalsh(dataset_surface("linear_regression").hessian([[0.0, 0.0]])[0])
    scaled = np.linalg.eigvalsh(dataset_surface(
        "linear_regression", {"standardize": True}).hessian([[0.0, 0.0]])[0])
    assert raw[1] / raw[0] > 50
    assert scaled[1] / scaled[0] == pytest.approx(1.0, rel=1e-9)


def test_logistic_regression_cross_entropy() -> None:
    s = dataset_surface("logistic_regression")
    u, c = s.data["u"], s.data["c"]
    z = POINTS[:, :1] * u + POINTS[:, 1:]
    p = _sig(z)
    ce = np.mean(-c * np.log(p) - (1 - c) * np.log(1 - p), axis=1)
    v, g = s.value_and_grad(POINTS)
    np.testing.assert_allclose(v, ce, rtol=1e-10)
    np.testing.assert_allclose(g, np.column_stack([np.mean((p - c) * u, 1), np.mean(p - c, 1)]),
                               rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("activation", list(ACT))
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_single_neuron_backprop(activation: str, loss: str) -> None:
    s = dataset_surface("single_neuron", {"activation": activation, "loss": loss})
    u, c = s.data["u"], s.data["c"]
    f, df = ACT[activation]
    z = POINTS[:, :1] * u + POINTS[:, 1:]
    a = f(z)
    if loss == "mse":
        value, dloss_da = np.mean((a - c) ** 2, 1), 2 * (a - c)
    else:  # softmax cross-entropy with the neuron's output as the logit
        value, dloss_da = np.mean(np.log1p(np.exp(a)) - c * a, 1), _sig(a) - c
    chain = dloss_da * df(z)  # backprop by hand: dL/da * da/dz, then dz/dw = u, dz/db = 1
    v, g = s.value_and_grad(POINTS)
    np.testing.assert_allclose(v, value, rtol=1e-10)
    np.testing.assert_allclose(g, np.column_stack([np.mean(chain * u, 1), np.mean(chain, 1)]),
                               rtol=1e-9, atol=1e-14)


def test_sigmoid_mse_has_a_saturated_plateau_relu_does_not() -> None:
    # Far out along w the sigmoid saturates: the gradient all but vanishes (vanishing gradients).
    far = np.array([[0.0, 20.0]])  # every sample has w*u + b = 20
    sig = dataset_surface("single_neuron", {"activation": "sigmoid", "loss": "mse"})
    relu = dataset_surface("single_neuron", {"activation": "relu", "loss": "mse"})
    assert np.linalg.norm(sig.grad(far)) < 1e-6
    assert np.linalg.norm(relu.grad(far)) > 1.0


def test_mini_batches_are_real_subsets() -> None:
    s = dataset_surface("linear_regression", {"samples": 32, "seed": 7})
    idx = np.array([3, 10, 31])
    u, t = s.data["u"][idx], s.data["t"][idx]
    r = POINTS[:, :1] * u + POINTS[:, 1:] - t
    np.testing.assert_allclose(s.value(POINTS, batch=idx), np.mean(r**2, 1), rtol=1e-12)
    np.testing.assert_allclose(s.grad(POINTS, batch=idx)[:, 1], np.mean(2 * r, 1), rtol=1e-12)


def test_same_seed_same_data_other_seed_other_data() -> None:
    a = dataset_surface("logistic_regression", {"seed": 3}).data["u"]
    b = dataset_surface("logistic_regression", {"seed": 3}).data["u"]
    c = dataset_surface("logistic_regression", {"seed": 4}).data["u"]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize(("dataset", "options", "message"), [
    ("linear_regression", {"samples": 0}, "samples"),
    ("linear_regression", {"samples": 10**7}, "samples"),
    ("single_neuron", {"activation": "softmax"}, "activation"),
    ("single_neuron", {"colour": 1}, "colour"),
    ("linear_regression", {"standardize": "yes"}, "standardize"),
    ("no_such_set", {}, "no_such_set"),
])
def test_bad_options_name_the_option(dataset: str, options: dict[str, object],
                                     message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataset_surface(dataset, options)


def test_every_dataset_has_both_descriptions() -> None:
    for spec in DATASETS.values():
        assert spec.description["en"] and any("\u4e00" <= ch <= "\u9fff"
                                               for ch in spec.description["zh"])
