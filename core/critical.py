"""Critical points: every stationary point of a surface inside its bounds, classified.

How they are found. Newton's method on the gradient (solve H d = -g) from many seeds at once:
a grid over the bounds plus a few seeded-random points, all iterated as one batch. Each step
is damped Levenberg-Marquardt style, d = -(H² + μI)⁻¹ H g, accepted only if it shrinks |g|:
with μ -> 0 that is Newton's step, and where H is singular or Newton overshoots, a growing μ
turns it into a short descent step on |g|², so no seed ever divides by a zero eigenvalue.
The seed grid is refined (2x per side, only the new nodes are run) until a refinement finds
nothing new, up to a cap, so a surface with many critical points gets many seeds.

What counts. A point is kept if |g| is tiny relative to the gradient's typical size over the
bounds, the Newton step there is tiny too (the iterate settled, rather than creeping down a
numerically flat tail towards infinity), it lies inside the bounds, and the gradient is
continuous there (see kinks below). Points closer than `tol` x the bounds' size are one point.

Classification by the Hessian's eigenvalues λ1 <= λ2, with ε relative to the typical size
of H over the bounds: minimum if λ1 > ε, maximum if λ2 < -ε, saddle if λ1 < -ε < ε < λ2,
degenerate if some |λ| <= ε (the second-order test cannot decide, e.g. the monkey saddle's
origin, where Newton converges only linearly: each step halves the distance). `classify`
is that rule for any one point (the server's step inspector calls it too), with the same
tolerances (`tolerances`), and "regular" where the gradient does not vanish.

Non-isolated critical sets (the line x = 0 of f = x², the circle of (x² + y² - 1)², the
flat region of relu(x) + relu(y)) are detected by stepping from a degenerate point along its
zero-curvature direction and solving again: if that lands on a different critical point, the
set is a continuum. Nearby continuum points are joined when the midpoint between them, solved
again, stays put, so two separate critical curves a seed spacing apart stay separate. Each
connected continuum is reported once, as one degenerate point with `isolated=False`.
A region where f is flat to within ~1e-12 of its curvature scale (far out on a saturated
sigmoid, say) is numerically such a plateau and is reported the same way; anything steeper,
however slight, is walked out of by the undamped Newton steps and reported as nothing.

Kinks are not stationary points. At a kink (Ackley's tip, |x| + |y| at the origin) the
gradient does not shrink as the iterate approaches, so Newton never reaches a tiny |g| there
and the point is not reported, even when it is the global minimum. A seed landing exactly on
a kink may see g = 0 (the engine's sign(0) = 0 convention) or nan (0/0 in sqrt'(0));
both are dropped: nan as non-finite, g = 0 by a check that the gradient just beside the
point is as small as the Hessian says it should be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from gradscape.core.cancel import Check, never
from gradscape.core.linalg2 import eigh2
from gradscape.core.surface import Array, Surface

# The one vocabulary of point kinds (the server's answers and the surfaces' known points use
# these names): a critical point's kind, and any point's, which may be no critical point.
Kind = Literal["minimum", "maximum", "saddle", "degenerate"]
PointKind = Kind | Literal["regular"]
# The Hessian's definiteness at a point ("undefined" where it is not finite).
Curvature = Literal["positive_definite", "negative_definite", "indefinite", "semidefinite",
                    "undefined"]
KIND_OF_CURVATURE: dict[Curvature, Kind] = {
    "positive_definite": "minimum", "negative_definite": "maximum", "indefinite": "saddle",
    "semidefinite": "degenerate"}
BoolArray = NDArray[np.bool_]

KIND_ORDER: dict[Kind, int] = {"minimum": 0, "saddle": 1, "maximum": 2, "degenerate": 3}

# Relative tolerances. "Typical" sizes are medians over the first seed grid, so they scale
# with the surface (multiplying f by 1000 changes nothing) and the bounds.
GRAD_RTOL = 1e-10  # the search iterates until |g| <= GRAD_RTOL * typical |g|
# `classify` calls a gradient zero at |g| <= STATIONARY_RTOL * typical |g|: looser than the
# search's target, so a point the search found, or an optimizer's converged end point
# (|g| < 1e-8, core.runs), reads as stationary.
STATIONARY_RTOL = 1e-8
EIG_RTOL = 1e-8  # |λ| <= EIG_RTOL * typical |H| counts as zero curvature
TOLERANCE_SEEDS = 16  # intervals per side of the grid the typical sizes are measured on
STEP_RTOL = 1e-12  # an accepted step below this (x bounds size): converged, stop iterating
SETTLED_RTOL = 1e-6  # a final Newton step above this (x size): still moving, not a point
KINK_RTOL = 1e-6  # probe distance (x size) of the gradient-continuity check
CONTINUUM_RTOL = 1e-3  # probe distance (x size) of the isolated-point check
LINK_SPACINGS = 3.0  # continuum points closer than this many seed spacings are connected
MAX_ITER = 100
# Stop refining only when a refinement found nothing new, the grid has at least MIN_GRID
# intervals per side, and there were SEEDS_PER_POINT seeds per point found: each critical
# point's basin should have held several seeds.
SEEDS_PER_POINT = 8
MIN_GRID = 32
# μ = damping x |H|²: near DAMPING_MIN, directions whose curvature is above ~1e-12 |H| get
# their full Newton step, so a numerically flat tail (a saturated sigmoid) is walked out of
# rather than mistaken for a plateau; curvature below that is rounding noise and is damped.
DAMPING_START, DAMPING_MIN, DAMPING_MAX = 1e-6, 1e-24, 1e8
DAMPING_DOWN, DAMPING_UP = 0.01, 10.0
MARGIN = 0.5  # iterates may wander this fraction of the bounds' size outside them


@dataclass(frozen=True, eq=False)
class CriticalPoint:
    """A stationary point: location (2,), kind, f there, Hessian eigenvalues (2,) ascending
    and eigenvectors (2, 2) as columns. `isolated=False`: one point of a continuum."""

    point: Array
    kind: Kind
    value: float
    eigenvalues: Array
    eigenvectors: Array
    isolated: bool = True

    def as_dict(self) -> dict[str, object]:
        """Plain Python types, ready for JSON."""
        return {"point": self.point.tolist(), "kind": self.kind, "value": self.value,
                "eigenvalues": self.eigenvalues.tolist(),
                "eigenvectors": self.eigenvectors.tolist(), "isolated": self.isolated}


@dataclass(frozen=True)
class Tolerances:
    """What counts as zero for one surface, from its typical sizes over the bounds."""

    grad: float  # |g| at or below this: a vanishing gradient
    eig: float  # |λ| at or below this: zero curvature (the second-order test cannot decide)


def tolerances(surface: Surface) -> Tolerances | None:
    """The surface's tolerances: relative to the median |g| and the median largest |λ| on a
    grid over its bounds, so scaling f or the bounds changes no classification. None where
    neither is finite anywhere on that grid."""
    with np.errstate(all="ignore"):
        _, g, H = _evaluate(surface, _grid(surface, TOLERANCE_SEEDS, None))
        finite = _finite_rows(g, H)
        if not finite.any():
            return None
        lam, _ = eigh2(H[finite])
        return Tolerances(
            grad=STATIONARY_RTOL * float(np.median(np.linalg.norm(g[finite], axis=1))),
            eig=EIG_RTOL * float(np.median(np.max(np.abs(lam), axis=1))))


def curvature(eigenvalues: Array, eig_tol: float) -> Curvature:
    """The Hessian's definiteness from its eigenvalues λ1 <= λ2 (zero: |λ| <= eig_tol)."""
    lo, hi = float(eigenvalues[0]), float(eigenvalues[1])
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "undefined"
    if lo > eig_tol:
        return "positive_definite"
    if hi < -eig_tol:
        return "negative_definite"
    if lo < -eig_tol and hi > eig_tol:
        return "indefinite"
    return "semidefinite"


