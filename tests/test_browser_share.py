"""Sharing and slides in a real browser (Debian's chromium via Playwright, live server):
the URL round trip (a scene built through the UI, its copied link opened in a fresh page:
same scene, same numbers at the same step, and the same numbers as POST /api/run), Back and
Forward, the embed page (autoplay, loop, inside a 960x540 iframe), every keyboard shortcut,
presenter mode, the copy fallback, and prefers-reduced-motion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Console, api, js, open_app, settle
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, permissions=CLIPBOARD)
    yield ctx
    ctx.close()


def new_page(ctx: BrowserContext) -> tuple[Page, Console]:
    pg = ctx.new_page()
    return pg, Console(pg)


def surfaces(base_url: str) -> dict[str, Any]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/api/surfaces", timeout=10) as r:
        return {s["id"]: s for s in json.loads(r.read())}


def blur(pg: Page) -> None:
    """Keyboard focus back on the page (the plot canvas keeps the arrows for its cursor)."""
    js(pg, "document.activeElement && document.activeElement.blur()")


def race_number(pg: Page) -> int:
    return int(js(pg, "window.gradscape.race.race.race"))


def paths(pg: Page, k: int) -> list[dict[str, list[float]]]:
    """Every run's points and values up to path index k, as the browser received them."""
    return pg.evaluate("(k) => window.gradscape.race.race.runs.map(r => ({"
                       "x: Array.from(r.x.slice(0, k + 1)), y: Array.from(r.y.slice(0, k + 1)),"
                       "f: Array.from(r.f.slice(0, k + 1))}))", k)


def wait_race(pg: Page, condition: str = "true", timeout: int = 15000) -> None:
    pg.wait_for_function("() => { const a = window.gradscape; return a && a.race.race "
                         "&& a.race.race.runs.every(r => r.length > 5) && a.plot.ready() "
                         f"&& ({condition}); }}", timeout=timeout)


