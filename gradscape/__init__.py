"""gradscape: optimizers racing over 2D surfaces, in a notebook or in the browser.

    >>> import gradscape as gs
    >>> s = gs.surface("x^2 - y^2")
    >>> race = gs.race(s, runs=[("sgd", {"lr": 0.1})], start=(1.0, 0.01), steps=50)
    >>> race.runs[0].points.shape
    (51, 2)

The math lives in `gradscape.core` (numpy only), the web server in `gradscape.server`, the
classroom scenes in `gradscape.lessons`. This module is the notebook-facing API; figures need
plotly, which is imported only when a figure is made.
"""

from __future__ import annotations

from gradscape.core import (
    Surface,
    __version__,
    check_gradient,
    critical_points,
    surface,
)

__all__ = [
    "Surface",
    "__version__",
    "check_gradient",
    "critical_points",
    "surface",
]