def classify(grad: Array, eigenvalues: Array, tol: Tolerances) -> tuple[PointKind, Curvature]:
    """(kind, curvature) of one point: the second-order test where the gradient vanishes,
    "regular" elsewhere (and where the gradient or the Hessian is not finite)."""
    curv = curvature(eigenvalues, tol.eig)
    g = np.asarray(grad, dtype=np.float64)
    if curv == "undefined" or not np.isfinite(g).all():
        return "regular", curv
    if float(np.hypot(g[0], g[1])) > tol.grad:
        return "regular", curv
    return KIND_OF_CURVATURE[curv], curv


@dataclass(frozen=True)
class _Context:
    """What every stage needs: the surface, its bounds and the tolerances derived from it."""

    surface: Surface
    check: Check  # called between iterations (core.cancel)
    lower: Array  # (xmin, ymin)
    upper: Array  # (xmax, ymax)
    size: float  # the larger side of the bounds
    grad_tol: float
    eig_tol: float

    def inside(self, points: Array, margin: float = 0.0) -> BoolArray:
        slack = margin * self.size + 1e-9 * self.size  # points on an edge are inside
        lo, hi = self.lower - slack, self.upper + slack
        result: BoolArray = np.all((points >= lo) & (points <= hi), axis=1)
        return result


