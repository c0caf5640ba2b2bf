"""Exports from the live scene in a real browser (Debian's chromium via Playwright, live
server): the Export menu by keyboard and in the accessibility tree, then each format as the
user gets it, the download captured and checked as a file: the PNG (signature, IHDR at the
device pixel ratio, loads in an <img>, not blank), the SVG (parses, one path per run ending
where the browser's run is), the GIF (blocks parsed here, frames counted, and decoded by
chromium's own ImageDecoder), the HTML page (opens offline and plays), the CSV (one row per
run and step, the browser's own numbers), cancelling a GIF, and a server error shown in the
UI.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Console, export, js, no_errors, open_app, open_offline, saved
from playwright.sync_api import Browser, Download, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SVG_NS = "{http://www.w3.org/2000/svg}"
NAME = "gradscape-himmelblau-adam-sgd"
RUN_COLORS = ["#0072B2", "#D55E00"]
CSV_COLUMNS = ["run", "optimizer", "step", "x", "y", "value", "grad_x", "grad_y", "update_x",
               "update_y", "lr", "status"]


@pytest.fixture(scope="module")
def scene(browser: Browser, base_url: str) -> Iterator[tuple[Page, Console]]:
    """The default race (Adam and SGD on Himmelblau) played to its end, at DPR 2 so the PNG's
    size shows the device pixels were kept."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=2,
                              accept_downloads=True)
    pg = ctx.new_page()
    console = Console(pg)
    open_app(pg, base_url, "sp=10")
    pg.wait_for_function("() => { const a = window.gradscape; return a.race.race.complete "
                         "&& !a.race.playback.playing && a.plot.critical.length > 0; }",
                         timeout=40000)
    yield pg, console
    ctx.close()


# --- the menu ------------------------------------------------------------------------------------
def test_the_menu_works_by_keyboard_and_is_labelled(scene: tuple[Page, Console]) -> None:
    pg, console = scene
    step = js(pg, "window.gradscape.race.playback.step")
    button = pg.locator("#export-button")
    assert button.get_attribute("aria-haspopup") == "menu"
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    pg.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    focused = "() => document.activeElement.dataset.format"
    assert pg.evaluate(focused) == "png"
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate(focused) == "gif"
    pg.keyboard.press("End")
    assert pg.evaluate(focused) == "csv"
    pg.keyboard.press("ArrowDown")  # wraps around
    assert pg.evaluate(focused) == "png"
    pg.keyboard.press("ArrowUp")
    assert pg.evaluate(focused) == "csv"
    pg.keyboard.press("Home")
    assert pg.evaluate(focused) == "png"
    # Keys the menu uses do not reach the page's shortcuts (Home would rewind the race).
    assert js(pg, "window.gradscape.race.playback.step") == step
    # Enter on an item exports it, and focus goes back to the button.
    pg.keyboard.press("ArrowDown")
    with pg.expect_download() as dl:
        pg.keyboard.press("Enter")
    assert dl.value.suggested_filename == f"{NAME}.svg"
    assert pg.evaluate("() => document.activeElement.id") == "export-button"
    pg.keyboard.press("Enter")
    assert pg.evaluate(focused) == "png"
    # The accessibility tree: a button named Export with a menu of five labelled items.
    tree = pg.locator("#export-menu").aria_snapshot()
    assert re.search(r'button "Export"', tree), tree
    assert re.search(r'menu "Export the scene as a file"', tree), tree
    for fmt in ["PNG", "SVG", "GIF", "HTML", "CSV"]:
        # (named by its visible text, format then description: see test_browser_axe.py)
        assert re.search(rf'menuitem "{fmt} [^"]+"', tree), tree
    assert re.search(r'menuitem "GIF animation of the race, steps 0–\d+"', tree), tree
    pg.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert pg.locator("#export-list").is_hidden()
    assert pg.evaluate("() => document.activeElement.id") == "export-button"
    # ArrowUp on the button opens the menu at its last item; a click elsewhere closes it.
    pg.keyboard.press("ArrowUp")
    assert pg.evaluate(focused) == "csv"
    pg.mouse.click(5, 790)
    assert pg.locator("#export-list").is_hidden()
    no_errors(console)


