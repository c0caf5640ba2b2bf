"""Honest low-dimensional slices of a network's high-dimensional loss (Li et al. 2018).

A slice is the loss on a plane θ = c + a·d₁ + b·d₂ through a point c (or on a line, for
interpolation). Four choices of directions:

- "pca": the top two principal directions of the runs' parameter paths (c = the first run's
  last iterate), with the fraction of the paths' variance they explain;
- "random": two Gaussian directions, filter-normalized: each filter (the incoming weights of
  one unit, a column of W) rescaled to the norm of the same filter of c, biases zero;
- "hessian": the top two eigenvectors of the Hessian at c;
- "interpolate": the line from the first run's start to its end (or between two runs' ends).

A path rarely lies in the plane, so each projected path carries its projection error: the
true loss at every iterate next to the slice's loss at the iterate's projection (and the
distance from the plane). `landscape_passes` computes a coarse 13x13 picture first, then the
full resolution, so a browser can show something at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gradscape.core.network import MAX_HESSIAN_PARAMS, NetworkProblem
from gradscape.core.spectrum import lanczos_top

Array = NDArray[np.float64]

PLANES = ("pca", "random", "hessian", "interpolate")
MIN_RESOLUTION = 3
MAX_RESOLUTION = 201
COARSE = 13
MAX_PATHS = 16
MARGIN = 1.25  # the grid reaches this far beyond the farthest projected iterate
BLOCK_POINTS = 512  # grid points built and evaluated per block (bounds memory for large P)


@dataclass(frozen=True)
class ProjectedPath:
    coords: Array  # (k+1, 2) plane coordinates (a, b), or (k+1, 1) along a line
    true_loss: Array  # (k+1,) loss at the iterates themselves
    slice_loss: Array  # (k+1,) loss at their projections onto the plane
    distance: Array  # (k+1,) ‖θ − projection‖: how far each iterate is from the plane

    @property
    def error(self) -> Array:
        """|true − slice| per iterate: what the picture hides about this path."""
        return np.asarray(np.abs(self.true_loss - self.slice_loss), dtype=np.float64)


@dataclass(frozen=True)
class Landscape:
    plane: str
    origin: Array  # (P,) the point c the slice passes through
    directions: Array  # (2, P) or (1, P)
    xs: Array  # (R,) coordinates along d₁
    ys: Array | None  # (R,) along d₂ (None for a line)
    loss: Array  # (R, R) with loss[j, i] at (xs[i], ys[j]); (R,) for a line
    explained_variance: Array | None  # (2,) for "pca": fractions of the paths' variance
    paths: list[ProjectedPath]
    resolution: int


def _paths_of(runs: Sequence[Any], n_params: int) -> list[Array]:
    if not isinstance(runs, Sequence) or isinstance(runs, str | np.ndarray) \
            or not 1 <= len(runs) <= MAX_PATHS:
        raise ValueError(f"Invalid runs: give a list of 1 to {MAX_PATHS} training results "
                         "(or parameter paths of shape (k+1, P))")
    paths = []
    for run in runs:
        thetas = np.asarray(getattr(run, "thetas", run), dtype=np.float64)
        if thetas.ndim != 2 or thetas.shape[1] != n_params or not np.all(np.isfinite(thetas)):
            raise ValueError(f"Invalid runs: a path of shape {thetas.shape} (expected finite "
                             f"(k+1, {n_params}))")
        paths.append(thetas)
    return paths


def filter_normalized(prob: NetworkProblem, center: Array, rng: np.random.Generator) -> Array:
    """A Gaussian direction with each filter scaled to the norm of that filter of `center`.

    A filter of a dense layer is one unit's incoming weights: a column of W (fan_in,
    fan_out) here, a row of torch's weight. Biases get 0 (Li et al.'s ignore='biasbn').
    """
    d = np.zeros(prob.n_params)
    for layer in prob.layers:
        lo, hi = layer.offset, layer.offset + layer.fan_in * layer.fan_out
        w = center[lo:hi].reshape(layer.fan_in, layer.fan_out)
        r = rng.standard_normal(w.shape)
        r *= np.linalg.norm(w, axis=0) / (np.linalg.norm(r, axis=0) + 1e-10)
        d[lo:hi] = r.reshape(-1)
    return d


def _pca(paths: list[Array], center: Array) -> tuple[Array, Array]:
    """Top two principal directions of all iterates minus c, and their explained variance.

    PCA of the (n, P) iterates through the smaller of their n x n Gram matrix and their
    P x P scatter matrix (the same nonzero eigenvalues s², the squared singular values):
    an eigen-decomposition of min(n, P)² instead of an SVD of n x P. A short race has n
    below P; four runs of 300 steps of a 354-parameter network have n = 1204 > P, where the
    Gram matrix's eigh took seconds and the scatter matrix's takes milliseconds.
    """
    M = np.concatenate(paths) - center
    M = M - M.mean(axis=0)
    gram = M.shape[0] <= M.shape[1]
    lam, U = np.linalg.eigh(M @ M.T if gram else M.T @ M)  # ascending; λ = s²
    lam = np.maximum(lam[::-1], 0.0)
    U = U[:, ::-1]
    total = float(np.sum(lam))
    dirs = np.zeros((2, center.shape[0]))
    ratio = np.zeros(2)
    for k in range(min(2, lam.shape[0])):
        if lam[k] > 1e-12 * max(total, 1e-300):
            d = U[:, k] @ M if gram else U[:, k]
            dirs[k] = d / np.linalg.norm(d)
            ratio[k] = lam[k] / total
    return dirs, ratio


def _top_eigenvectors(prob: NetworkProblem, theta: Array, seed: int) -> Array:
    """The Hessian's two eigenvectors of largest eigenvalue, as rows (2, P)."""
    if prob.n_params <= MAX_HESSIAN_PARAMS:
        _, vecs = np.linalg.eigh(prob.hessian(theta))
        return np.asarray(vecs[:, ::-1][:, :2].T, dtype=np.float64)
    first = lanczos_top(lambda v: prob.hvp(theta, v)[0],
                        np.random.default_rng([seed, 3]).standard_normal(prob.n_params))
    u = first.vector

    shift = first.value + abs(first.value) + 1.0  # moves λ₁ to −|λ₁| − 1, below λ₂ usually

    def deflated(v: Array) -> Array:  # H with its top eigenpair moved down
        hv = prob.hvp(theta, v)[0]
        return np.asarray(hv - shift * u * (u @ v))

    second = lanczos_top(deflated, np.random.default_rng([seed, 4]).standard_normal(
        prob.n_params), iterations=40)
    return np.stack([u, second.vector])


