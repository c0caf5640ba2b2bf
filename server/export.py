"""Exports of a race: a self-contained HTML page (plotly, offline) and CSV trajectories.

The HTML embeds plotly.js from the plotly Python package, so it opens without a network and
drops into slides: the surface's contours with every optimizer's path, an animation with a
play button and a step slider, and the loss curves beside it. Used by POST /api/export and by
the `gradscape export` CLI, which make the same files.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Sequence

import numpy as np

from gradscape.core.runs import Trajectory
from gradscape.core.surface import Surface

MAX_FRAMES = 120  # animation frames, whatever the number of steps
MAX_TRAIL = 150  # points per path per frame (paths are thinned evenly beyond that)
GRID = 160  # contour grid points per side
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
          "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39",
          "#7b4173", "#3182bd"]

CSV_COLUMNS = ["run", "optimizer", "step", "x", "y", "value", "grad_x", "grad_y", "update_x",
               "update_y", "lr", "status"]


def label(t: Trajectory, index: int) -> str:
    shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in sorted(t.params.items()))
    return f"{index}: {t.optimizer}" + (f" ({shown})" if shown else "")


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


def _thin(points: np.ndarray, upto: int) -> np.ndarray:
    """Points 0..upto of a path, at most MAX_TRAIL of them, always keeping the last."""
    path: np.ndarray = points[: upto + 1]
    if len(path) <= MAX_TRAIL:
        return path
    keep = np.unique(np.linspace(0, len(path) - 1, MAX_TRAIL).round().astype(int))
    thinned: np.ndarray = path[keep]
    return thinned


def _typed(values: np.ndarray) -> dict[str, str]:
    """A plotly.js typed array (float32, base64): a quarter of the size of text numbers."""
    data = np.ascontiguousarray(values, dtype=np.float32).tobytes()
    return {"dtype": "f4", "bdata": base64.b64encode(data).decode("ascii")}


def _contour_values(Z: np.ndarray) -> tuple[np.ndarray, str]:
    """Contour heights: log(1 + f - min) when f spans many orders of magnitude (Rosenbrock),
    so the valley floor shows; f itself otherwise."""
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return Z, "f"
    low, high = float(finite.min()), float(finite.max())
    spread = high - low
    typical = float(np.median(np.abs(finite - low)))
    if spread > 0 and typical > 0 and spread / typical > 50:
        with np.errstate(all="ignore"):
            return np.log1p(Z - low), "log(1 + f − min f)"
    return Z, "f"


def to_html(surface: Surface, trajectories: Sequence[Trajectory], title: str) -> str:
    """A standalone page: contours + animated paths + loss curves, plotly.js inlined."""
    import plotly.graph_objects as go  # type: ignore[import-untyped]  # noqa: PLC0415
    import plotly.io as pio  # type: ignore[import-untyped]  # noqa: PLC0415
    from plotly.subplots import make_subplots  # type: ignore[import-untyped]  # noqa: PLC0415

    xs, ys, Z = surface.grid(GRID)
    heights, height_label = _contour_values(Z)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.08,
                        subplot_titles=("paths", "loss f(θ) by step"))
    fig.add_trace(go.Contour(x=xs, y=ys, z=heights, ncontours=30, colorscale="Viridis",
                             opacity=0.85, showscale=True, hoverinfo="skip",
                             colorbar={"title": {"text": height_label}, "x": 0.55, "len": 0.9},
                             line={"width": 0.5}), row=1, col=1)
    names = [label(t, i) for i, t in enumerate(trajectories)]
    colors = [COLORS[i % len(COLORS)] for i in range(len(trajectories))]
    # Faint whole paths (static), then the animated trails and heads, then the loss curves.
    for t, color in zip(trajectories, colors, strict=True):
        fig.add_trace(go.Scatter(x=t.points[:, 0], y=t.points[:, 1], mode="lines",
                                 line={"color": color, "width": 1, "dash": "dot"},
                                 opacity=0.35, showlegend=False, hoverinfo="skip"),
                      row=1, col=1)
    first_trail = len(fig.data)
    for t, name, color in zip(trajectories, names, colors, strict=True):
        fig.add_trace(go.Scatter(x=t.points[:1, 0], y=t.points[:1, 1], mode="lines",
                                 line={"color": color, "width": 2.5}, name=name,
                                 legendgroup=name), row=1, col=1)
    first_head = len(fig.data)
    for t, name, color in zip(trajectories, names, colors, strict=True):
        fig.add_trace(go.Scatter(x=t.points[:1, 0], y=t.points[:1, 1], mode="markers",
                                 marker={"color": color, "size": 11,
                                         "line": {"color": "white", "width": 1.5}},
                                 showlegend=False, legendgroup=name,
                                 hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}"), row=1, col=1)
    positive = all((t.values[np.isfinite(t.values)] > 0).all() for t in trajectories)
    for t, name, color in zip(trajectories, names, colors, strict=True):
        fig.add_trace(go.Scatter(x=np.arange(len(t.values)), y=t.values, mode="lines",
                                 line={"color": color}, showlegend=False, legendgroup=name,
                                 hovertemplate="step %{x}: f=%{y:.6g}"), row=1, col=2)

    longest = max(len(t.points) for t in trajectories)
    steps = np.unique(np.linspace(0, longest - 1, min(MAX_FRAMES, longest)).round().astype(int))
    animated = list(range(first_trail, first_head + len(trajectories)))
    # Frames as plain dicts with float32 typed arrays: plotly's validation of thousands of
    # trace objects would take most of a second, and text numbers would double the file.
    frames = []
    for k in steps:
        trails, heads = [], []
        for t in trajectories:
            upto = min(int(k), len(t.points) - 1)
            path = _thin(t.points, upto)
            trails.append({"x": _typed(path[:, 0]), "y": _typed(path[:, 1])})
            heads.append({"x": _typed(t.points[upto:upto + 1, 0]),
                          "y": _typed(t.points[upto:upto + 1, 1])})
        frames.append({"name": str(k), "data": trails + heads, "traces": animated})

    play = {"args": [None, {"frame": {"duration": 60, "redraw": False}, "fromcurrent": True,
                            "transition": {"duration": 0}}], "label": "▶ play",
            "method": "animate"}
    pause = {"args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                               "transition": {"duration": 0}}], "label": "❚❚ pause",
             "method": "animate"}
    slider = {"active": 0, "x": 0.05, "len": 0.9, "y": -0.04, "currentvalue": {
        "prefix": "step ", "visible": True},
        "steps": [{"label": str(k), "method": "animate",
                   "args": [[str(k)], {"frame": {"duration": 0, "redraw": False},
                                       "mode": "immediate", "transition": {"duration": 0}}]}
                  for k in steps]}
    xmin, xmax, ymin, ymax = surface.bounds
    fig.update_layout(
        title={"text": html.escape(title)}, template="plotly_white", height=620,
        updatemenus=[{"type": "buttons", "buttons": [play, pause], "x": 0.0, "y": -0.04,
                      "xanchor": "right", "yanchor": "top", "direction": "left"}],
        sliders=[slider], legend={"orientation": "h", "y": 1.12},
        margin={"l": 60, "r": 20, "t": 110, "b": 90})
    fig.update_xaxes(range=[xmin, xmax], title_text="x", row=1, col=1)
    fig.update_yaxes(range=[ymin, ymax], title_text="y", scaleanchor="x", row=1, col=1)
    fig.update_xaxes(title_text="step", row=1, col=2)
    fig.update_yaxes(type="log" if positive else "linear", row=1, col=2)
    figure = fig.to_dict()
    figure["frames"] = frames
    page = str(pio.to_html(figure, validate=False, include_plotlyjs=True, full_html=True,
                           auto_play=False, include_mathjax=False,
                           config={"displaylogo": False}))
    return page.replace("<head>", f"<head>\n    <title>{html.escape(title)}</title>", 1)


def default_title(surface_label: str, trajectories: Sequence[Trajectory]) -> str:
    racers = ", ".join(t.optimizer for t in trajectories)
    steps = max((t.stop_step for t in trajectories), default=0)
    return f"gradscape: {racers} on {surface_label} ({steps} steps)"


def filename(surface_label: str, extension: str) -> str:
    """A safe download name from a surface id or formula."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in surface_label)[:40]
    stem = stem.strip("_") or "race"
    return f"gradscape-{stem}.{extension}"