def critical_points(surface: Surface, *, seeds: int = 16, max_seeds: int = 256,
                    tol: float = 1e-6, rng_seed: int = 0,
                    check: Check = never) -> list[CriticalPoint]:
    """Every stationary point of `surface` inside its bounds, classified by its Hessian.

    seeds: intervals per side of the first seed grid ((seeds + 1)² seeds), doubled while a
    refinement finds new points, up to max_seeds per side. tol: points closer than
    tol x the bounds' larger side are the same point. rng_seed: for the random seeds.
    check: called between Newton iterations; it may raise to stop (core.cancel).
    Sorted by kind (minima, saddles, maxima, degenerate), then value, then x and y.
    """
    if not 2 <= seeds <= max_seeds <= 1024:
        raise ValueError(f"need 2 <= seeds <= max_seeds <= 1024, got {seeds} and {max_seeds}")
    if not 0.0 < tol < 0.1:
        raise ValueError(f"tol must be in (0, 0.1), got {tol}")
    with np.errstate(all="ignore"):
        ctx = _context(surface, check)
        if ctx is None:
            return []
        return _search(ctx, seeds, max_seeds, tol, np.random.default_rng(rng_seed))


def _search(ctx: _Context, seeds: int, max_seeds: int, tol: float,
            rng: np.random.Generator) -> list[CriticalPoint]:
    """Solve from ever finer seed grids until a refinement adds no critical point."""
    found = np.empty((0, 2))
    result: list[CriticalPoint] = []
    n, previous, used = seeds, 0, 0
    while True:
        grid = _grid(ctx.surface, n, previous or None)
        random = ctx.lower + rng.random((n, 2)) * (ctx.upper - ctx.lower)
        P, ok = _solve(ctx, np.concatenate([grid, random]))
        used += len(P)
        candidates = np.concatenate([found, P[ok & ctx.inside(P)]])
        found = candidates[_representatives(candidates, tol * ctx.size)]
        found = found[_smooth(ctx, found)]
        refined = _classify(ctx, found, link=LINK_SPACINGS * ctx.size / n)
        stable = previous > 0 and len(refined) == len(result) and n >= MIN_GRID
        if (stable and used >= SEEDS_PER_POINT * len(refined)) or 2 * n > max_seeds:
            return refined
        result, previous, n = refined, n, 2 * n


def _context(surface: Surface, check: Check) -> _Context | None:
    """The search's stage data; None where f is nowhere finite on the first grid."""
    tol = tolerances(surface)
    if tol is None:
        return None
    xmin, xmax, ymin, ymax = surface.bounds
    return _Context(
        surface=surface, check=check, lower=np.array([xmin, ymin]),
        upper=np.array([xmax, ymax]),
        size=max(xmax - xmin, ymax - ymin),
        grad_tol=tol.grad * (GRAD_RTOL / STATIONARY_RTOL), eig_tol=tol.eig)


