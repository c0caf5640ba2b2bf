"""The keyboard in class (issue 15): a presentation clicker (PageDown/PageUp) and the arrows
(unless the plot has the focus) drive a lesson's steps; Space never plays past the Predict
step; a skip link reaches the plot in one Tab and Enter, without touching the scene's hash."""

from __future__ import annotations

import pytest
from browser_support import Console, js, open_app, wait
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def step_kind(pg: Page) -> str:
    return str(js(pg, "document.getElementById('lesson-step').dataset.kind"))


def playing(pg: Page) -> bool:
    return bool(js(pg, "window.gradscape.race.playback.playing"))


def open_lesson(pg: Page, base_url: str) -> None:
    pg.goto(f"{base_url}/#l=saddle_point")
    pg.wait_for_selector("#lesson-banner:not([hidden])")
    wait(pg, "window.gradscape.race.race?.runs.length === 4 "
             "&& window.gradscape.race.race.available > 5 && window.gradscape.plot.ready()")
    js(pg, "document.activeElement && document.activeElement.blur()")


def test_a_clicker_drives_the_lesson_and_space_never_skips_predict(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_lesson(pg, base_url)
    assert step_kind(pg) == "see" and not playing(pg)
    # Space on "What you see": the race must not play before the prediction.
    pg.keyboard.press("Space")
    pg.wait_for_timeout(400)
    assert not playing(pg) and js(pg, "window.gradscape.race.playback.step") == 0
    assert "prediction" in pg.locator("#toast").inner_text()
    # PageDown (a clicker's "next"): on to Predict; Space there still does not play.
    pg.keyboard.press("PageDown")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'predict'")
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("Space")
    pg.wait_for_timeout(400)
    assert not playing(pg) and js(pg, "window.gradscape.race.playback.step") == 0
    # PageUp: back to "What you see"; the arrows too (the plot is not focused).
    pg.keyboard.press("PageUp")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'see'")
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("ArrowRight")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'predict'")
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("ArrowLeft")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'see'")
    assert js(pg, "window.gradscape.race.playback.step") == 0  # the arrows did not step
    # On Predict, the clicker's next is the panel's "play": the race plays, on to Watch.
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("PageDown")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'predict'")
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("PageDown")
    wait(pg, "document.getElementById('lesson-step').dataset.kind === 'watch'")
    wait(pg, "window.gradscape.race.playback.step > 0")
    # With the plot focused, the arrows are the plot's (the lesson stays on Watch).
    js(pg, "window.gradscape.race.playback.pause()")
    pg.focus("#fg-canvas")
    pg.keyboard.press("ArrowLeft")
    pg.wait_for_timeout(200)
    assert step_kind(pg) == "watch"
    assert console.errors == []


def test_the_skip_link_reaches_the_plot_in_one_tab(page: tuple[Page, Console],
                                                   base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "s=bowl")
    hash_before = js(pg, "location.hash")
    js(pg, "document.activeElement && document.activeElement.blur()")
    pg.keyboard.press("Tab")
    assert js(pg, "document.activeElement.className") == "skip-link"
    assert pg.locator(".skip-link").is_visible()
    pg.screenshot(path="/tmp/i15/skiplink.png")
    pg.keyboard.press("Enter")
    assert js(pg, "document.activeElement.id") == "fg-canvas"
    pg.wait_for_timeout(300)
    assert js(pg, "location.hash") == hash_before
    assert js(pg, "window.gradscape.state.surface") == "bowl"
    # From the plot, two more Tabs reach the play bar's buttons (was 54 Tabs to Play).
    tabs = 0
    while js(pg, "document.activeElement.id") != "pb-play" and tabs < 20:
        pg.keyboard.press("Tab")
        tabs += 1
    assert js(pg, "document.activeElement.id") == "pb-play", tabs
    assert tabs <= 8, tabs
    assert console.errors == []
