"""The clean install: the wheel holds one import package, `gradscape`, and works in a fresh
virtual environment (no top-level core, server or lessons in site-packages)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ["pyproject.toml", "README.md", "core", "server", "lessons", "gradscape"]

PROBE = r"""
import importlib.metadata, importlib.util, json, sys
import gradscape as gs
dist = importlib.metadata.distribution("gradscape")
top = sorted({f.parts[0] for f in dist.files if not f.parts[0].endswith(".dist-info")
              and f.parts[0] != ".." and f.suffix != ".pth"})
race = gs.race("himmelblau", runs=[("adam", {"lr": 0.05}), ("sgd", {"lr": 0.001})],
               start=(-4, 4), steps=50)
race.to_html(sys.argv[1])
old = [n for n in ("core", "server", "lessons") if importlib.util.find_spec(n) is not None]
print(json.dumps({"top": top, "file": gs.__file__, "old": old,
                  "steps": [len(r.points) for r in race.runs]}))
"""


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the built wheel, a fresh venv with it installed)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SHIPPED:  # a clean copy: the build leaves build/ and *.egg-info behind
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp / "dist"
    # --no-build-isolation: setuptools from the dev extra, so the build needs no network
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(src)], check=True, timeout=300)
    (wheel,) = dist.glob("gradscape-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    # The dependencies (numpy, plotly, fastapi...) come from this environment, appended after
    # the fresh site-packages: a plain path entry, so this environment's editable gradscape
    # (an import hook started by a .pth file there) stays out.
    fresh_site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig"
                                      ".get_paths()['purelib'])"], check=True, text=True,
                                     capture_output=True).stdout.strip())
    (fresh_site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    return wheel, venv


@pytest.mark.slow
def test_the_wheel_holds_only_the_gradscape_package(fresh: tuple[Path, Path]) -> None:
    wheel, _ = fresh
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"gradscape"}
    for module in ("gradscape/__init__.py", "gradscape/__main__.py", "gradscape/figures.py",
                   "gradscape/core/runs.py", "gradscape/server/app.py",
                   "gradscape/server/routes/runs.py", "gradscape/lessons/catalog.py"):
        assert module in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gradscape = gradscape.server.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


@pytest.mark.slow
@pytest.mark.browser
def test_the_fresh_install_imports_races_and_writes_an_offline_page(
        fresh: tuple[Path, Path], tmp_path: Path) -> None:
    _, venv = fresh
    page = tmp_path / "race.html"
    done = subprocess.run([str(venv / "bin" / "python"), "-c", PROBE, str(page)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)
    assert probe["top"] == ["gradscape"]
    assert probe["file"].startswith(str(venv))
    assert probe["old"] == []  # no top-level core, server or lessons anywhere on the path
    assert probe["steps"] == [51, 51]
    # the console script and python -m gradscape
    cli = subprocess.run([str(venv / "bin" / "gradscape"), "export", "--surface", "bowl",
                          "--steps", "3", "-o", str(tmp_path / "bowl.csv")], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, check=False)
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "bowl.csv").read_text().startswith("run,optimizer,step")
    usage = subprocess.run([str(venv / "bin" / "python"), "-m", "gradscape", "--help"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           check=False)
    assert usage.returncode == 0 and "serve" in usage.stdout and "export" in usage.stdout

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or
                                    "/usr/bin/chromium", args=["--no-sandbox"])
        tab = browser.new_page()
        asked: list[str] = []

        def refuse(route: Any) -> None:
            asked.append(route.request.url)
            route.abort()

        tab.route(re.compile(r"^(https?|wss?)://"), refuse)
        tab.goto(page.as_uri())
        tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        traces = tab.evaluate("() => document.querySelector('.js-plotly-plot').data.length")
        browser.close()
    assert asked == [] and traces > 4
