"""The lessons in a real browser: every lesson opened from the gallery plays its own scene,
the panel walks a student through predict-then-reveal (keyboard included), the claim the
panel shows matches what the race does, a lesson's URL reopens the same scene, the printable
index lists every lesson with working links, and the panel speaks Chinese.

Expected values come from lessons/catalog.py (the scene each lesson must race) and from the
numbers written in each claim, never from the frontend code under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser_support import Console, js, settle
from playwright.sync_api import Browser, Page

from gradscape.lessons import LESSONS, LESSONS_BY_ID, Lesson, is_network, run_scene

# The lessons these tests open and play: the 2D ones. The "real networks" lessons
# (lessons/networks.py, scene mode "network") open in the Network mode and are walked by
# that mode's own browser tests; their claims are asserted in tests/test_lessons_networks.py.
SURFACE_LESSONS = [x for x in LESSONS if not is_network(x)]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CJK = re.compile(r"[\u4e00-\u9fff]")


# --- helpers -------------------------------------------------------------------------------------
def open_page(pg: Page, base_url: str, hash_: str = "sp=10") -> None:
    """The app with the catalog loaded (10x speed unless the hash says otherwise)."""
    pg.goto(f"{base_url}/#{hash_}")
    pg.wait_for_function("() => window.gradscape && window.gradscape.catalog "
                         "&& window.gradscape.race.race", timeout=15000)


def open_from_gallery(pg: Page, lesson_id: str) -> None:
    before = js(pg, "window.gradscape.race.race ? window.gradscape.race.race.race : -1")
    pg.click("#lessons-open")
    pg.wait_for_selector("dialog.lesson-gallery[open]")
    pg.click(f'dialog.lesson-gallery [data-lesson="{lesson_id}"]')
    pg.wait_for_function(
        "([id, before]) => { const g = window.gradscape; const r = g.race.race;"
        " return g.state.lesson === id && r && r.race !== before"
        " && r.runs.every(run => run.length > 0); }", arg=[lesson_id, before], timeout=15000)
    assert not pg.locator("dialog.lesson-gallery").evaluate("d => d.open")


def expected_runs(lesson: Lesson) -> list[dict[str, Any]]:
    """Each run as the browser must race it, from the lesson's scene."""
    dataset = isinstance(lesson.scene["surface"], dict) and "dataset" in lesson.scene["surface"]
    runs = []
    for r in lesson.scene["runs"]:
        run = {"optimizer": r["optimizer"], "params": r.get("params", {}),
               "start": [float(v) for v in r["start"]],
               "schedule": r.get("schedule", "constant"),
               "schedule_params": r.get("schedule_params", {})}
        if dataset and r.get("batch_size"):
            run["batch_size"] = r["batch_size"]
        if not dataset and r.get("noise"):
            run["noise"] = r["noise"]
        runs.append(run)
    return runs


def assert_races_scene(pg: Page, lesson: Lesson) -> None:
    body = js(pg, "window.gradscape.race.lastBody")
    assert body["surface"] == lesson.scene["surface"], lesson.id
    assert body["steps"] == lesson.scene["steps"] and body["seed"] == lesson.scene["seed"]
    got = [{**r, "start": [float(v) for v in r["start"]]} for r in body["runs"]]
    assert got == expected_runs(lesson), lesson.id


def play_to_end(pg: Page) -> None:
    """Through the panel: to the answer step, "skip to the end", wait for the claim."""
    for _ in range(4):
        kind = pg.locator(".lesson-step").get_attribute("data-kind")
        if kind == "answer":
            break
        pg.click(".lesson-next")
    # At 10x the race may finish playing (and the button give way to the claim) any moment.
    pg.evaluate("() => document.querySelector('.lesson-skip')?.click()")
    pg.wait_for_selector(".lesson-claim", timeout=30000)


def runs_js(pg: Page) -> list[dict[str, Any]]:
    return js(pg, "window.gradscape.race.race.runs.map(r => ({x: r.x[r.length - 1], "
                  "y: r.y[r.length - 1], f: r.f[r.length - 1], status: r.status, "
                  "stop: r.stopStep, lr: r.params.lr, length: r.length}))")


def number(text: str) -> float:
    return float(text.replace("−", "-").replace("√2", str(2 ** 0.5)))


def pairs(text: str) -> list[tuple[float, float]]:
    """Every "(a, b)" point written in a claim."""
    num = r"[−\-]?[\d.]+|√2"
    return [(number(a), number(b)) for a, b in re.findall(rf"\(({num}), ({num})\)", text)]