# --- PNG ----------------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_the_plot_at_device_pixels(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    download = export(pg, "png")
    assert download.suggested_filename == f"{NAME}.png"
    data = saved(download, tmp_path)
    css = js(pg, "(() => { const r = document.getElementById('bg-canvas').getBoundingClientRect();"
                 " return [Math.round(r.width), Math.round(r.height)]; })()")
    assert png_size(data) == (css[0] * 2, css[1] * 2)
    # It loads as an image, and it is a picture: many colours, the runs' colours among them.
    stats = pg.evaluate("""async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      const near = (r, g, b, hex) => {
        const [R, G, B] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
        return Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) < 12;
      };
      const runs = [0, 0];
      for (let p = 0; p < px.length; p += 4) {
        colours.add((px[p] << 16) | (px[p + 1] << 8) | px[p + 2]);
        if (near(px[p], px[p + 1], px[p + 2], '#0072B2')) runs[0] += 1;
        if (near(px[p], px[p + 1], px[p + 2], '#D55E00')) runs[1] += 1;
      }
      return {w: img.naturalWidth, colours: colours.size, runs};
    }""", base64.b64encode(data).decode())
    assert stats["w"] == css[0] * 2
    assert stats["colours"] > 500, stats
    assert min(stats["runs"]) > 200, stats  # both paths are in it (2.4 px lines at DPR 2)
    assert "Saved" in pg.locator("#export-status").inner_text()
    no_errors(console)


# --- SVG ----------------------------------------------------------------------------------------
def view_size(pg: Page) -> list[float]:
    """The contour view's size in its drawing units (CSS pixels)."""
    return list(js(pg, "(() => { const v = window.gradscape.plot.viewport; "
                       "return [v.width, v.height]; })()"))


def path_points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", d)]


def test_svg_is_a_vector_scene_of_every_run(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    download = export(pg, "svg")
    assert download.suggested_filename == f"{NAME}.svg"
    data = saved(download, tmp_path)
    root = ET.fromstring(data)
    assert root.tag == f"{SVG_NS}svg"
    vp = view_size(pg)
    assert float(root.get("width", "0")) == pytest.approx(vp[0], abs=0.01)
    assert float(root.get("height", "0")) == pytest.approx(vp[1], abs=0.01)
    # One group per run, its trail a path in the run's colour that ends at the point on
    # screen (the browser's own numbers through the browser's own viewport).
    ends = pg.evaluate("""() => { const a = window.gradscape; const c = a.race.playback.cursor;
      return a.race.race.runs.map(r => { const k = r.indexAt(c);
        return a.plot.viewport.toPx(r.x[k], r.y[k]); }); }""")
    runs = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "run"]
    assert sorted(int(g.get("data-run", "-1")) for g in runs) == [0, 1]
    for g in runs:
        i = int(g.get("data-run", "-1"))
        trail = next(p for p in g.iter(f"{SVG_NS}path") if p.get("class") == "trail")
        assert trail.get("stroke") == RUN_COLORS[i]
        pts = path_points(trail.get("d", ""))
        assert len(pts) > 20
        assert pts[-1] == pytest.approx(tuple(ends[i]), abs=0.06)
    # Contour lines (vector paths, one per level), critical points by kind, axis labels.
    contours = [p for p in root.iter(f"{SVG_NS}path") if p.get("data-level")]
    levels = js(pg, "window.gradscape.plot.contours.filter(c => c.segments.length).length")
    assert len(contours) == levels
    kinds = [p.get("data-kind") for p in root.iter(f"{SVG_NS}polygon") if p.get("data-kind")]
    # Himmelblau: four minima, four saddles, one maximum.
    assert (kinds.count("minimum"), kinds.count("saddle"), kinds.count("maximum")) == (4, 4, 1)
    texts = {t.text for t in root.iter(f"{SVG_NS}text")}
    assert {"-5", "0", "5", "Adam · η=0.1", "SGD · η=0.005"} <= texts, texts
    # Chromium renders it.
    shown = pg.evaluate("""async (b64) => { const img = new Image();
      img.src = 'data:image/svg+xml;base64,' + b64; await img.decode();
      return img.naturalWidth; }""", base64.b64encode(data).decode())
    assert shown == pytest.approx(vp[0], abs=1)
    no_errors(console)


