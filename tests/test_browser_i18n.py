"""The Chinese interface in a real browser: every view, panel, tab, dialog and menu visited
with lang=zh, every visible text and every aria-label / title / placeholder collected, and
any run of three or more Latin letters that is not a name or a formula token is a failure.
Also: the switch keeps the race, lives in the URL, and the catalog's words all have Chinese.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browser_support import Console, js, open_app, pause, wait
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What may stay in Latin letters in the Chinese interface, and why. Kept short on purpose:
# every entry is a proper name, a function or symbol as written in formulas, a file
# format, or a key cap's label; none is an English word used as an English word.
NAMES = {
    # the product
    "gradscape",
    # optimizers and their variants (the course notes write them in Latin letters too)
    "SGD", "Adam", "AdamW", "AdaGrad", "Adagrad", "RMSProp", "Nesterov", "AMSGrad",
    # test surfaces, named after their authors
    "Himmelblau", "Rosenbrock", "Beale", "Booth", "Rastrigin", "Ackley", "Styblinski", "Tang",
    # Hesse's matrix: the course notes and the lesson texts say "Hessian" inside Chinese
    # sentences; the interface's own strings say 海森矩阵
    "Hessian",
    # the rectified linear unit, as the notes and the lessons write it
    "ReLU",
    # principal component analysis: Chinese texts write the acronym too (PCA 平面)
    "PCA",
    # plotly.js, credited in the 3D view's mode bar
    "Plotly",
    # Yann Dauphin, first author of the saddle-point paper a network lesson cites
    "Dauphin",
}
FORMULA_TOKENS = {
    # functions a formula can call (core/rules.py) and the data sets' model pieces
    "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "leaky",
    "softplus", "max", "min", "mean", "sum", "where", "act", "diag",
}
FILE_FORMATS = {"PNG", "SVG", "GIF", "HTML", "CSV", "JSON", "WebM"}
KEY_CAPS = {"Shift", "Enter", "Space", "Home", "Esc", "Tab", "Ctrl", "PageDown", "PageUp"}
ALLOWED = NAMES | FORMULA_TOKENS | FILE_FORMATS | KEY_CAPS
WORD = re.compile(r"[A-Za-z]{3,}")

# Everything the user can see or hear: visible text nodes (options of a select included),
# the accessible-name attributes of rendered elements, tooltips of SVG shapes, the page
# title. Skipped: a surface's formula as typed (its variables and functions are the
# formula, e.g. a data set's loss(act(w*u + b), c)), key caps and code, and text marked
# lang="en" on purpose (the language switch's own "English"). Update rules are checked:
# their \text{...} words are prose.
COLLECT = r"""() => {
  const FORMULA = '.formula, .err-line, .caret, kbd, code, pre';
  const skip = (el) => Boolean(el.closest(FORMULA) || el.closest('[lang^="en"]:not(html)'));
  const shown = (el) => {
    const select = el.parentElement?.closest('select');
    if (select) return shown(select); // options: shown when their select is
    if (el instanceof SVGElement && el.ownerSVGElement) return shown(el.ownerSVGElement);
    return el.checkVisibility({ checkVisibilityCSS: true });
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    if (!text || !el || el.closest('script, style, template') || skip(el) || !shown(el)) continue;
    out.push({ where: el.outerHTML.slice(0, 120), text });
  }
  const ATTRS = ['aria-label', 'title', 'placeholder', 'alt', 'data-title', 'label'];
  for (const el of document.body.querySelectorAll(ATTRS.map((a) => `[${a}]`).join(','))) {
    if (skip(el) || !shown(el)) continue;
    for (const attr of ATTRS) {
      // The formula box's tooltip is the data set's formula itself.
      if (attr === 'title' && el.id === 'formula-input') continue;
      const v = el.getAttribute(attr);
      const where = `${el.tagName.toLowerCase()}#${el.id}[${attr}]`;
      if (v && v.trim()) out.push({ where, text: v.trim() });
    }
  }
  out.push({ where: 'document.title', text: document.title });
  return out;
}"""



def english_left(page: Page) -> list[str]:
    """Every collected text with a Latin word that is not allowed, with where it was."""
    found = []
    for item in page.evaluate(COLLECT):
        bad = [w for w in WORD.findall(item["text"]) if w not in ALLOWED]
        if bad:
            found.append(f"{bad} in {item['text']!r} at {item['where']}")
    return found


class Sweep:
    """Collects the stray English of every state the test visits."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {}
        self.visited: list[str] = []

    def check(self, label: str) -> None:
        self.visited.append(label)
        bad = english_left(self.page)
        if bad:
            self.found[label] = bad

    def report(self) -> str:
        return "\n".join(f"[{k}]\n  " + "\n  ".join(v) for k, v in self.found.items())


