"""Exports of a race: a self-contained HTML page (plotly, offline) and CSV trajectories.

The HTML embeds plotly.js from the plotly Python package, so it opens without a network and
drops into slides: the surface's contours with every optimizer's path, the critical points with
their eigen-arrows, an animation with a play button and a step slider, and the loss curves
beside it (built by gradscape.figures, which notebooks use too). Used by POST /api/export and
by the `gradscape export` CLI, which make the same files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from gradscape import figures
from gradscape.core.critical import CriticalPoint
from gradscape.core.runs import Trajectory
from gradscape.core.surface import Surface

CSV_COLUMNS = ["run", "optimizer", "step", "x", "y", "value", "grad_x", "grad_y", "update_x",
               "update_y", "lr", "status"]


def label(t: Trajectory, index: int) -> str:
    return figures.run_label(t, index)


def to_csv(trajectories: Sequence[Trajectory]) -> str:
    """One row per run and point; the last point of a run has no update (empty cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, t in enumerate(trajectories):
        n_updates = len(t.updates)
        for k in range(len(t.points)):
            has_update = k < n_updates
            writer.writerow([
                i, t.optimizer, k, repr(float(t.points[k, 0])), repr(float(t.points[k, 1])),
                repr(float(t.values[k])), repr(float(t.grads[k, 0])), repr(float(t.grads[k, 1])),
                repr(float(t.updates[k, 0])) if has_update else "",
                repr(float(t.updates[k, 1])) if has_update else "",
                repr(float(t.lrs[k])) if has_update else "", t.status])
    return out.getvalue()


def to_html(surface: Surface, trajectories: Sequence[Trajectory], title: str,
            critical: Sequence[CriticalPoint] | None = None) -> str:
    """A standalone page: contours, critical points, animated paths and loss curves, plotly.js
    inlined. The figure is the Python library's (gradscape.figures), so a notebook's
    `race.to_html()` and this export are the same page."""
    fig = figures.race_figure(surface, trajectories, title, critical=critical)
    return figures.page(fig, title)


def default_title(surface_label: str, trajectories: Sequence[Trajectory]) -> str:
    racers = ", ".join(t.optimizer for t in trajectories)
    steps = max((t.stop_step for t in trajectories), default=0)
    return f"gradscape: {racers} on {surface_label} ({steps} steps)"


def filename(surface_label: str, extension: str) -> str:
    """A safe download name from a surface id or formula."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in surface_label)[:40]
    stem = stem.strip("_") or "race"
    return f"gradscape-{stem}.{extension}"