def _plane(prob: NetworkProblem, paths: list[Array], plane: str, seed: int,
           ends: tuple[Array, Array] | None,
           center: Array | None) -> tuple[Array, Array, Array | None]:
    """(origin, directions, explained variance) for the chosen kind of slice."""
    if plane == "interpolate":
        if ends is not None:
            a, b = ends
        elif len(paths) >= 2:
            a, b = paths[0][-1], paths[1][-1]
        else:
            a, b = paths[0][0], paths[0][-1]
        return a, (b - a)[None, :], None
    if center is None:
        center = paths[0][-1]
    if plane == "pca":
        dirs, ratio = _pca(paths, center)
        return center, dirs, ratio
    if plane == "random":
        rng = np.random.default_rng([seed, 9])
        return center, np.stack([filter_normalized(prob, center, rng) for _ in range(2)]), None
    return center, _top_eigenvectors(prob, center, seed), None


def project(paths: list[Array], origin: Array, dirs: Array) -> list[tuple[Array, Array]]:
    """Least-squares coordinates of every iterate in the plane and the projected points.

    One pseudo-inverse of the (P, D) directions serves every path (D = 1 or 2: an SVD of a
    thin matrix), instead of a least-squares solve per path: a few milliseconds less before
    a stream's first picture."""
    pinv = np.linalg.pinv(dirs)  # (P, D)
    out = []
    for thetas in paths:
        coords = (thetas - origin) @ pinv
        out.append((np.asarray(coords), origin + coords @ dirs))
    return out


def _grid_axis(coords: list[Array], axis: int, plane: str, resolution: int) -> Array:
    if plane == "interpolate":
        return np.linspace(-0.25, 1.25, resolution)
    reach = max(float(np.max(np.abs(c[:, axis]))) for c in coords)
    half = MARGIN * reach if reach > 1e-6 else 1.0
    return np.linspace(-half, half, resolution)


def _loss_on(prob: NetworkProblem, origin: Array, dirs: Array, coords: Array) -> Array:
    """The loss at origin + coords @ dirs for (M, D) coords, a block at a time."""
    out = np.empty(coords.shape[0])
    for lo in range(0, coords.shape[0], BLOCK_POINTS):
        block = coords[lo:lo + BLOCK_POINTS]
        out[lo:lo + block.shape[0]] = prob.loss(origin + block @ dirs)
    return out