# --- 1. the whole scene in the URL ------------------------------------------------------------
def test_a_copied_link_opens_the_same_scene_with_the_same_numbers(
        browser: Browser, context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url)
    # Build a scene that differs from the default in every kind of field, through the UI.
    pg.select_option("#surface-select", "rosenbrock")
    wait_race(pg, "a.state.surface === 'rosenbrock' && a.currentSpec === 'rosenbrock'")
    pg.click("#add-run")  # a third run (momentum)
    pg.wait_for_selector("#runs .run-card:nth-child(3)")
    cards = pg.locator("#runs .run-card")
    lr_box = cards.nth(1).locator(".param-row input[type=text]").first
    lr_box.fill("0.0012")
    lr_box.press("Enter")
    # Run 1: cosine schedule; run 2: gradient noise (both in "More settings").
    cards.nth(0).locator("details.more > summary").click()
    cards.nth(0).locator("select[aria-label^='Schedule']").select_option("cosine")
    cards.nth(2).locator("details.more > summary").click()
    noise = cards.nth(2).locator("input[type=text][aria-label^='Gradient noise']")
    noise.fill("0.5")
    noise.press("Enter")
    pg.check("#ov-taylor")
    pg.uncheck("#ov-critical")
    pg.select_option("#pb-speed", "0.5")
    # A start point by clicking the plot.
    before = race_number(pg)
    px, py = js(pg, "window.gradscape.plot.viewport.toPx(-1.5, 2)")
    pg.click("#fg-canvas", position={"x": px, "y": py})
    # (the race on screen must be the click's, not one of the settings' restarts before it)
    wait_race(pg, f"a.race.race.race > {before} && a.race.race.available >= 70 "
                  "&& a.race.race.runs.every(r => r.x[0] === a.state.start[0] "
                  "&& r.y[0] === a.state.start[1])")
    start = js(pg, "window.gradscape.state.start")
    assert abs(start[0] + 1.5) < 0.05 and abs(start[1] - 2) < 0.05
    # Pause at step 52: the scrubber to 50, then two steps with the arrow key.
    pg.locator("#pb-scrub").fill("50")
    blur(pg)
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    assert js(pg, "window.gradscape.race.playback.step") == 52
    assert js(pg, "window.gradscape.race.playback.playing") is False

    pg.click("[data-tool=link]")
    pg.wait_for_function("() => /Link copied/.test(document.getElementById('toast').textContent)")
    link = pg.evaluate("navigator.clipboard.readText()")
    assert link == pg.url
    for part in ("s=rosenbrock", "sgd,lr=0.0012", "sch=cosine", "noise=0.5", "k=52", "t=1",
                 "c=0", "sp=0.5", "x=-1."):
        assert part in link, (part, link)
    state = js(pg, "JSON.parse(JSON.stringify(window.gradscape.state))")
    numbers = paths(pg, 52)
    settle(pg)
    results = pg.locator("#results").inner_text()
    assert "at step 52" in results or "step 52" in results, results

    # A fresh browser context (no shared storage), as if the link came through a chat.
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        pg2, console2 = new_page(other)
        pg2.goto(link)
        wait_race(pg2, "a.race.playback.step === 52 && !a.race.playback.playing "
                       "&& a.race.race.available >= 52")
        assert js(pg2, "JSON.parse(JSON.stringify(window.gradscape.state))") == state
        assert paths(pg2, 52) == numbers  # the same numbers, to the last digit
        assert pg2.locator("#surface-select").input_value() == "rosenbrock"
        assert pg2.locator("#runs .run-card").count() == 3
        assert pg2.locator("#runs .run-card").nth(1).locator(
            ".param-row input[type=text]").first.input_value() == "0.0012"
        assert pg2.locator("#ov-taylor").is_checked()
        assert not pg2.locator("#ov-critical").is_checked()
        assert pg2.locator("#pb-speed").input_value() == "0.5"
        assert pg2.locator("#pb-step").inner_text().startswith("step 52 /")
        pg2.wait_for_function("(t) => document.getElementById('results').innerText === t",
                              arg=results, timeout=5000)
        assert console2.errors == []
    finally:
        other.close()

    # And the same numbers as the REST API computes for the scene the test itself describes.
    ref = api(base_url, "/run", {
        "surface": "rosenbrock", "steps": 500, "seed": 0, "runs": [
            {"optimizer": "adam", "params": {"lr": 0.1}, "schedule": "cosine", "start": start},
            {"optimizer": "sgd", "params": {"lr": 0.0012}, "start": start},
            {"optimizer": "momentum", "params": {"lr": 0.002}, "noise": 0.5, "start": start},
        ]})
    for run, mine in zip(ref["runs"], numbers, strict=True):
        for k in range(0, 53, 4):
            (x, y), f = run["points"][k], run["values"][k]
            for got, want in ((mine["x"][k], x), (mine["y"][k], y), (mine["f"][k], f)):
                assert abs(got - want) <= 1e-6 * max(1.0, abs(want)), (k, got, want)
    assert console.errors == []


