"""For everyone: the accessibility tree (every control named, the landmarks there), the
keyboard (Tab reaches every control in reading order with a visible focus ring, sliders
and tabs move with the arrows, the plot's start cursor restarts the race where Enter is
pressed), a 375x667 phone (a tap sets the start, nothing scrolls sideways, the panels stack)
and a 1920x1080 projector (the plot takes the room, no tiny type).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Console, js, open_app, pause, wait
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Roles a user operates; each needs a name a screen reader can say.
CONTROL_ROLES = ("button", "checkbox", "combobox", "listbox", "menuitem", "radio", "slider",
                 "spinbutton", "switch", "tab", "textbox", "searchbox", "link")
UNNAMED = re.compile(rf"^\s*- ({'|'.join(CONTROL_ROLES)}|img)(\s*\[[^\]]*\])*\s*(:.*)?$")


def open_everything(page: Page) -> None:
    page.evaluate("() => document.querySelectorAll('#runs details.more')"
                  ".forEach(d => { d.open = true; })")


# --- the accessibility tree ------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_accessibility_tree_names_every_control(page: tuple[Page, Console], base_url: str,
                                                lang: str) -> None:
    pg, console = page
    open_app(pg, base_url, f"lang={lang}&r=adam,lr=0.1;sgd,lr=0.005;nesterov")
    pause(pg, 20)
    open_everything(pg)
    wait(pg, "document.querySelector('#panel-inspector table')")
    tree = pg.locator("body").aria_snapshot()
    unnamed = [line for line in tree.splitlines() if UNNAMED.match(line)]
    assert not unnamed, "controls without an accessible name:\n" + "\n".join(unnamed)
    lines = tree.splitlines()
    # Landmarks: the top bar, the main area with its three parts.
    assert "- banner:" in lines
    assert "- main:" in lines
    assert any(re.match(r"^\s+- complementary", line) for line in lines)
    # (a name with an apostrophe makes the line a YAML string: - 'slider "the schedule''s"')
    regions = re.findall(r'''- '?region "([^"]+)"''', tree)
    assert len(regions) >= 2, regions
    # The sliders are there and named after their parameter (one per number of each card).
    sliders = re.findall(r'''- '?slider "([^"]+)"''', tree)
    assert len(sliders) >= 6, sliders
    # The plot is an image with a description that says how to use it without a mouse.
    plot = re.findall(r'''- '?img "([^"]+)"''', tree)
    assert any(("Enter" in p) or ("回车" in p) for p in plot), plot
    # Both tab lists are there with their tabs and the selected one marked.
    assert len(re.findall(r"- tablist ", tree)) == 2
    assert len(re.findall(r"- '?tab .*\[selected\]", tree)) == 2
    assert console.errors == []


def test_dataset_controls_are_named_too(page: tuple[Page, Console], base_url: str) -> None:
    pg, _ = page
    open_app(pg, base_url, "s=single_neuron&lang=zh")
    wait(pg, "document.querySelector('#surface-options select')")
    open_everything(pg)
    tree = pg.locator("body").aria_snapshot()
    unnamed = [line for line in tree.splitlines() if UNNAMED.match(line)]
    assert not unnamed, unnamed
    assert re.search(r'- combobox "运行 1 的批量大小"', tree), tree
    assert re.search(r'- combobox "激活函数', tree), tree


# --- the keyboard ------------------------------------------------------------------------------
FOCUS_WALK = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
  return { id: el.id, tag: el.tagName, role: el.getAttribute('role'),
           cls: el.className?.baseVal ?? el.className, ring,
           zone: el.closest('header') ? 'top' : el.closest('.runs-panel') ? 'runs'
             : el.closest('.stage') ? 'stage' : el.closest('.side') ? 'side' : 'other' };
}"""


