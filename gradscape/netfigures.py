"""The network scene as a plotly figure: the loss-landscape slice with every run's projected
path (animated, step by step) beside the training and test loss by step.

The same builder approach as gradscape.figures (a plain figure dict of float32 typed arrays,
the slice as a background picture because plotly.js drops contour traces from animated
plots, plotly.js inlined by figures.page), and the Network mode's look: run i in the i-th
Okabe-Ito colour and marker, as network/netapp.js draws it. POST /api/network/export returns
`figures.page(network_figure(...))`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradscape import figures
from gradscape.core.slices import Landscape

PICTURE = 240  # pixels per side of the slice's picture (the slice itself is coarser)


@dataclass(frozen=True)
class NetRunCurves:
    """What the figure shows of one run besides its projected path."""

    name: str
    train_loss: np.ndarray  # (k+1,)
    test_loss: np.ndarray  # (k+1,)


def upsample(Z: np.ndarray, size: int) -> np.ndarray:
    """Bilinear resampling of a grid to size x size (bands drawn from a 41 x 41 slice would
    be blocks); non-finite cells stay non-finite around them."""
    ny, nx = Z.shape
    u = np.linspace(0, nx - 1, size)
    v = np.linspace(0, ny - 1, size)
    i0 = np.clip(np.floor(u).astype(int), 0, nx - 2)
    j0 = np.clip(np.floor(v).astype(int), 0, ny - 2)
    fu = (u - i0)[None, :]
    fv = (v - j0)[:, None]
    a = Z[np.ix_(j0, i0)]
    b = Z[np.ix_(j0, i0 + 1)]
    c = Z[np.ix_(j0 + 1, i0)]
    d = Z[np.ix_(j0 + 1, i0 + 1)]
    with np.errstate(invalid="ignore"):
        out: np.ndarray = (a * (1 - fu) * (1 - fv) + b * fu * (1 - fv) + c * (1 - fu) * fv
                           + d * fu * fv)
    return out


def _line_traces(sl: Landscape) -> list[dict[str, Any]]:
    return [{"type": "scatter", "mode": "lines", "x": figures.typed(sl.xs),
             "y": figures.typed(sl.loss), "line": {"color": "#333333", "width": 2},
             "name": "loss along the line", "showlegend": False, "hoverinfo": "skip",
             "xaxis": "x", "yaxis": "y"}]


def network_figure(sl: Landscape, runs: Sequence[NetRunCurves], title: str = "",
                   plane_label: str = "") -> dict[str, Any]:
    """The slice with every run's projected path and head by step (a play button and a
    slider), the training (solid) and test (dashed) loss beside it with a head per run."""
    if not runs or len(runs) != len(sl.paths):
        raise ValueError("a network figure needs one path per run")
    n = len(runs)
    colors = [figures.run_color(i) for i in range(n)]
    shapes = [figures.run_shape(i) for i in range(n)]
    per_run = int(np.clip(figures.PATH_POINTS // n, figures.PATH_MIN, figures.PATH_MAX))
    line = sl.ys is None
    images: list[dict[str, Any]] = []
    data: list[dict[str, Any]] = []
    if line:
        data += _line_traces(sl)
        # on a line a run's point sits on the slice's loss at its projection
        heights = [np.asarray(p.slice_loss) for p in sl.paths]
        xs_of = [np.asarray(p.coords)[:, 0] for p in sl.paths]
    else:
        assert sl.ys is not None
        Z = upsample(np.asarray(sl.loss, dtype=np.float64), PICTURE)
        bounds = (float(sl.xs[0]), float(sl.xs[-1]), float(sl.ys[0]), float(sl.ys[-1]))
        picture, bar = figures.grid_picture(Z, bounds, "training loss")
        images.append(picture)
        data.append(bar)
        heights = [np.asarray(p.coords)[:, 1] for p in sl.paths]
        xs_of = [np.asarray(p.coords)[:, 0] for p in sl.paths]
    for r, x, y, color in zip(runs, xs_of, heights, colors, strict=True):
        keep = figures.thin_index(len(x), per_run)
        data.append({"type": "scatter", "mode": "lines", "x": figures.typed(x[keep]),
                     "y": figures.typed(y[keep]), "opacity": 0.45, "hoverinfo": "skip",
                     "line": {"color": color, "width": 1.3}, "showlegend": False,
                     "legendgroup": r.name, "xaxis": "x", "yaxis": "y"})
    first_trail = len(data)
    for r, x, y, color in zip(runs, xs_of, heights, colors, strict=True):
        data.append({"type": "scatter", "mode": "lines", "name": r.name, "legendgroup": r.name,
                     "x": figures.typed(x[:1]), "y": figures.typed(y[:1]),
                     "line": {"color": color, "width": 3}, "hoverinfo": "skip",
                     "xaxis": "x", "yaxis": "y"})
    heads = len(data)
    data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                 "x": figures.typed([x[0] for x in xs_of]),
                 "y": figures.typed([y[0] for y in heights]),
                 "marker": {"symbol": shapes, "color": colors, "size": 13,
                            "line": {"color": "white", "width": 1.5}},
                 "text": [r.name for r in runs], "hovertemplate": "%{text}<extra></extra>",
                 "xaxis": "x", "yaxis": "y"})
    for r, color in zip(runs, colors, strict=True):
        for key, dash, width in (("train_loss", "solid", 1.8), ("test_loss", "dash", 1.2)):
            values = np.asarray(getattr(r, key), dtype=np.float64)
            keep = figures.thin_index(len(values), per_run)
            data.append({"type": "scatter", "mode": "lines", "x": figures.typed(keep),
                         "y": figures.typed(values[keep]), "showlegend": False,
                         "line": {"color": color, "width": width, "dash": dash},
                         "legendgroup": r.name, "name": f"{r.name} ({key.replace('_', ' ')})",
                         "hovertemplate": f"step %{{x}}: {key.split('_')[0]} loss "
                                          "%{y:.6g}<extra></extra>",
                         "xaxis": "x2", "yaxis": "y2"})
    loss_heads = len(data)
    data.append({"type": "scatter", "mode": "markers", "showlegend": False,
                 "x": figures.typed([0] * n),
                 "y": figures.typed([float(r.train_loss[0]) for r in runs]),
                 "marker": {"symbol": shapes, "color": colors, "size": 9,
                            "line": {"color": "white", "width": 1}},
                 "hoverinfo": "skip", "xaxis": "x2", "yaxis": "y2"})

    longest = max(len(x) for x in xs_of)
    steps = figures._frame_steps(longest)  # noqa: SLF001 - the 2D figure's frame choice
    gap = int(np.ceil((longest - 1) / max(1, len(steps) - 1)))
    length = int(min(figures.TAIL_FRAMES * gap + 1, figures.TAIL_MAX))
    animated = [*range(first_trail, first_trail + n), heads, loss_heads]
    frames = []
    for k in steps:
        upto = [min(int(k), len(x) - 1) for x in xs_of]
        tails = []
        for x, y, u in zip(xs_of, heights, upto, strict=True):
            lo = max(0, u - length + 1)
            tails.append({"x": figures.typed(x[lo:u + 1]), "y": figures.typed(y[lo:u + 1])})
        head = {"x": figures.typed([x[u] for x, u in zip(xs_of, upto, strict=True)]),
                "y": figures.typed([y[u] for y, u in zip(heights, upto, strict=True)])}
        loss = {"x": figures.typed(upto),
                "y": figures.typed([float(r.train_loss[min(u, len(r.train_loss) - 1)])
                                    for r, u in zip(runs, upto, strict=True)])}
        frames.append({"name": str(k), "data": [*tails, head, loss], "traces": animated})
    menus, sliders = figures._animation(steps)  # noqa: SLF001 - the 2D figure's controls
    positive = all((np.asarray(r.train_loss)[np.isfinite(r.train_loss)] > 0).all()
                   and (np.asarray(r.test_loss)[np.isfinite(r.test_loss)] > 0).all()
                   for r in runs)
    ev = ""
    if sl.explained_variance is not None:
        ev = " (" + " + ".join(f"{100 * v:.1f}%" for v in sl.explained_variance) + ")"
    x_range = [float(sl.xs[0]), float(sl.xs[-1])]
    layout = {
        "title": {"text": html.escape(title), "y": 0.98, "yanchor": "top"},
        "template": figures._template(), "height": 640,  # noqa: SLF001
        "updatemenus": menus, "sliders": sliders, "images": images,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
        "margin": {"l": 60, "r": 20, "b": 100, "t": 80 + 24 * ((n + 3) // 4)},
        "xaxis": {"domain": [0.0, 0.54], "range": x_range, "anchor": "y",
                  "title": {"text": f"{plane_label or sl.plane} direction 1{ev}"},
                  "showgrid": False, "zeroline": False},
        "yaxis": ({"domain": [0.0, 1.0], "anchor": "x", "title": {"text": "training loss"}}
                  if line else
                  {"domain": [0.0, 1.0], "range": [float(sl.ys[0]), float(sl.ys[-1])],  # type: ignore[index]
                   "anchor": "x", "title": {"text": "direction 2"}, "showgrid": False,
                   "zeroline": False}),
        "xaxis2": {"domain": [0.7, 1.0], "title": {"text": "step"}, "anchor": "y2"},
        "yaxis2": {"domain": [0.0, 1.0], "type": "log" if positive else "linear",
                   "title": {"text": "loss (solid: training, dashed: test)"},
                   "anchor": "x2"},
        "meta": {"gradscape": "network", "plane": sl.plane, "runs": n, "frames": len(frames)},
    }
    return {"data": data, "layout": layout, "frames": frames}
