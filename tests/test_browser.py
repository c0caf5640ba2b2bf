"""The playground in a real browser: Debian's chromium driven by Playwright against a live
`gradscape serve`. Covers load, the race, pause/step/scrub, click-to-restart, a mid-run
retune, eigen-arrows, the inspector and backprop graph (checked against the REST API), the
basin map, the 3D view, the formula error message, the URL state, and no console errors.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from typing import Any

import pytest
from browser_support import Console, api, js, open_app, settle
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def point(page: Page, run: int, k: int) -> list[float]:
    """Run `run`'s point at path index k, as the browser received it."""
    return page.evaluate("([i, k]) => { const r = window.gradscape.race.race.runs[i]; "
                         "return [r.x[k], r.y[k]]; }", [run, k])


def pause_at(page: Page, step: int) -> None:
    page.wait_for_function(f"() => window.gradscape.race.race.available >= {step}",
                           timeout=15000)
    page.evaluate(f"() => {{ const a = window.gradscape; a.race.playback.pause(); "
                  f"a.race.playback.seek({step}, a.race.race.available); a.dirty = true; }}")


# --- tests -------------------------------------------------------------------------------------
def test_first_load_races_adam_and_sgd_on_himmelblau(page: tuple[Page, Console],
                                                     base_url: str) -> None:
    pg, console = page
    t0 = time.monotonic()
    open_app(pg, base_url)
    assert time.monotonic() - t0 < 10
    assert pg.locator("#surface-select").input_value() == "himmelblau"
    names = js(pg, "window.gradscape.race.race.runs.map(r => r.optimizer)")
    assert names == ["adam", "sgd"]
    # It plays by itself: the cursor moves and both paths grow.
    c0 = js(pg, "window.gradscape.race.playback.cursor")
    pg.wait_for_timeout(600)
    assert js(pg, "window.gradscape.race.playback.cursor") > c0
    assert js(pg, "window.gradscape.race.playback.playing") is True
    # The scene was painted: contour background and paths drawn.
    marks = js(pg, "performance.getEntriesByType('mark').map(m => m.name)")
    assert "gradscape:scene-painted" in marks and "gradscape:race-painted" in marks
    assert pg.locator("#results li").count() == 2
    assert "Adam" in pg.locator("#results").inner_text()
    assert console.errors == []


def test_the_race_finishes_and_the_results_say_so(page: tuple[Page, Console],
                                                  base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "sp=10")
    pg.wait_for_function("() => window.gradscape.race.race.complete "
                         "&& !window.gradscape.race.playback.playing", timeout=30000)
    settle(pg)
    text = pg.locator("#results").inner_text()
    assert "SGD converged to f =" in text, text
    assert js(pg, "window.gradscape.race.race.runs[1].status") == "converged"
    # SGD lingers at the saddle near (0.087, 2.884) on its way: the default scene's lesson.
    near = js(pg, "(() => { const r = window.gradscape.race.race.runs[1]; let n = 0;"
                  "for (let k = 0; k < r.length; k++) if (Math.hypot(r.x[k] - 0.0867,"
                  " r.y[k] - 2.8843) < 0.3) n++; return n; })()")
    assert near >= 30
    assert "/ " in pg.locator("#pb-step").inner_text()
    assert console.errors == []


