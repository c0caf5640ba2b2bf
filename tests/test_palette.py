"""One palette for the app and the plotly exports: gradscape/palette.py, read by the browser
through the generated frontend/js/lib/palette_data.js.

The app's colours are asked of the browser's own code (palette.js run under node, the
functions the canvas, SVG and 3D views call), and compared with what the HTML export draws.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import gradscape as gs
from gradscape import figures, palette
from gradscape.server.spawn import REPO

PALETTE_JS = REPO / "frontend/js/lib/palette.js"
DATA_JS = REPO / "frontend/js/lib/palette_data.js"

# Run lists as a class sets them up: a known order, a reorder, a repeat, more than seven runs.
RACES = [
    ["sgd", "adam"],
    ["adam", "sgd", "momentum", "rmsprop", "nesterov", "adagrad"],
    ["rmsprop", "adam", "adam", "sgd", "rmsprop"],
    ["newton", "adamw", "saddle_free_newton", "sgd", "sgd", "sgd", "adam", "momentum"],
]


def test_the_browsers_palette_data_is_generated_from_the_python_table() -> None:
    assert DATA_JS.read_text(encoding="utf-8") == palette.to_js(), (
        "frontend/js/lib/palette_data.js is stale: run "
        ".venv/bin/python scripts/make_palette_js.py")


def app_styles(optimizers: list[str]) -> list[tuple[str, str]]:
    """Each run's (colour, marker) as the browser's palette.js gives them."""
    node = shutil.which("node")
    assert node, "node is needed (scripts/install-node.sh)"
    script = (f"import {{ setRunStyles, runColor, runShape }} from '{PALETTE_JS.as_uri()}';"
              f"const ids = {json.dumps(optimizers)}; setRunStyles(ids);"
              "console.log(JSON.stringify(ids.map((_, i) => [runColor(i), runShape(i)])));")
    out = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True, timeout=60)
    return [tuple(pair) for pair in json.loads(out.stdout)]


@pytest.mark.parametrize("optimizers", RACES)
def test_the_exports_run_colours_and_markers_are_the_apps(optimizers: list[str]) -> None:
    race = gs.race("himmelblau", runs=optimizers, start=(0.5, 0.5), steps=5, seed=0)
    fig = figures.race_figure(race.surface, race.runs)
    # The whole faint path of each run (one per run, in run order) carries its colour, the
    # animated heads its marker.
    paths = [t for t in fig["data"] if t.get("mode") == "lines" and t.get("opacity") == 0.45]
    heads = next(t for t in fig["data"] if t.get("marker", {}).get("size") == 13)
    app = app_styles(optimizers)
    assert [p["line"]["color"] for p in paths] == [c for c, _ in app]
    assert heads["marker"]["color"] == [c for c, _ in app]
    assert heads["marker"]["symbol"] == [figures.PLOTLY_SYMBOLS[s] for _, s in app]
    # Adam is the blue circle wherever it stands in the list, in both.
    for i, opt in enumerate(optimizers):
        if opt == "adam" and optimizers.index("adam") == i:
            assert app[i] == (palette.OKABE_ITO["blue"], "circle")


def test_the_html_export_inlines_those_colours() -> None:
    race = gs.race("himmelblau", runs=["momentum", "adam"], start=(0.5, 0.5), steps=5, seed=0)
    page = race.to_html()
    for colour, _ in app_styles(["momentum", "adam"]):
        assert f'"color":"{colour}"' in page.replace(" ", "")


def test_every_marker_the_app_draws_has_a_plotly_symbol() -> None:
    shapes = set(palette.RUN_SHAPES) | {k["shape"] for k in palette.CRITICAL_KINDS.values()}
    assert shapes <= set(figures.PLOTLY_SYMBOLS)
