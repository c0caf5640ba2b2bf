"""Issue 17 in chromium: the Network mode. Its numbers are checked against the REST routes
(core.train, core.landscape and core.hessian_spectrum behind them), not against the page's own
code; every test also asserts a clean console."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from typing import Any

import pytest
from browser_support import Console, api, js, settle, wait
from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# small and quick: 2-8-2 on 60 moons, 3 optimizers, 40 steps
REQUEST: dict[str, Any] = {
    "network": {"dataset": "moons", "hidden": [8], "activation": "tanh", "samples": 60,
                "test_samples": 40, "noise": None, "seed": 3, "weight_decay": 0, "classes": None},
    "runs": [
        {"optimizer": "sgd", "params": {"lr": 0.5}, "schedule": "constant", "schedule_params": {},
         "batch_size": None},
        {"optimizer": "adam", "params": {"lr": 0.02}, "schedule": "constant",
         "schedule_params": {}, "batch_size": 16},
        {"optimizer": "momentum", "params": {"lr": 0.1, "momentum": 0.9},
         "schedule": "constant", "schedule_params": {}, "batch_size": None},
    ],
    "steps": 40, "init_seed": 1, "seed": 2, "sharpness_every": 5,
}


def scene_hash(request: dict[str, Any] = REQUEST, plane: str = "pca", step: int | None = None,
               extra: str = "") -> str:
    h = f"mode=network&net={urllib.parse.quote(json.dumps(request))}&plane={plane}"
    return h + (f"&step={step}" if step is not None else "") + extra


def open_net(pg: Page, url: str, hash_: str | None = None) -> None:
    pg.goto(f"{url}/#{hash_ or scene_hash()}")
    wait(pg, "window.gradscape && window.gradscape.data && window.gradscape.data.final() !== null",
         timeout=30000)


def hash_scene(pg: Page) -> dict[str, Any]:
    text = js(pg, "location.hash.slice(1)")
    fields = dict(p.split("=", 1) for p in text.split("&"))
    return {"request": json.loads(urllib.parse.unquote(fields["net"])),
            "plane": fields["plane"], "step": fields.get("step")}


def test_top_bar_switches_to_the_network_mode_and_back(page: tuple[Page, Console],
                                                       base_url: str) -> None:
    pg, console = page
    pg.goto(f"{base_url}/#s=himmelblau")
    wait(pg, "window.gradscape && window.gradscape.race && window.gradscape.race.race")
    pg.click("#mode-network")
    wait(pg, "document.documentElement.classList.contains('net-mode') && window.gradscape.data",
         timeout=30000)
    assert pg.is_visible("#net-boundary") and not pg.is_visible("#plot-wrap")
    assert hash_scene(pg)["request"]["network"]["dataset"] == "moons"
    pg.click("#mode-surfaces")
    wait(pg, "!document.documentElement.classList.contains('net-mode') && window.gradscape "
             "&& window.gradscape.race")
    assert pg.is_visible("#plot-wrap")
    assert console.errors == []


def test_a_scene_link_races_what_core_trains(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url)
    ref = api(base_url, "/network/train", REQUEST)
    data = js(pg, "window.gradscape.data.runs.map(r => ({train: r.train_loss, test: r.test_loss, "
                  "acc: r.train_acc, grad: r.grad_norm}))")
    for got, want in zip(data, ref["runs"], strict=True):
        assert got["train"] == pytest.approx(want["train_loss"], rel=1e-3)
        assert got["test"] == pytest.approx(want["test_loss"], rel=1e-3)
        assert got["acc"] == pytest.approx(want["train_acc"], abs=1e-6)
        assert got["grad"] == pytest.approx(want["grad_norm"], rel=1e-3)
    # the editor shows the link's scene
    assert pg.get_attribute("#net-ds-moons", "aria-checked") == "true"
    assert pg.input_value("#net-hidden") == "8"
    assert pg.input_value("#net-run-1-bs") == "16"
    assert pg.input_value("#net-run-2-opt") == "momentum"
    # the boundary is painted in both classes' colours (blue and vermillion dominate somewhere)
    colours = js(pg, """(() => { const c = document.getElementById('net-boundary');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let blue = 0, red = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i+2] > d[i] + 40) blue++;
          if (d[i] > d[i+2] + 40) red++;
        }
        return [blue, red]; })()""")
    assert min(colours) > 1000
    # the step inspector at the end: the numbers of run 0's last iterate
    pg.click("#net-legend-0")
    pg.evaluate("window.gradscape.seek(40)")
    settle(pg)  # the inspector is redrawn by the next frame, not by seek() itself
    text = pg.inner_text("#net-inspector")
    shown = float(re.search(r"Training loss\n([0-9.e-]+)", text).group(1))
    assert shown == pytest.approx(ref["runs"][0]["train_loss"][40], rel=1e-3)
    grad = float(re.search(r"Gradient norm[^\n]*\n([0-9.e-]+)", text).group(1))
    assert grad == pytest.approx(ref["runs"][0]["grad_norm"][39], rel=1e-3)
    assert console.errors == []


def test_editing_restarts_the_race_and_writes_the_url(page: tuple[Page, Console],
                                                      base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url)
    pg.click("#net-ds-spirals")
    wait(pg, "window.gradscape.data && window.gradscape.data.started.runs.length === 3 && "
             "window.gradscape.scene.request.network.dataset === 'spirals' && "
             "window.gradscape.data.final() !== null", timeout=30000)
    assert pg.get_attribute("#net-ds-spirals", "aria-checked") == "true"
    wait(pg, "location.hash.includes('spirals')")
    # a bad width list says what to write and starts nothing
    race = js(pg, "window.gradscape.raceNumber")
    pg.fill("#net-hidden", "8, wide")
    pg.press("#net-hidden", "Enter")
    pg.locator("#net-hidden").blur()
    assert "comma" in pg.inner_text("#net-editor")
    assert js(pg, "window.gradscape.raceNumber") == race
    pg.click("#net-add-run")
    wait(pg, "window.gradscape.data && window.gradscape.data.started.runs.length === 4",
         timeout=30000)
    assert hash_scene(pg)["request"]["runs"][3]["optimizer"] == "adam"
    # a bad learning rate is the server's error message on the page, not a console error
    pg.fill("#net-run-0-lr", "-1")
    pg.press("#net-run-0-lr", "Enter")
    wait(pg, "!document.getElementById('net-message').hidden")
    assert "lr" in pg.inner_text("#net-message")
    assert console.errors == []


def test_a_linked_step_opens_paused_there(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url, scene_hash(step=17))
    wait(pg, "window.gradscape.playback.step === 17 && !window.gradscape.playback.playing")
    assert "17" in pg.inner_text("#net-step")
    pg.click("#net-forward")
    wait(pg, "location.hash.includes('step=18')")
    assert console.errors == []


def test_slice_planes_with_variance_and_projection_error(page: tuple[Page, Console],
                                                         base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url)
    wait(pg, "window.gradscape.land && window.gradscape.land.final", timeout=30000)
    ref = api(base_url, "/network/landscape", {**REQUEST, "plane": "pca", "resolution": 41})
    ev = js(pg, "window.gradscape.land.explained_variance")
    assert ev == pytest.approx(ref["explained_variance"], rel=1e-3)
    note = pg.inner_text("#net-slice-note")
    assert f"{100 * ref['explained_variance'][0]:.1f}%" in note
    assert "projection error" in note
    for plane in ("interp", "hessian", "random"):
        pg.click(f"#net-plane-{plane}")
        wait(pg, "window.gradscape.land && window.gradscape.land.final", timeout=30000)
        wait(pg, f"location.hash.includes('plane={plane}')")
        assert (js(pg, "window.gradscape.land.ys") is None) == (plane == "interp")
    assert console.errors == []


def test_spectrum_at_the_paused_step_matches_core(page: tuple[Page, Console],
                                                  base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url, scene_hash(step=40))
    pg.click("#net-legend-2")
    wait(pg, "window.gradscape.spectrum && window.gradscape.spectrum.run === 2", timeout=30000)
    ref = api(base_url, "/network/spectrum", {"network": REQUEST["network"],
                                             "run": REQUEST["runs"][2], "steps": 40,
                                             "init_seed": 1, "seed": 2})
    note = pg.inner_text("#net-spectrum-note")
    assert f"{ref['negative']} negative of {ref['n_params']}" in note
    assert js(pg, "window.gradscape.spectrum.lambda_max") == pytest.approx(ref["lambda_max"])
    # the sharpness chart's samples are every 5 steps, against 2/η for gradient descent
    rows = js(pg, "window.gradscape.data.runs[0].sharpness")
    assert [r[0] for r in rows] == list(range(0, 41, 5))
    assert all(r[2] == pytest.approx(2 / 0.5) for r in rows)
    assert console.errors == []


def test_chinese_texts_and_switching_language(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_net(pg, base_url, scene_hash(step=40, extra="&lang=zh"))
    assert "决策边界" in pg.inner_text("#net-root")
    assert "学习率调度" in pg.get_attribute("#net-run-0-sch", "aria-label")
    # no English left but names (optimizers, activations, PCA, λmax/λmin, the brand, the
    # language switch's own "English")
    names = {"gradscape", "English", "tanh", "relu", "sigmoid", "leaky_relu", "softplus",
             "max", "min", "SGD", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW", "PCA"}
    wait(pg, "window.gradscape.land && window.gradscape.spectrum", timeout=30000)
    words = set(js(pg, "document.body.innerText.match(/[A-Za-z_]{3,}/g) || []"))
    assert words <= names, words - names
    pg.select_option("#lang-select", "en")
    wait(pg, "document.getElementById('net-root').innerText.includes('Decision boundary')")
    assert "lang=en" in js(pg, "location.hash")
    assert console.errors == []


@pytest.mark.parametrize(("w", "h", "extra"), [(375, 740, ""), (1920, 1080, "&pm=1")])
def test_phone_and_presenter_layouts_fit(browser: Browser, base_url: str, w: int, h: int,
                                         extra: str) -> None:
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    console = Console(pg)
    open_net(pg, base_url, scene_hash(extra=extra))
    assert js(pg, "document.scrollingElement.scrollWidth") <= w
    for sel in ("#net-boundary", "#net-slice", "#net-loss", "#net-sharp"):
        box = pg.locator(sel).bounding_box()
        assert box and box["width"] > 150 and box["x"] >= 0 and box["x"] + box["width"] <= w
    if extra:
        assert js(pg, "document.documentElement.classList.contains('presenter')")
    assert console.errors == []
    ctx.close()


def test_a_lesson_scene_with_mode_network_opens_the_mode(page: tuple[Page, Console],
                                                         base_url: str) -> None:
    pg, console = page
    pg.goto(f"{base_url}/#s=himmelblau")
    wait(pg, "window.gradscape && window.gradscape.catalog")
    scene = {"mode": "network", "request": {**REQUEST, "steps": 12}, "plane": "interp",
             "step": None}
    lesson = json.dumps({"id": "net_demo", "scene": scene})
    # (a lesson id the server does not know: the mode opens its scene, without a lesson card)
    pg.evaluate(f"window.gradscape.applyLesson({lesson}, true)")
    wait(pg, "document.documentElement.classList.contains('net-mode') && window.gradscape.data "
             "&& window.gradscape.data.final() !== null", timeout=30000)
    assert js(pg, "window.gradscape.data.steps") == 12
    assert hash_scene(pg)["plane"] == "interp"
    assert "l=net_demo" in js(pg, "location.hash")
    assert console.errors == []


def test_a_lesson_link_shows_its_question_and_the_answer_after_the_race(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    lessons = json.loads(urllib.request.urlopen(f"{base_url}/api/lessons", timeout=10).read())
    lesson = lessons[0]  # any lesson's texts: the card shows them, whatever its scene
    pg.goto(f"{base_url}/#{scene_hash()}&l={lesson['id']}")
    wait(pg, "document.getElementById('net-lesson') "
             "&& !document.getElementById('net-lesson').hidden")
    card = pg.inner_text("#net-lesson")
    assert lesson["title"]["en"] in card and lesson["predict"]["en"] in card
    # it waits for the prediction: paused at the start until "play to find out"
    wait(pg, "window.gradscape.data && window.gradscape.data.available() > 5", timeout=30000)
    assert js(pg, "window.gradscape.playback.playing") is False
    assert js(pg, "window.gradscape.playback.step") == 0
    assert pg.query_selector(".net-lesson-claim") is None
    pg.click("#net-lesson-play")
    wait(pg, "window.gradscape.data && window.gradscape.data.final() !== null "
             "&& window.gradscape.playback.step >= window.gradscape.data.final()", timeout=30000)
    wait(pg, "document.querySelector('.net-lesson-claim') !== null")
    assert lesson["claim"]["en"][:40] in pg.inner_text("#net-lesson")
    assert console.errors == []