def test_tab_reaches_every_control_in_reading_order_with_a_focus_ring(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause(pg, 10)
    assert js(pg, "document.activeElement === document.body")  # Tab starts at the top
    seen: list[dict[str, Any]] = []
    for _ in range(160):
        pg.keyboard.press("Tab")
        f = pg.evaluate(FOCUS_WALK)
        if f is None:
            continue
        if seen and f == seen[0]:
            break  # wrapped around
        seen.append(f)
    ids = [f["id"] for f in seen]
    for must in ("surface-select", "formula-input", "formula-apply", "steps-input", "lang-select",
                 "add-run", "fg-canvas", "pb-play", "pb-back", "pb-forward", "pb-reset",
                 "pb-scrub", "pb-speed", "pb-restart", "ov-eigen", "ov-field", "loss-log"):
        assert must in ids, f"{must} not reachable by Tab: {ids}"
    # The run cards' selects and sliders, and one tab of each tab list (the selected one).
    assert sum(f["tag"] == "SELECT" and f["zone"] == "runs" for f in seen) == 2
    assert sum(f["cls"] == "" and f["tag"] == "INPUT" and f["zone"] == "runs" for f in seen) >= 3
    assert sum(f["role"] == "tab" for f in seen) == 2
    # Reading order: top bar, then the runs, the stage and the side panel, never back.
    order = {"top": 0, "runs": 1, "stage": 2, "side": 3}
    zones = [order[f["zone"]] for f in seen if f["zone"] in order]
    assert zones == sorted(zones), [f["zone"] for f in seen]
    # Every stop shows where the focus is.
    no_ring = [f for f in seen if not f["ring"]]
    assert not no_ring, no_ring
    assert console.errors == []


def test_a_slider_moves_with_the_arrow_keys_and_the_race_follows(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause(pg, 30)
    slider = pg.locator("#runs .run-card").first.locator("input[type=range]").first
    before = float(slider.input_value())
    lr0 = js(pg, "window.gradscape.state.runs[0].params.lr")
    slider.focus()
    for _ in range(5):
        pg.keyboard.press("ArrowRight")
    assert float(slider.input_value()) == before + 5
    # The race follows: the new rate is in force from the server's step on (a mid-race
    # change of the scene, issue 15).
    wait(pg, f"window.gradscape.race.race.runs[0].params.lr > {lr0}")
    # The arrows belonged to the slider: the playback did not step.
    assert js(pg, "window.gradscape.race.playback.step") == 30
    box = pg.locator("#runs .run-card").first.locator("input[type=text]").first
    shown = float(box.input_value())
    wait(pg, f"Math.abs(window.gradscape.race.race.runs[0].params.lr - {shown}) < 1e-12 "
             "&& window.gradscape.state.runs[0].changes.at(-1).params.lr === "
             "window.gradscape.race.race.runs[0].params.lr")
    lr = js(pg, "window.gradscape.race.race.runs[0].params.lr")
    assert float(box.input_value()) == pytest.approx(lr)
    assert console.errors == []


def test_tabs_move_and_select_with_the_arrow_keys(page: tuple[Page, Console],
                                                 base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pg.focus("#view-tabs [data-view=contour]")
    pg.keyboard.press("ArrowRight")
    wait(pg, "window.gradscape.state.view === '3d'")
    assert js(pg, "document.activeElement.dataset.view") == "3d"
    pg.keyboard.press("ArrowLeft")
    wait(pg, "window.gradscape.state.view === 'contour'")
    pg.focus("#panel-tabs [data-panel=inspector]")
    pg.keyboard.press("End")
    wait(pg, "window.gradscape.state.panel === 'notes'")
    assert js(pg, "document.activeElement.dataset.panel") == "notes"
    # Only the selected tab is a Tab stop; the tab says which panel it controls.
    stops = js(pg, "[...document.querySelectorAll('#panel-tabs [role=tab]')].map(b => b.tabIndex)")
    assert stops == [-1, -1, 0]
    controls = js(pg, "document.querySelector('#panel-tabs [data-panel=notes]')"
                      ".getAttribute('aria-controls')")
    assert controls == "panel-notes"
    pg.keyboard.press("Home")
    wait(pg, "window.gradscape.state.panel === 'inspector'")
    assert console.errors == []


def test_the_keyboard_start_cursor_restarts_every_run_where_enter_is_pressed(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    pause(pg, 20)
    race0 = js(pg, "window.gradscape.race.race.race")
    x0, y0 = js(pg, "window.gradscape.state.start")
    bx0, bx1, _, _ = js(pg, "window.gradscape.plot.viewport.bounds()")
    pg.focus("#fg-canvas")
    for key in ["ArrowRight"] * 4 + ["ArrowDown"] * 2:
        pg.keyboard.press(key)
    pg.keyboard.press("Shift+ArrowRight")
    unit = (bx1 - bx0) / 40
    want = [x0 + 4 * unit + 5 * unit, y0 - 2 * unit]
    # The cursor is drawn where the point is, and its position is read out.
    mark = pg.locator(".start-cursor")
    assert mark.is_visible()
    px, py = js(pg, f"window.gradscape.plot.viewport.toPx({want[0]}, {want[1]})")
    box = mark.bounding_box()
    canvas = pg.locator("#fg-canvas").bounding_box()
    assert box and canvas
    assert abs(box["x"] + box["width"] / 2 - (canvas["x"] + px)) < 2
    assert abs(box["y"] + box["height"] / 2 - (canvas["y"] + py)) < 2
    wait(pg, "document.querySelector('[data-start-cursor]').textContent.includes('Enter')")
    # The arrows moved the cursor, not the playback.
    assert js(pg, "window.gradscape.race.playback.step") == 20
    pg.keyboard.press("Enter")
    wait(pg, f"window.gradscape.race.race.race !== {race0}")
    start = js(pg, "window.gradscape.state.start")
    assert start == pytest.approx(want, rel=1e-3, abs=1e-3)
    wait(pg, "window.gradscape.race.race.runs.every(r => r.length > 1)")
    firsts = js(pg, "window.gradscape.race.race.runs.map(r => [r.x[0], r.y[0]])")
    for p in firsts:
        assert p == pytest.approx(start, abs=1e-6)
    pg.keyboard.press("Escape")
    assert not mark.is_visible()
    assert console.errors == []


# --- phone and projector -----------------------------------------------------------------------
@pytest.fixture
def phone(browser: Any) -> Iterator[tuple[Page, Console]]:
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    pg = context.new_page()
    console = Console(pg)
    yield pg, console
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_tap_sets_the_start_and_nothing_scrolls_sideways(
        phone: tuple[Page, Console], base_url: str, lang: str) -> None:
    pg, console = phone
    open_app(pg, base_url, f"lang={lang}")
    assert pg.evaluate("matchMedia('(pointer: coarse)').matches")
    pause(pg, 10)
    race0 = js(pg, "window.gradscape.race.race.race")
    canvas = pg.locator("#fg-canvas")
    canvas.scroll_into_view_if_needed()
    rect = canvas.bounding_box()
    assert rect and rect["width"] >= 300 and rect["height"] >= 300 * 0.9  # a square plot
    # Tap where (2, -1) is drawn: every run restarts from there.
    target = [2.0, -1.0]
    px, py = js(pg, f"window.gradscape.plot.viewport.toPx({target[0]}, {target[1]})")
    pg.touchscreen.tap(rect["x"] + px, rect["y"] + py)
    wait(pg, f"window.gradscape.race.race.race !== {race0}")
    start = js(pg, "window.gradscape.state.start")
    px_size = js(pg, "1 / window.gradscape.plot.viewport.scale")
    assert abs(start[0] - target[0]) < 1.5 * px_size and abs(start[1] - target[1]) < 1.5 * px_size
    # Nothing wider than the phone, with every card and panel open.
    open_everything(pg)
    pg.click("#panel-tabs [data-panel=notes]")
    for panel in ("graph", "inspector"):
        pg.click(f"#panel-tabs [data-panel={panel}]")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    wide = pg.evaluate("""() => [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        return el.checkVisibility() && r.width > 0 && (r.right > 375.5 || r.left < -0.5)
          && !el.closest('.insp-table, .graph-svg, .notes .formula, .rule, .tex,'
            + ' [style*=overflow]');
      }).map(el => el.tagName + '#' + el.id + '.' + el.className).slice(0, 10)""")
    assert wide == []
    # The parts stack: the plot and the play bar (they stick to the top of the screen, so
    # measured at the page's top), the results, then the runs, then the side panel.
    pg.evaluate("window.scrollTo(0, 0)")
    top = {sel: pg.locator(sel).bounding_box()
           for sel in ("#plot-wrap", "#playbar", "#results", ".runs-panel", ".side")}
    assert all(top.values())
    order = list(top.values())
    for above, below in itertools.pairwise(order):
        assert above["y"] + above["height"] <= below["y"] + 1, top  # type: ignore[index]
    # Targets a finger can hit.
    for sel in ("#pb-play", "#pb-back", ".run-tools button", "#view-tabs [role=tab]"):
        b = pg.locator(sel).first.bounding_box()
        assert b and b["height"] >= 40, (sel, b)
    assert console.errors == []


def test_projector_plot_takes_the_room_and_no_type_is_tiny(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        pg = context.new_page()
        console = Console(pg)
        open_app(pg, base_url, "lang=zh")
        pause(pg, 20)
        wait(pg, "document.querySelector('#panel-inspector table')")
        plot = pg.locator("#plot-wrap").bounding_box()
        assert plot and plot["width"] >= 1000 and plot["height"] >= 700, plot
        assert plot["width"] * plot["height"] >= 0.35 * 1920 * 1080
        # The page fits the screen: no scrolling either way at a projector's size.
        assert pg.evaluate("document.documentElement.scrollWidth") <= 1920
        assert pg.evaluate("document.documentElement.scrollHeight") <= 1080
        smallest = pg.evaluate("""() => {
          let min = 1e9, where = '';
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!n.textContent.trim() || !el || !el.checkVisibility()) continue;
            if (el.closest('sub, sup, svg')) continue;
            // MathML's sub- and superscripts and inline fractions: smaller by design, as sub/sup
            if (el.namespaceURI === 'http://www.w3.org/1998/Math/MathML'
                && parseInt(getComputedStyle(el).mathDepth, 10) > 0) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < min) { min = size; where = el.outerHTML.slice(0, 80); }
          }
          return [min, where];
        }""")
        assert smallest[0] >= 13, smallest
        assert console.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("motion, expected", [("reduce", "0s"), ("no-preference", "2s")])
def test_reduced_motion_turns_css_transitions_off(browser: Any, base_url: str, motion: str,
                                                  expected: str) -> None:
    """Any transition a stylesheet or a script gives an element is cut to nothing when the
    system asks for less motion (and kept otherwise: the probe really has one)."""
    context = browser.new_context(reduced_motion=motion)
    try:
        pg = context.new_page()
        open_app(pg, base_url)
        duration = pg.evaluate("""() => {
          const probe = document.createElement('button');
          probe.className = 'btn';
          probe.style.transition = 'opacity 2s ease';
          document.querySelector('.stage-toolbar').append(probe);
          const d = getComputedStyle(probe).transitionDuration;
          probe.remove();
          return d;
        }""")
        assert duration == expected
    finally:
        context.close()


def test_nothing_chatters_to_a_screen_reader_while_the_race_plays(
        page: tuple[Page, Console], base_url: str) -> None:
    """Live regions speak when they change: the step counter and the read-outs change every
    frame while playing, so none of them may be live (the results are announced at the end)."""
    pg, console = page
    open_app(pg, base_url, "sp=0.25")
    assert js(pg, "window.gradscape.race.playback.playing")
    changes = pg.evaluate("""() => new Promise((resolve) => {
      const live = [...document.querySelectorAll('[aria-live]:not([aria-live="off"]), '
        + '[role=status]:not([aria-live="off"]), [role=alert], [role=log], '
        + 'output:not([aria-live="off"])')];
      const where = [];
      const obs = new MutationObserver((records) => {
        for (const r of records) {
          const el = live.find((l) => l.contains(r.target));
          if (el) where.push(el.id || el.className || el.tagName);
        }
      });
      const what = { subtree: true, childList: true, characterData: true };
      live.forEach((el) => obs.observe(el, what));
      setTimeout(() => { obs.disconnect(); resolve(where); }, 2000);
    })""")
    assert js(pg, "window.gradscape.race.playback.step") > 5  # it did play meanwhile
    assert len(changes) <= 2, changes
    assert console.errors == []