def api_lessons(base_url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{base_url}/api/lessons", timeout=10) as r:
        return json.loads(r.read())


# --- every lesson from the gallery ----------------------------------------------------------------
def test_every_lesson_opens_from_the_gallery_and_plays(page: tuple[Page, Console],
                                                       base_url: str) -> None:
    pg, console = page
    open_page(pg, base_url)
    pg.click("#lessons-open")
    gallery = pg.locator("dialog.lesson-gallery")
    # Grouped by CONCEPTS.md section, each lesson with its title and one line.
    sections = gallery.locator(".gallery-section h3").all_inner_texts()
    assert [s.split(" · ")[0] for s in sections] == sorted({x.concept for x in LESSONS}, key=int)
    assert gallery.locator(".gallery-item").count() == len(LESSONS)
    for lesson in LESSONS:
        item = gallery.locator(f'[data-lesson="{lesson.id}"]')
        assert item.locator(".gallery-title").inner_text() == lesson.title["en"]
        assert item.locator(".gallery-line").inner_text() == lesson.summary["en"]
    pg.keyboard.press("Escape")
    assert not gallery.evaluate("d => d.open")

    order = [i.get_attribute("data-lesson") for i in gallery.locator(".gallery-item").all()]
    for lesson in SURFACE_LESSONS:  # the network lessons: see SURFACE_LESSONS
        open_from_gallery(pg, lesson.id)
        assert_races_scene(pg, lesson)
        n = order.index(lesson.id) + 1
        kicker = pg.locator(".lesson-kicker").inner_text()
        assert kicker.startswith(f"Lesson {n} of {len(LESSONS)} · ")
        assert pg.locator("#lesson-title").inner_text() == lesson.title["en"]
        # The scene waits for the prediction: paused on step 0.
        assert js(pg, "window.gradscape.race.playback.playing") is False
        assert js(pg, "window.gradscape.race.playback.cursor") == 0
        pg.click(".lesson-next")  # to "predict"
        pg.click(".lesson-next")  # "play to find out"
        n = min(lesson.scene["steps"], 30)
        pg.wait_for_function(
            f"() => {{ const r = window.gradscape.race.race; const c = window.gradscape.race"
            f".playback.cursor; return (c >= {n} || r.complete)"
            f" && r.runs.every(run => run.length > {n} || run.stopped); }}", timeout=20000)
        assert pg.locator("#results li").count() == len(lesson.scene["runs"]), lesson.id
        assert all(line.strip() for line in pg.locator("#results li").all_inner_texts())
        assert console.errors == [], (lesson.id, console.errors)


# --- every lesson, walked step by step ------------------------------------------------------------
STEP_TEXTS = (("see", "explanation"), ("predict", "predict"), ("watch", "watch"))


@pytest.mark.parametrize("lesson_id", [x.id for x in SURFACE_LESSONS])
def test_walk_every_lesson_step_by_step(page: tuple[Page, Console], base_url: str,
                                        lesson_id: str) -> None:
    """Every step's text is the server's text for the lesson, in English as walked and in
    Chinese once the language is switched on the last step; the answer comes once the scene
    has played, the variant (if any) plays too, and nothing logs a console error."""
    pg, console = page
    served = next(x for x in api_lessons(base_url) if x["id"] == lesson_id)
    lesson = LESSONS_BY_ID[lesson_id]
    for field in ("title", "explanation", "predict", "watch", "claim"):
        # the catalog's {en, zh}; the server adds zh-Hant, generated (tests/test_zh_hant.py)
        assert {k: served[field][k] for k in ("en", "zh")} == getattr(lesson, field), \
            (lesson_id, field)
    pg.goto(f"{base_url}/#l={lesson_id}&sp=50")
    pg.wait_for_function("id => { const g = window.gradscape; return g && g.catalog"
                         " && g.state.lesson === id && g.race.race"
                         " && g.race.race.runs.every(r => r.length > 0); }", arg=lesson_id,
                         timeout=20000)
    assert_races_scene(pg, lesson)
    assert pg.locator("#lesson-title").inner_text() == served["title"]["en"]
    for kind, field in STEP_TEXTS:
        assert pg.locator(".lesson-step").get_attribute("data-kind") == kind, lesson_id
        assert pg.locator(".lesson-text").inner_text() == served[field]["en"], (lesson_id, kind)
        pg.click(".lesson-next")
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "answer"
    pg.evaluate("() => document.querySelector('.lesson-skip')?.click()")
    pg.wait_for_selector(".lesson-claim", timeout=60000)
    assert pg.locator(".lesson-claim").inner_text() == served["claim"]["en"]
    assert js(pg, "window.gradscape.race.race.complete") is True
    assert pg.locator("#results li").count() == len(lesson.scene["runs"])
    if lesson.variant:
        race = js(pg, "window.gradscape.race.race.race")
        assert pg.locator(".lesson-variant").inner_text().startswith(
            served["variant"]["label"]["en"])
        pg.click(".lesson-variant")
        pg.wait_for_function(f"() => window.gradscape.race.race.race !== {race} "
                             "&& window.gradscape.race.race.complete", timeout=60000)
        assert js(pg, "window.gradscape.race.lastBody.surface") == (
            lesson.variant["scene"]["surface"])
        assert pg.locator(".lesson-claim").inner_text() == served["claim"]["en"]
    # The same steps in Chinese: the panel re-renders in place, every step one click away.
    pg.select_option("#lang-select", "zh")
    pg.wait_for_function("t => document.querySelector('.lesson-claim')?.textContent === t",
                         arg=served["claim"]["zh"])
    assert pg.locator("#lesson-title").inner_text() == served["title"]["zh"]
    if lesson.variant:  # pressed: it now offers the way back, in Chinese
        assert pg.locator(".lesson-variant").get_attribute("aria-pressed") == "true"
        assert CJK.search(pg.locator(".lesson-variant").inner_text())
    for i, (kind, field) in enumerate(STEP_TEXTS):
        pg.click(f".lesson-dot[data-step='{i}']")
        assert pg.locator(".lesson-step").get_attribute("data-kind") == kind, lesson_id
        assert pg.locator(".lesson-text").inner_text() == served[field]["zh"], (lesson_id, kind)
    assert console.errors == [], (lesson_id, console.errors)


# --- the walk: predict, then reveal ---------------------------------------------------------------
def test_the_panel_walks_through_predict_and_reveal_by_keyboard(page: tuple[Page, Console],
                                                                base_url: str) -> None:
    pg, console = page
    lesson = LESSONS_BY_ID["momentum_escapes"]
    open_page(pg, base_url)
    # Keyboard only: the Lessons button, Enter; Tab through the gallery, Enter.
    pg.locator("#lessons-open").focus()
    pg.keyboard.press("Enter")
    pg.wait_for_selector("dialog.lesson-gallery[open]")
    assert js(pg, "document.activeElement.classList.contains('gallery-item')")
    for _ in range(len(LESSONS)):
        if js(pg, "document.activeElement.dataset.lesson") == lesson.id:
            break
        pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")
    pg.wait_for_function("id => window.gradscape.state.lesson === id "
                         "&& window.gradscape.race.lastBody.steps === 2000", arg=lesson.id)
    assert_races_scene(pg, lesson)
    # Focus moved into the panel: the student carries on with Enter.
    pg.wait_for_function("() => document.activeElement.classList.contains('lesson-next')")
    panel = pg.locator("#lesson-banner")
    assert panel.get_attribute("role") == "region"
    snapshot = panel.aria_snapshot()
    assert f'heading "{lesson.title["en"]}"' in snapshot
    assert 'list "Steps of this lesson"' in snapshot
    assert 'button "Step 1 of 4: What you see"' in snapshot
    assert 'button "Close the lesson"' in snapshot
    assert pg.locator(".lesson-text").inner_text() == lesson.explanation["en"]
    assert pg.locator(".lesson-dot[aria-current=step]").inner_text() == "1"
    assert pg.locator(".lesson-back").is_disabled()

    pg.keyboard.press("Enter")
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "predict"
    assert pg.locator(".lesson-step-label").inner_text() == "Step 2 of 4 · Predict"
    assert pg.locator(".lesson-text").inner_text() == lesson.predict["en"]
    assert pg.locator(".lesson-next").inner_text().startswith("Play to find out")
    assert pg.locator(".lesson-commit").is_disabled()  # nothing typed yet
    # The watch step cannot be reached before the prediction is in.
    assert pg.locator(".lesson-dot[data-step='2']").is_disabled()
    pg.wait_for_timeout(300)
    assert js(pg, "window.gradscape.race.playback.cursor") == 0  # still holding the scene
    assert pg.get_by_label("Your guess").count() == 1
    pg.locator("#lesson-guess").focus()
    pg.keyboard.type("it rolls into the deep minimum")
    pg.keyboard.press("Enter")  # locks in the guess: the scene plays
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "watch"
    assert pg.locator(".lesson-text").inner_text() == lesson.watch["en"]
    assert js(pg, "window.gradscape.race.playback.playing") is True
    pg.wait_for_function("() => window.gradscape.race.playback.cursor > 5")
    assert pg.locator(".lesson-yourguess").count() == 0  # shown with the prediction, not here

    # Arrow keys on the step indicator move between steps, and do not step the race.
    pg.evaluate("() => window.gradscape.race.playback.pause()")
    cursor = js(pg, "window.gradscape.race.playback.cursor")
    pg.locator(".lesson-dot[aria-current=step]").focus()
    pg.keyboard.press("ArrowLeft")
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "predict"
    assert "it rolls into the deep minimum" in pg.locator(".lesson-yourguess").inner_text()
    assert js(pg, "document.activeElement.dataset.step") == "1"
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "answer"
    assert js(pg, "window.gradscape.race.playback.cursor") == cursor
    # Back to step 1 with the Back button: it is then disabled, so focus moves on to Next.
    for _ in range(3):
        pg.click(".lesson-back")
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "see"
    assert js(pg, "document.activeElement.classList.contains('lesson-next')")
    pg.click(".lesson-dot[data-step='3']")  # every step seen stays one click away
    assert js(pg, "document.activeElement.dataset.step") == "3"

    # The answer waits for the race to have played; "skip to the end" gets there.
    assert pg.locator(".lesson-claim").count() == 0
    assert pg.locator(".lesson-wait").is_visible()
    pg.click(".lesson-skip")
    pg.wait_for_selector(".lesson-claim", timeout=30000)
    assert pg.locator(".lesson-claim").inner_text() == lesson.claim["en"]
    assert "You predicted: it rolls into the deep minimum" in pg.locator(
        ".lesson-yourguess").inner_text()
    assert js(pg, "window.gradscape.race.race.complete") is True
    # Last step: Next offers the gallery; Back goes back.
    assert pg.locator(".lesson-next").inner_text() == "More lessons"
    pg.click(".lesson-next")
    assert pg.locator("dialog.lesson-gallery").evaluate("d => d.open")
    assert pg.locator("dialog.lesson-gallery [aria-current=true]").get_attribute(
        "data-lesson") == lesson.id
    pg.keyboard.press("Escape")
    # Closing the lesson hides the panel and takes l= out of the URL.
    pg.click("#lesson-banner .lesson-close")
    assert pg.locator("#lesson-banner").is_hidden()
    pg.wait_for_function("() => !/(^|[#&])l=/.test(location.hash)")
    assert console.errors == []


# --- the claims the panel shows are what the race does ------------------------------------------
def test_claims_shown_match_the_race(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_page(pg, base_url)

    # "Gradient descent stays in the shallow minimum near (−1.2, 1.3); momentum escapes and
    # ends in the global minimum at (2.5, −1)."
    open_from_gallery(pg, "momentum_escapes")
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    (gd_at, momentum_at) = pairs(claim)
    gd, momentum = runs_js(pg)
    assert abs(gd["x"] - gd_at[0]) < 0.06 and abs(gd["y"] - gd_at[1]) < 0.06, (gd, claim)
    assert abs(momentum["x"] - momentum_at[0]) < 0.06 and abs(momentum["y"] - momentum_at[1]) < 0.06
    assert gd["f"] > momentum["f"] + 1  # a shallow dip vs the deep minimum
    # The results lines are redrawn at most every 200 ms: wait for the end's.
    pg.wait_for_function("() => [...document.querySelectorAll('#results li')]"
                         ".filter(li => /converged/.test(li.textContent)).length === 2",
                         timeout=5000)

    # "η = 0.001 is still far after 200 steps (loss above 1); η = 0.05 reaches the bottom;
    # η = 0.095 ... gets there too ...; η = 0.11, only 10% above 2/λmax = 0.1, diverges."
    open_from_gallery(pg, "learning_rate")
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    by_lr = {run["lr"]: run for run in runs_js(pg)}
    settle(pg)
    results = pg.locator("#results li").all_inner_texts()
    diverging = float(re.search(r"η = ([\d.]+), only \d+% above [^,]+, diverges",
                                claim).group(1))
    assert by_lr[diverging]["status"] == "diverged"
    assert "diverged" in results[[r["lr"] for r in runs_js(pg)].index(diverging)]
    slow = float(re.search(r"η = ([\d.]+) is still far", claim).group(1))
    assert by_lr[slow]["f"] > 1 and by_lr[slow]["length"] == 201  # all 200 steps taken
    # "η = 0.05 and η = 0.095." answers which rates reach the bottom
    reach = re.match(r"η = ([\d.]+) and η = ([\d.]+)\.", claim)
    assert reach is not None, claim
    for lr in map(float, reach.groups()):
        assert by_lr[lr]["f"] < 1e-6, (lr, by_lr[lr])
    assert all(run["status"] != "diverged" for lr, run in by_lr.items() if lr != diverging)

    # "At the saddle: from y = 0 gradient descent converges to (0, 0) ... Newton's method ...
    # jumps to the saddle in 2 steps. Saddle-free Newton ... reaches the minimum (0, √2)
    # within 10 steps."
    open_from_gallery(pg, "saddle_point")
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    saddle, *_, minimum = pairs(claim)
    on_ridge, _near_ridge, newton, saddle_free = runs_js(pg)
    assert on_ridge["status"] == "converged"
    assert abs(on_ridge["x"] - saddle[0]) < 1e-4 and abs(on_ridge["y"] - saddle[1]) < 1e-4
    assert abs(newton["x"] - saddle[0]) < 1e-4 and abs(newton["y"] - saddle[1]) < 1e-4
    within = int(re.search(r"within (\d+) steps", claim).group(1))
    assert saddle_free["status"] == "converged" and saddle_free["stop"] <= within
    assert abs(abs(saddle_free["y"]) - minimum[1]) < 1e-5 and abs(saddle_free["x"]) < 1e-5

    # "Gradient descent: it reaches the minimum (loss below 1e-6). ... both end with a loss
    # above 1e-4, and random search ... ends furthest away."
    open_from_gallery(pg, "random_vs_gradient")
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    below = float(re.search(r"loss below ([\de.\-]+)\)", claim).group(1))
    above = float(re.search(r"loss above ([\de.\-]+),", claim).group(1))
    random_search, local_search, gd = runs_js(pg)
    assert gd["f"] < below < above < min(local_search["f"], random_search["f"])
    assert random_search["f"] > local_search["f"]
    assert console.errors == []


def test_the_other_case_a_claim_speaks_of_is_one_click_away(page: tuple[Page, Console],
                                                            base_url: str) -> None:
    pg, console = page
    open_page(pg, base_url)

    # "Less than 10%: the neuron is saturated. From w = −0.8, b = 0.5, where it is not
    # saturated and the loss is the same (within 1%), the same 300 steps bring the loss below
    # 30% of its start."
    lesson = LESSONS_BY_ID["saturation"]
    open_from_gallery(pg, lesson.id)
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    pct = float(re.search(r"Less than (\d+)%", claim).group(1))
    first = js(pg, "window.gradscape.race.race.runs[0].f[0]")
    (sigmoid,) = runs_js(pg)
    assert sigmoid["f"] > (1 - pct / 100) * first and sigmoid["length"] == 301
    variant = pg.locator(".lesson-variant")
    assert variant.inner_text().startswith(lesson.variant["label"]["en"])
    assert variant.get_attribute("aria-pressed") == "false"
    race = js(pg, "window.gradscape.race.race.race")
    variant.click()
    pg.wait_for_function(f"() => window.gradscape.race.race.race !== {race} "
                         "&& window.gradscape.race.race.complete", timeout=20000)
    assert js(pg, "window.gradscape.race.lastBody")["runs"][0]["start"] == [-0.8, 0.5]
    (free,) = runs_js(pg)
    free_first = js(pg, "window.gradscape.race.race.runs[0].f[0]")
    assert abs(free_first - first) < 0.01 * first  # the same loss
    below = float(re.search(r"below (\d+)% of its start", claim).group(1))
    assert free["f"] < below / 100 * free_first
    # The answer stays on screen while the other case plays, and the way back is there.
    assert pg.locator(".lesson-claim").inner_text() == claim
    assert pg.locator(".lesson-variant").get_attribute("aria-pressed") == "true"
    race = js(pg, "window.gradscape.race.race.race")
    pg.click(".lesson-variant")
    pg.wait_for_function(f"() => window.gradscape.race.race.race !== {race}")
    assert_races_scene(pg, lesson)
    assert pg.locator(".lesson-step").get_attribute("data-kind") == "answer"

    # "One. Raw feature: 387 steps before the loss is within 1% of its minimum ...
    # Standardized, from the same model ... one step."
    lesson = LESSONS_BY_ID["feature_scaling"]
    open_from_gallery(pg, lesson.id)
    play_to_end(pg)
    claim = pg.locator(".lesson-claim").inner_text()
    steps = int(re.search(r"Raw feature[^:]*: (\d+) steps", claim).group(1))
    raw_f = js(pg, "window.gradscape.race.race.runs[0].f")
    ends = js(pg, "window.gradscape.race.race.runs[0].f.length")
    assert ends == lesson.scene["steps"] + 1
    minimum = min(raw_f)
    within = [i for i, f in enumerate(raw_f) if f <= 1.01 * minimum]
    assert abs(within[0] - steps) <= 1  # the browser's numbers, against the claim's count
    race = js(pg, "window.gradscape.race.race.race")
    pg.click(".lesson-variant")
    pg.wait_for_function(f"() => window.gradscape.race.race.race !== {race} "
                         "&& window.gradscape.race.race.complete", timeout=20000)
    assert pg.locator("#surface-options input[type=checkbox]").first.is_checked()
    scaled_f = js(pg, "window.gradscape.race.race.runs[0].f")
    assert abs(scaled_f[0] - raw_f[0]) < 1e-3 * raw_f[0]  # the same model, the same loss
    assert scaled_f[1] <= 1.01 * minimum  # "one step"
    (scaled,) = runs_js(pg)
    assert scaled["status"] == "converged"
    # The results line says so once the playback has reached the end (it plays at 10x).
    pg.wait_for_function("() => /converged/.test(document.querySelector('#results li')"
                         ".textContent)", timeout=10000)
    # And the URL is this scene, like any other (the export menu reads it).
    pg.wait_for_function("() => location.hash.includes('standardize=true') "
                         "&& location.hash.includes('lr=0.5')", timeout=10000)
    assert console.errors == []


# --- a lesson is a normal scene: its URL reopens it ----------------------------------------------
@pytest.mark.parametrize("lesson_id", ["saddle_point", "mini_batch_noise", "decay_and_warmup"])
def test_a_lesson_url_reopened_in_a_new_page_reproduces_the_scene(
        browser: Browser, base_url: str, lesson_id: str) -> None:
    lesson = LESSONS_BY_ID[lesson_id]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        first = context.new_page()
        console = Console(first)
        open_page(first, base_url, "s=rosenbrock&r=nesterov,lr=0.0005&sp=10")
        open_from_gallery(first, lesson_id)
        first.wait_for_function("() => /(^|[#&])l=/.test(location.hash) "
                                "&& /(^|[#&])r=/.test(location.hash)")
        hash_ = js(first, "location.hash.slice(1)")
        assert "rosenbrock" not in hash_ and "nesterov" not in hash_  # the old scene is gone
        first.click(".lesson-next")
        first.click(".lesson-next")  # play: the first page moves on, the link stays the scene
        first.wait_for_function("() => window.gradscape.race.race.available >= 25")

        second = context.new_page()
        console2 = Console(second)
        second.goto(f"{base_url}/#{hash_}")
        second.wait_for_function("() => window.gradscape && window.gradscape.catalog "
                                 "&& window.gradscape.race.race "
                                 "&& window.gradscape.race.race.available >= 25",
                                 timeout=15000)
        assert_races_scene(second, lesson)
        assert js(second, "window.gradscape.race.lastBody") == js(
            first, "window.gradscape.race.lastBody")
        # The same numbers: every run's first 25 points agree exactly.
        path = "window.gradscape.race.race.runs.map(r => [r.x.slice(0, 25), r.y.slice(0, 25)])"
        assert js(second, path) == js(first, path)
        # It reopens as the lesson: its panel on step 1, the scene waiting.
        assert second.locator("#lesson-title").inner_text() == lesson.title["en"]
        assert second.locator(".lesson-step").get_attribute("data-kind") == "see"
        assert js(second, "window.gradscape.race.playback.playing") is False
        # A bare #l=<id> link opens the same scene too.
        third = context.new_page()
        third.goto(f"{base_url}/#l={lesson_id}")
        third.wait_for_function("() => window.gradscape && window.gradscape.catalog "
                                "&& window.gradscape.race.race "
                                "&& window.gradscape.race.race.runs.every(r => r.length > 0)",
                                timeout=15000)
        assert_races_scene(third, lesson)
        assert console.errors == [] and console2.errors == []
    finally:
        context.close()


def test_a_lesson_scene_exports_like_any_other(page: tuple[Page, Console], base_url: str,
                                              tmp_path: Path) -> None:
    """The export menu's CSV of an open lesson is the lesson's scene, as core races it."""
    pg, console = page
    lesson = LESSONS_BY_ID["saddle_point"]
    open_page(pg, base_url)
    open_from_gallery(pg, lesson.id)
    pg.click("#export-button")
    with pg.expect_download(timeout=60000) as dl:
        pg.click("#export-list [data-format=csv]")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    expected = run_scene(lesson.scene)
    for i, (run, trajectory) in enumerate(zip(lesson.scene["runs"], expected, strict=True)):
        mine = [r for r in rows if int(r["run"]) == i]
        assert {r["optimizer"] for r in mine} == {run["optimizer"]}
        assert len(mine) == len(trajectory.points), run
        assert [float(mine[0]["x"]), float(mine[0]["y"])] == [float(v) for v in run["start"]]
        last = mine[-1]
        assert abs(float(last["x"]) - trajectory.points[-1][0]) < 1e-9
        assert abs(float(last["y"]) - trajectory.points[-1][1]) < 1e-9
    assert console.errors == []


def test_a_link_to_an_unknown_lesson_plays_the_scene(page: tuple[Page, Console],
                                                    base_url: str) -> None:
    pg, console = page
    pg.goto(f"{base_url}/#s=rosenbrock&l=no_such_lesson")
    pg.wait_for_function("() => window.gradscape && window.gradscape.catalog "
                         "&& window.gradscape.race.race "
                         "&& window.gradscape.race.playback.cursor > 3", timeout=15000)
    assert pg.locator("#lesson-banner").is_hidden()
    assert js(pg, "window.gradscape.state.surface") == "rosenbrock"
    pg.wait_for_function("() => !location.hash.includes('no_such_lesson')")
    assert console.errors == []


def test_a_lesson_link_in_the_embed_page_waits_and_keeps_the_answer(
        page: tuple[Page, Console], base_url: str) -> None:
    """A lesson's embed in a slide must not give the answer away (issue 15): it waits at
    step 0 for the class's prediction, its results hidden; play plays it, and the results
    show once the race has played to its end. play=1 in the link plays it by itself."""
    pg, console = page
    lesson = LESSONS_BY_ID["saddle_point"]
    pg.goto(f"{base_url}/embed.html#l={lesson.id}")
    pg.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                         "&& window.gradscape.race.race.available > 5", timeout=15000)
    pg.wait_for_timeout(500)
    assert_races_scene(pg, lesson)
    assert pg.evaluate("() => window.gradscape.race.playback.cursor") == 0
    assert pg.evaluate("() => window.gradscape.race.playback.playing") is False
    assert pg.locator("#results").is_hidden()
    pg.evaluate("() => window.gradscape.race.playback.setSpeed(10)")
    pg.click("#pb-play")
    pg.wait_for_function("() => { const a = window.gradscape; return a.race.race.complete "
                         "&& a.race.playback.cursor >= a.race.race.finalIndex; }", timeout=30000)
    pg.wait_for_selector("#results li")
    assert pg.locator("#results").is_visible()
    pg.goto("about:blank")
    pg.goto(f"{base_url}/embed.html#l={lesson.id}&play=1")
    pg.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                         "&& window.gradscape.race.playback.cursor > 3", timeout=15000)
    assert console.errors == []


