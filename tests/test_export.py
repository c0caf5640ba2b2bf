"""Exports: POST /api/export and the `gradscape export` CLI make the same HTML and CSV files;
the HTML is self-contained (plotly.js inlined, opens offline) and animates."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.cli import main, parse_run
from gradscape.server.config import Settings

client = TestClient(create_app(Settings()))

RACE: dict[str, Any] = {"surface": "himmelblau", "steps": 60, "runs": [
    {"optimizer": "adam", "params": {"lr": 0.05}, "start": [-4.0, 4.0]},
    {"optimizer": "sgd", "params": {"lr": 0.01, "momentum": 0.9}, "start": [-4.0, 4.0]}]}
CLI_RACE = ["--surface", "himmelblau", "--run", "adam:lr=0.05",
            "--run", "sgd:lr=0.01,momentum=0.9", "--start", "-4", "4", "--steps", "60"]


def export(body: dict[str, Any]) -> Any:
    response = client.post("/api/export", json=body)
    assert response.status_code == 200, response.text
    return response


def test_csv_export_matches_the_run() -> None:
    response = export({**RACE, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="gradscape-himmelblau.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    run = client.post("/api/run", json=RACE).json()["runs"]
    assert len(rows) == sum(len(r["points"]) for r in run)
    adam = [r for r in rows if r["run"] == "0"]
    np.testing.assert_array_equal([[float(r["x"]), float(r["y"])] for r in adam],
                                  run[0]["points"])
    assert [float(r["value"]) for r in adam] == run[0]["values"]
    assert adam[-1]["update_x"] == "" and adam[0]["lr"] == "0.05"
    assert {r["optimizer"] for r in rows} == {"adam", "sgd"}


def test_html_export_is_self_contained_and_animated() -> None:
    response = export(RACE)
    assert response.headers["content-type"].startswith("text/html")
    assert 'filename="gradscape-himmelblau.html"' in response.headers["content-disposition"]
    page = response.text
    assert page.lower().startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<title>gradscape: adam, sgd on himmelblau (60 steps)</title>" in page
    # plotly.js is inlined: no script is fetched from anywhere
    assert not re.search(r"<script[^>]+src=", page)
    # (the bundle mentions CDN URLs for geo maps we never draw; the browser test below
    # checks that opening the page requests nothing)
    assert len(page) > 3_000_000  # the plotly.js bundle itself
    assert '"frames"' in page or "frames" in page
    assert "play" in page and "Plotly.newPlot" in page
    assert "adam (lr=0.05" in page


def test_html_title_is_escaped() -> None:
    page = export({**RACE, "steps": 5, "title": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_export_formula_and_dataset_surfaces() -> None:
    formula = export({**RACE, "surface": {"formula": "x^2 + 10*y^2", "bounds": [-5, 5, -5, 5]},
                      "format": "csv"})
    assert 'filename="gradscape-x_2___10_y_2.csv"' in formula.headers["content-disposition"]
    data = export({"surface": {"dataset": "single_neuron", "options": {"activation": "tanh"}},
                   "steps": 10, "runs": [{"optimizer": "sgd", "batch_size": 8}]})
    assert data.status_code == 200


@pytest.mark.parametrize(("change", "needle"), [
    ({"format": "pdf"}, "format"),
    ({"runs": [{"optimizer": "nope"}]}, "unknown optimizer"),
    ({"surface": {"formula": "x^^2"}}, "column"),
    ({"title": "x" * 300}, "title"),
])
def test_export_errors(change: dict[str, Any], needle: str) -> None:
    response = client.post("/api/export", json={**RACE, **change})
    assert response.status_code == 422 and needle in response.json()["detail"]


# --- the CLI --------------------------------------------------------------------------------
def test_cli_writes_the_same_csv_as_the_api(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    html, table = tmp_path / "race.html", tmp_path / "race.csv"
    assert main(["export", *CLI_RACE, "-o", str(html), "-o", str(table)]) == 0
    assert table.read_text() == export({**RACE, "format": "csv"}).text
    page = html.read_text()
    assert page.lower().startswith("<!doctype html>") and not re.search(r"<script[^>]+src=", page)
    assert "wrote" in capsys.readouterr().out


def test_cli_request_file_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    request = tmp_path / "race.json"
    request.write_text(json.dumps(RACE))
    out = tmp_path / "a.csv"
    assert main(["export", "--request", str(request), "-o", str(out)]) == 0
    assert out.read_text() == export({**RACE, "format": "csv"}).text
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({**RACE, "steps": 5})))
    out2 = tmp_path / "b.csv"
    assert main(["export", "--request", "-", "--steps", "3", "-o", str(out2)]) == 0
    assert len(out2.read_text().splitlines()) == 1 + 2 * 4  # header + 2 runs x 4 points


def test_cli_default_output_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--surface", "bowl", "--steps", "3"]) == 0
    assert (tmp_path / "gradscape-bowl.html").exists()


def test_cli_surfaces_bounds_and_options(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert main(["export", "--surface", "x^2 + y^2", "--bounds", "-1", "1", "-1", "1",
                 "--run", "sgd:lr=0.1,start=[0.5,0.5]", "--steps", "2", "-o", str(out)]) == 0
    assert out.read_text().splitlines()[1].startswith("0,sgd,0,0.5,0.5,0.5,")
    assert main(["export", "--surface", "linear_regression", "--option", "standardize=true",
                 "--run", "sgd:batch_size=4", "--steps", "2", "-o", str(out)]) == 0
    assert main(["export", "--surface", "himmelblau", "--bounds", "0", "1", "0", "1",
                 "--steps", "2", "-o", str(out)]) == 0


@pytest.mark.parametrize(("args", "needle"), [
    (["--surface", "x^"], "column"),
    (["--surface", "bowl", "--run", "adam:lr=-1"], "lr"),
    (["--surface", "bowl", "--run", "adam:lr"], "key=value"),
    (["--steps", "3"], "name a surface"),
    (["--request", "/nonexistent.json"], "No such file"),
    (["--surface", "bowl", "--steps", "0"], "steps"),
])
def test_cli_errors(args: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", *args]) == 2
    assert needle in capsys.readouterr().err


def test_parse_run() -> None:
    assert parse_run("adam") == {"optimizer": "adam", "params": {}}
    assert parse_run("adam:lr=0.1,betas=[0.8,0.9],amsgrad=true,schedule=cosine,"
                     "schedule.T_max=30,start=[1,2],noise=0.5") == {
        "optimizer": "adam", "params": {"lr": 0.1, "betas": [0.8, 0.9], "amsgrad": True},
        "schedule": "cosine", "schedule_params": {"T_max": 30}, "start": [1, 2], "noise": 0.5}


@pytest.mark.browser
def test_exported_page_plays_offline(tmp_path: Path) -> None:
    """Chromium opens the file with every network request refused, and the play button
    moves the animation along."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("needs Debian's chromium")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "race.html"
    page_file.write_text(export(RACE).text)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        blocked: list[str] = []

        def refuse(route: Any) -> None:
            blocked.append(route.request.url)
            route.abort()

        page.route(re.compile(r"^https?://"), refuse)
        page.goto(page_file.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        assert page.locator(".slider-container").count() == 1
        active = "() => document.querySelector('.js-plotly-plot')._fullLayout.sliders[0].active"
        assert page.evaluate(active) == 0
        page.locator(".updatemenu-button").first.click()  # ▶ play
        page.wait_for_function(f"({active})() > 5", timeout=10_000)
        browser.close()
    assert blocked == []
