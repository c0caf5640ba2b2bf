"""Issue 17 in chromium: a network scene shared, embedded and exported. The files are checked
against what they must show: the PNG decoded at the projected iterates' pixels (the slice
message's coordinates mapped by the layout's rectangles) in the runs' colours of
gradscape/palette.py, the SVG parsed, the GIF's frames counted from its blocks, the CSV's
losses against POST /api/network/train, the HTML page opened offline."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from browser_support import Console, api, export, js, no_errors, open_offline, saved, wait
from playwright.sync_api import Browser, Download, Page
from test_browser_export import gif_blocks
from test_browser_network import REQUEST, scene_hash

from gradscape.palette import RUN_COLORS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SVG_NS = "{http://www.w3.org/2000/svg}"
NAME = "gradscape-network_moons-sgd-adam-momentum"
STEPS = REQUEST["steps"]
RUNS = len(REQUEST["runs"])


@pytest.fixture(scope="module")
def scene(browser: Browser, base_url: str) -> Iterator[tuple[Page, Console]]:
    """The test race paused at its last step once its fine slice has come."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    pg = ctx.new_page()
    console = Console(pg)
    pg.goto(f"{base_url}/#{scene_hash(step=STEPS)}")
    wait(pg, "window.gradscape && window.gradscape.data && window.gradscape.data.final() !== null "
             f"&& window.gradscape.playback.step === {STEPS} && window.gradscape.land "
             "&& window.gradscape.land.final", timeout=40000)
    yield pg, console
    ctx.close()


def net_export(pg: Page, fmt: str, timeout: int = 60000) -> Download:
    return export(pg, fmt, timeout, menu="#net-export-menu")


def heads_px(pg: Page) -> list[tuple[float, float]]:
    """Each run's iterate on screen, on the slice, in the picture's CSS pixels: the slice's
    own coordinates mapped linearly onto the slice panel's rectangle."""
    land = js(pg, "window.gradscape.land")
    rect = pg.evaluate("""async () => {
        const base = document.querySelector('script[type=module]').src;
        const m = await import(new URL('network/netscene.js', base));
        return m.LAYOUT.slice; }""")
    x0, x1, y0, y1 = land["xs"][0], land["xs"][-1], land["ys"][0], land["ys"][-1]
    out = []
    for p in land["paths"]:
        a, b = p["coords"][STEPS]
        out.append((rect["x"] + (a - x0) / (x1 - x0) * rect["w"],
                    rect["y"] + rect["h"] - (b - y0) / (y1 - y0) * rect["h"]))
    return out


def rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def apart(points: list[tuple[float, float]], i: int) -> bool:
    """Run i's head is not under a later run's head (those are drawn over it)."""
    return all(np.hypot(points[i][0] - q[0], points[i][1] - q[1]) > 16 for q in points[i + 1:])


def test_png_shows_each_run_at_its_projected_iterate(scene: tuple[Page, Console],
                                                     tmp_path: Path) -> None:
    pg, console = scene
    download = net_export(pg, "png")
    assert download.suggested_filename == f"{NAME}.png"
    data = saved(download, tmp_path)
    heads = heads_px(pg)
    # decoded by the browser's PNG decoder: the pixels at twice the CSS positions (2x export)
    pixels = pg.evaluate("""async ([b64, pts]) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext('2d');
        ctx.drawImage(bmp, 0, 0);
        return { size: [bmp.width, bmp.height],
                 at: pts.map(([x, y]) =>
                   [...ctx.getImageData(Math.round(2 * x), Math.round(2 * y), 1, 1).data]) };
    }""", [base64.b64encode(data).decode(), heads])
    assert pixels["size"] == [1920, 1400]
    checked = 0
    for i, got in enumerate(pixels["at"]):
        if not apart(heads, i):
            continue
        want = rgb(RUN_COLORS[i])
        assert max(abs(g - w) for g, w in zip(got[:3], want, strict=True)) <= 12, (i, got, want)
        checked += 1
    assert checked >= 2
    no_errors(console)


def test_svg_is_valid_with_one_path_per_run(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    download = net_export(pg, "svg")
    root = ET.fromstring(saved(download, tmp_path))
    assert root.tag == f"{SVG_NS}svg" and root.get("width") == "960"
    runs = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "run"]
    assert [g.get("data-run") for g in runs] == [str(i) for i in range(RUNS)]
    heads = heads_px(pg)
    for i, g in enumerate(runs):
        trails = [p for p in g.iter(f"{SVG_NS}path") if p.get("class") == "trail"]
        assert len(trails) == 1
        assert trails[0].get("stroke", "").lower() == RUN_COLORS[i].lower()
        # the path ends at the run's iterate on screen (path data at a tenth of a pixel)
        last = re.findall(r"(-?[\d.]+) (-?[\d.]+)", trails[0].get("d", ""))[-1]
        assert np.hypot(float(last[0]) - heads[i][0], float(last[1]) - heads[i][1]) < 0.2
    no_errors(console)


