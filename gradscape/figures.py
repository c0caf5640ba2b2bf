"""Plotly figures in the app's look: one builder for notebooks and the server's HTML export.

`race_figure` returns a plain plotly figure dict (float32 typed arrays, built without plotly's
per-object validation, which would take most of a second for a long race); `as_figure` wraps
it in a `plotly.graph_objects.Figure`, and `page` writes the self-contained offline HTML page
that POST /api/export, `gradscape export` and `Race.to_html` all produce.

The look is the app's (gradscape/palette.py, the table frontend/js/lib/palette.js reads too):
Okabe-Ito run colours with a marker shape each, each optimizer in its own pair as in the app,
the light cool-to-sand surface ramp, critical points by kind (minimum: white circle, maximum:
black triangle, saddle: wine cross), eigen-arrows along the Hessian's eigenvectors (solid
near-black where the surface curves up, dashed wine where it curves down).

Size budget: plotly.js alone is 4.8 MB, and the issue asks for <= 5 MB for a 6-optimizer x
1,000-step race, so every array is thinned to a fixed budget of points (the full-resolution
paths are in the CSV export and in `Race.runs`).
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from gradscape import palette
from gradscape.core.critical import CriticalPoint
from gradscape.core.runs import BasinMap, Trajectory
from gradscape.core.surface import Surface

# --- the app's palette (gradscape/palette.py, which frontend/js/lib/palette.js reads too) ------
# palette shape names -> plotly marker symbols
PLOTLY_SYMBOLS = {"circle": "circle", "square": "square", "triangle": "triangle-up",
                  "diamond": "diamond", "star": "star", "hexagon": "hexagon", "cross": "cross"}
RUN_COLORS = palette.RUN_COLORS
RUN_SHAPES = [PLOTLY_SYMBOLS[s] for s in palette.RUN_SHAPES]
EIGEN_POSITIVE, EIGEN_NEGATIVE = palette.EIGEN_POSITIVE, palette.EIGEN_NEGATIVE
# kind -> (symbol, line colour, fill): a minimum is drawn hollow (white inside), as in the app
CRITICAL_KINDS = {kind: (PLOTLY_SYMBOLS[k["shape"]], k["color"],
                         "#ffffff" if kind == "minimum" else k["color"])
                  for kind, k in palette.CRITICAL_KINDS.items()}
SURFACE_STOPS = palette.SURFACE_STOPS
SURFACE_SCALE = [[t, f"rgb{c}"] for t, c in SURFACE_STOPS]
BASIN_BASE = palette.BASIN_BASE

# --- budgets (see the module docstring) -------------------------------------------------------
# The animation moves each run's head with a bold tail of its last steps over the whole path
# drawn faint: re-sending every path up to step k in every frame (a growing trail) would cost
# ~1 MB for a 6 x 1,000 race, five times what fits beside plotly.js in 5 MB.
MAX_FRAMES = 100  # animation frames, whatever the number of steps
FRAME_MS = 60  # frame duration while playing
GRID = 80  # contour grid points per side (maps)
RASTER = 300  # pixels per side of a race's contour picture
LEVELS = 24  # contour bands
PATH_POINTS = 2_400  # points of the static paths (and of the loss curves), all runs together
PATH_MIN, PATH_MAX = 100, 1_000  # ... per run
TAIL_BYTES = 60_000  # the frames' tails, all together (a tail costs ~120 bytes + 11 a point)
TAIL_MIN, TAIL_MAX = 3, 40  # tail points per run per frame; below TAIL_MIN, heads only
TAIL_FRAMES = 4  # a tail reaches back this many frames
MAX_CRITICAL = 200  # critical points drawn (Rastrigin has hundreds)


def run_color(slot: int) -> str:
    """The colour of a style slot (palette.style_slots: each optimizer keeps its own)."""
    return palette.run_color(slot)


def run_shape(slot: int) -> str:
    """The plotly marker symbol of a style slot."""
    return PLOTLY_SYMBOLS[palette.run_shape(slot)]


def basin_color(index: int) -> str:
    if index < 0:
        return "rgb(200, 200, 200)"
    h = BASIN_BASE[index % len(BASIN_BASE)].lstrip("#")
    mix = 0.45 + 0.15 * ((index // len(BASIN_BASE)) % 3)
    r, g, b = (round(c + (255 - c) * mix) for c in (int(h[i:i + 2], 16) for i in (0, 2, 4)))
    return f"rgb({r}, {g}, {b})"


def typed(values: Any) -> dict[str, str]:
    """A plotly.js typed array (float32, base64): a quarter of the size of text numbers."""
    array = np.ascontiguousarray(values, dtype=np.float32)
    spec = {"dtype": "f4", "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
    if array.ndim > 1:  # a matrix (contour z): rows, columns
        spec["shape"] = ",".join(str(n) for n in array.shape)
    return spec


def thin_index(n: int, keep: int) -> np.ndarray:
    """Indices 0..n-1, at most `keep` of them evenly spread, always the first and the last."""
    if n <= keep:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, keep).round().astype(int))


def tail(points: np.ndarray, upto: int, length: int) -> np.ndarray:
    """The last `length` steps up to point `upto`, exact: the bold comet tail of a head."""
    return points[max(0, upto - length + 1): upto + 1]


def contour_values(Z: np.ndarray) -> tuple[np.ndarray, str]:
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


def run_label(t: Trajectory, index: int) -> str:
    shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in sorted(t.params.items()))
    return f"{index}: {t.optimizer}" + (f" ({shown})" if shown else "")


# --- the contour picture of a race ------------------------------------------------------------
def png(rgb: np.ndarray) -> bytes:
    """A truecolour PNG of an (h, w, 3) uint8 array (zlib and struct: no imaging package)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + row.tobytes() for row in rgb)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _ramp(t: np.ndarray) -> np.ndarray:
    """The surface ramp (palette.js surfaceColor) at t in [0, 1]: (..., 3) floats."""
    stops = np.array([s for s, _ in SURFACE_STOPS])
    colors = np.array([c for _, c in SURFACE_STOPS], dtype=float)
    return np.stack([np.interp(t, stops, colors[:, k]) for k in range(3)], axis=-1)