# --- the exports match the canvas ---------------------------------------------------------------
# The canvas, the PNG and the SVG paint one scene (lib/scene.js). Rasterised at the same size
# they must agree: the same marks at the same places in the same colours. Where the marks
# are is computed here from the viewport's definition (px = width/2 + (x - cx)·scale,
# py = height/2 - (y - cy)·scale) and the colours are the palette's (Okabe-Ito run colours,
# white minima, wine-red saddles, near-black maxima), not read from the renderers.
COMPARE = """async ([png, svg]) => {
  const a = window.gradscape;
  const bg = document.getElementById('bg-canvas');
  const fg = document.getElementById('fg-canvas');
  const W = bg.width, H = bg.height;
  const raster = async (src) => {
    const img = new Image(); img.src = src; await img.decode();
    const c = document.createElement('canvas'); c.width = W; c.height = H;
    const x = c.getContext('2d'); x.drawImage(img, 0, 0, W, H);
    return x.getImageData(0, 0, W, H).data;
  };
  const live = document.createElement('canvas'); live.width = W; live.height = H;
  const lx = live.getContext('2d'); lx.drawImage(bg, 0, 0); lx.drawImage(fg, 0, 0, W, H);
  return {
    W, H,
    canvas: Array.from(lx.getImageData(0, 0, W, H).data),
    png: Array.from(await raster('data:image/png;base64,' + png)),
    svg: Array.from(await raster('data:image/svg+xml;base64,' + svg)),
  };
}"""


