"""Scene editing without surprises (issue 15), in a real browser: an eta edit is a history
entry (Back returns to the old value, inside the app); undo/redo by key and button; Reset;
an undo toast when a run is removed; a hash changed in an open tab loads the scene it
names (a bare lesson link: the lesson's own scene); one retune rule on a finished race;
each optimizer keeps its colour and marker; PNG export at 2x on a 1x screen."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Console, js, open_app, pause, wait
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


def lr_box(pg: Page, run: int) -> Any:
    return pg.locator("#runs .run-card").nth(run).locator(".param-row input[type=text]").first


def set_lr(pg: Page, run: int, value: str) -> None:
    box = lr_box(pg, run)
    box.fill(value)
    box.press("Enter")


def race_number(pg: Page) -> int:
    return int(js(pg, "window.gradscape.race.race.race"))


def state_lr(pg: Page, run: int) -> float:
    return float(js(pg, f"window.gradscape.state.runs[{run}].params.lr"))


def blur(pg: Page) -> None:
    js(pg, "document.activeElement && document.activeElement.blur()")


def test_an_eta_edit_is_a_history_entry_and_undo_redo_reset_take_it_back(
        context: BrowserContext, base_url: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, "play=0")  # paused at step 0: an edit holds from step 0
    wait(pg, "window.gradscape.urlWritten")  # the page's own first write (it only replaces)
    length = js(pg, "history.length")
    before = race_number(pg)
    set_lr(pg, 1, "0.0031")
    wait(pg, f"window.gradscape.race.race.race > {before} && location.hash.includes('lr=0.0031')")
    assert js(pg, "history.length") == length + 1  # its own entry
    # Back: the old learning rate, still in the app (not the page before it).
    pg.go_back()
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.005")
    assert pg.url.startswith(base_url) and lr_box(pg, 1).input_value() == "0.005"
    pg.go_forward()
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.0031")
    wait(pg, "window.gradscape.urlWritten")  # the entry's own tidy write (it only replaces)
    # Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (the focus on the page, not in a text box).
    set_lr(pg, 1, "0.0042")
    wait(pg, "location.hash.includes('lr=0.0042')")
    blur(pg)
    pg.keyboard.press("Control+z")
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.0031")
    assert lr_box(pg, 1).input_value() == "0.0031"
    pg.keyboard.press("Control+z")
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.005")
    pg.keyboard.press("Control+Shift+z")
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.0031")
    pg.keyboard.press("Control+y")
    wait(pg, "window.gradscape.state.runs[1].params.lr === 0.0042")
    assert "Redone" in pg.locator("#toast").inner_text()
    # Reset: the start scene (the default hash); undo brings the edited one back.
    pg.select_option("#surface-select", "rosenbrock")
    wait(pg, "window.gradscape.state.surface === 'rosenbrock' "
             "&& location.hash.includes('s=rosenbrock')")
    pg.click("#scene-reset")
    wait(pg, "window.gradscape.state.surface === 'himmelblau' && location.hash === ''")
    assert js(pg, "window.gradscape.state.runs.map(r => r.params.lr)") == [0.1, 0.005]
    pg.click("#scene-undo")
    wait(pg, "window.gradscape.state.surface === 'rosenbrock' "
             "&& window.gradscape.state.runs[1].params.lr === 0.0042")
    assert pg.locator("#surface-select").input_value() == "rosenbrock"
    pg.click("#scene-redo")
    wait(pg, "window.gradscape.state.surface === 'himmelblau'")
    assert console.errors == []


def test_removing_a_run_offers_undo(context: BrowserContext, base_url: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, "r=adam,lr=0.1;sgd,lr=0.005;momentum,lr=0.002")
    pg.locator("#runs .run-card").nth(1).locator("button[aria-label^='Remove']").click()
    wait(pg, "window.gradscape.state.runs.length === 2")
    toast = pg.locator("#toast")
    assert "Removed SGD" in toast.inner_text()
    toast.locator("button.toast-action").click()
    wait(pg, "window.gradscape.state.runs.length === 3")
    optimizers = js(pg, "window.gradscape.state.runs.map(r => r.optimizer)")
    assert optimizers == ["adam", "sgd", "momentum"]
    assert pg.locator("#runs .run-card").count() == 3
    assert console.errors == []


def test_a_hash_changed_in_an_open_tab_loads_the_scene_it_names(
        context: BrowserContext, base_url: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url)
    with urllib.request.urlopen(f"{base_url}/api/lessons", timeout=10) as r:
        lesson = next(x for x in json.loads(r.read()) if x["id"] == "saddle_point")
    scene = lesson["scene"]
    js(pg, "location.hash = 'l=saddle_point'")
    pg.wait_for_selector("#lesson-banner:not([hidden])")
    wait(pg, "window.gradscape.race.race && window.gradscape.race.race.runs.length === "
             f"{len(scene['runs'])}")
    state = js(pg, "JSON.parse(JSON.stringify(window.gradscape.state))")
    assert state["lesson"] == "saddle_point"
    want_surface = scene["surface"] if isinstance(scene["surface"], str) else "custom"
    assert state["surface"] == want_surface
    assert [r["optimizer"] for r in state["runs"]] == [r["optimizer"] for r in scene["runs"]]
    # ... and paused for the prediction, not the previous scene playing under the banner.
    assert js(pg, "window.gradscape.race.playback.playing") is False
    pg.screenshot(path="/tmp/i15/hashchange_lesson.png")
    assert console.errors == []


def test_an_edit_on_a_finished_race_follows_the_same_rule(context: BrowserContext,
                                                          base_url: str) -> None:
    """From the step on screen on: paused midway, the change is replayed at that step; at
    the end (nothing after it), from step 0."""
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, "sp=10")
    wait(pg, "window.gradscape.race.race.complete && !window.gradscape.race.playback.playing",
         timeout=30000)
    pause(pg, 80)
    before = race_number(pg)
    set_lr(pg, 1, "0.002")
    wait(pg, f"window.gradscape.race.race.race > {before} "
             "&& window.gradscape.race.race.runs[1].length > 120")
    changes = js(pg, "window.gradscape.state.runs[1].changes")
    assert changes == [{"step": 80, "params": {"lr": 0.002}}]
    assert state_lr(pg, 1) == 0.005
    assert js(pg, "window.gradscape.race.playback.step") == 80  # the picture stays put
    assert "from step 80 on" in pg.locator("#toast").inner_text()
    lrs = js(pg, "window.gradscape.race.race.runs[1].lr.slice(78, 82)")
    assert lrs == [0.005, 0.005, 0.002, 0.002]
    # At the end of the race: from step 0, a restart.
    wait(pg, "window.gradscape.race.race.complete")
    js(pg, "(() => { const a = window.gradscape; a.race.playback.pause(); "
           "a.race.playback.seek(a.race.race.finalIndex, a.race.race.available); })()")
    before = race_number(pg)
    set_lr(pg, 0, "0.05")
    wait(pg, f"window.gradscape.race.race.race > {before}")
    assert state_lr(pg, 0) == 0.05 and js(pg, "window.gradscape.state.runs[0].changes") == []
    assert "from step 0" in pg.locator("#toast").inner_text()
    assert console.errors == []


def swatch(pg: Page, optimizer: str) -> list[str]:
    """The colour and marker outline of the results line of the run of that optimizer."""
    return pg.evaluate("""(id) => { const a = window.gradscape;
        const i = a.state.runs.findIndex(r => r.optimizer === id);
        const p = document.querySelector(`#results li[data-run="${i}"] polygon`);
        return [p.getAttribute('fill'), p.getAttribute('points')]; }""", optimizer)


def test_each_optimizer_keeps_its_colour_and_marker(context: BrowserContext,
                                                    base_url: str) -> None:
    pg = context.new_page()
    open_app(pg, base_url, "r=adam,lr=0.1;sgd,lr=0.005")
    adam, sgd = swatch(pg, "adam"), swatch(pg, "sgd")
    assert adam != sgd
    other = context.new_page()
    open_app(other, base_url, "r=momentum,lr=0.002;sgd,lr=0.005;adam,lr=0.1")
    assert swatch(other, "adam") == adam and swatch(other, "sgd") == sgd
    # The plot draws Adam's current point in that colour too (the SVG export's colour).
    # the module instance the page runs (its assets live under a version prefix)
    svg = other.evaluate("() => import(new URL('ui/exportscene.js', "
                         "document.querySelector('script[type=module]').src).href).then(m => "
                         "m.svgScene(window.gradscape.exportShot())"
                         ".runs.map(r => [r.label, r.color]))")
    assert [c for label, c in svg if label.startswith("Adam")] == [adam[0]]


def test_png_is_twice_the_plot_on_a_1x_screen(browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1,
                              accept_downloads=True)
    try:
        pg = ctx.new_page()
        console = Console(pg)
        open_app(pg, base_url)
        pause(pg, 100)
        css = js(pg, "[window.gradscape.plot.viewport.width, "
                     "window.gradscape.plot.viewport.height]")
        assert js(pg, "document.getElementById('bg-canvas').width") == round(css[0])  # 1x canvas
        pg.click("#export-button")
        with pg.expect_download() as dl:
            pg.click("#export-list [data-format=png]")
        data = Path(dl.value.path()).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        assert (width, height) == (round(2 * css[0]), round(2 * css[1]))
        assert console.errors == []
    finally:
        ctx.close()
