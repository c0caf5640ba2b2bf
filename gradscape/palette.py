"""The app's colours and markers: the one table the browser and the plotly exports both draw from.

Colours chosen to stay distinguishable for colour-blind viewers and on a washed-out projector.
Runs use the Okabe-Ito palette (Okabe & Ito 2008) and, as a second cue that needs no colour
at all, a marker shape each. Each optimizer keeps one colour and marker in every scene and
export (Adam is the blue circle whether it is the first run or the third).

The browser reads this table from frontend/js/lib/palette_data.js, generated from it by
`python scripts/make_palette_js.py` (tests/test_palette.py fails when that file is stale);
frontend/js/lib/palette.js holds the functions over it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}

# Yellow is left out: it vanishes on the light surface colours.
RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
RUN_SHAPES = ["circle", "square", "triangle", "diamond", "star", "hexagon", "cross"]

# A run's style slot comes from its optimizer, not from its place in the list. A second run
# of the same optimizer takes the slot nine further on (another colour and marker pair, never
# one another optimizer has).
OPTIMIZER_SLOTS = ["adam", "sgd", "momentum", "rmsprop", "nesterov", "adagrad", "adamw",
                   "newton", "saddle_free_newton"]

# Positive curvature (the surface bends up): near-black solid arrows. Negative curvature (the
# escape directions of a saddle): wine-red dashed arrows.
EIGEN_POSITIVE = "#1a1a1a"
EIGEN_NEGATIVE = "#882255"

CRITICAL_KINDS = {
    "minimum": {"shape": "circle", "color": "#1a1a1a"},
    "maximum": {"shape": "triangle", "color": "#1a1a1a"},
    "saddle": {"shape": "cross", "color": EIGEN_NEGATIVE},
    "degenerate": {"shape": "diamond", "color": "#555555"},
}

# The surface fill: light so that the runs' saturated colours stand out; low values (the
# valleys) in a cool blue, high values in a warm sand. Lightness rises monotonically, so the
# ramp reads the same in grey scale and for every kind of colour blindness.
SURFACE_STOPS: list[tuple[float, tuple[int, int, int]]] = [
    (0.0, (160, 180, 200)), (0.25, (192, 207, 219)), (0.5, (216, 227, 228)),
    (0.75, (238, 234, 214)), (1.0, (250, 236, 212)),
]

# Basin map: light tints of the Okabe-Ito colours, one per minimum reached.
BASIN_BASE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
              "#999999"]


def style_slots(optimizers: Sequence[str]) -> list[int]:
    """The style slot of every run, from the runs' optimizer ids in order (palette.js
    styleSlots): unknown ids come after the known ones' first duplicates."""
    n = len(OPTIMIZER_SLOTS)
    seen: dict[str, int] = {}
    unknown: list[str] = []
    slots = []
    for opt in optimizers:
        if opt in OPTIMIZER_SLOTS:
            base = OPTIMIZER_SLOTS.index(opt)
        else:
            if opt not in unknown:
                unknown.append(opt)
            base = n * 2 + unknown.index(opt)
        copy = seen.get(opt, 0)
        seen[opt] = copy + 1
        slots.append(base + copy * n)
    return slots


def run_color(slot: int) -> str:
    return RUN_COLORS[slot % len(RUN_COLORS)]


def run_shape(slot: int) -> str:
    """Colours and shapes both cycle every seven slots; the shapes shift by one each cycle, so
    up to 49 slots no two share both colour and shape."""
    n = len(RUN_SHAPES)
    return RUN_SHAPES[(slot + slot // n) % n]


def to_js() -> str:
    """The text of frontend/js/lib/palette_data.js."""
    table = {
        "OKABE_ITO": OKABE_ITO, "RUN_COLORS": RUN_COLORS, "RUN_SHAPES": RUN_SHAPES,
        "OPTIMIZER_SLOTS": OPTIMIZER_SLOTS, "EIGEN_POSITIVE": EIGEN_POSITIVE,
        "EIGEN_NEGATIVE": EIGEN_NEGATIVE, "CRITICAL_KINDS": CRITICAL_KINDS,
        "SURFACE_STOPS": [[t, list(c)] for t, c in SURFACE_STOPS], "BASIN_BASE": BASIN_BASE,
    }
    lines = ["// Generated from gradscape/palette.py by scripts/make_palette_js.py: do not edit.",
             "// (tests/test_palette.py fails when this file is stale.)", ""]
    lines += [f"export const {name} = {json.dumps(value)};"
              for name, value in table.items()]
    return "\n".join(lines) + "\n"