def _grid(surface: Surface, n: int, previous: int | None) -> Array:
    """The (n + 1)² grid over the bounds; with `previous` (= n/2), only the nodes it lacks."""
    xmin, xmax, ymin, ymax = surface.bounds
    ix, iy = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = np.ones(ix.shape, dtype=bool) if previous is None else (ix % 2 == 1) | (iy % 2 == 1)
    xs, ys = np.linspace(xmin, xmax, n + 1), np.linspace(ymin, ymax, n + 1)
    return np.column_stack([xs[ix[keep]], ys[iy[keep]]])


def _evaluate(surface: Surface, P: Array) -> tuple[Array, Array, Array]:
    """value_grad_hessian, in chunks on a data-set surface: there every point costs a
    row of intermediates per sample, and memory, not time, is what a big batch runs out of."""
    chunk = surface.chunk_points() if surface.samples else len(P)
    if len(P) <= chunk:
        return surface.value_grad_hessian(P)
    parts = [surface.value_grad_hessian(P[i:i + chunk]) for i in range(0, len(P), chunk)]
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


def _finite_rows(g: Array, H: Array) -> BoolArray:
    result: BoolArray = np.logical_and(np.isfinite(g).all(axis=1),
                                       np.isfinite(H).all(axis=(1, 2)))
    return result


def _damped_step(g: Array, H: Array, damping: Array) -> Array:
    """d = -(H² + μI)⁻¹ H g with μ = damping x |H|²_F, in H's eigenbasis.

    Per eigen-direction the step is -λ/(λ² + μ) times g's component: Newton's -1/λ when μ is
    small, and 0 (not a division by zero) when λ = μ = 0. μ scales with |H|², so the damping
    means the same on steep and flat surfaces.
    """
    lam, V = eigh2(H)
    mu = damping * np.sum(lam * lam, axis=1)
    denom = lam * lam + mu[:, None]
    coef = np.divide(lam, denom, out=np.zeros_like(lam), where=denom > 0.0)
    along = np.einsum("nji,nj->ni", V, g)  # g's components on the eigenvectors
    step: Array = -np.einsum("nij,nj->ni", V, coef * along)
    return step


def _solve(ctx: _Context, P0: Array) -> tuple[Array, BoolArray]:
    """Damped Newton from every seed at once: final points and which of them are critical."""
    P = P0.copy()
    _, g, H = _evaluate(ctx.surface, P)
    damping = np.full(len(P), DAMPING_START)
    active = _finite_rows(g, H)
    finite = active.copy()
    for _ in range(MAX_ITER):
        ctx.check()
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        d = _damped_step(g[idx], H[idx], damping[idx])
        trial = P[idx] + d
        _, gt, Ht = _evaluate(ctx.surface, trial)
        better = _finite_rows(gt, Ht) & (
            np.linalg.norm(gt, axis=1) < np.linalg.norm(g[idx], axis=1))
        accepted = idx[better]
        P[accepted], g[accepted], H[accepted] = trial[better], gt[better], Ht[better]
        damping[accepted] = np.maximum(damping[accepted] * DAMPING_DOWN, DAMPING_MIN)
        damping[idx[~better]] *= DAMPING_UP
        converged = better & (np.linalg.norm(d, axis=1) <= STEP_RTOL * ctx.size)
        done = (converged | ~g[idx].any(axis=1) | (damping[idx] > DAMPING_MAX)
                | ~ctx.inside(P[idx], MARGIN))
        active[idx[done]] = False
    return P, finite & _settled(ctx, g, H, finite)


def _settled(ctx: _Context, g: Array, H: Array, finite: BoolArray) -> BoolArray:
    """Zero gradient, and a Newton step so short the iterate would not move any more."""
    ok: BoolArray = finite & (np.linalg.norm(g, axis=1) <= ctx.grad_tol)
    idx = np.flatnonzero(ok)
    step = _damped_step(g[idx], H[idx], np.full(idx.size, DAMPING_MIN))
    ok[idx] = np.linalg.norm(step, axis=1) <= SETTLED_RTOL * ctx.size
    return ok


