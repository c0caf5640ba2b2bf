"""Issue 17 in chromium, the live network view's remainder: the optimizer's state norms in the
step inspector, the loss curves by epoch, and a run's η changed mid-run (recorded as a change,
replayed, kept in the link). Numbers are checked against POST /api/network/train (core.train,
itself checked against torch in tests/test_network_live.py), not against the page's code."""

from __future__ import annotations

import copy
import json
import re
import urllib.parse

import pytest
from browser_support import Console, api, js, settle, wait
from playwright.sync_api import Page
from test_browser_network import REQUEST, hash_scene, open_net, scene_hash

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shown(pg: Page, label: str) -> float | None:
    """The inspector's number on the row whose label starts with `label` (None for '–')."""
    text = pg.inner_text("#net-inspector")
    m = re.search(re.escape(label) + r"[^\n]*\n([^\n]+)", text)
    assert m, text
    return None if m.group(1) == "–" else float(m.group(1))


def test_the_inspector_shows_the_optimizers_state_norms(page: tuple[Page, Console],
                                                        base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url, scene_hash(step=17))
    wait(pg, "window.gradscape.playback.step === 17 && !window.gradscape.playback.playing")
    ref = api(base_url, "/network/train", REQUEST)["runs"]
    # update 17 (index 16) produced iterate 17: the state after it
    pg.click("#net-legend-1")  # adam
    settle(pg)
    assert shown(pg, "First moment") == pytest.approx(ref[1]["state_norms"]["exp_avg"][16],
                                                      rel=2e-3)
    assert shown(pg, "Second moment") == pytest.approx(
        ref[1]["state_norms"]["exp_avg_sq"][16], rel=2e-3)
    pg.click("#net-legend-2")  # heavy-ball momentum
    settle(pg)
    assert shown(pg, "Momentum buffer") == pytest.approx(
        ref[2]["state_norms"]["momentum_buffer"][16], rel=2e-3)
    assert "First moment" not in pg.inner_text("#net-inspector")
    pg.click("#net-legend-0")  # plain gradient descent keeps no state
    settle(pg)
    assert not re.search("moment|buffer", pg.inner_text("#net-inspector"))
    # at the start no update has been taken: the state is '–'
    pg.click("#net-legend-1")
    pg.evaluate("window.gradscape.seek(0)")
    settle(pg)
    assert shown(pg, "First moment") is None
    assert console.errors == []


def test_the_loss_curves_by_epoch(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url)
    ref = api(base_url, "/network/train", REQUEST)["runs"]
    # the x values the chart plots are each run's epochs, as core counts them (run 1 draws
    # batches of 16 from 60 samples: 4 updates an epoch, the last of 12)
    epochs = js(pg, "[0, 1, 2].map(i => window.gradscape.data.epochs(i))")
    for got, want in zip(epochs, ref, strict=True):
        assert got == pytest.approx(want["epochs"], rel=1e-12)
    assert epochs[1][4] == 1 and epochs[1][40] == 10
    pixels = "Array.from(document.getElementById('net-loss').getContext('2d')" \
             ".getImageData(0, 0, 300, 150).data).join(',')"
    before = js(pg, pixels)
    pg.select_option("#net-xaxis", "epoch")
    settle(pg)
    assert js(pg, pixels) != before
    assert "epoch" in pg.inner_text("#net-curves-title")  # English page
    wait(pg, "location.hash.includes('x=epoch')")
    pg.reload()
    wait(pg, "window.gradscape && window.gradscape.data")
    assert pg.input_value("#net-xaxis") == "epoch"
    pg.select_option("#net-xaxis", "step")
    wait(pg, "!location.hash.includes('x=epoch')")
    assert console.errors == []


def test_eta_changed_at_a_paused_step_holds_from_there(page: tuple[Page, Console],
                                                       base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url, scene_hash(step=20))
    wait(pg, "window.gradscape.playback.step === 20 && !window.gradscape.playback.playing")
    first = js(pg, "window.gradscape.raceNumber")
    pg.fill("#net-run-1-lr", "0.004")
    pg.press("#net-run-1-lr", "Enter")
    # replayed with the change at step 20, shown paused there
    wait(pg, f"window.gradscape.raceNumber > {first} && window.gradscape.data "
             "&& window.gradscape.data.final() !== null", timeout=30000)
    wait(pg, "window.gradscape.playback.step === 20 && !window.gradscape.playback.playing")
    run = hash_scene(pg)["request"]["runs"][1]
    assert run["params"]["lr"] == 0.02 and run["changes"] == [{"step": 20,
                                                              "params": {"lr": 0.004}}]
    assert "from step 20" in pg.inner_text("#net-run-1-change-20")
    changed = copy.deepcopy(REQUEST)
    changed["runs"][1]["changes"] = run["changes"]
    ref = api(base_url, "/network/train", changed)["runs"][1]
    assert ref["lrs"] == [0.02] * 20 + [0.004] * 20
    got = js(pg, "window.gradscape.data.runs[1].train_loss")
    assert got == pytest.approx(ref["train_loss"], rel=1e-3)
    plain = api(base_url, "/network/train", REQUEST)["runs"][1]["train_loss"]
    assert got[:21] == pytest.approx(plain[:21], rel=1e-3)
    assert abs(got[40] - plain[40]) > 1e-3 * abs(plain[40])
    # the link reproduces it
    link = js(pg, "location.href")
    pg.goto("about:blank")
    pg.goto(link)
    wait(pg, "window.gradscape && window.gradscape.data && window.gradscape.data.final() !== null",
         timeout=30000)
    assert js(pg, "window.gradscape.data.runs[1].train_loss") == pytest.approx(
        ref["train_loss"], rel=1e-3)
    # removing the change replays the race without it
    pg.click("#net-run-1-change-20 button")
    wait(pg, "window.gradscape.data && window.gradscape.data.final() !== null "
             "&& !location.hash.includes('changes%22%3A%5B%7B')", timeout=30000)
    assert hash_scene(pg)["request"]["runs"][1]["changes"] == []
    assert js(pg, "window.gradscape.data.runs[1].train_loss") == pytest.approx(plain, rel=1e-3)
    # at step 0 the new η is the run's own: no change recorded, a race from the start
    pg.evaluate("window.gradscape.seek(0)")
    pg.fill("#net-run-0-lr", "0.3")
    pg.press("#net-run-0-lr", "Enter")
    wait(pg, "JSON.parse(decodeURIComponent(location.hash.split('net=')[1].split('&')[0]))"
             ".runs[0].params.lr === 0.3")
    assert hash_scene(pg)["request"]["runs"][0].get("changes", []) == []
    assert console.errors == []


def test_a_change_beyond_a_shortened_race_is_left_out(page: tuple[Page, Console],
                                                      base_url: str) -> None:
    pg, console = page
    req = copy.deepcopy(REQUEST)
    req["runs"][0]["changes"] = [{"step": 30, "params": {"lr": 0.1}}]
    req["steps"] = 25  # a link whose race is shorter than its change
    open_net(pg, base_url, f"mode=network&net={urllib.parse.quote(json.dumps(req))}"
                           "&plane=pca")
    assert pg.is_hidden("#net-message")
    assert js(pg, "window.gradscape.data.final()") == 25
    assert console.errors == []