def test_pause_step_scrub_and_keys(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pg.wait_for_function("() => window.gradscape.race.race.available >= 40", timeout=15000)
    pg.click("#pb-play")  # pause
    assert js(pg, "window.gradscape.race.playback.playing") is False
    k = js(pg, "window.gradscape.race.playback.step")
    pg.click("#pb-forward")
    pg.click("#pb-forward")
    assert js(pg, "window.gradscape.race.playback.step") == k + 2
    pg.click("#pb-back")
    assert js(pg, "window.gradscape.race.playback.step") == k + 1
    pg.wait_for_function(f"() => document.querySelector('#pb-step').textContent"
                         f".startsWith('step {k + 1} /')", timeout=5000)
    pg.locator("#pb-scrub").fill("20")
    assert js(pg, "window.gradscape.race.playback.step") == 20
    pg.click("#pb-reset")
    assert js(pg, "window.gradscape.race.playback.step") == 0
    # Keys with the focus on the page (on the focused plot the arrows move the keyboard
    # start cursor instead: ui/a11y.js).
    pg.evaluate("() => document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("ArrowRight")
    assert js(pg, "window.gradscape.race.playback.step") == 1
    pg.keyboard.press("Space")
    assert js(pg, "window.gradscape.race.playback.playing") is True
    pg.keyboard.press("Space")
    assert js(pg, "window.gradscape.race.playback.playing") is False
    pg.select_option("#pb-speed", "4")
    assert js(pg, "window.gradscape.race.playback.speed") == 4
    assert console.errors == []


def test_click_elsewhere_restarts_from_there(page: tuple[Page, Console],
                                             base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    race = js(pg, "window.gradscape.race.race.race")
    px, py = js(pg, "window.gradscape.plot.viewport.toPx(-3, -1)")
    pg.click("#fg-canvas", position={"x": px, "y": py})
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 2", timeout=10000)
    starts = js(pg, "window.gradscape.race.race.runs.map(r => [r.x[0], r.y[0]])")
    for x, y in starts:
        assert abs(x + 3) < 0.05 and abs(y + 1) < 0.05
    assert js(pg, "window.gradscape.race.playback.playing") is True
    pg.wait_for_function("() => /[#&]x=-(3|2\\.9)/.test(location.hash)", timeout=5000)
    assert console.errors == []


def test_a_click_before_the_surface_is_shown_does_not_restart(browser: Browser,
                                                                base_url: str) -> None:
    # Hold the surface grid back: the race streams, but the plot does not know the bounds.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    held: list[Any] = []
    context.route("**/api/grid", lambda route: held.append(route))
    pg = context.new_page()
    console = Console(pg)
    pg.goto(f"{base_url}/#s=himmelblau")  # the default race (a bare address: the welcome scene)
    pg.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                         "&& window.gradscape.race.race.runs.every(r => r.length > 5)",
                         timeout=15000)
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:  # the worker's fetch reaches the route
        pg.wait_for_timeout(50)
    assert held and js(pg, "window.gradscape.plot.ready()") is False
    race = js(pg, "window.gradscape.race.race.race")
    pg.click("#fg-canvas", position={"x": 100, "y": 300})
    pg.wait_for_timeout(300)  # a restart would have been sent at once (throttle: 120 ms)
    assert js(pg, "window.gradscape.race.race.race") == race
    for route in held:
        route.continue_()
    pg.wait_for_function("() => window.gradscape.plot.ready()", timeout=10000)
    # Now a click maps through the real bounds: Himmelblau's home view is [-5, 5]^2.
    x, y = js(pg, "window.gradscape.plot.viewport.toData(100, 300)")
    assert -5.5 < x < 5.5 and -5.5 < y < 5.5
    pg.click("#fg-canvas", position={"x": 100, "y": 300})
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 0", timeout=10000)
    x0, y0 = point(pg, 0, 0)
    assert abs(x0 - x) < 2e-3 * max(1, abs(x)) and abs(y0 - y) < 2e-3 * max(1, abs(y))
    assert console.errors == []
    context.close()


def test_mid_run_retune_continues_the_path_and_marks_it(page: tuple[Page, Console],
                                                        base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "sp=0.5")
    box = pg.locator("#runs .run-card").nth(1).locator("input[type=text]").first
    race = js(pg, "window.gradscape.race.race.race")
    # At half speed a 500-step race is still streaming: the server paces it to the screen
    # (it must not have computed the whole race before reading the client's pacing).
    assert js(pg, "window.gradscape.race.race.complete") is False
    lr = "0.0123"
    box.fill(lr)
    box.press("Enter")
    new_lr = float(lr)
    pg.wait_for_function("() => window.gradscape.race.race.runs[1].retunes.length === 1",
                         timeout=10000)
    retune = js(pg, "window.gradscape.race.race.runs[1].retunes[0]")
    assert retune["params"]["lr"] == new_lr
    # The same race carries on (no restart), and the path grows past the change.
    assert js(pg, "window.gradscape.race.race.race") == race
    step = retune["step"]
    assert step > 0
    pg.wait_for_function(f"() => window.gradscape.race.race.runs[1].length > {step + 20} "
                         "|| window.gradscape.race.race.runs[1].stopped", timeout=15000)
    lrs = js(pg, f"window.gradscape.race.race.runs[1].lr.slice({step - 1}, {step + 2})")
    assert lrs[-1] == new_lr and lrs[0] != new_lr
    # It continues the path: up to the change the points are those of an unchanged SGD run
    # from the same start (POST /api/run), after it they leave that run's path.
    start = js(pg, "window.gradscape.state.start")
    ref = api(base_url, "/run", {"surface": "himmelblau", "steps": step + 10,
                                 "runs": [{"optimizer": "sgd", "params": {"lr": 0.005},
                                           "start": start}]})["runs"][0]["points"]
    path = js(pg, f"(() => {{ const r = window.gradscape.race.race.runs[1]; "
                  f"return r.x.slice(0, {step + 10}).map((x, k) => [x, r.y[k]]); }})()")
    for k in range(0, step + 1):
        assert close(path[k][0], ref[k][0], 1e-5) and close(path[k][1], ref[k][1], 1e-5), k
    assert max(abs(path[k][0] - ref[k][0]) for k in range(step + 2, step + 10)) > 1e-6
    # Paced streaming: the change lands close to the step on screen, not at the end.
    shown = js(pg, "window.gradscape.race.playback.step")
    assert step - shown < 120, (step, shown)
    # The change is part of the scene: the link replays it at its step (test_browser_links.py).
    assert f"sgd,lr=0.005,@{step}.lr={lr}" in pg.url
    assert "new settings from step" in pg.locator("#toast").inner_text()
    # The slider follows the typed value.
    slider = pg.locator("#runs .run-card").nth(1).locator("input[type=range]").first
    assert 0 < int(slider.input_value()) < 1000
    # The change is marked on the path: the mark's pixels go when the retune record does.
    pg.evaluate(f"() => {{ const a = window.gradscape; a.race.playback.pause(); "
                f"a.race.playback.seek({step + 5}, a.race.race.available); a.dirty = true; }}")
    mark = """([hide]) => { const a = window.gradscape; const r = a.race.race.runs[1];
        const saved = r.retunes; if (hide) r.retunes = [];
        a.plot.drawForeground(a.scene()); r.retunes = saved;
        const [px, py] = a.plot.viewport.toPx(r.x[saved[0].step], r.y[saved[0].step]);
        const c = document.getElementById('fg-canvas'); const k = c.width / c.clientWidth;
        return Array.from(c.getContext('2d').getImageData(Math.round((px - 10) * k),
            Math.round((py - 10) * k), Math.round(20 * k), Math.round(20 * k)).data); }"""
    with_mark, without = pg.evaluate(mark, [False]), pg.evaluate(mark, [True])
    assert sum(1 for i in range(0, len(without), 4)
               if with_mark[i:i + 3] != without[i:i + 3]) > 40
    assert console.errors == []


def test_eigen_arrows_drawn_at_every_run_and_critical_point(page: tuple[Page, Console],
                                                            base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 30)
    pg.wait_for_function("() => [0, 1].every(i => window.gradscape.eigenAt(i, "
                         "window.gradscape.race.race.runs[i].indexAt(30)))", timeout=10000)
    eig = js(pg, "window.gradscape.eigenAt(0, 30)")
    assert len(eig["eigenvalues"]) == 2
    # Critical points with eigen-decompositions: Himmelblau has 4 minima, 4 saddles, 1 max.
    # (Asked for once the grid is prepared: on a busy machine after the runs' eigen answers.)
    pg.wait_for_function("() => window.gradscape.critical.length > 0", timeout=15000)
    kinds = js(pg, "window.gradscape.critical.map(c => c.kind).sort()")
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4
    assert kinds.count("maximum") == 1
    # Pixels: the arrows are really drawn. Dashed λ<0 arrows in #882255 sit on the
    # background at the saddles; switching the overlay off changes many pixels of both layers.
    snapshot = """(id) => { const c = document.getElementById(id);
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }"""
    before = {cid: pg.evaluate(snapshot, cid) for cid in ("bg-canvas", "fg-canvas")}
    pg.uncheck("#ov-eigen")
    pg.wait_for_timeout(150)
    for cid, pixels in before.items():
        after = pg.evaluate(snapshot, cid)
        changed = sum(1 for i in range(0, len(after), 4) if after[i:i + 3] != pixels[i:i + 3])
        assert changed > (1500 if cid == "bg-canvas" else 200), (cid, changed)
    assert console.errors == []


def test_inspector_and_curvature_match_the_api(page: tuple[Page, Console],
                                               base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 12)
    pg.wait_for_function("() => document.querySelector('#panel-inspector [data-row=relerr]') "
                         "&& document.querySelector('.insp-head').textContent.includes('step 12')",
                         timeout=10000)
    x, y = point(pg, 0, 12)
    ref = api(base_url, "/analyze", {"surface": "himmelblau", "point": [x, y]})
    row = lambda name: pg.locator(f"#panel-inspector [data-row={name}] td").inner_text()  # noqa: E731
    theta = row("theta").strip("()").split(", ")
    assert abs(float(theta[0]) - x) < 1e-3 and abs(float(theta[1]) - y) < 1e-3
    grad = row("grad").strip("()").split(", ")
    assert abs(float(grad[0]) - ref["grad"][0]) <= 1e-3 * max(1, abs(ref["grad"][0]))
    assert "✓" in row("relerr")
    assert row("m") and row("sigma") and row("step")
    live = pg.locator(".insp-rule .live").first.inner_text()
    assert live.startswith("x: ") and "/" in live  # Adam: (η / σ) × m with numbers
    lmax = float(pg.locator("[data-cell=lmax] .cval").inner_text())
    assert abs(lmax - max(ref["eigenvalues"])) <= 0.01 * abs(max(ref["eigenvalues"])) + 0.01
    bound = pg.locator("[data-cell=bound] .cval").inner_text()
    lam = max(ref["eigenvalues"])
    if lam > 0:
        assert abs(float(bound) - 2 / lam) < 0.01 * 2 / lam + 1e-3
    assert pg.locator("#curvature .verdict").count() == 1
    assert console.errors == []


def test_backprop_graph_view_shows_each_gate(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 5)
    pg.click("[data-panel=graph]")
    pg.wait_for_selector("#panel-graph svg .node", timeout=10000)
    x, y = point(pg, 0, 5)
    ref = api(base_url, "/graph", {"surface": "himmelblau", "point": [x, y]})
    assert pg.locator("#panel-graph svg .node").count() == len(ref["nodes"])
    out = next(n for n in ref["nodes"] if n["id"] == ref["output"])
    title = pg.locator(f"#panel-graph [data-node='{out['id']}'] title").text_content() or ""
    shown = float(title.split("value ")[1].split(" ")[0])
    assert abs(shown - out["value"]) <= 1e-4 * max(1.0, abs(out["value"]))
    # The add gate's note is shown (add distributes the gradient).
    assert "add gate" in pg.locator("#panel-graph").inner_text()
    assert console.errors == []


def test_basin_map(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pg.click("[data-view=basins]")
    pg.wait_for_selector("#plot-legend [data-basin]", timeout=20000)
    text = pg.locator("#plot-legend").inner_text()
    assert "Basins of attraction" in text
    assert pg.locator("#plot-legend [data-basin]").count() == 4  # Himmelblau's four minima
    shares = [int(s.split("%")[0].split("· ")[-1]) for s in text.splitlines() if "% of starts" in s]
    assert 90 <= sum(shares) <= 101
    assert js(pg, "window.gradscape.plot.basins !== null")
    assert "runs Adam" in text and "Select another run" in text
    # The map is for the chosen optimizer: selecting the SGD run maps SGD's basins.
    pg.locator("#runs .run-card").nth(1).locator(".run-status").click()
    pg.wait_for_function("() => document.getElementById('plot-legend').textContent"
                         ".includes('runs SGD')", timeout=30000)
    pg.click("[data-view=contour]")
    assert js(pg, "window.gradscape.plot.basins") is None
    assert console.errors == []


def test_3d_view_loads_plotly_from_the_project(page: tuple[Page, Console],
                                               base_url: str) -> None:
    pg, console = page
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    open_app(pg, base_url)
    assert not any("plotly" in u for u in requests)  # not needed for the first paint
    pg.click("[data-view='3d']")
    pg.wait_for_function("() => window.Plotly && document.querySelector('#plot3d .main-svg')",
                         timeout=20000)
    assert all(u.startswith(base_url) for u in requests), "everything is served locally"
    # The contour view's scene in 3D (lib/scene.js background3d/foreground3d): a path and a
    # current point per run, the starts, the critical points, the contour lines.
    names = js(pg, "document.getElementById('plot3d').data.map(d => d.name)")
    assert names == ["f", "contours", "contours-strong", "critical", "starts",
                     "path-0", "head-0", "path-1", "head-1"]
    trace = "document.getElementById('plot3d').data.find(d => d.name === '{}')"
    # The same paths as the contour view: each run's line is its streamed path so far.
    pg.evaluate("() => { const a = window.gradscape; a.race.playback.pause(); a.dirty = true; }")
    pg.wait_for_function("""() => { const a = window.gradscape; const d = document
        .getElementById('plot3d').data.find(d => d.name === 'path-0'); const k = a.race.race
        .runs[0].indexAt(a.race.playback.cursor); return d.x.length === k + 1; }""",
                         timeout=10000)
    for i, colour in ((0, "#0072B2"), (1, "#D55E00")):  # Adam, SGD: palette.py's Okabe-Ito
        line = js(pg, trace.format(f"path-{i}"))
        k = len(line["x"]) - 1
        path = js(pg, f"(() => {{ const r = window.gradscape.race.race.runs[{i}]; "
                      f"return [r.x.slice(0, {k + 1}), r.y.slice(0, {k + 1})]; }})()")
        assert line["x"] == path[0] and line["y"] == path[1]
        assert line["line"]["color"] == colour
        head = js(pg, trace.format(f"head-{i}"))
        assert [head["x"][0], head["y"][0]] == [path[0][-1], path[1][-1]]
        assert head["marker"]["color"] == [colour]
        assert head["marker"]["symbol"] == [["circle", "square"][i]]
    # Himmelblau's critical points as the server finds them, in the canvas's styles: minima
    # hollow circles, saddles wine-red crosses, the maximum filled.
    critical = api(base_url, "/critical-points", {"surface": "himmelblau"})["critical_points"]
    shown = js(pg, trace.format("critical"))
    assert len(shown["x"]) == len(critical) == 9
    style = {"minimum": ("circle", "#ffffff"), "saddle": ("cross", "#882255"),
             "maximum": ("diamond", "#1a1a1a")}
    for cp in critical:
        j = min(range(9), key=lambda j: abs(shown["x"][j] - cp["point"][0])
                + abs(shown["y"][j] - cp["point"][1]))
        assert abs(shown["x"][j] - cp["point"][0]) < 1e-9
        assert (shown["marker"]["symbol"][j], shown["marker"]["color"][j]) == style[cp["kind"]]
    # The surface in the contour view's colours: its ramp, its equalised coordinate.
    surface = js(pg, trace.format("f"))
    assert surface["colorscale"][0] == [0, "rgb(160,180,200)"]
    assert surface["colorscale"][-1] == [1, "rgb(250,236,212)"]
    shade = [v for row in surface["surfacecolor"] for v in row if v is not None]
    assert min(shade) == 0 and max(shade) == 1
    assert console.errors == []


def test_formula_error_points_at_the_column(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pg.fill("#formula-input", "x^2 + (y")
    pg.wait_for_selector("[data-formula-error]", timeout=10000)
    status = pg.locator("#formula-status").inner_text()
    assert "column 7" in status
    assert pg.locator("#formula-status .err-char").inner_text() == "("
    assert "invalid" in (pg.locator("#formula-input").get_attribute("class") or "")
    pg.fill("#formula-input", "x^2 + 3*y^2")
    pg.press("#formula-input", "Enter")
    pg.wait_for_function("() => window.gradscape.state.surface === 'custom' "
                         "&& window.gradscape.race.race.runs[0].length > 3", timeout=10000)
    pg.wait_for_function("() => window.gradscape.critical.length === 1", timeout=10000)
    # The only console errors allowed: the browser's log line for the expected 422.
    assert all("422" in e for e in console.errors), console.errors


def test_enter_right_after_typing_applies_the_formula(browser: Browser, base_url: str) -> None:
    # Slow validation (held here): Enter's own check is still out when the live check of the
    # same text comes due 220 ms after the typing; it must not cancel the apply.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url)
    held: list[Any] = []
    pg.route("**/api/formula", lambda route: held.append(route))
    pg.fill("#formula-input", "x^2 + 2*y^2")
    pg.press("#formula-input", "Enter")
    pg.wait_for_timeout(500)  # past the live check's 220 ms debounce, on purpose
    pg.unroute("**/api/formula")
    for route in held:
        with contextlib.suppress(PlaywrightError):  # unless the page gave up on it (aborted)
            route.continue_()
    pg.wait_for_function("() => window.gradscape.state.surface === 'custom' "
                         "&& window.gradscape.state.formula === 'x^2 + 2*y^2'", timeout=10000)
    assert console.errors == []
    context.close()


def test_scene_from_the_url(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "s=rosenbrock&r=adam,lr=0.05;momentum,lr=0.001,momentum=0.9"
                           "&x=-1.5_2&n=300&e=0&k=40")
    assert pg.locator("#surface-select").input_value() == "rosenbrock"
    assert pg.locator("#runs .run-card").count() == 2
    assert js(pg, "window.gradscape.race.race.steps") == 300
    assert point(pg, 0, 0) == [-1.5, 2]
    assert pg.locator("#ov-eigen").is_checked() is False
    pg.wait_for_function("() => window.gradscape.race.playback.step === 40 "
                         "&& !window.gradscape.race.playback.playing", timeout=10000)
    # Adding and removing runs.
    pg.click("#add-run")
    assert pg.locator("#runs .run-card").count() == 3
    pg.locator("#runs .run-card").nth(2).locator(".run-tools button").nth(1).click()
    assert pg.locator("#runs .run-card").count() == 2
    pg.locator("#runs .run-card").nth(0).locator(".run-tools button").nth(0).click()
    assert pg.locator("#runs .run-card").count() == 3
    assert console.errors == []


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768), (390, 844)])
def test_layout_has_no_overlaps_or_horizontal_scroll(browser: Browser, base_url: str,
                                                     size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url)
    assert js(pg, "document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Playback controls do not overlap each other.
    boxes = [pg.locator(sel).bounding_box() for sel in
             ("#pb-reset", "#pb-back", "#pb-play", "#pb-forward", "#pb-scrub", "#pb-speed")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a and b
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 1 or overlap_y <= 1
    plot = pg.locator("#plot-wrap").bounding_box()
    assert plot and plot["width"] >= min(300, size[0] - 60) and plot["height"] >= 250
    assert console.errors == []
    context.close()


# --- the numbers on screen, checked against hand-derived math ---------------------------------
# Himmelblau f = (x² + y − 11)² + (x + y² − 7)², differentiated by hand (not by the engine).
def himmelblau(x: float, y: float) -> float:
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_grad(x: float, y: float) -> tuple[float, float]:
    a, b = x * x + y - 11, x + y * y - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def himmelblau_eigenvalues(x: float, y: float) -> tuple[float, float]:
    fxx, fxy, fyy = 12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y * y - 26
    mean, r = (fxx + fyy) / 2, math.hypot((fxx - fyy) / 2, fxy)
    return mean - r, mean + r


def close(a: float, b: float, rel: float = 1e-3) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(b))


def test_inspector_numbers_are_the_real_step(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 20)
    pg.wait_for_function("() => document.querySelector('#panel-inspector [data-row=relerr]') "
                         "&& document.querySelector('.insp-head').textContent.includes('step 20')"
                         "&& document.querySelectorAll('.insp-rule .live').length === 2",
                         timeout=10000)
    x, y = point(pg, 0, 20)
    row = lambda name: [float(v) for v in pg.locator(  # noqa: E731
        f"#panel-inspector [data-row={name}] td").inner_text().strip("()").split(", ")]
    assert close(row("value")[0], himmelblau(x, y), 1e-5)
    gx, gy = himmelblau_grad(x, y)
    for shown, exact in ((row("grad"), (gx, gy)), (row("numgrad"), (gx, gy))):
        assert close(shown[0], exact[0]) and close(shown[1], exact[1]), (shown, exact)
    # The update rule with its numbers: the arithmetic shown is right, and its result is the
    # point the run really moved to (θ at step 21 of the streamed path).
    nxt = point(pg, 0, 21)
    for axis, line in enumerate(pg.locator(".insp-rule .live").all_inner_texts()):
        m = re.fullmatch(r"([xy]): (\S+) − \((\S+) / (\S+)\) × (\S+) = (\S+)", line.strip())
        assert m, line
        theta, eta, sigma, mom, result = (float(v) for v in m.groups()[1:])
        assert m.group(1) == "xy"[axis] and eta == 0.1
        assert abs(theta - eta / sigma * mom - result) <= 2e-3 * max(1.0, abs(result)), line
        assert close(result, nxt[axis]), (result, nxt)
        assert close(theta, (x, y)[axis])
    assert console.errors == []


def test_curvature_next_to_each_learning_rate(page: tuple[Page, Console],
                                              base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "s=himmelblau&adv=1")  # the read-outs come with the Advanced switch
    pause_at(pg, 40)
    for i, lr in ((0, 0.1), (1, 0.005)):
        k = js(pg, f"window.gradscape.race.race.runs[{i}].indexAt(40)")
        # The read-outs say which path index they were measured at: wait for this one.
        pg.wait_for_selector(f"[data-run-curv='{i}'][data-k='{k}'] [data-rc=bound]",
                             timeout=10000)
        x, y = point(pg, i, k)
        lo, hi = himmelblau_eigenvalues(x, y)
        card = pg.locator(f"[data-run-curv='{i}']")
        shown = {c: float(card.locator(f"[data-rc={c}]").inner_text().split()[-1])
                 for c in ("lmax", "lmin", "cond", "bound")}
        # Three significant digits on screen: within half a unit of the third digit.
        rel = lambda a, b: abs(a - b) <= 5.1e-3 * abs(b)  # noqa: E731
        assert rel(shown["lmax"], hi) and rel(shown["lmin"], lo), (shown, lo, hi)
        assert rel(shown["cond"], max(abs(lo), abs(hi)) / min(abs(lo), abs(hi))), shown
        assert rel(shown["bound"], 2 / hi), shown
        # SGD (plain steps) gets the verdict: η against 2/λmax.
        if i == 1:
            verdict = "stable" if lr < 2 / hi else "unstable"
            assert verdict in (card.get_attribute("class") or "")
    assert console.errors == []


def test_backprop_graph_follows_the_chain_rule(page: tuple[Page, Console],
                                              base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 8)
    pg.click("[data-panel=graph]")
    pg.wait_for_selector("#panel-graph svg .node", timeout=10000)
    x, y = point(pg, 0, 8)
    ref = api(base_url, "/graph", {"surface": "himmelblau", "point": [x, y]})

    def shown(node_id: int) -> tuple[float, float | None]:
        title = pg.locator(f"#panel-graph [data-node='{node_id}'] title").text_content() or ""
        value = float(title.split("value ")[1].split(" ")[0])
        grad = title.split("∂f/∂node ")[1].split(" ")[0] if "∂f/∂node " in title else None
        return value, (float(grad) if grad not in (None, "—") else None)

    # Every gate shows the server's forward value and gradient ...
    for node in ref["nodes"]:
        value, grad = shown(node["id"])
        assert close(value, node["value"], 1e-4), node
        if node["grad"] is not None and grad is not None:
            assert close(grad, node["grad"], 1e-4), node
    # ... and those are right: the output is f, its own gradient 1, and the gradients that
    # reach the inputs x and y are ∂f/∂x and ∂f/∂y, derived by hand.
    out_value, out_grad = shown(ref["output"])
    assert close(out_value, himmelblau(x, y), 1e-4) and out_grad == 1
    gx, gy = himmelblau_grad(x, y)
    for node in ref["nodes"]:
        if node["op"] == "var":
            assert close(shown(node["id"])[1] or 0.0, {"x": gx, "y": gy}[node["label"]], 1e-3)
    assert console.errors == []


def test_schedule_picker_plots_eta_and_the_race_follows_it(page: tuple[Page, Console],
                                                          base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "sp=10")
    card = pg.locator("#runs .run-card").nth(0)
    card.locator("details.more > summary").click()
    race = js(pg, "window.gradscape.race.race.race")
    card.locator(".sched select").select_option("step")  # step decay: η·γ^⌊t/100⌋, γ = 0.5
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].schedule === 'step' "
                         "&& window.gradscape.race.race.available >= 160", timeout=20000)
    lrs = js(pg, "window.gradscape.race.race.runs[0].lr.map((v, k) => [k, v])"
                 ".filter(([k, v]) => Number.isFinite(v))")
    assert any(k < 100 for k, _ in lrs) and any(100 <= k < 200 for k, _ in lrs)
    for k, v in lrs:
        if k < 200 and k % 100 not in (0, 99):
            assert close(v, 0.1 * 0.5 ** (k // 100), 1e-6), (k, v)
    # The small η(t) plot (rebuilt with the card) shows the drops: the curve is drawn high
    # on its left and low on its right.
    card = pg.locator("#runs .run-card").nth(0)
    pg.wait_for_function("() => { const c = document.querySelector('#runs .run-card .lr-plot');"
                         " return c && c.width > 50; }", timeout=10000)
    pg.wait_for_timeout(300)  # its curve arrives from POST /api/schedules/curve
    heights = pg.evaluate("""() => {
        const c = document.querySelector('#runs .run-card .lr-plot');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const rowOf = (col) => { for (let r = 0; r < c.height; r++) {
            const p = (r * c.width + col) * 4;   // the run's colour: blue, not grey
            if (d[p + 3] > 200 && d[p + 2] > 120 && d[p] < 60) return r; } return null; };
        return [rowOf(Math.round(c.width * 0.2)), rowOf(Math.round(c.width * 0.95))];
    }""")
    assert heights[0] is not None and heights[1] is not None and heights[0] < heights[1]
    assert console.errors == []


def test_dataset_surface_with_batch_size(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    race = js(pg, "window.gradscape.race.race.race")
    pg.select_option("#surface-select", "linear_regression")
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 30", timeout=15000)
    full = js(pg, "window.gradscape.race.race.runs[0].x.slice(0, 30)")
    card = pg.locator("#runs .run-card").nth(0)
    card.locator("details.more > summary").click()
    race = js(pg, "window.gradscape.race.race.race")
    batch = card.locator("select[aria-label*='atch']")
    assert batch.count() == 1
    batch.select_option("8")
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 30", timeout=15000)
    assert js(pg, "window.gradscape.race.lastBody.runs[0].batch_size") == 8
    mini = js(pg, "window.gradscape.race.race.runs[0].x.slice(0, 30)")
    assert mini[0] == full[0] and mini != full  # same start, a noisier path
    assert console.errors == []


def test_taylor_model_and_gradient_field_overlays(page: tuple[Page, Console],
                                                 base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause_at(pg, 25)
    snapshot = """(id) => { const c = document.getElementById(id);
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }"""

    def changed(cid: str, before: list[int]) -> int:
        after = pg.evaluate(snapshot, cid)
        return sum(1 for i in range(0, len(after), 4) if after[i:i + 3] != before[i:i + 3])

    fg = pg.evaluate(snapshot, "fg-canvas")
    pg.check("#ov-taylor")
    pg.wait_for_function("() => window.gradscape.taylor !== null && window.gradscape.taylor "
                         "!== undefined", timeout=10000)
    pg.wait_for_timeout(100)
    assert changed("fg-canvas", fg) > 500
    # The model is the quadratic Taylor expansion at the inspected point: at a corner of its
    # grid it equals f + gᵀd + ½ dᵀHd with the hand-derived g and H.
    taylor = js(pg, "window.gradscape.taylor")
    x, y = taylor["center"]
    assert [x, y] == point(pg, 0, js(pg, "window.gradscape.race.race.runs[0].indexAt(25)"))
    dx, dy = taylor["grid"]["x"][0] - x, taylor["grid"]["y"][0] - y
    gx, gy = himmelblau_grad(x, y)
    fxx, fxy, fyy = 12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y * y - 26
    q = himmelblau(x, y) + gx * dx + gy * dy + 0.5 * (fxx * dx * dx + 2 * fxy * dx * dy
                                                     + fyy * dy * dy)
    assert close(taylor["grid"]["z"][0][0], q, 1e-4)
    bg = pg.evaluate(snapshot, "bg-canvas")
    pg.check("#ov-field")
    pg.wait_for_timeout(150)
    assert changed("bg-canvas", bg) > 1000
    # The arrows point along −∇f from core's exact gradient (hand-derived here), not a
    # difference of the plotted grid: equal to rounding at every arrow.
    arrows = js(pg, "window.gradscape.plot.field")
    assert len(arrows) >= 200
    for a in arrows:
        gx, gy = himmelblau_grad(a["x"], a["y"])
        norm = math.hypot(gx, gy)
        assert close(a["dx"], -gx / norm, 1e-9) and close(a["dy"], -gy / norm, 1e-9), a
    assert "Taylor" in pg.locator("#plot-legend").inner_text()
    assert console.errors == []


def test_six_runs_race_with_their_own_colours(page: tuple[Page, Console],
                                              base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "r=adam,lr=0.1;sgd,lr=0.005;momentum,lr=0.002;rmsprop,lr=0.02;"
                           "nesterov,lr=0.002;adagrad,lr=0.5")
    assert js(pg, "window.gradscape.race.race.runs.length") == 6
    pause_at(pg, 30)
    pg.wait_for_function("() => window.gradscape.race.race.runs.every((r, i) => "
                         "window.gradscape.eigenAt(i, r.indexAt(30)))", timeout=15000)
    assert pg.locator("#results li").count() == 6
    colours = pg.locator("#runs .run-card").evaluate_all(
        "cards => cards.map(c => getComputedStyle(c).getPropertyValue('--run').trim())")
    assert len(set(colours)) == 6
    texts = pg.locator("#results li").all_inner_texts()
    for name, text in zip(["Adam", "SGD", "Momentum", "RMSProp", "Nesterov", "AdaGrad"], texts,
                          strict=True):
        assert text.startswith(name) and "f = " in text, text
    # Speeds from a tenth to ten times.
    speeds = pg.locator("#pb-speed option").evaluate_all("o => o.map(x => Number(x.value))")
    assert min(speeds) == 0.1 and max(speeds) == 10
    assert console.errors == []


def test_drag_a_start_marker(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    race = js(pg, "window.gradscape.race.race.race")
    sx, sy = js(pg, "(() => { const s = window.gradscape.state.start; "
                    "return window.gradscape.plot.viewport.toPx(s[0], s[1]); })()")
    tx, ty = js(pg, "window.gradscape.plot.viewport.toPx(2, -1)")
    box = pg.locator("#fg-canvas").bounding_box()
    assert box
    pg.mouse.move(box["x"] + sx, box["y"] + sy)
    pg.mouse.down()
    for f in (0.3, 0.6, 1.0):
        pg.mouse.move(box["x"] + sx + f * (tx - sx), box["y"] + sy + f * (ty - sy))
    pg.mouse.up()
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[1].length > 0", timeout=10000)
    # Both runs shared the start; the drag moved the selected run (Adam) only.
    x0, y0 = point(pg, 0, 0)
    assert abs(x0 - 2) < 0.03 and abs(y0 + 1) < 0.03, (x0, y0)
    shared = js(pg, "window.gradscape.state.start")
    assert point(pg, 1, 0) == shared and abs(shared[0] - 2) > 0.5
    assert "shared start" in (pg.locator("#runs .run-card").nth(1).text_content() or "")
    # Its card offers the way back to the shared start.
    race = js(pg, "window.gradscape.race.race.race")
    pg.locator("#runs .run-card").nth(0).locator("details.more > summary").click()
    pg.locator("#runs .run-card").nth(0).locator(".sched-row button").click()
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 0", timeout=10000)
    assert point(pg, 0, 0) == shared
    assert console.errors == []


def test_results_are_announced_for_screen_readers(page: tuple[Page, Console],
                                                  base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "sp=10&n=150")
    pg.wait_for_function("() => window.gradscape.race.race.complete", timeout=20000)
    pg.wait_for_function("() => document.getElementById('announce').textContent.length > 10",
                         timeout=5000)
    assert pg.locator("#announce").get_attribute("aria-live") == "polite"
    said = pg.locator("#announce").text_content() or ""
    assert "Adam" in said and "SGD" in said and "f = " in said
    assert console.errors == []


def test_tap_restarts_from_there_on_a_touch_screen(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url)
    race = js(pg, "window.gradscape.race.race.race")
    px, py = js(pg, "window.gradscape.plot.viewport.toPx(3.5, -2)")
    pg.tap("#fg-canvas", position={"x": px, "y": py})
    pg.wait_for_function(f"() => window.gradscape.race.race.race > {race} "
                         "&& window.gradscape.race.race.runs[0].length > 0", timeout=10000)
    x0, y0 = point(pg, 0, 0)
    assert abs(x0 - 3.5) < 0.05 and abs(y0 + 2) < 0.05, (x0, y0)
    assert console.errors == []
    context.close()