def test_back_returns_to_the_previous_scene_not_the_previous_frame(
        context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url)
    length = js(pg, "history.length")
    pg.select_option("#surface-select", "rosenbrock")
    pg.wait_for_function("() => location.hash.includes('s=rosenbrock')", timeout=5000)
    wait_race(pg, "a.currentSpec === 'rosenbrock'")
    assert js(pg, "history.length") == length + 1  # a new scene: pushed
    # A learning-rate edit is an edit of the scene: its own entry (issue 15: Back used to
    # leave the app). The slider applies on release, so a drag is one entry.
    slider = pg.locator("#runs .run-card").nth(0).locator("input[type=range]").first
    slider.fill("600")
    pg.wait_for_function("() => window.gradscape.race.race.runs[0].params.lr !== 0.1 "
                         "&& /r=adam,lr=0\\.1,@\\d+\\.lr=/.test(location.hash)", timeout=5000)
    dragged = js(pg, "window.gradscape.race.race.runs[0].params.lr")
    assert dragged != 0.1
    assert js(pg, "history.length") == length + 2
    # Frequent changes replace the entry: the race playing, steps.
    blur(pg)
    pg.keyboard.press("Space")
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function("() => /[#&]k=\\d+/.test(location.hash)", timeout=5000)
    assert js(pg, "history.length") == length + 2
    # Another start: a new scene again (a new race: the run starts with its latest setting).
    px, py = js(pg, "window.gradscape.plot.viewport.toPx(0.5, 0.5)")
    pg.click("#fg-canvas", position={"x": px, "y": py})
    pg.wait_for_function("() => /[#&]x=0\\.(5|49)/.test(location.hash)", timeout=5000)
    assert js(pg, "history.length") == length + 3
    assert js(pg, "window.gradscape.state.runs[0].params.lr") == dragged
    assert js(pg, "window.gradscape.state.runs[0].changes") == []

    rosenbrock = surfaces(base_url)["rosenbrock"]
    pg.go_back()
    wait_race(pg, "a.state.surface === 'rosenbrock' "
                  f"&& Math.abs(a.race.race.runs[0].x[0] - ({rosenbrock['start'][0]})) < 1e-9")
    assert js(pg, "window.gradscape.state.start") == rosenbrock["start"]
    # The entry of the edit: the change replayed at its step.
    assert js(pg, "window.gradscape.state.runs[0].changes[0].params.lr") == dragged
    pg.go_back()
    wait_race(pg, "a.state.surface === 'rosenbrock' && a.state.runs[0].changes.length === 0")
    assert js(pg, "window.gradscape.state.runs[0].params.lr") == 0.1
    pg.go_back()
    wait_race(pg, "a.state.surface === 'himmelblau' && a.currentSpec === 'himmelblau'")
    assert pg.locator("#surface-select").input_value() == "himmelblau"
    pg.go_forward()
    wait_race(pg, "a.state.surface === 'rosenbrock' && a.currentSpec === 'rosenbrock'")
    assert pg.locator("#surface-select").input_value() == "rosenbrock"
    pg.go_forward()
    pg.go_forward()
    wait_race(pg, "Math.abs(a.race.race.runs[0].x[0] - 0.5) < 0.02")
    assert js(pg, "history.length") == length + 3  # traversing pushed nothing new
    assert console.errors == []


def test_copy_link_without_clipboard_access_shows_the_link_selected(
        browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        # An old browser or a page without clipboard access: no navigator.clipboard at all.
        ctx.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', "
                            "{ get: () => undefined, configurable: true });")
        pg, console = new_page(ctx)
        open_app(pg, base_url, "s=bowl&x=1_1")
        pg.click("[data-tool=link]")
        pg.wait_for_selector("#copy-dialog[open]")
        box = pg.locator("#copy-dialog input")
        assert box.input_value() == pg.url and "s=bowl" in pg.url
        assert js(pg, "document.activeElement === document.querySelector('#copy-dialog input')")
        selected = js(pg, "(() => { const i = document.querySelector('#copy-dialog input'); "
                          "return [i.selectionStart, i.selectionEnd, i.value.length]; })()")
        assert selected[0] == 0 and selected[1] == selected[2]
        pg.keyboard.press("Escape")
        pg.wait_for_selector("#copy-dialog", state="hidden")
        # The embed code: an iframe of embed.html with the same scene (its dialog's copy).
        pg.click("[data-tool=embed]")
        pg.wait_for_selector("#embed-dialog[open]")
        pg.click("[data-embed-copy]")
        pg.wait_for_selector("#copy-dialog[open]")
        code = box.input_value()
        assert code.startswith(f'<iframe src="{base_url}/embed.html#s=bowl&x=1_1&loop=1"'), code
        assert console.errors == []
    finally:
        ctx.close()