def _representatives(P: Array, radius: float) -> NDArray[np.intp]:
    """Indices of one point per cluster (points closer than radius, chained): the first."""
    return np.unique(_components(P, radius))


def _components(P: Array, radius: float) -> NDArray[np.intp]:
    """Connected components of the graph 'closer than radius' (single linkage), as labels:
    each point gets the smallest index in its component.

    Points sharing a cell of side radius/4 are surely that close: they are merged first, so
    the usual case (hundreds of seeds converged to one point) costs one np.unique.
    """
    if len(P) == 0:
        return np.empty(0, dtype=np.intp)
    _, first, cell_of = np.unique(np.floor(P / (0.25 * radius)), axis=0, return_index=True,
                                  return_inverse=True)
    root = _connected(len(first), *_close_pairs(P[first], radius))
    smallest = np.full(len(first), len(P), dtype=np.intp)
    np.minimum.at(smallest, root, first)
    labels: NDArray[np.intp] = smallest[root][cell_of.reshape(-1)]
    return labels


def _connected(n: int, i: NDArray[np.intp], j: NDArray[np.intp]) -> NDArray[np.intp]:
    """For a graph on n nodes with edges (i, j): each node's component, named by one node."""
    root = np.arange(n)
    while True:  # label propagation with pointer jumping: O(log diameter) rounds
        low = np.minimum(root[i], root[j])
        np.minimum.at(root, i, low)
        np.minimum.at(root, j, low)
        jumped = root[root]
        if np.array_equal(jumped, root) and np.array_equal(root[i], root[j]):
            return root
        root = jumped


def _close_pairs(P: Array, radius: float) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """All pairs i < j with |P[i] - P[j]| < radius, found through a grid of cells of side
    radius (only the 3 x 3 cells around a point can hold its neighbours), never all N² pairs.
    """
    if len(P) < 2:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    cells = np.floor((P - P.min(axis=0)) / radius).astype(np.int64) + 1
    width = int(cells[:, 1].max()) + 2  # codes of neighbouring cells never collide
    codes = cells[:, 0] * width + cells[:, 1]
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    firsts, seconds = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            target = codes + dx * width + dy
            lo = np.searchsorted(sorted_codes, target, side="left")
            hi = np.searchsorted(sorted_codes, target, side="right")
            counts = hi - lo
            first = np.repeat(np.arange(len(P)), counts)
            # position within each run: 0, 1, ..., counts - 1
            within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            firsts.append(first)
            seconds.append(order[np.repeat(lo, counts) + within])
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    keep = (i < j) & (np.linalg.norm(P[i] - P[j], axis=1) < radius)
    return i[keep], j[keep]