def contour_picture(surface: Surface) -> tuple[dict[str, Any], dict[str, Any]]:
    """Filled contour bands with their lines as a background image, and an empty trace that
    carries the colour bar.

    A race figure cannot hold a contour trace: plotly.js removes contour and heatmap traces
    from the plot as soon as an animation frame moves a scatter trace without a full redraw
    (plotly.js#4491), and a full redraw per frame runs at 2 frames a second.
    """
    _, _, Z = surface.grid(RASTER)
    return grid_picture(Z, surface.bounds)


def grid_picture(Z: np.ndarray, bounds: Sequence[float],
                 label: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """`contour_picture` of sampled heights Z (rows: y ascending) over bounds (xmin, xmax,
    ymin, ymax): a race's surface, or a network's loss-landscape slice (gradscape.netfigures).
    """
    heights, found = contour_values(Z)
    label = label or found
    finite = np.isfinite(heights)
    low = float(heights[finite].min()) if finite.any() else 0.0
    high = float(heights[finite].max()) if finite.any() else 1.0
    span = high - low or 1.0
    with np.errstate(invalid="ignore"):
        band = np.clip(np.floor((heights - low) / span * LEVELS), 0, LEVELS - 1)
    band = np.where(finite, band, -1).astype(int)
    rgb = _ramp((band + 0.5) / LEVELS)
    edge = np.zeros(band.shape, dtype=bool)  # a band change: a contour line
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    rgb[edge] = rgb[edge] * 0.65 + np.array([60.0, 70.0, 80.0]) * 0.35
    rgb[~finite] = (200, 200, 200)
    picture = np.ascontiguousarray(rgb[::-1].round().astype(np.uint8))  # top row: y max
    xmin, xmax, ymin, ymax = bounds
    image = {"source": "data:image/png;base64," + base64.b64encode(png(picture)).decode(),
             "xref": "x", "yref": "y", "x": xmin, "y": ymax, "sizex": xmax - xmin,
             "sizey": ymax - ymin, "sizing": "stretch", "layer": "below", "opacity": 1.0}
    bar = {"type": "scatter", "mode": "markers", "x": [None], "y": [None],
           "marker": {"color": [low], "cmin": low, "cmax": high, "colorscale": SURFACE_SCALE,
                      "showscale": True,
                      "colorbar": {"title": {"text": label}, "x": 0.56, "len": 0.8,
                                   "thickness": 12}},
           "showlegend": False, "hoverinfo": "skip", "xaxis": "x", "yaxis": "y"}
    return image, bar


# --- pieces ------------------------------------------------------------------------------------
def _contour(surface: Surface, colorbar_x: float) -> dict[str, Any]:
    xs, ys, Z = surface.grid(GRID)
    heights, label = contour_values(Z)
    heights = np.where(np.isfinite(heights), heights, np.nan)
    return {"type": "contour", "x": typed(xs), "y": typed(ys),
            "z": typed(heights.reshape(len(ys), len(xs))), "ncontours": 24,
            "colorscale": SURFACE_SCALE, "hoverinfo": "skip", "showscale": True,
            "contours": {"coloring": "fill", "showlines": True},
            "line": {"width": 0.6, "color": "rgba(60, 70, 80, 0.35)"},
            "colorbar": {"title": {"text": label}, "x": colorbar_x, "len": 0.8, "thickness": 12},
            "name": "f", "showlegend": False, "xaxis": "x", "yaxis": "y"}


def _eigen_traces(critical: Sequence[CriticalPoint],
                  bounds: Sequence[float]) -> list[dict[str, Any]]:
    """Double-headed arrows along each critical point's eigenvectors; the half-length grows with
    sqrt(|λ| / largest |λ|) between 2% and 7% of the plot's width, as geometry.js does."""
    xmin, xmax, ymin, ymax = bounds
    size = min(xmax - xmin, ymax - ymin)
    ref = max((abs(float(v)) for cp in critical for v in cp.eigenvalues if math.isfinite(v)),
              default=1.0) or 1.0
    lines: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
    for cp in critical:
        for k in range(2):
            lam = float(cp.eigenvalues[k])
            v = np.asarray(cp.eigenvectors)[:, k]
            if not (math.isfinite(lam) and np.isfinite(v).all()):
                continue
            u = v / (float(np.hypot(v[0], v[1])) or 1.0)
            half = size * (0.02 + 0.05 * math.sqrt(min(1.0, abs(lam) / ref)))
            xs, ys = lines[lam >= 0]
            px, py = float(cp.point[0]), float(cp.point[1])
            xs += [px - u[0] * half, px + u[0] * half, math.nan]
            ys += [py - u[1] * half, py + u[1] * half, math.nan]
    traces = []
    for positive, (xs, ys) in lines.items():
        if not xs:
            continue
        traces.append({
            "type": "scatter", "mode": "lines+markers", "x": typed(xs), "y": typed(ys),
            "line": {"color": EIGEN_POSITIVE if positive else EIGEN_NEGATIVE, "width": 1.6,
                     "dash": "solid" if positive else "dash"},
            "marker": {"symbol": "arrow", "angleref": "previous", "size": 8,
                       "color": EIGEN_POSITIVE if positive else EIGEN_NEGATIVE},
            "opacity": 0.75, "hoverinfo": "skip", "legendgroup": "eigen",
            "name": "λ > 0 (curves up)" if positive else "λ < 0 (curves down)",
            "xaxis": "x", "yaxis": "y"})
    return traces


def _critical_traces(critical: Sequence[CriticalPoint]) -> list[dict[str, Any]]:
    traces = []
    for kind, (symbol, line, fill) in CRITICAL_KINDS.items():
        points = [cp for cp in critical if cp.kind == kind]
        if not points:
            continue
        traces.append({
            "type": "scatter", "mode": "markers", "name": kind,
            "x": [float(cp.point[0]) for cp in points], "y": [float(cp.point[1]) for cp in points],
            "customdata": [[cp.value, *map(float, cp.eigenvalues)] for cp in points],
            "hovertemplate": f"{kind}<br>(%{{x:.4g}}, %{{y:.4g}})<br>f=%{{customdata[0]:.6g}}"
                             "<br>λ=%{customdata[1]:.4g}, %{customdata[2]:.4g}<extra></extra>",
            "marker": {"symbol": symbol, "size": 10, "color": fill,
                       "line": {"color": line, "width": 1.8}},
            "legendgroup": "critical", "xaxis": "x", "yaxis": "y"})
    return traces


def _frame_steps(longest: int) -> np.ndarray:
    return np.unique(np.linspace(0, longest - 1, min(MAX_FRAMES, longest)).round().astype(int))


def _animation(steps: np.ndarray) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
             "transition": {"duration": 0}}
    play = {"args": [None, {"frame": {"duration": FRAME_MS, "redraw": False}, "fromcurrent": True,
                            "transition": {"duration": 0}}], "label": "▶ play",
            "method": "animate"}
    pause = {"args": [[None], still], "label": "❚❚ pause", "method": "animate"}
    menus = [{"type": "buttons", "buttons": [play, pause], "x": 0.0, "y": -0.06,
              "xanchor": "right", "yanchor": "top", "direction": "left", "showactive": False}]
    sliders = [{"active": 0, "x": 0.05, "len": 0.9, "y": -0.06,
                "currentvalue": {"prefix": "step ", "visible": True},
                "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], still]}
                          for k in steps]}]
    return menus, sliders


