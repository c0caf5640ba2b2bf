"""examples/saddle_race.ipynb runs top to bottom on a real ipykernel, and says what it should:
the race's facts (from the math of x^2 - y^2), a figure with the runs' traces and frames, an
HTML page that opens with the network refused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "saddle_race.ipynb"


def text_of(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    workdir = tmp_path_factory.mktemp("notebook")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb, workdir


@pytest.mark.slow
def test_the_notebook_races_checks_and_finds_the_saddle(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(o.output_type != "error" for c in code for o in c.outputs)
    race = text_of(code[0]).splitlines()
    assert [line.split()[0] for line in race] == ["sgd", "sgd", "adam"]
    # plain gradient descent with lr 0.05 on x^2 - y^2: x_k = 1.8 * 0.9^k, y_k = 0.02 * 1.1^k
    x60, y60 = 1.8 * 0.9 ** 60, 0.02 * 1.1 ** 60
    assert f"ends at ({x60:.3f}, {y60:.3f})" in race[0]
    assert "all passed: True" in text_of(code[3])
    critical = text_of(code[4]).strip().splitlines()
    assert len(critical) == 1 and critical[0].startswith("saddle")
    assert "same paths: True" in text_of(code[6])


@pytest.mark.slow
def test_the_notebook_figure_has_the_runs_and_the_animation(
        executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    shown = [o for o in code[1].outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(shown) == 1  # plotly's inline renderer (JupyterLab, VS Code)
    spec = shown[0].data["application/vnd.plotly.v1+json"]
    names = [t.get("name", "") for t in spec["data"] if t.get("showlegend") is not False]
    assert [n for n in names if re.match(r"\d+: ", n)] == [
        "0: sgd (lr=0.05)", "1: sgd (lr=0.05, momentum=0.9)", "2: adam (lr=0.05)"]
    assert len(spec["frames"]) == 61  # one per step up to 100 steps: 0..60
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    counts = re.match(r"(\d+) traces, (\d+) frames", text_of(code[2]))
    assert counts and (int(counts[1]), int(counts[2])) == (len(spec["data"]), 61)


@pytest.mark.slow
@pytest.mark.browser
def test_the_notebooks_page_opens_offline(executed: tuple[Any, Path]) -> None:
    nb, workdir = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    page = workdir / "saddle_race.html"
    assert page.exists()
    assert re.search(r"saddle_race.html: \d\.\d\d MB", text_of(code[5]))
    link = text_of(code[5]).splitlines()[1]
    assert link.startswith("http://127.0.0.1:8000/#s=saddle&r=sgd,lr=0.05;sgd,lr=0.05,")
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page()
        asked: list[str] = []

        def refuse(route: Any) -> None:
            asked.append(route.request.url)
            route.abort()

        tab.route(re.compile(r"^(https?|wss?)://"), refuse)
        tab.goto(page.as_uri())
        tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        count = tab.evaluate("() => document.querySelector('.js-plotly-plot')"
                             "._transitionData._frames.length")
        browser.close()
    assert asked == [] and count == 61
    assert json.dumps(asked) == "[]"