def test_gif_has_a_frame_per_step(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    pg.click("#export-button")
    with pg.expect_download(timeout=120000) as dl:
        pg.click("#net-export-menu [data-format=gif]")
    info = gif_blocks(saved(dl.value, tmp_path))
    # steps 0..40 are fewer than the 90 frames a GIF may have: one frame each
    assert len(info["frames"]) == STEPS + 1
    assert (info["width"], info["height"]) == (960, 700)
    assert info["loop"] == 0
    no_errors(console)


def test_csv_by_keyboard_has_every_runs_steps_as_trained(scene: tuple[Page, Console],
                                                          base_url: str, tmp_path: Path) -> None:
    pg, console = scene
    pg.focus("#export-button")
    pg.keyboard.press("ArrowDown")  # the menu opens on its first item
    with pg.expect_download() as dl:
        for _ in range(4):
            pg.keyboard.press("ArrowDown")
        assert js(pg, "document.activeElement.dataset.format") == "csv"
        pg.keyboard.press("Enter")
    rows = list(csv.DictReader(io.StringIO(saved(dl.value, tmp_path).decode())))
    assert len(rows) == (STEPS + 1) * RUNS
    trained = api(base_url, "/network/train", REQUEST)["runs"]
    land = js(pg, "window.gradscape.land")
    for i, run in enumerate(trained):
        mine = [r for r in rows if r["run"] == str(i)]
        assert [int(r["step"]) for r in mine] == list(range(STEPS + 1))
        np.testing.assert_allclose([float(r["train_loss"]) for r in mine], run["train_loss"],
                                   rtol=1e-5)
        np.testing.assert_allclose([float(r["test_acc"]) for r in mine], run["test_acc"])
        np.testing.assert_allclose([float(r["grad_norm"]) for r in mine[:-1]], run["grad_norm"],
                                   rtol=1e-5)
        sampled = {int(r["step"]): float(r["sharpness"]) for r in mine if r["sharpness"]}
        assert sorted(sampled) == run["sharpness_steps"]
        np.testing.assert_allclose(list(sampled.values()), run["sharpness"], rtol=1e-5)
        # the optimizer's state after each update, as core's training reports it
        assert run["state_norms"] or run["optimizer"] == "sgd"
        for name, values in run["state_norms"].items():
            np.testing.assert_allclose([float(r[f"state_{name}"]) for r in mine[:-1]], values,
                                       rtol=1e-5)
            assert mine[-1][f"state_{name}"] == ""
        assert {r["plane"] for r in mine} == {"pca"}
        np.testing.assert_allclose([[float(r["a"]), float(r["b"])] for r in mine],
                                   land["paths"][i]["coords"])
    no_errors(console)


def test_html_is_the_plotly_page_and_opens_offline(scene: tuple[Page, Console], browser: Browser,
                                                   tmp_path: Path) -> None:
    pg, console = scene
    download = net_export(pg, "html", timeout=90000)
    assert download.suggested_filename == f"{NAME}.html"
    page_file = tmp_path / "net.html"
    download.save_as(page_file)
    text = page_file.read_text()
    assert '"gradscape":"network"' in text.replace(" ", "") and "Plotly.newPlot" in text
    offline, blocked = open_offline(browser, page_file)
    meta = offline.evaluate("() => document.querySelector('.js-plotly-plot').layout.meta")
    assert meta["gradscape"] == "network" and meta["runs"] == RUNS and meta["plane"] == "pca"
    offline.context.close()
    assert blocked == []
    no_errors(console)


def test_the_embed_code_plays_this_scene(scene: tuple[Page, Console], browser: Browser) -> None:
    pg, console = scene
    pg.click("#net-embed")
    code = js(pg, "document.getElementById('net-embed-code').value")
    src = re.search(r'src="([^"]+)"', code)
    assert src and "/embed.html#mode=network&net=" in src.group(1)
    # "paused at step 40, as on screen" puts the step in the link
    pg.check("#net-embed-dialog input[value=here]")
    here = js(pg, "document.getElementById('net-embed-code').value")
    assert f"step={STEPS}" in here and "step=" not in code
    pg.keyboard.press("Escape")
    ctx = browser.new_context(viewport={"width": 960, "height": 540})
    embed = ctx.new_page()
    embed_console = Console(embed)
    embed.goto(re.search(r'src="([^"]+)"', here).group(1))  # type: ignore[union-attr]
    wait(embed, "window.gradscape && window.gradscape.data "
                f"&& window.gradscape.playback.step === {STEPS}", timeout=40000)
    assert js(embed, "document.documentElement.classList.contains('embed')")
    # the slide links to the full app on the same scene
    embed.hover("#net-open-full")
    full = js(embed, "document.getElementById('net-open-full').href")
    assert "/index.html#mode=network&net=" in full and f"step={STEPS}" in full
    # the same race: the embed's numbers are the page's
    assert js(embed, "window.gradscape.scene.request") == REQUEST
    assert js(embed, f"window.gradscape.data.runs[0].train_loss[{STEPS}]") == \
        js(pg, f"window.gradscape.data.runs[0].train_loss[{STEPS}]")
    ctx.close()
    assert embed_console.errors == []
    no_errors(console)


def test_copy_link_copies_the_scene_at_its_step(scene: tuple[Page, Console],
                                                base_url: str) -> None:
    pg, console = scene
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    pg.click("#net-copy-link")
    wait(pg, "document.getElementById('net-tools-status').textContent !== ''")
    link = pg.evaluate("() => navigator.clipboard.readText()")
    assert link.startswith(f"{base_url}/#mode=network&net=") and f"step={STEPS}" in link
    fields = dict(p.split("=", 1) for p in link.split("#", 1)[1].split("&"))
    assert json.loads(urllib.parse.unquote(fields["net"])) == REQUEST
    no_errors(console)