def _smooth(ctx: _Context, P: Array) -> BoolArray:
    """Whether the gradient is continuous at each point (False at a kink where g = 0).

    Beside a true critical point, |g(p + δ)| <= |H| δ + O(δ²); beside a kink it stays O(1).
    """
    if len(P) == 0:
        return np.zeros(0, dtype=bool)
    delta = KINK_RTOL * ctx.size
    offsets = delta * np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    probes = (P[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
    _, g, H = _evaluate(ctx.surface, np.concatenate([P, probes]))
    n = len(P)
    curvature = np.max(np.abs(H).sum(axis=2).max(axis=1)[n:].reshape(n, 4), axis=1)
    curvature = np.maximum(curvature, np.abs(H[:n]).sum(axis=2).max(axis=1))
    beside = np.linalg.norm(g[n:], axis=1).reshape(n, 4).max(axis=1)
    result: BoolArray = _finite_rows(g[:n], H[:n]) & (
        beside <= 2.0 * ctx.grad_tol + 4.0 * curvature * delta)
    return result


def _classify(ctx: _Context, P: Array, link: float) -> list[CriticalPoint]:
    """Classify each point by its Hessian; collapse each continuum to one point; sort."""
    if len(P) == 0:
        return []
    values, _, H = _evaluate(ctx.surface, P)
    lam, V = eigh2(H)
    is_flat = np.min(np.abs(lam), axis=1) <= ctx.eig_tol
    points = [_point(P[i], values[i], lam[i], V[i], ctx.eig_tol, True)
              for i in np.flatnonzero(~is_flat)]
    # A continuum can hold thousands of points; one per cell of a third of the link length
    # still chains along it (neighbouring cells are closer than link) at a fraction of the cost.
    flat = np.flatnonzero(is_flat)
    flat = flat[np.sort(np.unique(np.floor(P[flat] / (link / 3)), axis=0, return_index=True)[1])]
    isolated = np.ones(len(P), dtype=bool)
    isolated[flat] = _isolated(ctx, P[flat], V[flat], lam[flat])
    for group in _continua(ctx, P[flat], link):
        members = flat[group]
        if isolated[members].all():  # degenerate points near each other, each on its own
            points += [_point(P[i], values[i], lam[i], V[i], ctx.eig_tol, True)
                       for i in members]
            continue
        # One point for the whole continuum: the member nearest its centre. Flat points that
        # tested isolated but touch it (where two critical lines cross, the probe direction
        # can miss both lines) belong to it too.
        i = members[np.argmin(np.linalg.norm(P[members] - P[members].mean(axis=0), axis=1))]
        points.append(_point(P[i], values[i], lam[i], V[i], ctx.eig_tol, False))
    return sorted(points, key=_sort_key(points))


def _isolated(ctx: _Context, P: Array, V: Array, lam: Array) -> BoolArray:
    """Step off along the flattest direction (both ways) and solve again: a continuum point
    leads to another critical point about a step away, an isolated one back to itself."""
    if len(P) == 0:
        return np.zeros(0, dtype=bool)
    h = CONTINUUM_RTOL * ctx.size
    u = np.take_along_axis(V, np.argmin(np.abs(lam), axis=1)[:, None, None], axis=2)[:, :, 0]
    Q, ok = _solve(ctx, np.concatenate([P + h * u, P - h * u]))
    moved = ok & (np.linalg.norm(Q - np.concatenate([P, P]), axis=1) >= 0.5 * h)
    result: BoolArray = ~(moved[:len(P)] | moved[len(P):])
    return result


def _continua(ctx: _Context, P: Array, link: float) -> list[NDArray[np.intp]]:
    """Groups of flat points joined along the critical set they lie on.

    Two points closer than link are joined if their midpoint, solved again, stays where it
    is (up to the bend of the set between them); between two separate critical curves it
    falls onto one of them instead, half the gap away, so nearby curves stay apart.
    """
    i, j = _close_pairs(P, link)
    mid = 0.5 * (P[i] + P[j])
    Q, ok = _solve(ctx, mid)
    on_set = ok & (np.linalg.norm(Q - mid, axis=1)
                   <= 0.25 * np.linalg.norm(P[i] - P[j], axis=1))
    root = _connected(len(P), i[on_set], j[on_set])
    return [np.flatnonzero(root == r) for r in np.unique(root)]


def _point(p: Array, value: float, lam: Array, V: Array, eps: float,
           isolated: bool) -> CriticalPoint:
    # The point's gradient vanishes (the search kept it for that): its kind is its curvature's.
    kind: Kind = KIND_OF_CURVATURE[curvature(lam, eps)] if isolated else "degenerate"
    arrays = [np.array(a, dtype=np.float64) for a in (p, lam, V)]
    for a in arrays:
        a.flags.writeable = False  # frozen means frozen, arrays included
    return CriticalPoint(arrays[0], kind, float(value), arrays[1], arrays[2], isolated)


def _sort_key(points: list[CriticalPoint]) -> _SortKey:
    scale = max((abs(p.value) for p in points if np.isfinite(p.value)), default=1.0) or 1.0
    return _SortKey(scale)


@dataclass(frozen=True)
class _SortKey:
    """Kind, then value, then x, y; rounded so that symmetric points whose values differ
    only by rounding are ordered by position, the same way on every machine."""

    scale: float

    def __call__(self, p: CriticalPoint) -> tuple[int, float, float, float]:
        return (KIND_ORDER[p.kind], round(p.value / self.scale, 9),
                round(float(p.point[0]), 9), round(float(p.point[1]), 9))
