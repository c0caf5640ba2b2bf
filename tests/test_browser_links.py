"""Links and embeds reproduce the scene (issue 15): a link copied at step 390, from a
finished race, or after a mid-race retune reopens at that step with those paths, in the app
and in the embed page. The reference is the first page's own received paths and, for the
retune, POST /api/run with the change replayed (the server's core, tested against a hand
loop in tests/test_runs.py)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Console, api, js, open_app, pause, wait
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


def link_of(pg: Page) -> str:
    """The hash the share button copies (the URL after a forced write)."""
    return str(pg.evaluate("() => { window.gradscape.writeUrl(); return location.hash.slice(1); }"))


def paths(pg: Page, k: int) -> list[list[list[float]]]:
    return pg.evaluate("(k) => window.gradscape.race.race.runs.map(r => "
                       "Array.from(r.x.slice(0, k + 1)).map((x, i) => [x, r.y[i]]))", k)


def shown_step(pg: Page) -> int:
    return int(js(pg, "window.gradscape.race.playback.step"))


def reopen(ctx: BrowserContext, base_url: str, hash_: str, path: str,
           step: int) -> tuple[Page, Console]:
    """Open the link in a fresh page and wait until it shows `step` (it must get there by
    itself: nothing here moves the playhead or asks the stream for steps)."""
    pg = ctx.new_page()
    console = Console(pg)
    pg.goto(f"{base_url}{path}#{hash_}")
    wait(pg, "window.gradscape && window.gradscape.race.race && window.gradscape.plot.ready() "
             f"&& window.gradscape.race.playback.step === {step} "
             "&& !window.gradscape.race.playback.playing", timeout=20000)
    return pg, console


def same_paths(a: list[Any], b: list[Any]) -> None:
    assert len(a) == len(b)
    for run_a, run_b in zip(a, b, strict=True):
        assert len(run_a) == len(run_b)
        for p, q in zip(run_a, run_b, strict=True):
            assert p == pytest.approx(q, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("path", ["/", "/embed.html"])
def test_a_link_copied_at_step_390_reopens_at_step_390(context: BrowserContext, base_url: str,
                                                       path: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url)
    pause(pg, 390)
    hash_ = link_of(pg)
    assert "k=390" in hash_
    expected = paths(pg, 390)
    other, other_console = reopen(context, base_url, hash_, path, 390)
    same_paths(paths(other, 390), expected)
    # Its picture is the step: the results line speaks of step 390.
    assert "390" in other.locator("#pb-step").inner_text()
    other.screenshot(path=f"/tmp/i15/link390{path.replace('/', '_')}.png")
    assert console.errors == [] and other_console.errors == []


def test_a_link_from_a_finished_race_reopens_at_its_end(context: BrowserContext,
                                                        base_url: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, "sp=10")
    wait(pg, "window.gradscape.race.race.complete && !window.gradscape.race.playback.playing",
         timeout=30000)
    end = shown_step(pg)
    assert end == js(pg, "window.gradscape.race.race.finalIndex") and end > 100
    hash_ = link_of(pg)
    assert f"k={end}" in hash_
    for path in ["/", "/embed.html"]:
        other, other_console = reopen(context, base_url, hash_, path, end)
        same_paths(paths(other, end), paths(pg, end))
        assert other_console.errors == []
        other.close()
    assert console.errors == []


def test_a_link_after_a_mid_race_retune_replays_the_race_the_class_saw(
        context: BrowserContext, base_url: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, "sp=0.5")
    wait(pg, "window.gradscape.race.playback.step > 20")
    box = pg.locator("#runs .run-card").nth(1).locator("input[type=text]").first
    box.fill("0.0123")
    box.press("Enter")
    wait(pg, "window.gradscape.race.race.runs[1].retunes.length === 1")
    at = int(js(pg, "window.gradscape.race.race.runs[1].retunes[0].step"))
    assert 20 < at < 390
    js(pg, "window.gradscape.race.playback.setSpeed(10)")  # on to step 390 quickly
    pause(pg, 390)
    hash_ = link_of(pg)
    # The change is in the scene, at its step; the run's own setting is the one it began with.
    assert f"sgd,lr=0.005,@{at}.lr=0.0123" in hash_, hash_
    expected = paths(pg, 390)
    # The server replays it: POST /api/run with the change gives the path the page shows.
    start = js(pg, "window.gradscape.state.start")
    ref = api(base_url, "/run", {"surface": "himmelblau", "steps": 500, "runs": [
        {"optimizer": "sgd", "params": {"lr": 0.005}, "start": start,
         "changes": [{"step": at, "params": {"lr": 0.0123}}]}]})["runs"][0]["points"]
    sgd = expected[1]  # (it may converge before step 390: the path then ends there)
    assert len(sgd) > at + 5
    for k in range(len(sgd)):
        assert sgd[k] == pytest.approx(ref[k], rel=1e-6, abs=1e-6), k
    for path in ["/", "/embed.html"]:
        other, other_console = reopen(context, base_url, hash_, path, 390)
        same_paths(paths(other, 390), expected)
        # The replayed change is marked where it happened, as on the first page.
        assert js(other, "window.gradscape.race.race.runs[1].retunes.map(r => r.step)") == [at]
        other.screenshot(path=f"/tmp/i15/link_retuned{path.replace('/', '_')}.png")
        assert other_console.errors == []
        other.close()
    assert console.errors == []


def served(base_url: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base_url}/api{path}", timeout=10) as r:
        return json.loads(r.read())


def test_the_runs_speed_and_seed_of_a_link_are_the_servers(context: BrowserContext,
                                                           base_url: str) -> None:
    """The page keeps no default runs, learning rates or bounds of its own: a link without
    runs races the served default runs (and is still written without them), an out-of-range
    speed, seed and step count come back within the served limits, and "Add run" adds the catalog's
    next optimizer at its served playground learning rate."""
    limits = served(base_url, "/limits")
    catalog = served(base_url, "/optimizers")
    pg = context.new_page()
    console = Console(pg)
    # (the first race starts before the rest of the catalog: it waits for the limits only)
    open_app(pg, base_url, f"seed={limits['max_seed'] * 10}&sp=1e9&n={limits['max_steps'] * 10}")
    runs = js(pg, "window.gradscape.state.runs.map(r => ({optimizer: r.optimizer, "
                  "params: r.params}))")
    assert runs == limits["default_runs"]
    assert js(pg, "window.gradscape.race.race.runs.map(r => r.optimizer)") == \
        [r["optimizer"] for r in limits["default_runs"]]
    assert js(pg, "window.gradscape.race.race.steps") == limits["max_steps"]
    assert js(pg, "window.gradscape.state.seed") == limits["max_seed"]
    assert js(pg, "window.gradscape.state.speed") == limits["max_speed"]
    assert js(pg, "window.gradscape.race.playback.speed") == limits["max_speed"]
    hash_ = link_of(pg)
    assert "r=" not in hash_ and f"seed={limits['max_seed']}" in hash_, hash_
    # "Add run": the first optimizer of the catalog's order the race does not have yet.
    used = {r["optimizer"] for r in limits["default_runs"]}
    added = next(o for o in catalog if o["id"] not in used)
    pg.click("#add-run")
    wait(pg, f"window.gradscape.state.runs.length === {len(used) + 1}")
    last = js(pg, "window.gradscape.state.runs.at(-1)")
    assert last["optimizer"] == added["id"]
    assert last["params"] == ({} if added["playground_lr"] is None
                              else {"lr": added["playground_lr"]})
    assert f";{added['id']},lr={added['playground_lr']:g}" in link_of(pg)
    # A link whose runs are all unknown here races the default runs too.
    pg.goto(f"{base_url}/#r=no_such_optimizer,lr=1")
    wait(pg, "window.gradscape && window.gradscape.race.race "
             "&& window.gradscape.race.race.runs.length === "
             f"{len(limits['default_runs'])}")
    assert js(pg, "window.gradscape.state.runs.map(r => r.optimizer)") == \
        [r["optimizer"] for r in limits["default_runs"]]
    assert console.errors == []
