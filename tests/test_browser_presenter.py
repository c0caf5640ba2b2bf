"""Projectors: at 1280x800 (the app and presenter mode) and 1920x1080 (presenter mode) every
step of every lesson is shown whole (no text cut off: each clipping element's scroll size
equals its client size), the caption grows instead of scrolling, the plot keeps its room, and
presenter mode keeps the loss curve, the runs named with their settings on the plot, every run
card reachable and the update rule with the step's numbers, never wrapped mid-term."""

from __future__ import annotations

import pytest
from browser_support import Console, js, open_app, pause, wait
from layout_support import (
    clipped,
    lesson_ids,
    network_lessons,
    rect,
    walk_lesson,
    walk_network_lesson,
)
from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What must be whole at every step: the lesson's caption and controls, the results lines, the
# run cards, the inspector's rule, the plot's legend and the play bar.
ROOTS = ["#lesson-banner", "#results", "#runs .run-card", ".insp-rule", "#plot-legend", "#playbar"]

# The plot's least height, as a share of the window's: the caption grows (a long answer, the
# guess, the variant button) and the plot gives up that height, down to this. The app's own
# layout at 1280 has three columns (the stage is ~590 px wide, the caption wraps most).
SIZES = [
    pytest.param(1280, 800, "", 0.34, id="1280x800"),
    pytest.param(1280, 800, "&pm=1", 0.4, id="1280x800-presenter"),
    pytest.param(1920, 1080, "&pm=1", 0.4, id="1920x1080-presenter"),
]


def new_page(browser: Browser, width: int, height: int) -> tuple[Page, Console]:
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    return pg, Console(pg)


@pytest.mark.parametrize(("width", "height", "extra", "least"), SIZES)
def test_every_step_of_every_lesson_is_shown_whole(browser: Browser, base_url: str, width: int,
                                                   height: int, extra: str, least: float) -> None:
    pg, console = new_page(browser, width, height)
    lessons = None
    problems: list[str] = []
    try:
        pg.goto(f"{base_url}/#s=bowl")
        lessons = lesson_ids(pg, base_url)
        assert len(lessons) >= 14

        for lesson in lessons:
            def check(state: list[object], lesson: str = lesson) -> None:
                where = f"{lesson} step {state[0]}"
                problems.extend(f"{where}: {p}" for p in clipped(pg, ROOTS))
                # the rule's lines are not clipped but fitted: none runs past the panel's edge
                wide = pg.evaluate("() => [...document.querySelectorAll('.insp-rule .sym, "
                                   ".insp-rule .live, .insp-rule .eq')].filter(el => "
                                   "el.checkVisibility() && el.scrollWidth > el.clientWidth + 1)"
                                   ".map(el => el.textContent)")
                problems.extend(f"{where}: rule line wider than the panel: {w}" for w in wide)
                # the caption and the play bar on screen, and the plot keeps its room
                banner, bar, plot = (rect(pg, s)
                                     for s in ("#lesson-banner", "#playbar", "#plot-wrap"))
                assert banner and bar and plot, where
                if banner[1] > height or bar[1] > height:
                    problems.append(f"{where}: caption or play bar below the window")
                if plot[1] - plot[0] < least * height:
                    problems.append(f"{where}: the plot is only {plot[1] - plot[0]:.0f} px tall")
                # the title is whole: no ellipsis
                title = pg.locator("#lesson-title")
                if title.evaluate("(el) => el.scrollWidth > el.clientWidth + 1"):
                    problems.append(f"{where}: the title is cut")

            kinds = walk_lesson(pg, base_url, lesson, check, extra)
            assert "answer" in kinds, (lesson, kinds)
            if lesson == "learning_rate":
                tag = extra.replace("&", "-")
                pg.screenshot(path=f"/tmp/gradscape-lesson-{width}x{height}{tag}.png")
        assert not problems, "\n".join(problems[:40])
        assert console.errors == []
    finally:
        pg.context.close()


NET_ROOTS = ["#net-lesson", "#net-playbar", "#net-legend", "#net-tools", ".net-side"]


def test_every_network_lesson_is_shown_whole_at_a_projector(browser: Browser,
                                                            base_url: str) -> None:
    """The "real networks" lessons in presenter mode at 1920x1080: the card and the play bar
    on screen and whole at both steps, the decision boundary and the slice keeping their
    room."""
    width, height = 1920, 1080
    pg, console = new_page(browser, width, height)
    problems: list[str] = []
    try:
        pg.goto(f"{base_url}/#s=bowl")
        for lesson in network_lessons(pg):
            def check(step: str, lesson: str = lesson["id"]) -> None:
                where = f"{lesson} {step}"
                problems.extend(f"{where}: {p}" for p in clipped(pg, NET_ROOTS))
                assert pg.evaluate("document.documentElement.classList.contains('presenter')")
                card, bar, pic, sl = (rect(pg, s) for s in ("#net-lesson", "#net-playbar",
                                                            "#net-boundary", "#net-slice"))
                assert card and bar and pic and sl, where
                if card[1] > height or bar[1] > height:
                    problems.append(f"{where}: card {card} or play bar {bar} below the window")
                if pic[1] - pic[0] < 0.3 * height or sl[1] - sl[0] < 0.3 * height:
                    problems.append(f"{where}: boundary {pic} or slice {sl} too small")
                if lesson == "net_saddles":
                    pg.screenshot(path=f"/tmp/gradscape-presenter-{lesson}-{step}.png")

            walk_network_lesson(pg, base_url, lesson, check, "&pm=1")
        assert not problems, "\n".join(problems[:40])
        assert console.errors == []
    finally:
        pg.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080)])