# --- figures -----------------------------------------------------------------------------------
def race_figure(surface: Surface, trajectories: Sequence[Trajectory], title: str = "", *,
                critical: Sequence[CriticalPoint] | None = None,
                names: Sequence[str] | None = None, eigen: bool = True) -> dict[str, Any]:
    """Contours, every run's path (faint, whole) with an animated trail and head, critical
    points by kind with eigen-arrows, and the loss curves with a head per run."""
    if not trajectories:
        raise ValueError("a race figure needs at least one run")
    per_run = int(np.clip(PATH_POINTS // len(trajectories), PATH_MIN, PATH_MAX))
    names = list(names) if names is not None else [
        run_label(t, i) for i, t in enumerate(trajectories)]
    # Each run in its optimizer's colour and marker, as the app draws it (Adam: blue circle).
    slots = palette.style_slots([t.optimizer for t in trajectories])
    colors = [run_color(s) for s in slots]
    shapes = [run_shape(s) for s in slots]
    picture, colorbar = contour_picture(surface)
    data: list[dict[str, Any]] = [colorbar]
    shown = list(critical or [])[:MAX_CRITICAL]
    if eigen:
        data += _eigen_traces(shown, surface.bounds)
    data += _critical_traces(shown)
    for t, color, name in zip(trajectories, colors, names, strict=True):
        keep = thin_index(len(t.points), per_run)
        data.append({"type": "scatter", "mode": "lines", "x": typed(t.points[keep, 0]),
                     "y": typed(t.points[keep, 1]), "opacity": 0.45, "hoverinfo": "skip",
                     "line": {"color": color, "width": 1.3}, "showlegend": False,
                     "legendgroup": name, "xaxis": "x", "yaxis": "y"})
    first_trail = len(data)
    for t, color, name in zip(trajectories, colors, names, strict=True):
        data.append({"type": "scatter", "mode": "lines", "name": name,
                     "legendgroup": name, "x": typed(t.points[:1, 0]),
                     "y": typed(t.points[:1, 1]), "line": {"color": color, "width": 3},
                     "hoverinfo": "skip", "xaxis": "x", "yaxis": "y"})
    heads = len(data)
    data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                 "x": typed([t.points[0, 0] for t in trajectories]),
                 "y": typed([t.points[0, 1] for t in trajectories]),
                 "marker": {"symbol": shapes, "color": colors, "size": 13,
                            "line": {"color": "white", "width": 1.5}},
                 "text": names, "hovertemplate": "%{text}<br>x=%{x:.4g}<br>y=%{y:.4g}"
                                                 "<extra></extra>", "xaxis": "x", "yaxis": "y"})
    # Log loss (the app's default) unless a loss goes negative; zeros just drop off the plot.
    positive = all((t.values[np.isfinite(t.values)] >= 0).all() for t in trajectories)
    for t, color, name in zip(trajectories, colors, names, strict=True):
        keep = thin_index(len(t.values), per_run)
        data.append({"type": "scatter", "mode": "lines", "x": typed(keep),
                     "y": typed(t.values[keep]), "line": {"color": color, "width": 1.8},
                     "showlegend": False, "legendgroup": name, "name": name,
                     "hovertemplate": "step %{x}: f=%{y:.6g}", "xaxis": "x2", "yaxis": "y2"})
    loss_heads = len(data)

    data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                 "x": typed([0] * len(trajectories)),
                 "y": typed([t.values[0] for t in trajectories]),
                 "marker": {"symbol": shapes, "color": colors, "size": 9,
                            "line": {"color": "white", "width": 1}},
                 "hoverinfo": "skip", "xaxis": "x2", "yaxis": "y2"})

    longest = max(len(t.points) for t in trajectories)
    steps = _frame_steps(longest)
    gap = int(np.ceil((longest - 1) / max(1, len(steps) - 1)))  # steps between frames
    # A tail spans the steps of the last TAIL_FRAMES frames (plus one to join up), within
    # the budget: long races with many runs get heads only.
    affordable = (TAIL_BYTES / (len(steps) * len(trajectories)) - 120) / 11
    length = int(min(TAIL_FRAMES * gap + 1, affordable, TAIL_MAX))
    with_tails = length >= TAIL_MIN
    animated = [heads, loss_heads]
    if with_tails:
        animated = [*range(first_trail, first_trail + len(trajectories)), heads, loss_heads]
    else:  # heads only: the whole paths carry the picture, so draw them stronger
        for trace in data[first_trail - len(trajectories):first_trail]:
            trace["opacity"] = 0.85
    frames = []
    for k in steps:
        upto = [min(int(k), len(t.points) - 1) for t in trajectories]
        tails = []
        for t, u in zip(trajectories, upto, strict=True):
            if with_tails:
                path = tail(t.points, u, length)
                tails.append({"x": typed(path[:, 0]), "y": typed(path[:, 1])})
        head = {"x": typed([t.points[u, 0] for t, u in zip(trajectories, upto, strict=True)]),
                "y": typed([t.points[u, 1] for t, u in zip(trajectories, upto, strict=True)])}
        loss = {"x": typed(upto),
                "y": typed([t.values[u] for t, u in zip(trajectories, upto, strict=True)])}
        frames.append({"name": str(k), "data": [*tails, head, loss], "traces": animated})
    menus, sliders = _animation(steps)
    xmin, xmax, ymin, ymax = surface.bounds
    layout = {
        "title": {"text": html.escape(title), "y": 0.98, "yanchor": "top"},
        "template": _template(), "height": 640,
        "updatemenus": menus, "sliders": sliders, "images": [picture],
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
        # room for the legend: about four entries a row
        "margin": {"l": 60, "r": 20, "b": 100,
                   "t": 80 + 24 * math.ceil((len(trajectories) + 5) / 4)},
        "xaxis": {"domain": [0.0, 0.54], "range": [xmin, xmax], "title": {"text": "x"},
                  "anchor": "y", "showgrid": False, "zeroline": False},
        "yaxis": {"domain": [0.0, 1.0], "range": [ymin, ymax], "title": {"text": "y"},
                  "anchor": "x", "scaleanchor": "x", "showgrid": False, "zeroline": False},
        "xaxis2": {"domain": [0.7, 1.0], "title": {"text": "step"}, "anchor": "y2"},
        "yaxis2": {"domain": [0.0, 1.0], "type": "log" if positive else "linear",
                   "title": {"text": "loss f(θ)"}, "anchor": "x2"},
        "meta": {"gradscape": "race", "runs": len(trajectories), "frames": len(frames)},
    }
    return {"data": data, "layout": layout, "frames": frames}