# --- the sweep ---------------------------------------------------------------------------------
def test_no_english_left_in_the_chinese_interface(page: tuple[Page, Console],
                                                  base_url: str) -> None:
    pg, console = page
    # The default scene races Adam and SGD on Himmelblau; a third run adds Newton's words.
    open_app(pg, base_url, "lang=zh&r=adam,lr=0.1;sgd,lr=0.005;saddle_free_newton")
    assert js(pg, "document.documentElement.lang") == "zh-Hans"
    pause(pg, 40)
    wait(pg, "document.querySelector('#panel-inspector table')")
    sweep = Sweep(pg)
    sweep.check("contour + inspector")

    # Every run card's "more settings": schedule, noise, start, the update rule.
    for summary in pg.locator("#runs details.more > summary").all():
        summary.click()
    wait(pg, "document.querySelectorAll('#runs details.more[open]').length === 3")
    # A schedule with its own parameters (cosine: T_max, floor, warm-up).
    pg.locator("#runs .run-card").first.locator(".sched select").select_option("cosine")
    wait(pg, "window.gradscape.state.runs[0].schedule === 'cosine'")
    pg.locator("#runs .run-card").first.locator("details.more > summary").click()
    sweep.check("run cards, more settings open")

    # A mid-run change of the learning rate: the toast says so.
    pg.locator("#runs .run-card").nth(1).locator("input[type=range]").first.focus()
    pg.keyboard.press("ArrowRight")
    wait(pg, "!document.getElementById('toast').hidden")
    sweep.check("retune toast")

    pg.click("#panel-tabs [data-panel=graph]")
    wait(pg, "document.querySelector('#panel-graph svg .node')")
    sweep.check("backprop graph")
    pg.click("#panel-tabs [data-panel=notes]")
    wait(pg, "document.querySelector('#panel-notes table')")
    sweep.check("notes")

    pg.click("#view-tabs [data-view=basins]")
    wait(pg, "document.querySelector('#plot-legend [data-basin]')", timeout=60000)
    sweep.check("basins")
    pg.click('#view-tabs [data-view="3d"]')
    wait(pg, "document.querySelector('#plot3d .modebar')", timeout=30000)
    pg.hover("#plot3d")
    sweep.check("3D view")
    pg.click("#view-tabs [data-view=contour]")

    # The keyboard start cursor's announcement.
    pg.focus("#fg-canvas")
    pg.keyboard.press("ArrowUp")
    wait(pg, "document.querySelector('[data-start-cursor]').textContent.length > 0")
    sweep.check("start cursor")

    # Dialogs and menus of the top bar and the stage.
    pg.keyboard.press("?")
    wait(pg, "document.getElementById('keys-dialog')?.open")
    sweep.check("keys dialog")
    pg.keyboard.press("Escape")
    pg.click("#export-button")
    wait(pg, "!document.getElementById('export-list').hidden")
    sweep.check("export menu")
    pg.keyboard.press("Escape")
    pg.click("#lessons-open")
    wait(pg, "document.querySelector('dialog[open]')")
    sweep.check("lesson gallery")
    pg.keyboard.press("Escape")

    # A formula being typed (its status line) and a data set (its options, batch sizes).
    pg.fill("#formula-input", "x^2 + 3*y^2")
    wait(pg, "document.querySelector('#formula-status .msg-ok')")
    sweep.check("formula status")
    # The parser's messages for the usual slips, as the server words them in English.
    for slip in ("2x + y", "sinx + y", "x^", "(x + y", "foo(x)", "x $ y", "z + 1", "max(x)"):
        pg.fill("#formula-input", slip)
        # Wait for this slip's own message: its line repeats the formula, the error marked.
        shown = "document.querySelector('#formula-status .err-line')?.textContent.trimEnd()"
        error = "document.querySelector('#formula-status [data-formula-error]')"
        wait(pg, f"{error} && {shown} === {slip!r}")
        sweep.check(f"formula error {slip!r}")
        assert "列" in pg.locator("#formula-status").inner_text()
    pg.select_option("#surface-select", "single_neuron")
    wait(pg, "document.querySelector('#surface-options select')")
    wait(pg, "window.gradscape.race.race.runs.every(r => r.length > 5)")
    pg.evaluate("() => document.querySelectorAll('#runs details.more')"
                ".forEach(d => { d.open = true; })")
    sweep.check("data set")

    assert not sweep.found, "English left in the Chinese interface:\n" + sweep.report()
    assert len(sweep.visited) >= 20
    # The only console errors allowed: the browser's log lines for the slips' expected 422s.
    assert all("status of 422" in e for e in console.errors), console.errors