# --- 2. presenter mode and the embed page ------------------------------------------------------
def test_presenter_mode_makes_type_and_lines_larger(browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        pg, console = new_page(ctx)
        open_app(pg, base_url)
        size = "(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)"
        root0 = pg.evaluate(size, "html")
        results0 = pg.evaluate(size, "#results li")
        scale = "window.gradscape.plot.wrap.clientWidth / window.gradscape.plot.viewport.width"
        assert abs(js(pg, scale) - 1) < 0.01
        pg.click("[data-tool=presenter]")
        pg.wait_for_function("() => document.documentElement.classList.contains('presenter')")
        assert pg.evaluate(size, "html") >= 1.15 * root0
        assert pg.evaluate(size, "#results li") >= 1.15 * results0
        # Canvases draw 1.5x larger (lines, markers, labels) at 1920 px.
        pg.wait_for_function(f"() => Math.abs({scale} - 1.5) < 0.02", timeout=5000)
        assert pg.locator("[data-tool=presenter]").get_attribute("aria-pressed") == "true"
        # Side panels reduced to what the class needs: the inspector's update rule with the
        # step's numbers and the loss stay, the tabs go; the curvature read-outs come with the
        # Advanced switch (off on a first look).
        assert not pg.locator("#panel-tabs").is_visible()
        assert pg.locator("#panel-inspector .insp-rule").is_visible()
        assert pg.locator("#loss-canvas").is_visible()
        pg.check("#ov-advanced")
        assert pg.locator("#curvature").is_visible()
        # the plot keeps the middle column (the inspector and loss take the right one)
        plot = pg.locator("#plot-wrap").bounding_box()
        assert plot and plot["width"] >= 950 and plot["height"] >= 650, plot
        assert js(pg, "document.documentElement.scrollWidth <= window.innerWidth")
        pg.wait_for_function("() => /[#&]pm=1/.test(location.hash)", timeout=5000)
        url = pg.url
        # The link opens in presenter mode; p leaves it.
        pg2, console2 = new_page(ctx)
        open_app(pg2, url.split("#", 1)[0].removesuffix("/"), url.split("#", 1)[1])
        assert js(pg2, "document.documentElement.classList.contains('presenter')")
        blur(pg2)
        pg2.keyboard.press("p")
        assert not js(pg2, "document.documentElement.classList.contains('presenter')")
        pg2.wait_for_function("() => !/pm=1/.test(location.hash)", timeout=5000)
        assert pg2.evaluate(size, "html") == root0
        assert console.errors == [] and console2.errors == []
    finally:
        ctx.close()


def test_embed_page_plays_by_itself_loops_and_links_to_the_app(
        context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url, "s=bowl&n=60&sp=10&loop=1", path="/embed.html")
    length = js(pg, "history.length")
    # Chromeless: the plot, a compact play bar, the results line.
    for hidden in (".topbar", ".runs-panel", ".side", ".stage-toolbar", "#pb-speed"):
        assert not pg.locator(hidden).is_visible(), hidden
    for shown in ("#plot-wrap", "#pb-play", "#pb-scrub", "#results li"):
        assert pg.locator(shown).first.is_visible(), shown
    # Autoplay: it moves with nobody touching it.
    assert js(pg, "window.gradscape.race.playback.playing") is True
    # Loop: once the race has ended it replays from the start, still playing.
    pg.wait_for_function("() => window.gradscape.race.race.complete "
                         "&& window.gradscape.race.playback.loops >= 1", timeout=20000)
    final = js(pg, "window.gradscape.race.race.finalIndex")
    pg.wait_for_function(f"() => window.gradscape.race.playback.cursor < {final} "
                         "&& window.gradscape.race.playback.playing", timeout=5000)
    # Any app link works here, and "open in gradscape" leads to the app with the same scene
    # (without the slide's loop).
    link = pg.locator("a.open-full")
    href = link.get_attribute("href") or ""
    assert href.startswith(f"{base_url}/#") and "s=bowl" in href and "n=60" in href
    assert "loop" not in href
    with context.expect_page() as opened:
        link.click()
    app = opened.value
    wait_race(app, "a.state.surface === 'bowl' && a.race.race.steps === 60")
    assert app.locator(".topbar").is_visible()
    # The embed page never stacks history entries in the slide deck's tab.
    assert js(pg, "history.length") == length
    assert console.errors == []


def test_embed_without_loop_stops_at_the_end_and_play_0_waits(
        context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url, "n=40&sp=10", path="/embed.html")
    pg.wait_for_function("() => window.gradscape.race.race.complete "
                         "&& !window.gradscape.race.playback.playing", timeout=20000)
    assert js(pg, "window.gradscape.race.playback.step") == js(
        pg, "window.gradscape.race.race.finalIndex")
    pg2, console2 = new_page(context)
    open_app(pg2, base_url, "play=0", path="/embed.html")
    pg2.wait_for_timeout(400)
    assert js(pg2, "window.gradscape.race.playback.playing") is False
    assert js(pg2, "window.gradscape.race.playback.step") == 0
    pg2.click("#pb-play")
    pg2.wait_for_function("() => window.gradscape.race.playback.step > 3", timeout=5000)
    assert console.errors == [] and console2.errors == []


def test_embed_fits_a_960x540_slide_iframe_with_large_type(
        browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1100, "height": 700})
    try:
        pg, console = new_page(ctx)
        pg.set_content(f'<iframe src="{base_url}/embed.html#s=himmelblau&loop=1" width="960" '
                       'height="540" style="border:0" allow="fullscreen"></iframe>')
        frame = next(f for f in pg.frames if f.url.startswith(f"{base_url}/embed.html"))
        frame.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                                "&& window.gradscape.race.race.runs.every(r => r.length > 5) "
                                "&& window.gradscape.plot.ready()", timeout=15000)
        fit = frame.evaluate("""() => { const d = document.documentElement;
            const box = (sel) => document.querySelector(sel).getBoundingClientRect();
            return { sw: d.scrollWidth, sh: d.scrollHeight, w: innerWidth, h: innerHeight,
                     font: parseFloat(getComputedStyle(d).fontSize),
                     plot: box('#plot-wrap').height, results: box('#results li').bottom }; }""")
        assert (fit["w"], fit["h"]) == (960, 540)
        assert fit["sw"] <= fit["w"] and fit["sh"] <= fit["h"], fit  # nothing scrolls in a slide
        assert fit["font"] >= 17, fit  # the app at 960 px would use 14 px
        assert fit["plot"] >= 330, fit
        assert fit["results"] <= fit["h"], fit  # the results line is in view
        assert frame.evaluate("() => window.gradscape.race.playback.playing") is True
        assert console.errors == []
    finally:
        ctx.close()