def critical_figure(surface: Surface, critical: Sequence[CriticalPoint], title: str = "", *,
                    eigen: bool = True) -> dict[str, Any]:
    """The critical-point map: contours, every point by kind, eigen-arrows."""
    shown = list(critical)[:MAX_CRITICAL]
    data = [_contour(surface, 1.02)]
    if eigen:
        data += _eigen_traces(shown, surface.bounds)
    data += _critical_traces(shown)
    return {"data": data, "layout": _map_layout(surface, title, "critical")}


def basin_figure(surface: Surface, basins: BasinMap, title: str = "", *,
                 eigen: bool = False) -> dict[str, Any]:
    """Each start cell tinted by the minimum it reaches (grey: none), over the contours."""
    labels = np.asarray(basins.labels)
    top = int(labels.max(initial=-1))
    # A discrete colour scale: label i (from -1 to top) -> its palette tint, flat bands.
    count = top + 2
    scale: list[list[Any]] = []
    for i in range(count):
        color = basin_color(i - 1)
        scale += [[i / count, color], [(i + 1) / count, color]]
    data: list[dict[str, Any]] = [{
        "type": "heatmap", "x": typed(basins.xs), "y": typed(basins.ys),
        "z": typed(labels + 1), "zmin": 0, "zmax": count, "colorscale": scale,
        "showscale": False, "hovertemplate": "start (%{x:.3g}, %{y:.3g})<extra></extra>",
        "xaxis": "x", "yaxis": "y"}]
    contour = _contour(surface, 1.02)
    contour.update({"contours": {"coloring": "none"}, "showscale": False,
                    "line": {"width": 0.8, "color": "rgba(40, 40, 40, 0.45)"}})
    data.append(contour)
    shown = list(basins.critical)[:MAX_CRITICAL]
    if eigen:
        data += _eigen_traces(shown, surface.bounds)
    data += _critical_traces(shown)
    return {"data": data, "layout": _map_layout(surface, title, "basins")}


