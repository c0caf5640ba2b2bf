"""gradscape: optimizers racing over 2D surfaces, in a notebook or in the browser.

    >>> import gradscape as gs
    >>> s = gs.surface("x^2 - y^2")
    >>> r = gs.race(s, runs=[("sgd", {"lr": 0.1}), ("adam", {"lr": 0.05})], start=(1, 0.01),
    ...             steps=50)
    >>> r.runs[0].points.shape
    (51, 2)
    >>> fig = r.figure()            # a plotly Figure in the app's look; inline in Jupyter
    >>> link = r.url()              # the same scene in the playground (gradscape serve)

The math lives in `gradscape.core` (numpy only), the web server in `gradscape.server`, the
classroom scenes in `gradscape.lessons`; this module is the notebook-facing API (docs/python.md).
plotly is imported only when a figure is made.
"""

from __future__ import annotations

from gradscape.api import (
    Basins,
    CriticalPoints,
    Race,
    Run,
    basins,
    check_gradient,
    critical_points,
    from_url,
    optimize,
    race,
)
from gradscape.api import make_surface as surface
from gradscape.core import Surface, __version__, hessian_spectrum, landscape, network_problem, train

# Tiny real networks (docs/networks.md): gs.network_problem, gs.train, gs.landscape and
# gs.hessian_spectrum are core's own functions. Their results have no .figure() yet (the
# network lab's figures come with the browser's network mode); a Race's look is in
# gradscape/figures.py for when they do.

__all__ = [
    "Basins",
    "CriticalPoints",
    "Race",
    "Run",
    "Surface",
    "__version__",
    "basins",
    "check_gradient",
    "critical_points",
    "from_url",
    "hessian_spectrum",
    "landscape",
    "network_problem",
    "optimize",
    "race",
    "surface",
    "train",
]