# --- 3. keyboard ----------------------------------------------------------------------------------
def test_every_keyboard_shortcut(context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url, "sp=0.5")
    # Playing past step 1, so that one step back from the paused step is a step too.
    pg.wait_for_function("() => window.gradscape.race.race.available >= 40 "
                         "&& window.gradscape.race.playback.step >= 2", timeout=15000)
    pb = "window.gradscape.race.playback"
    blur(pg)
    pg.keyboard.press("Space")
    assert js(pg, f"{pb}.playing") is False
    k = js(pg, f"{pb}.step")
    pg.keyboard.press("ArrowRight")
    assert js(pg, f"{pb}.step") == k + 1
    pg.keyboard.press("ArrowLeft")
    pg.keyboard.press("ArrowLeft")
    assert js(pg, f"{pb}.step") == k - 1
    pg.keyboard.press("Shift+ArrowRight")
    assert js(pg, f"{pb}.step") == k + 9
    pg.keyboard.press("Space")
    assert js(pg, f"{pb}.playing") is True
    pg.keyboard.press("Home")
    assert js(pg, f"{pb}.step") == 0 and js(pg, f"{pb}.playing") is False
    # r: the race restarts (a new race from step 0, playing).
    race = race_number(pg)
    pg.keyboard.press("r")
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} && {pb}.playing",
                         timeout=10000)
    # f: the layout goes fullscreen (Fullscreen API), f again leaves.
    pg.keyboard.press("f")
    pg.wait_for_function("() => document.fullscreenElement "
                         "&& document.fullscreenElement.classList.contains('layout')", timeout=5000)
    pg.wait_for_function("() => document.querySelector('[data-tool=fullscreen]')"
                         ".getAttribute('aria-pressed') === 'true'", timeout=5000)
    pg.keyboard.press("f")
    pg.wait_for_function("() => !document.fullscreenElement", timeout=5000)
    # p: presenter mode on and off.
    pg.keyboard.press("p")
    assert js(pg, "document.documentElement.classList.contains('presenter')")
    pg.keyboard.press("p")
    assert not js(pg, "document.documentElement.classList.contains('presenter')")
    # ?: an accessible dialog listing every shortcut; Esc closes it.
    pg.keyboard.press("?")
    dialog = pg.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    text = dialog.inner_text()
    for keys, what in (("Space", "Play or pause"), ("→", "One step forward"),
                       ("←", "One step back"), ("r", "Restart the race"),
                       ("f", "Fullscreen"), ("p", "Presenter mode"), ("?", "Show or hide"),
                       ("Home", "Back to step 0"), ("Esc", "Close")):
        assert keys in text and what in text, (keys, what)
    assert js(pg, "document.getElementById('keys-dialog').contains(document.activeElement)")
    playing = js(pg, f"{pb}.playing")
    pg.keyboard.press("Space")  # presses the focused Close button, does not toggle play
    pg.wait_for_selector("#keys-dialog", state="hidden")
    assert js(pg, f"{pb}.playing") == playing
    pg.keyboard.press("?")
    dialog.wait_for()
    pg.keyboard.press("Escape")
    pg.wait_for_selector("#keys-dialog", state="hidden")
    # Typing in a text box is typing, not shortcuts.
    race = race_number(pg)
    pg.fill("#formula-input", "")
    pg.type("#formula-input", "r p f")
    assert pg.locator("#formula-input").input_value() == "r p f"
    assert race_number(pg) == race
    assert not js(pg, "document.documentElement.classList.contains('presenter') "
                      "|| document.fullscreenElement")
    assert console.errors == []


