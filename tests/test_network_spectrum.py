"""Hessian spectrum, minimum ratio and Lanczos' λmax against dense eigenvalues of torch's
Hessian."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import gradscape.core as core
from gradscape.core.spectrum import lambda_max, lanczos_top
from tests.torch_mlp import loss_fn

PROB = core.network_problem("spirals", hidden=(8, 8), activation="tanh", samples=80, seed=1)


def test_spectrum_equals_torch_hessian_eigenvalues() -> None:
    theta = PROB.init(2)
    H = torch.func.hessian(loss_fn(PROB))(torch.tensor(theta)).numpy()
    expected = np.linalg.eigvalsh(H)
    sp = core.hessian_spectrum(PROB, theta)
    np.testing.assert_allclose(sp.eigenvalues, expected, atol=1e-8)
    assert np.all(np.diff(sp.eigenvalues) >= 0)
    assert sp.lambda_max == pytest.approx(expected[-1])
    # min_ratio: positive eigenvalues (beyond rounding) over all of them
    tol = len(expected) * np.finfo(float).eps * np.abs(expected).max()
    assert sp.min_ratio == np.sum(expected > tol) / len(expected)
    assert 0 < sp.min_ratio < 1  # a random initialization is a saddle-like point


def test_min_ratio_is_one_on_a_convex_quadratic_and_counts_flat_directions_apart() -> None:
    linear = core.network_problem("sine", hidden=(), samples=30)
    sp = core.hessian_spectrum(linear, linear.init(0))
    # MSE of a line: H = 2/n [[Σu², Σu], [Σu, n]], positive definite
    u = linear.X[:, 0]
    H = 2 / len(u) * np.array([[u @ u, u.sum()], [u.sum(), len(u)]])
    np.testing.assert_allclose(sp.eigenvalues, np.linalg.eigvalsh(H), rtol=1e-12)
    assert sp.min_ratio == 1.0 and sp.negative == 0
    relu = core.network_problem("moons", hidden=(4,), activation="relu", samples=40)
    theta = relu.init(0)
    theta[0:8] = 0.0  # every first-layer weight zero and biases negative: all units dead
    theta[8:12] = -1.0
    sp = core.hessian_spectrum(relu, theta)
    # the dead units' parameters are flat directions: neither positive nor negative
    assert sp.positive + sp.negative < relu.n_params


@pytest.mark.parametrize("warm", [False, True])
def test_lanczos_lambda_max_matches_dense(warm: bool) -> None:
    theta = PROB.init(0)
    top = lambda_max(PROB, theta)
    dense = np.linalg.eigvalsh(PROB.hessian(theta))[-1]
    assert top.value == pytest.approx(dense, rel=1e-6)
    if warm:  # from a nearby point's eigenvector it needs fewer products
        near = lambda_max(PROB, theta + 1e-3 * PROB.init(1), start=top.vector)
        assert near.products < top.products
    assert top.products <= 20


def test_lanczos_on_a_known_matrix() -> None:
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.normal(size=(50, 50)))
    lam = np.linspace(-3.0, 2.0, 50)
    A = Q @ np.diag(lam) @ Q.T
    top = lanczos_top(lambda v: A @ v, rng.normal(size=50), iterations=50, tolerance=1e-10)
    assert top.value == pytest.approx(2.0, rel=1e-8)
    assert abs(abs(top.vector @ Q[:, -1]) - 1.0) < 1e-6


def test_hessian_size_limit() -> None:
    big = core.network_problem("moons", hidden=(64, 64), samples=10)
    with pytest.raises(ValueError, match="Invalid network for a full Hessian"):
        big.hessian(big.init(0))