def _check(plane: str, resolution: int) -> None:
    if plane not in PLANES:
        raise ValueError(f"Invalid plane: {plane!r} (choose one of {list(PLANES)})")
    if isinstance(resolution, bool) or not isinstance(resolution, int) \
            or not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"Invalid resolution: {resolution!r} (a whole number between "
                         f"{MIN_RESOLUTION} and {MAX_RESOLUTION})")


def landscape_passes(prob: NetworkProblem, runs: Sequence[Any], plane: str = "pca",
                     resolution: int = 51, *, seed: int = 0, coarse: int = COARSE,
                     ends: tuple[Any, Any] | None = None,
                     center: Any = None, defer_slice_loss: bool = False) -> Iterator[Landscape]:
    """The slice coarse to fine: first at `coarse` points a side (if below `resolution`),
    then at `resolution`. The plane and the projected paths are computed once.

    `defer_slice_loss`: on a 2D plane, the coarse pass's paths have NaN for `slice_loss`
    (the loss at each projected iterate, a network evaluation per iterate: most of a coarse
    picture's time for a long race); the fine pass has it. A stream's first picture
    comes sooner, its projection error with the fine one.

    `center` is the point the plane passes through (default: the first run's last iterate);
    `ends` the two parameter vectors of an interpolation (default: the first run's start and
    end, or the ends of the first two runs).
    """
    _check(plane, resolution)
    paths = _paths_of(runs, prob.n_params)
    pair = None
    if ends is not None:
        pair = (np.asarray(ends[0], dtype=np.float64), np.asarray(ends[1], dtype=np.float64))
        if any(e.shape != (prob.n_params,) for e in pair):
            raise ValueError(f"Invalid ends: two parameter vectors of {prob.n_params} numbers")
    c = None
    if center is not None:
        c = np.asarray(center, dtype=np.float64)
        if c.shape != (prob.n_params,) or not np.all(np.isfinite(c)):
            raise ValueError(f"Invalid center: a parameter vector of {prob.n_params} finite "
                             "numbers")
    origin, dirs, ratio = _plane(prob, paths, plane, seed, pair, c)
    projected = project(paths, origin, dirs)
    trues = []
    for run, thetas in zip(runs, paths, strict=True):
        # A training result already holds the loss at its iterates: no need to recompute it.
        known = getattr(run, "train_loss", None)
        true = known if known is not None and len(known) == len(thetas) else prob.loss(thetas)
        trues.append(np.asarray(true, dtype=np.float64))
    distances = [np.asarray(np.linalg.norm(thetas - points, axis=1), dtype=np.float64)
                 for thetas, (_, points) in zip(paths, projected, strict=True)]
    passes = ([coarse] if MIN_RESOLUTION <= coarse < resolution else []) + [resolution]
    pending = None
    if defer_slice_loss and dirs.shape[0] == 2 and len(passes) == 2:
        pending = [ProjectedPath(coords, true, np.full(len(true), np.nan), distance)
                   for (coords, _), true, distance in zip(projected, trues, distances,
                                                          strict=True)]
    projections = pending or [
        ProjectedPath(coords, true, prob.loss(points), distance)
        for (coords, points), true, distance in zip(projected, trues, distances, strict=True)]
    coords_list = [c for c, _ in projected]
    for res in passes:
        if res == resolution and pending is not None:
            projections = [ProjectedPath(p.coords, p.true_loss, prob.loss(points), p.distance)
                           for p, (_, points) in zip(pending, projected, strict=True)]
        xs = _grid_axis(coords_list, 0, plane, res)
        if dirs.shape[0] == 1:
            loss = _loss_on(prob, origin, dirs, xs[:, None])
            yield Landscape(plane, origin, dirs, xs, None, loss, ratio, projections, res)
            continue
        ys = _grid_axis(coords_list, 1, plane, res)
        gx, gy = np.meshgrid(xs, ys)
        grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
        loss = _loss_on(prob, origin, dirs, grid).reshape(res, res)
        yield Landscape(plane, origin, dirs, xs, ys, loss, ratio, projections, res)


def landscape(prob: NetworkProblem, runs: Sequence[Any], plane: str = "pca",
              resolution: int = 51, **options: Any) -> Landscape:
    """The full-resolution slice (see `landscape_passes` for the coarse-to-fine stream)."""
    passes = list(landscape_passes(prob, runs, plane, resolution, coarse=resolution,
                                   **options))
    return passes[-1]