def test_the_toolbar_buttons_have_names_and_the_fullscreen_button_works(
        context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url)
    toolbar = pg.get_by_role("toolbar", name="Share and present")
    for name in ("Copy link", "Copy embed code for slides", "Presenter mode (p)",
                 "Fullscreen (f)", "Keyboard shortcuts (?)"):
        assert toolbar.get_by_role("button", name=name).count() == 1, name
    toolbar.get_by_role("button", name="Fullscreen (f)").click()
    pg.wait_for_function("() => document.fullscreenElement "
                         "&& document.fullscreenElement.classList.contains('layout')", timeout=5000)
    # In fullscreen the plot grows to the screen's height, and the loss curve and each run's
    # learning rate stay on screen (the whole layout is fullscreen, not the plot alone).
    pg.wait_for_function("() => document.getElementById('plot-wrap').clientHeight > 550",
                         timeout=5000)
    shown = ("(el) => { const r = el.getBoundingClientRect(); return r.height > 0 "
             "&& r.top >= 0 && r.bottom <= innerHeight && el.checkVisibility(); }")
    assert pg.locator("#loss-canvas").evaluate(shown)
    eta = pg.locator("#runs .run-card").first.locator(".param-row input[type=text]").first
    assert eta.evaluate(shown)
    pg.keyboard.press("f")  # (Esc too, but headless chromium has no browser UI to take it)
    pg.wait_for_function("() => !document.fullscreenElement", timeout=5000)
    toolbar.get_by_role("button", name="Keyboard shortcuts (?)").click()
    pg.get_by_role("dialog", name="Keyboard shortcuts").wait_for()
    assert console.errors == []