def test_presenter_mode_keeps_what_teaches(browser: Browser, base_url: str,
                                           width: int, height: int) -> None:
    pg, console = new_page(browser, width, height)
    try:
        # four runs (the learning-rate race) and a step in the middle
        open_app(pg, base_url, "s=elongated_bowl&r=sgd,lr=0.001;sgd,lr=0.05;sgd,lr=0.095;"
                                "adam,lr=0.3&x=4_2&n=200&pm=1")
        pause(pg, 20)
        wait(pg, "document.querySelector('#panel-inspector .insp-rule .live') && "
                 "document.querySelector('#panel-inspector .insp-head')"
                 ".textContent.endsWith(' 20')")
        assert js(pg, "document.documentElement.classList.contains('presenter')")
        # the loss curve is on screen with room to read
        loss = rect(pg, "#loss-canvas")
        assert loss and loss[1] <= height and loss[1] - loss[0] >= 80, loss
        # the update rule with this step's numbers, typeset and not cut, each line unbroken
        live = pg.locator("#panel-inspector .insp-rule .live")
        assert live.count() == 2
        rule = rect(pg, "#panel-inspector .insp-rule")
        assert rule and rule[1] <= height
        assert clipped(pg, [".insp-rule", "#panel-inspector", ".panels"]) == []
        # one line per live equation: nowrap, and fitted to the panel (no line is taller
        # than one line of its own type)
        heights = pg.evaluate(
            "() => [...document.querySelectorAll('.insp-rule .live, .insp-rule .sym')]"
            ".map(el => el.getBoundingClientRect().height"
            " / (parseFloat(getComputedStyle(el).lineHeight) || 1.35 * parseFloat("
            "getComputedStyle(el).fontSize)))")
        assert all(h < 1.9 for h in heights), heights
        # each equation of the symbolic rule is one unbroken piece
        for box in pg.locator(".insp-rule .tex .eq").all():
            assert box.evaluate("(el) => el.getClientRects().length") == 1
            # and fits the panel (set smaller if it must): nothing runs past the edge
            assert box.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
        # the runs named with their learning rate on the plot
        legend = pg.locator("#plot-legend").inner_text()
        for name in ("SGD · η=0.001", "SGD · η=0.05", "SGD · η=0.095", "Adam · η=0.3"):
            assert name in legend, legend
        # every run card reachable: scrolled into view, it is inside the window and its panel
        for i in range(4):
            card = pg.locator("#runs .run-card").nth(i)
            card.scroll_into_view_if_needed()
            box = card.bounding_box()
            panel = rect(pg, ".runs-panel")
            assert box and panel and box["y"] >= panel[0] - 1
            assert box["y"] + 30 <= min(panel[1], height)
        # the plot is the largest thing on the screen
        plot = rect(pg, "#plot-wrap")
        assert plot and (plot[1] - plot[0]) * (plot[3] - plot[2]) > 0.3 * width * height
        # the top bar is one row: its controls share their vertical middle
        middles = pg.evaluate("() => ['#lessons-open', '#surface-select', '#formula-input', "
                              "'#steps-input', '#lang-select', '#share-tools'].map(s => { "
                              "const r = document.querySelector(s).getBoundingClientRect(); "
                              "return (r.top + r.bottom) / 2; })")
        assert max(middles) - min(middles) < 8, middles
        pg.screenshot(path=f"/tmp/gradscape-presenter-{width}x{height}.png")
        assert console.errors == []
    finally:
        pg.context.close()


def test_fullscreen_keeps_the_loss_curve_and_eta(browser: Browser, base_url: str) -> None:
    pg, console = new_page(browser, 1280, 800)
    try:
        open_app(pg, base_url, "pm=1")
        pg.keyboard.press("f")
        wait(pg, "document.fullscreenElement "
                 "&& document.fullscreenElement.classList.contains('layout')")
        wait(pg, "document.getElementById('loss-canvas').getBoundingClientRect().height > 60")
        eta = pg.locator("#runs .run-card").first.locator(".param-row input[type=text]").first
        assert eta.is_visible() and eta.input_value() == "0.1"
        pg.keyboard.press("f")
        wait(pg, "!document.fullscreenElement")
        assert console.errors == []
    finally:
        pg.context.close()
