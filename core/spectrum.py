"""Curvature of a network's loss: the sharpness λmax by Lanczos, and the full Hessian spectrum.

λmax needs only Hessian-vector products (exact ones, from the engine), so it is cheap enough
to sample along training; warm-started from the previous sample's top eigenvector, Lanczos
usually converges in a handful of products. The full spectrum diagonalizes the dense
Hessian and gives the course notes' "minimum ratio": the fraction of positive eigenvalues
(1 at a local minimum, below 1 at a saddle point).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from gradscape.core.network import NetworkProblem

Array = NDArray[np.float64]
MatVec = Callable[[Array], Array]  # (P,) -> (P,)

LANCZOS_ITERATIONS = 20
LANCZOS_TOLERANCE = 1e-3  # relative residual of the top Ritz pair at which to stop: the
# Ritz value is then accurate to about its square (1e-6), plenty for a plot against 2/η


@dataclass(frozen=True)
class TopEigen:
    value: float
    vector: Array  # (P,), unit length
    products: int  # matrix-vector products used


def lanczos_top(matvec: MatVec, start: Array, iterations: int = LANCZOS_ITERATIONS,
                tolerance: float = LANCZOS_TOLERANCE) -> TopEigen:
    """The largest (algebraic) eigenvalue of a symmetric operator and its eigenvector.

    Lanczos with full re-orthogonalization (P is small, so keeping the basis is cheap and
    avoids ghost eigenvalues); stops when the Ritz pair's residual |β_m s_m| falls below
    tolerance·|θ|.
    """
    n = start.shape[0]
    q = start / np.linalg.norm(start)
    basis = np.empty((min(iterations, n) + 1, n))
    basis[0] = q
    alphas: list[float] = []
    betas: list[float] = []
    value, vector = 0.0, q
    for m in range(min(iterations, n)):
        w = matvec(basis[m])
        alpha = float(basis[m] @ w)
        w = w - basis[:m + 1].T @ (basis[:m + 1] @ w)  # full re-orthogonalization, twice
        w = w - basis[:m + 1].T @ (basis[:m + 1] @ w)
        beta = float(np.linalg.norm(w))
        alphas.append(alpha)
        T = np.diag(alphas) + np.diag(betas, 1) + np.diag(betas, -1)
        evals, evecs = np.linalg.eigh(T)
        value, s = float(evals[-1]), evecs[:, -1]
        vector = basis[:m + 1].T @ s
        if beta * abs(s[-1]) <= tolerance * max(abs(value), 1e-30) or beta < 1e-14:
            return TopEigen(value, vector / np.linalg.norm(vector), m + 1)
        betas.append(beta)
        basis[m + 1] = w / beta
    return TopEigen(value, vector / np.linalg.norm(vector), len(alphas))


def lambda_max(prob: NetworkProblem, theta: ArrayLike, start: Array | None = None,
               precondition: Array | None = None, seed: int = 0) -> TopEigen:
    """λmax of the Hessian at θ, or of P^{-1}H for a diagonal preconditioner P (> 0).

    P^{-1}H has the eigenvalues of the symmetric P^{-1/2} H P^{-1/2}, which is what Lanczos
    runs on; the returned vector is that symmetric operator's eigenvector.
    """
    t = np.asarray(theta, dtype=np.float64)
    v0: Array
    if start is None or not np.all(np.isfinite(start)) or not np.any(start):
        v0 = np.random.default_rng([seed, 5]).standard_normal(int(t.shape[0]))
    else:
        v0 = start
    if precondition is None:
        return lanczos_top(lambda v: prob.hvp(t, v)[0], v0)
    scale = 1.0 / np.sqrt(precondition)
    return lanczos_top(lambda v: scale * prob.hvp(t, scale * v)[0], v0)


@dataclass(frozen=True)
class Spectrum:
    """The Hessian's eigenvalues at one θ, with the counts the course notes talk about."""

    eigenvalues: Array  # (P,) ascending
    tolerance: float  # |λ| <= tolerance counts as zero (flat), not as positive or negative

    @property
    def lambda_max(self) -> float:
        return float(self.eigenvalues[-1])

    @property
    def lambda_min(self) -> float:
        return float(self.eigenvalues[0])

    @property
    def positive(self) -> int:
        return int(np.sum(self.eigenvalues > self.tolerance))

    @property
    def negative(self) -> int:
        return int(np.sum(self.eigenvalues < -self.tolerance))

    @property
    def min_ratio(self) -> float:
        """Positive eigenvalues / all eigenvalues: 1 at a strict local minimum."""
        return float(self.positive / self.eigenvalues.shape[0])


def hessian_spectrum(prob: NetworkProblem, theta: ArrayLike) -> Spectrum:
    """Every eigenvalue of the exact Hessian at θ (ascending) and the minimum ratio.

    An eigenvalue counts as positive above P·ε·max|λ| (numpy's matrix_rank tolerance), so
    rounding noise around an exactly flat direction (a dead ReLU unit) is not called
    curvature.
    """
    values = np.asarray(np.linalg.eigvalsh(prob.hessian(theta)), dtype=np.float64)
    tol = float(values.shape[0] * np.finfo(np.float64).eps * np.max(np.abs(values)))
    return Spectrum(values, tol)
