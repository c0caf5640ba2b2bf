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
from gradscape.core import Surface, __version__

# The network problems (issue: networks on the playground) join here as gs.network_problem,
# gs.train, gs.landscape and gs.hessian_spectrum, each result with .figure()/.to_html()/.url()
# like Race (gradscape/api.py: subclass _Drawable and give a figure_dict).

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
    "optimize",
    "race",
    "surface",
]