def test_no_english_left_in_the_chinese_network_mode(page: tuple[Page, Console],
                                                    base_url: str) -> None:
    """The Network mode (issue 17) visited in Chinese: every view after a race, each slice
    plane, the accuracy curves, the Hessian spectrum, the export menu, the embed dialog, a
    "real networks" lesson's card before and after its answer, and a regression data set."""
    from test_browser_network import REQUEST, scene_hash  # noqa: PLC0415 - its small race

    pg, console = page
    pg.goto(f"{base_url}/#{scene_hash(step=REQUEST['steps'], extra='&lang=zh')}")
    ready = ("window.gradscape && window.gradscape.data && window.gradscape.data.final() "
             "!== null && window.gradscape.land && window.gradscape.land.final")
    wait(pg, ready, timeout=40000)
    assert js(pg, "document.documentElement.lang") == "zh-Hans"
    wait(pg, "/\\d/.test(document.getElementById('net-spectrum-note').textContent)", timeout=30000)
    sweep = Sweep(pg)
    sweep.check("network: every view, paused, spectrum")
    pg.check("#net-acc")
    sweep.check("network: accuracy curves")
    for plane in ("random", "hessian", "interp"):
        pg.click(f"#net-plane-{plane}")
        wait(pg, "window.gradscape.land && window.gradscape.land.final", timeout=40000)
        sweep.check(f"network: {plane} plane")
    pg.click("#export-button")
    wait(pg, "!document.getElementById('export-list').hidden")
    sweep.check("network: export menu")
    pg.keyboard.press("Escape")
    pg.click("#net-embed")
    wait(pg, "document.getElementById('net-embed-dialog')?.open")
    sweep.check("network: embed dialog")
    pg.keyboard.press("Escape")
    # a "real networks" lesson: its card waits for the prediction, then tells the answer
    lessons = pg.evaluate("() => fetch('/api/lessons').then(r => r.json())")
    lesson = next(x for x in lessons if (x["scene"] or {}).get("mode") == "network")
    pg.goto("about:blank")  # a fresh load of the lesson's link (not a hash change to race)
    pg.goto(f"{base_url}/#{scene_hash(extra='&lang=zh&l=' + lesson['id'])}")
    wait(pg, "window.gradscape && window.gradscape.lessonData && window.gradscape.data "
             "&& window.gradscape.data.available() > 5", timeout=40000)
    sweep.check("network: lesson before the answer")
    pg.click("#net-lesson-play")
    wait(pg, "document.querySelector('.net-lesson-claim') !== null", timeout=40000)
    sweep.check("network: lesson answered")
    # regression: the fitted curve and no accuracies
    sine = {**REQUEST, "network": {**REQUEST["network"], "dataset": "sine"}}
    pg.goto("about:blank")
    pg.goto(f"{base_url}/#{scene_hash(sine, step=REQUEST['steps'], extra='&lang=zh')}")
    wait(pg, ready, timeout=40000)
    sweep.check("network: regression")
    assert not sweep.found, "English left in the Chinese Network mode:\n" + sweep.report()
    assert console.errors == []


# The lesson banner's step: [kind, next action, skip offered, answer shown].
LESSON_STATE = ("() => { const q = (s) => document.querySelector('#lesson-banner ' + s);"
                " return [q('.lesson-step')?.dataset.kind ?? null,"
                " q('.lesson-next')?.dataset.action ?? null,"
                " Boolean(q('.lesson-skip')), Boolean(q('.lesson-claim'))]; }")