def _map_layout(surface: Surface, title: str, kind: str) -> dict[str, Any]:
    xmin, xmax, ymin, ymax = surface.bounds
    return {"title": {"text": html.escape(title)}, "template": _template(), "height": 560,
            "width": 640, "legend": {"orientation": "h", "y": 1.1},
            "xaxis": {"range": [xmin, xmax], "title": {"text": "x"}, "showgrid": False,
                      "zeroline": False},
            "yaxis": {"range": [ymin, ymax], "title": {"text": "y"}, "scaleanchor": "x",
                      "showgrid": False, "zeroline": False},
            "margin": {"l": 60, "r": 20, "t": 90, "b": 60}, "meta": {"gradscape": kind}}


_TEMPLATE: dict[str, Any] = {}


def _template() -> dict[str, Any]:
    """plotly_white as a plain dict (made once: the template object is slow to build)."""
    if not _TEMPLATE:
        import plotly.io as pio  # noqa: PLC0415 - plotly only when a figure is made

        _TEMPLATE.update(pio.templates["plotly_white"].to_plotly_json())
    return _TEMPLATE


# --- outputs -----------------------------------------------------------------------------------
def as_figure(fig: dict[str, Any]) -> Any:
    """A plotly.graph_objects.Figure of a figure dict, without re-validating every frame."""
    import plotly.graph_objects as go  # noqa: PLC0415

    return go.Figure(fig, skip_invalid=False, _validate=False)


def page(fig: dict[str, Any], title: str) -> str:
    """The self-contained page: plotly.js inlined, no network, the animation paused."""
    import plotly.io as pio  # noqa: PLC0415

    text = str(pio.to_html(fig, validate=False, include_plotlyjs=True, full_html=True,
                           auto_play=False, include_mathjax=False,
                           config={"displaylogo": False, "responsive": True}))
    return text.replace("<head>", f"<head>\n    <title>{html.escape(title)}</title>", 1)


def fragment(fig: dict[str, Any]) -> str:
    """An inline block for a notebook's HTML output (plotly.js inlined: works offline and in
    exported notebooks)."""
    import plotly.io as pio  # noqa: PLC0415

    return str(pio.to_html(fig, validate=False, include_plotlyjs=True, full_html=False,
                           auto_play=False, include_mathjax=False,
                           config={"displaylogo": False}))
