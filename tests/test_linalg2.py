"""Closed-form 2x2 eigen-decomposition against LAPACK (np.linalg.eigh)."""

from __future__ import annotations

import numpy as np

from gradscape.core.linalg2 import eigh2


def _cases() -> np.ndarray:
    rng = np.random.default_rng(5)
    A = rng.normal(size=(500, 2, 2)) * rng.uniform(1e-3, 1e3, size=(500, 1, 1))
    H = A + np.swapaxes(A, 1, 2)
    special = np.array([np.diag([3.0, 1.0]), np.diag([1.0, 3.0]), np.eye(2), np.zeros((2, 2)),
                        [[0.0, 1.0], [1.0, 0.0]], [[2.0, -1.0], [-1.0, 2.0]], np.diag([-4.0, -4.0]),
                        [[1.0, 1e-12], [1e-12, 1.0]]])
    return np.concatenate([H, special])


def test_eigenvalues_match_lapack_and_ascend() -> None:
    H = _cases()
    values, _ = eigh2(H)
    expected = np.linalg.eigvalsh(H)
    scale = np.abs(H).max(axis=(1, 2), keepdims=False)[:, None] + 1e-300
    assert (np.abs(values - expected) / scale).max() < 1e-13
    assert (values[:, 0] <= values[:, 1]).all()


def test_eigenvectors_are_orthonormal_and_solve_the_problem() -> None:
    H = _cases()
    values, vectors = eigh2(H)
    gram = np.einsum("nij,nik->njk", vectors, vectors)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(2), gram.shape), atol=1e-14)
    residual = H @ vectors - vectors * values[:, None, :]
    scale = np.abs(H).max(axis=(1, 2))[:, None, None] + 1e-300
    assert (np.abs(residual) / scale).max() < 1e-13
