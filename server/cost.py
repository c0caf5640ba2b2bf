"""The cost model: how much work a request asks for, estimated before any of it is done.

The unit is one sample-evaluation: f and its gradient at one point over one data sample
(an analytic surface counts as one sample). Measured on the reference machine one unit costs
~5-20 ns of CPU (more for transcendental losses), so the default budget
GRADSCAPE_MAX_WORK = 1e9 is ~5-20 CPU-seconds at most, on one of a few work threads.

    per point, gradient   = samples + 1                (+1: the optimizer's own update)
    per point, Hessian    = 3 x samples + 12           (second derivatives, a 2x2 solve)
    grid                  = resolution² x samples      (values only)
    critical points       = 20,000 x Hessian per point (the search's typical seeds x steps)
    basin map             = resolution² x steps x per point + critical points
    race (run, export,    = runs x steps x per point   (a mini-batch counts its batch, plus
          stream)                                       the full-data loss shown per step)

A request over the budget is refused with a 422 that names the limit and says what to change
(with the largest value that would fit). docs/server-limits.md has the measured figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gradscape.core.datasets import DATASETS, resolve_options
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.server.config import Settings
from gradscape.server.errorcodes import CodedError
from gradscape.server.schemas import BasinRequest, DatasetSurface, RunRequest, SurfaceRef

HESSIAN_FACTOR, HESSIAN_OVERHEAD = 3, 12
CRITICAL_EVALUATIONS = 20_000


@dataclass(frozen=True)
class Estimate:
    units: int
    what: str  # "a 400 x 400 grid over 4096 samples"
    advice: str  # "use a resolution of at most 131, or fewer samples"


def samples(ref: SurfaceRef, settings: Settings) -> int:
    """Data samples behind a surface spec (0 for an analytic surface). The data set's
    options are checked here, before anything is built: the sample count against
    GRADSCAPE_MAX_SAMPLES, the rest against the data set's own ranges."""
    if not isinstance(ref, DatasetSurface) and not (isinstance(ref, str) and
                                                     ref.strip() in DATASETS):
        return 0
    name = ref.dataset if isinstance(ref, DatasetSurface) else ref.strip()
    spec = DATASETS.get(name)
    if spec is None:
        return 0  # the resolver names the unknown data set
    options = ref.options if isinstance(ref, DatasetSurface) else {}
    n = int(resolve_options(spec, options)["samples"])
    if n > settings.max_samples:
        raise CodedError("limit.over", field="samples", value=n,
                         setting="GRADSCAPE_MAX_SAMPLES", limit=settings.max_samples)
    return n


# Arrows per side of the gradient field sent with every grid (the plot's downhill overlay).
FIELD_LATTICE = 16


def per_point(n_samples: int, hessian: bool) -> int:
    s = max(1, n_samples)
    return HESSIAN_FACTOR * s + HESSIAN_OVERHEAD if hessian else s + 1


def _of(n_samples: int) -> str:
    return f" over {n_samples} samples" if n_samples else ""


def grid(ref: SurfaceRef, resolution: int, settings: Settings) -> Estimate:
    s = samples(ref, settings)
    fits = math.isqrt(settings.max_work // max(1, s))
    # the values, and the gradients on the field's lattice
    return Estimate(resolution * resolution * max(1, s)
                    + FIELD_LATTICE**2 * per_point(s, False),
                    f"a {resolution} x {resolution} grid{_of(s)}",
                    f"use a resolution of at most {fits}" + (", or fewer samples" if s else ""))


def critical(ref: SurfaceRef, settings: Settings) -> Estimate:
    s = samples(ref, settings)
    return Estimate(CRITICAL_EVALUATIONS * per_point(s, True), f"a critical-point search{_of(s)}",
                    "use fewer samples")


def basins(body: BasinRequest, settings: Settings) -> Estimate:
    s = samples(body.surface, settings)
    spec = OPTIMIZERS.get(body.optimizer)
    point = per_point(s, spec is not None and spec.needs_hessian)
    search = critical(body.surface, settings).units
    starts = body.resolution ** 2
    fits = max(0, settings.max_work - search) // (starts * point)
    return Estimate(starts * body.steps * point + search,
                    f"a {body.resolution} x {body.resolution} basin map of {body.steps} "
                    f"steps{_of(s)}",
                    f"use at most {fits} steps at this resolution, a lower resolution"
                    + (", or fewer samples" if s else ""))


def race(body: RunRequest, settings: Settings) -> Estimate:
    s = samples(body.surface, settings)
    per_step = 0
    for r in body.runs:
        spec = OPTIMIZERS.get(r.optimizer)
        hessian = body.eigen or (spec is not None and spec.needs_hessian)
        batch = min(r.batch_size, s) if (r.batch_size and s) else s
        per_step += per_point(batch, hessian) + (s if batch < s else 0)
    fits = settings.max_work // max(1, per_step)
    runs = f"{len(body.runs)} run{'s' if len(body.runs) > 1 else ''}"
    return Estimate(per_step * body.steps, f"{runs} of {body.steps} steps{_of(s)}",
                    f"use at most {fits} steps, fewer runs"
                    + (", smaller batches or fewer samples" if s else "")
                    + (" or eigen off" if body.eigen else ""))


def check(estimate: Estimate, settings: Settings) -> Estimate:
    """The estimate, or ValueError (a 422) naming the budget and what to change."""
    if estimate.units > settings.max_work:
        raise CodedError("limit.work", what=estimate.what, units=f"{estimate.units:.2g}",
                         budget=f"{settings.max_work:.2g}", advice=estimate.advice)
    return estimate
