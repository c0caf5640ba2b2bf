"""Closed-form eigen-decomposition of symmetric 2x2 matrices, vectorised over a batch.

np.linalg.eigh on (N, 2, 2) loops over LAPACK calls per matrix; the 2x2 case has a closed
form that runs as a handful of array operations for all N at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def eigh2(H: Array) -> tuple[Array, Array]:
    """Eigenvalues ascending (N, 2) and unit eigenvectors as columns (N, 2, 2).

    For [[a, b], [b, d]]: λ = (a+d)/2 ∓ sqrt(((a-d)/2)^2 + b^2). The eigenvector of the
    larger eigenvalue is the rotation angle θ with tan 2θ = 2b / (a - d); the smaller one is
    perpendicular. Using the angle avoids the cancellation of the textbook (b, λ - a) form.
    """
    a, b, d = H[..., 0, 0], H[..., 0, 1], H[..., 1, 1]
    mean = 0.5 * (a + d)
    half_diff = 0.5 * (a - d)
    radius = np.hypot(half_diff, b)
    values = np.stack([mean - radius, mean + radius], axis=-1)
    theta = 0.5 * np.arctan2(b, half_diff)  # direction of the larger eigenvalue
    c, s = np.cos(theta), np.sin(theta)
    vectors = np.empty(H.shape, dtype=np.float64)
    vectors[..., 0, 1], vectors[..., 1, 1] = c, s  # larger eigenvalue: second column
    vectors[..., 0, 0], vectors[..., 1, 0] = -s, c  # smaller: perpendicular, first column
    return values, vectors