# --- 4. reduced motion ----------------------------------------------------------------------------
def test_reduced_motion_shows_the_whole_path_at_once(browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    try:
        pg, console = new_page(ctx)
        # Record every cursor position the page ever shows, from the first frame on.
        pg.add_init_script("""
            window.__cursors = new Set();
            const watch = () => { const a = window.gradscape;
              if (a && a.race.race) window.__cursors.add(a.race.playback.cursor);
              requestAnimationFrame(watch); };
            requestAnimationFrame(watch);""")
        pg.goto(f"{base_url}/#n=300")
        wait_race(pg, "a.race.race.complete && a.race.playback.step === a.race.race.finalIndex",
                  timeout=20000)
        final = js(pg, "window.gradscape.race.race.finalIndex")
        assert final > 100
        assert js(pg, "window.gradscape.race.playback.playing") is False
        pg.wait_for_timeout(300)
        # No animation: the picture went from the start straight to the whole path.
        assert set(js(pg, "[...window.__cursors]")) <= {0, final}
        # No smooth transitions anywhere (even an element that asks for one).
        duration = js(pg, "(() => { const d = document.createElement('div'); "
                          "d.style.transition = 'opacity 2s ease'; document.body.append(d); "
                          "return getComputedStyle(d).transitionDuration; })()")
        assert duration == "0s"
        # Playing is still there, on request (from the end it replays from step 0).
        blur(pg)
        pg.keyboard.press("Space")
        pg.wait_for_function(f"() => window.gradscape.race.playback.playing "
                             f"&& window.gradscape.race.playback.step < {final}", timeout=5000)
        assert console.errors == []
    finally:
        ctx.close()


def test_without_reduced_motion_the_race_animates(context: BrowserContext, base_url: str) -> None:
    # The counterpart of the test above: the same page does animate by default.
    pg, console = new_page(context)
    pg.add_init_script("""
        window.__cursors = new Set();
        const watch = () => { const a = window.gradscape;
          if (a && a.race.race) window.__cursors.add(Math.floor(a.race.playback.cursor));
          requestAnimationFrame(watch); };
        requestAnimationFrame(watch);""")
    pg.goto(f"{base_url}/#n=300")
    pg.wait_for_function("() => window.__cursors.size > 10", timeout=15000)
    assert js(pg, "window.gradscape.race.playback.playing") is True
    assert console.errors == []


def test_share_tools_and_keys_dialog_follow_the_language_switch(
        context: BrowserContext, base_url: str) -> None:
    pg, console = new_page(context)
    open_app(pg, base_url)
    pg.select_option("#lang-select", "zh")
    toolbar = pg.get_by_role("toolbar", name="分享与演示")
    names = ("复制链接", "复制嵌入代码（用于幻灯片）", "演示模式（p）", "全屏（f）",
             "键盘快捷键（?）")
    for name in names:
        button = toolbar.get_by_role("button", name=name)
        assert button.count() == 1, name
        assert button.get_attribute("title") == name
    blur(pg)
    pg.keyboard.press("?")
    dialog = pg.get_by_role("dialog", name="快捷键")
    dialog.wait_for()
    assert "播放或暂停" in dialog.inner_text() and "空格" in dialog.inner_text()
    assert "Play or pause" not in dialog.inner_text()
    pg.keyboard.press("Escape")
    # A link in Chinese opens the embed page with its link back in Chinese.
    pg2, console2 = new_page(context)
    open_app(pg2, base_url, "lang=zh", path="/embed.html")
    assert pg2.locator("a.open-full").inner_text().startswith("在 gradscape 中打开")
    assert console.errors == [] and console2.errors == []