# --- the printable index ------------------------------------------------------------------------
def test_the_index_lists_every_lesson_with_working_links(browser: Browser,
                                                         base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        pg = context.new_page()
        console = Console(pg)
        pg.goto(f"{base_url}/lessons.html")
        pg.wait_for_selector("body[data-ready]")
        articles = pg.locator("article.ix-lesson")
        assert articles.count() == len(LESSONS) >= 14
        listed = [a.get_attribute("data-lesson") for a in articles.all()]
        assert sorted(listed) == sorted(x.id for x in LESSONS)
        # Numbered down the page, 1 to N, whatever the catalog's order.
        numbers = [int(n.rstrip(".")) for n in pg.locator(".ix-num").all_inner_texts()]
        assert numbers == list(range(1, len(LESSONS) + 1))
        links = []
        for lesson in LESSONS:
            block = pg.locator(f'article[data-lesson="{lesson.id}"]')
            assert lesson.title["en"] in block.locator("h3").inner_text()
            assert block.locator(".ix-idea").inner_text() == lesson.explanation["en"]
            assert block.locator(".ix-watch").inner_text() == lesson.watch["en"]
            assert block.locator(".ix-claim").inner_text() == lesson.claim["en"]
            app = block.locator("a.ix-open").get_attribute("href")
            embed = block.locator("a.ix-embed").get_attribute("href")
            assert app.startswith(f"{base_url}/#") and f"l={lesson.id}" in app
            assert embed.startswith(f"{base_url}/embed.html#")
            assert embed.split("#", 1)[1] in app  # the same scene hash
            snippet = block.locator(".ix-snippet").inner_text()
            assert snippet.startswith('<iframe src="') and snippet.endswith("></iframe>")
            assert embed.replace("&", "&amp;") in snippet
            links.append((lesson, app, embed))
        snapshot = pg.locator(f'article[data-lesson="{LESSONS[0].id}"]').aria_snapshot()
        assert f'button "Copy: For slides · {LESSONS[0].title["en"]}"' in snapshot
        # Copy puts the snippet on the clipboard.
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        first = pg.locator("article.ix-lesson").first
        first.locator(".ix-copy").click()
        pg.wait_for_function("() => document.querySelector('.ix-copy').textContent === 'Copied'")
        pasted = pg.evaluate("() => navigator.clipboard.readText()")
        assert pasted == first.locator(".ix-snippet").inner_text()
        assert console.errors == []

        # Every 2D lesson's app link loads its lesson (network lessons: see SURFACE_LESSONS).
        for lesson, app, _ in links:
            if is_network(lesson):
                continue
            page = context.new_page()
            errors = Console(page)
            page.goto(app)
            page.wait_for_function("() => window.gradscape && window.gradscape.catalog "
                                   "&& window.gradscape.race.race "
                                   "&& window.gradscape.race.race.runs.every(r => r.length > 0)",
                                   timeout=15000)
            assert js(page, "window.gradscape.state.lesson") == lesson.id
            assert page.locator("#lesson-title").inner_text() == lesson.title["en"]
            assert_races_scene(page, lesson)
            assert errors.errors == [], (lesson.id, errors.errors)
            page.close()
        # The embed page reads the same hash (one lesson with per-run starts, one data set).
        for lesson, _, embed in links:
            if lesson.id not in ("saddle_point", "mini_batch_noise"):
                continue
            page = context.new_page()
            errors = Console(page)
            page.goto(embed)
            page.wait_for_function("() => window.gradscape && window.gradscape.race "
                                   "&& window.gradscape.race.race "
                                   "&& window.gradscape.race.race.runs.every(r => r.length > 0)",
                                   timeout=15000)
            assert_races_scene(page, lesson)
            assert errors.errors == [], (lesson.id, errors.errors)
            page.close()

        # Print: no buttons, every link written out as text.
        pg.emulate_media(media="print")
        assert pg.locator(".ix-copy").first.is_hidden()
        assert pg.locator(".ix-print").is_hidden()
        printed = pg.locator("a.ix-open").first.evaluate(
            "a => getComputedStyle(a, '::after').content")
        assert f"{base_url}/#l={LESSONS[0].id}" in printed
        printed = pg.locator("a.ix-embed").first.evaluate(
            "a => getComputedStyle(a, '::after').content")
        assert f"{base_url}/embed.html#" in printed
        breaks = pg.locator("article.ix-lesson").first.evaluate(
            "a => getComputedStyle(a).breakInside")
        assert breaks == "avoid"
    finally:
        context.close()


def test_the_index_in_chinese(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    for url in (f"{base_url}/lessons.html?lang=zh", f"{base_url}/lessons.html#lang=zh"):
        pg.goto(url)
        pg.wait_for_selector("body[data-ready]")
        assert pg.evaluate("document.documentElement.lang") == "zh-Hans"
        first = LESSONS[0]
        block = pg.locator(f'article[data-lesson="{first.id}"]')
        assert first.title["zh"] in block.locator("h3").inner_text()
        assert block.locator(".ix-claim").inner_text() == first.claim["zh"]
        for heading in pg.locator(".ix-concept > h2, .ix-fields dt, h1").all_inner_texts():
            assert CJK.search(heading), heading
        assert "lang=zh" in block.locator("a.ix-open").get_attribute("href")
    assert console.errors == []


# --- Chinese --------------------------------------------------------------------------------------
def test_the_panel_in_chinese(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    lesson = LESSONS_BY_ID["saddle_point"]
    open_page(pg, base_url, "lang=zh&sp=10")
    pg.click("#lessons-open")
    item = pg.locator(f'dialog.lesson-gallery [data-lesson="{lesson.id}"]')
    assert item.locator(".gallery-title").inner_text() == lesson.title["zh"]
    assert item.locator(".gallery-line").inner_text() == lesson.summary["zh"]
    for text in pg.locator("dialog.lesson-gallery h2, dialog.lesson-gallery h3, "
                           ".gallery-intro").all_inner_texts():
        assert CJK.search(text), text
    pg.keyboard.press("Escape")
    open_from_gallery(pg, lesson.id)
    assert pg.locator("#lesson-title").inner_text() == lesson.title["zh"]
    assert pg.locator(".lesson-text").inner_text() == lesson.explanation["zh"]
    steps = [("see", lesson.explanation), ("predict", lesson.predict), ("watch", lesson.watch)]
    for i, (kind, text) in enumerate(steps):
        assert pg.locator(".lesson-step").get_attribute("data-kind") == kind
        assert pg.locator(".lesson-text").inner_text() == text["zh"]
        label = pg.locator(".lesson-step-label").inner_text()
        assert label.startswith(f"第 {i + 1} 步") and CJK.search(label.split("·")[1]), label
        for b in (".lesson-back", ".lesson-next", ".lesson-kicker"):
            assert CJK.search(pg.locator(b).inner_text()), b
        pg.click(".lesson-next")
    play_to_end(pg)
    assert pg.locator(".lesson-claim").inner_text() == lesson.claim["zh"]
    assert CJK.search(pg.locator(".lesson-next").inner_text())
    # Switching the language back re-renders the panel on the same step, in English.
    pg.select_option("#lang-select", "en")
    pg.wait_for_function("t => document.querySelector('.lesson-claim')?.textContent === t",
                         arg=lesson.claim["en"])
    assert pg.locator("#lesson-title").inner_text() == lesson.title["en"]
    pg.select_option("#lang-select", "zh")
    pg.wait_for_function("t => document.querySelector('.lesson-claim')?.textContent === t",
                         arg=lesson.claim["zh"])
    # Every label of the panel's controls is Chinese too.
    for name in pg.locator("#lesson-banner button").evaluate_all(
            "bs => bs.map(b => b.getAttribute('aria-label') || b.textContent)"):
        assert name.strip().isdigit() or CJK.search(name), name
    for dot in pg.locator(".lesson-dot").evaluate_all(
            "bs => bs.map(b => b.getAttribute('aria-label'))"):
        assert CJK.search(dot), dot
    assert console.errors == []