def _hex(c: str) -> tuple[int, int, int]:
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def test_png_and_svg_show_the_canvas_scene(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    png = saved(export(pg, "png"), tmp_path)
    svg = saved(export(pg, "svg"), tmp_path)
    info = pg.evaluate("""() => { const a = window.gradscape; const v = a.plot.viewport;
      const c = a.race.playback.cursor;
      return { view: [v.width, v.height, v.cx, v.cy, v.scale],
        heads: a.race.race.runs.map(r => { const k = r.indexAt(c); return [r.x[k], r.y[k]]; }),
        paths: a.race.race.runs.map(r => Array.from({ length: r.indexAt(c) + 1 },
          (_, j) => [r.x[j], r.y[j]])),
        critical: a.plot.critical.map(p => [p.point[0], p.point[1], p.kind]) }; }""")
    pics = pg.evaluate(COMPARE, [base64.b64encode(png).decode(), base64.b64encode(svg).decode()])
    width, height, cx, cy, scale = info["view"]
    k = pics["W"] / width  # device pixels per CSS pixel (2 here)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale

    def colour(pic: str, x: float, y: float) -> tuple[int, int, int]:
        i = (round(y * k) * pics["W"] + round(x * k)) * 4
        data = pics[pic]
        return data[i], data[i + 1], data[i + 2]

    def close(got: tuple[int, int, int], want: tuple[int, int, int], tol: int = 45) -> bool:
        return sum(abs(g - w) for g, w in zip(got, want, strict=True)) <= tol

    # Each run's current point: a marker filled with the run's colour, in all three.
    marks = [(*to_px(*xy), _hex(RUN_COLORS[i])) for i, xy in enumerate(info["heads"])]
    heads = [(x, y) for x, y, _ in marks]
    drawn = [to_px(x, y) for path in info["paths"] for x, y in path]  # path points cover marks
    want_kind = {"minimum": (255, 255, 255), "saddle": _hex("#882255"), "maximum": _hex("#1a1a1a")}
    for x, y, kind in info["critical"]:
        px, py = to_px(x, y)
        inside = 12 < px < width - 12 and 12 < py < height - 12
        clear_of_runs = all(math.hypot(px - hx, py - hy) > 14 for hx, hy in heads) and all(
            math.hypot(px - qx, py - qy) > 9 for qx, qy in drawn)
        if inside and clear_of_runs and kind in want_kind:
            marks.append((px, py, want_kind[kind]))
    # Himmelblau: both heads and 6 of its 9 points (3 lie under the paths).
    assert len(marks) >= 2 + 5, marks
    for pic in ("canvas", "png", "svg"):
        for x, y, want in marks:
            assert close(colour(pic, x, y), want), (pic, x, y, colour(pic, x, y), want)

    # The whole picture: the PNG and the SVG agree almost everywhere (text anti-aliasing and
    # the vector re-rasterisation differ by a few pixels), and outside the exports' legend box
    # (the app shows its legend as a page element, not on the canvas) the PNG is the canvas.
    rect = next(r for g in ET.fromstring(svg).iter(f"{SVG_NS}g") if g.get("class") == "legend"
                for r in g.iter(f"{SVG_NS}rect"))
    lx, ly = float(rect.get("x", "0")), float(rect.get("y", "0"))
    lw, lh = float(rect.get("width", "0")), float(rect.get("height", "0"))
    box = (lx - 30, ly - 6, lx + lw + 30, ly + lh + 6)

    def differing(a: str, b: str, skip: tuple[float, float, float, float] | None) -> float:
        pa, pb = pics[a], pics[b]
        n = total = 0
        for i in range(0, len(pa), 4 * 7):  # every 7th pixel is plenty and keeps this fast
            q = i // 4
            x, y = (q % pics["W"]) / k, (q // pics["W"]) / k
            if skip and skip[0] <= x <= skip[2] and skip[1] <= y <= skip[3]:
                continue
            total += 1
            if abs(pa[i] - pb[i]) + abs(pa[i + 1] - pb[i + 1]) + abs(pa[i + 2] - pb[i + 2]) > 60:
                n += 1
        return n / total

    svg_vs_png = differing("png", "svg", None)
    canvas_vs_png = differing("png", "canvas", box)
    print(f"differing pixels: svg/png {svg_vs_png:.4f}, "
          f"canvas/png outside the legend {canvas_vs_png:.4f}")
    assert svg_vs_png < 0.01, svg_vs_png
    assert canvas_vs_png < 0.002, canvas_vs_png
    no_errors(console)


# --- GIF ----------------------------------------------------------------------------------------
def gif_blocks(data: bytes) -> dict[str, Any]:
    """The GIF's structure from its blocks (spec order), without decoding pixels."""
    assert data[:6] == b"GIF89a"
    width, height, packed = struct.unpack("<HHB", data[6:11])
    p = 13 + (3 * (2 << (packed & 7)) if packed & 0x80 else 0)
    out: dict[str, Any] = {"width": width, "height": height, "frames": [], "loop": None}
    delay = None

    def sub_blocks(p: int) -> tuple[bytes, int]:
        chunks = []
        while data[p]:
            chunks.append(data[p + 1:p + 1 + data[p]])
            p += 1 + data[p]
        return b"".join(chunks), p + 1

    while True:
        kind = data[p]
        if kind == 0x3B:
            assert p == len(data) - 1, "trailer is the last byte"
            break
        if kind == 0x21:
            label = data[p + 1]
            if label == 0xFF:
                ident = data[p + 3:p + 3 + data[p + 2]]
                body, p = sub_blocks(p + 3 + data[p + 2])
                if ident == b"NETSCAPE2.0":
                    out["loop"] = struct.unpack("<H", body[1:3])[0]
            else:
                body, p = sub_blocks(p + 2)
                if label == 0xF9:
                    delay = struct.unpack("<H", body[1:3])[0]
        elif kind == 0x2C:
            left, top, w, h, fpacked = struct.unpack("<HHHHB", data[p + 1:p + 10])
            assert left + w <= width and top + h <= height, "frame inside the screen"
            assert not fpacked & 0x80
            assert data[p + 10] == 8, "LZW minimum code size"
            _, p = sub_blocks(p + 11)
            out["frames"].append({"rect": (left, top, w, h), "delay": delay})
        else:
            raise AssertionError(f"unknown block {kind:#x} at {p}")
    return out


def test_gif_animates_the_race(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    pg.click("#export-button")
    with pg.expect_download(timeout=90000) as dl:
        pg.click("#export-list [data-format=gif]")
        # A progress bar while it encodes.
        pg.wait_for_selector("#export-status progress", timeout=10000)
    download = dl.value
    assert download.suggested_filename == f"{NAME}.gif"
    data = saved(download, tmp_path)
    gif = gif_blocks(data)
    vp = view_size(pg)
    # 640 px on the long side, the view's aspect kept.
    long_side = max(vp)
    assert max(gif["width"], gif["height"]) == 640
    assert gif["width"] == round(vp[0] * 640 / long_side)
    assert gif["height"] == round(vp[1] * 640 / long_side)
    assert gif["loop"] == 0
    frames = gif["frames"]
    assert 10 < len(frames) <= 90
    assert frames[0]["rect"] == (0, 0, gif["width"], gif["height"])
    seconds = sum(f["delay"] for f in frames) / 100
    assert 3 <= seconds <= 10, seconds
    # Chromium's own GIF decoder agrees on the frame count, and the first frame (the runs at
    # their start) differs from the last (the paths drawn).
    decoded = pg.evaluate("""async (b64) => {
      const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
      const dec = new ImageDecoder({data: bytes, type: 'image/gif'});
      await dec.tracks.ready;
      const n = dec.tracks.selectedTrack.frameCount;
      const pixels = async (i) => { const {image} = await dec.decode({frameIndex: i});
        const c = new OffscreenCanvas(image.displayWidth, image.displayHeight);
        const ctx = c.getContext('2d'); ctx.drawImage(image, 0, 0);
        image.close(); // an unclosed VideoFrame is a console error when collected
        return ctx.getImageData(0, 0, c.width, c.height).data; };
      const a = await pixels(0); const b = await pixels(n - 1);
      dec.close();
      let differ = 0; const colours = new Set();
      for (let p = 0; p < a.length; p += 4) {
        if (a[p] !== b[p] || a[p + 1] !== b[p + 1] || a[p + 2] !== b[p + 2]) differ += 1;
        colours.add((b[p] << 16) | (b[p + 1] << 8) | b[p + 2]);
      }
      return {n, differ, colours: colours.size};
    }""", base64.b64encode(data).decode())
    assert decoded["n"] == len(frames)
    assert decoded["differ"] > 1000, decoded
    assert decoded["colours"] > 50, decoded
    info = js(pg, "window.gradscape.exportMenu.lastGif")
    assert info["end"] == js(pg, "window.gradscape.race.race.available")
    no_errors(console)


def test_gif_can_be_cancelled(scene: tuple[Page, Console]) -> None:
    pg, console = scene
    downloads: list[Download] = []

    def on_download(d: Download) -> None:
        downloads.append(d)

    pg.on("download", on_download)
    pg.click("#export-button")
    pg.click("#export-list [data-format=gif]")
    pg.locator("#export-status .export-cancel").click(timeout=10000)
    pg.wait_for_function("() => document.getElementById('export-status').textContent"
                         ".includes('Export cancelled')", timeout=10000)
    assert js(pg, "window.gradscape.exportMenu.busy") is False
    assert downloads == []
    pg.remove_listener("download", on_download)
    no_errors(console)


# --- HTML and CSV from the server ----------------------------------------------------------------
def test_html_opens_offline_and_plays(scene: tuple[Page, Console], browser: Browser,
                                      tmp_path: Path) -> None:
    pg, console = scene
    download = export(pg, "html")
    assert download.suggested_filename == f"{NAME}.html"
    page_file = tmp_path / "race.html"
    download.save_as(page_file)
    offline, blocked = open_offline(browser, page_file)
    active = "() => document.querySelector('.js-plotly-plot')._fullLayout.sliders[0].active"
    assert offline.evaluate(active) == 0
    offline.locator(".updatemenu-button").first.click()  # ▶ play
    offline.wait_for_function(f"({active})() > 5", timeout=15000)
    offline.context.close()
    assert blocked == []
    no_errors(console)


def test_csv_has_the_browsers_trajectories(scene: tuple[Page, Console], tmp_path: Path) -> None:
    pg, console = scene
    download = export(pg, "csv")
    assert download.suggested_filename == f"{NAME}.csv"
    rows = list(csv.reader(io.StringIO(saved(download, tmp_path).decode())))
    assert rows[0] == CSV_COLUMNS
    body = rows[1:]
    runs = pg.evaluate("() => window.gradscape.race.race.runs.map(r => ({optimizer: r.optimizer,"
                       " x: Array.from(r.x), y: Array.from(r.y), f: Array.from(r.f)}))")
    # One row per run and path index, in order.
    expected_keys = [(str(i), str(k)) for i, r in enumerate(runs) for k in range(len(r["x"]))]
    assert [(row[0], row[2]) for row in body] == expected_keys
    # The stream sends 7 significant digits (settings.stream_digits), the CSV full doubles:
    # the same race agrees to half a unit in the 7th digit.
    for row in body:
        run = runs[int(row[0])]
        k = int(row[2])
        assert row[1] == run["optimizer"]
        for column, values in (("x", run["x"]), ("y", run["y"]), ("value", run["f"])):
            got = float(row[CSV_COLUMNS.index(column)])
            assert math.isclose(got, values[k], rel_tol=5.1e-7, abs_tol=1e-300), (row, column)
    no_errors(console)


def test_a_server_error_is_shown_in_the_ui(scene: tuple[Page, Console]) -> None:
    pg, console = scene

    def reject(route: Any) -> None:
        route.fulfill(status=422, content_type="application/json",
                      body='{"detail": "steps: must be at most 10000"}')

    pg.route("**/api/export", reject)
    try:
        pg.click("#export-button")
        pg.click("#export-list [data-format=csv]")
        status = pg.locator("#export-status.error")
        status.wait_for(timeout=10000)
        assert "Could not export CSV: steps: must be at most 10000" in status.inner_text()
        assert js(pg, "window.gradscape.exportMenu.busy") is False
        # Dismissed with its button; focus returns to the menu button.
        status.locator(".export-dismiss").click()
        assert pg.locator("#export-status").is_hidden()
    finally:
        pg.unroute("**/api/export", reject)
    # The browser itself logs the refused request; nothing else may reach the console.
    no_errors(console, allowed="status of 422")


def test_a_retuned_race_exports_with_its_mid_race_change(page: tuple[Page, Console],
                                                         base_url: str) -> None:
    """HTML and CSV are computed by the server from the scene: after a mid-run change of
    the learning rate the request carries the change at its step, so the file holds the
    path the class watched (the server's replay is tested in tests/test_runs.py)."""
    pg, console = page
    open_app(pg, base_url)
    pg.locator("#runs .run-card").nth(1).locator("input[type=range]").first.focus()
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function("() => window.gradscape.race.race.runs[1].retunes.length > 0",
                         timeout=15000)
    retune = pg.evaluate("() => window.gradscape.race.race.runs[1].retunes[0]")
    pg.click("#export-button")
    with pg.expect_request("**/api/export") as request, pg.expect_download():
        pg.click("#export-list [data-format=csv]")
    body = request.value.post_data_json
    assert body["runs"][1]["changes"] == [{"step": retune["step"],
                                           "params": {"lr": retune["params"]["lr"]}}]
    assert body["runs"][1]["params"]["lr"] == 0.005  # the setting it started with
    pg.wait_for_function("() => document.getElementById('export-status').textContent"
                         ".includes('Saved')", timeout=15000)
    assert console.errors == []