def test_a_lesson_in_chinese(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    pg.goto(f"{base_url}/")
    lessons = pg.evaluate("() => fetch('/api/lessons').then(r => r.json())"
                          ".then(ls => ls.map(l => l.id))")
    assert len(lessons) >= 10
    for lesson in (lessons[0], "saddle_point"):
        pg.goto("about:blank")
        pg.goto(f"{base_url}/#lang=zh&l={lesson}")
        wait(pg, "window.gradscape && window.gradscape.race.race "
                 "&& !document.getElementById('lesson-banner').hidden")
        # Its banner is really the Chinese text of the lesson.
        banner = pg.locator("#lesson-banner").inner_text()
        assert re.search(r"[\u4e00-\u9fff]", banner), banner
        # Walk it: see, predict, play, watch, the answer (skipping to the race's end).
        sweep = Sweep(pg)
        kinds = []
        for _ in range(10):
            state = pg.evaluate(LESSON_STATE)
            sweep.check(f"lesson {lesson} {state}")
            kinds.append(state[0])
            if state[2]:  # the answer waits for the race: skip to its end
                # (the step is redrawn while the race plays: click it where it is now)
                pg.evaluate("() => document.querySelector('#lesson-banner .lesson-skip')?.click()")
            elif state[3] or state[1] == "gallery":
                break
            else:
                pg.click("#lesson-banner .lesson-next")
            wait(pg, f"JSON.stringify(({LESSON_STATE})()) !== {json.dumps(json.dumps(state))}",
                 timeout=30000)
        assert not sweep.found, sweep.report()
        assert "answer" in kinds and pg.evaluate(LESSON_STATE)[3], kinds
    assert console.errors == []


# --- the switch ----------------------------------------------------------------------------------
def test_switching_language_keeps_the_race_and_lands_in_the_url(page: tuple[Page, Console],
                                                                base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url)
    assert js(pg, "document.documentElement.lang") == "en"
    assert pg.locator("#runs-title").inner_text() == "Runs"
    pause(pg, 30)
    race_id = js(pg, "window.gradscape.race.race.race")
    before = js(pg, "window.gradscape.race.race.runs.map(r => [r.x[30], r.y[30]])")

    pg.select_option("#lang-select", "zh")
    wait(pg, "document.documentElement.lang === 'zh-Hans'")
    assert pg.locator("#runs-title").inner_text() == "运行"
    # The play bar and the side panels follow on the next frame.
    wait(pg, "document.getElementById('pb-step').textContent.startsWith('第 30 / ')")
    assert re.fullmatch(r"第 30 / \d+ 步", pg.locator("#pb-step").inner_text())
    wait(pg, "document.getElementById('curvature').textContent.includes('此处的曲率')")
    wait(pg, "document.querySelector('#panel-inspector').textContent.includes('第 30 步')")
    assert pg.get_by_role("tab", name="等高线").count() == 1
    assert pg.get_by_role("button", name="播放").count() == 1  # paused: the button says play
    # The same race, at the same step: nothing was restarted.
    assert js(pg, "window.gradscape.race.race.race") == race_id
    assert js(pg, "window.gradscape.race.playback.step") == 30
    assert js(pg, "window.gradscape.race.race.runs.map(r => [r.x[30], r.y[30]])") == before
    wait(pg, "location.hash.includes('lang=zh')")
    assert "Adam：第 " in pg.locator("#results").inner_text()

    # The link opens in Chinese in a new page.
    url = pg.url
    other = pg.context.new_page()
    other.goto(url)
    wait(other, "window.gradscape && window.gradscape.race.race")
    assert other.evaluate("document.documentElement.lang") == "zh-Hans"
    assert other.locator("#lang-select").input_value() == "zh"
    assert other.locator("#runs-title").inner_text() == "运行"
    other.close()

    pg.select_option("#lang-select", "en")
    wait(pg, "document.documentElement.lang === 'en'")
    assert pg.locator("#runs-title").inner_text() == "Runs"
    wait(pg, "document.getElementById('pb-step').textContent.startsWith('step 30 / ')")
    assert pg.get_by_role("button", name="Play", exact=True).count() == 1
    wait(pg, "!location.hash.includes('lang=')")
    assert console.errors == []


def test_a_chinese_browser_starts_in_chinese_and_remembers_a_switch_to_english(
        browser: Any, base_url: str) -> None:
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    try:
        pg = ctx.new_page()
        open_app(pg, base_url)
        assert pg.evaluate("document.documentElement.lang") == "zh-Hans"
        assert pg.locator("#runs-title").inner_text() == "运行"
        wait(pg, "location.hash.includes('lang=zh')")
        # English picked on the switch: English is the default, so the link drops lang=,
        # and a reload must not fall back to the browser's Chinese.
        pg.select_option("#lang-select", "en")
        wait(pg, "!location.hash.includes('lang=')")
        pg.reload()
        wait(pg, "window.gradscape && window.gradscape.race.race")
        assert pg.locator("#runs-title").inner_text() == "Runs"
        # A link that says lang=zh wins over what was picked before.
        other = ctx.new_page()
        open_app(other, base_url, "lang=zh")
        assert other.locator("#runs-title").inner_text() == "运行"
    finally:
        ctx.close()


def test_every_catalog_word_has_a_chinese_one(page: tuple[Page, Console], base_url: str) -> None:
    """Names and descriptions the server sends (server/catalogtext.py, picked by the page's
    lib/catalog_i18n.js): each one is Chinese or an allowed name, for every optimizer, schedule,
    hyperparameter, surface, data set and option the server has today."""
    pg, _ = page
    pg.goto(f"{base_url}/")
    missing = pg.evaluate(r"""async () => {
      const main = document.querySelector('script[type=module]').src;
      const { localizeCatalog, kindName } = await import(new URL('lib/catalog_i18n.js', main).href);
      const get = (p) => fetch('/api/' + p).then(r => r.json());
      const catalog = {
        surfaces: await get('surfaces'), datasets: await get('datasets'),
        optimizers: await get('optimizers'), schedules: await get('schedules'),
      };
      localizeCatalog(catalog, 'zh');
      const texts = [];
      for (const s of catalog.surfaces) {
        texts.push([`surface ${s.id}`, s.name], [`kind ${s.kind}`, kindName(s, 'zh')]);
      }
      for (const d of catalog.datasets) {
        texts.push([`dataset ${d.id}`, d.name]);
        for (const [k, o] of Object.entries(d.options)) {
          texts.push([`option ${k}`, o.label], [`option doc ${k}`, o.doc]);
        }
      }
      for (const group of [catalog.optimizers, catalog.schedules]) {
        for (const o of group) {
          texts.push([`name ${o.id}`, o.name]);
          for (const [k, p] of Object.entries(o.params.properties)) {
            texts.push([`${o.id}.${k}`, p.description]);
          }
          for (const m of (o.rule || '').matchAll(/\\text\{([^}]*)\}/g)) {
            texts.push([`${o.id} rule`, m[1]]);
          }
        }
      }
      return texts;
    }""")
    bad = [(where, text) for where, text in missing
           if [w for w in WORD.findall(text) if w not in ALLOWED]]
    assert not bad, bad
    assert len(missing) > 80


def test_a_refused_network_race_says_why_in_chinese(page: tuple[Page, Console],
                                                   base_url: str) -> None:
    """The server's refusal of a network race (a mini-batch larger than the training set)
    reaches the Network mode's message in Chinese: the text the server sent for zh, not its
    English `message`."""
    import urllib.parse

    pg, console = page
    request = {"network": {"dataset": "moons", "hidden": [4], "samples": 30, "test_samples": 20},
               "runs": [{"optimizer": "sgd", "params": {"lr": 0.1}, "batch_size": 999}],
               "steps": 20}
    pg.goto(f"{base_url}/#lang=zh&mode=network&net={urllib.parse.quote(json.dumps(request))}"
            "&plane=pca")
    wait(pg, "(e => Boolean(e) && !e.hidden)(document.getElementById('net-message'))",
         timeout=30000)
    shown = pg.inner_text("#net-message")
    # run.batch_size_over about runs[0], in its Chinese words (server/errorcodes.py)
    assert shown == "runs[0].batch_size：批量大小 999 无效：必须在 1 到样本数 30 之间", shown
    assert console.errors == []
