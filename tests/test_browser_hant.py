"""Traditional Chinese in a real browser: a Taiwan or Hong Kong browser opens in zh-Hant,
the switch offers 繁體中文, and the interface, the catalog and a whole lesson show no
Simplified-only character and no English word (the zh sweep's rules, tests/test_browser_i18n.py).
A CJK font is installed by scripts/install-debian.sh, so the screenshots show real glyphs."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from browser_support import Console, js, open_app, pause, wait
from playwright.sync_api import Page
from test_browser_i18n import LESSON_STATE, Sweep

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Characters that exist only in Simplified Chinese (each one's Traditional form differs).
SIMPLIFIED_ONLY = re.compile("[习动点极优础应为这说们时过还发学简图会数线运对于种钮该击]")
# The language switch names 简体中文 in its own script: the one Simplified text allowed.
VISIBLE = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.children.length === 0 && !el.closest('[lang="zh-Hans"]')
    && el.checkVisibility({ checkVisibilityCSS: true }))
  .map((el) => el.textContent).join('\\n')"""


def simplified_left(pg: Page) -> list[str]:
    return sorted(set(SIMPLIFIED_ONLY.findall(pg.evaluate(VISIBLE))))


def test_a_cjk_font_is_installed() -> None:
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK TC" in fonts, "run scripts/install-debian.sh (fonts-noto-cjk)"


@pytest.mark.parametrize("locale", ["zh-TW", "zh-HK"])
def test_a_taiwan_or_hong_kong_browser_opens_in_traditional(browser: object, base_url: str,
                                                           locale: str) -> None:
    ctx = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    try:
        pg = ctx.new_page()
        console = Console(pg)
        open_app(pg, base_url)
        assert js(pg, "document.documentElement.lang") == "zh-Hant"
        assert js(pg, "document.getElementById('lang-select').value") == "zh-Hant"
        options = js(pg, "[...document.querySelectorAll('#lang-select option')]"
                         ".map(o => o.textContent)")
        assert options == ["English", "简体中文", "繁體中文"]
        pause(pg, 30)
        wait(pg, "document.querySelector('#panel-inspector table')")
        assert simplified_left(pg) == []
        # Real Traditional words, in the course's terms
        text = pg.locator("body").inner_text()
        assert "步驟" in text or "運行" in text, text[:300]
        # Its font stack names the Traditional CJK faces first.
        font = js(pg, "getComputedStyle(document.body).fontFamily")
        assert font.index("Noto Sans CJK TC") < font.index("Segoe UI")
        pg.screenshot(path=f"/tmp/gradscape-hant-{locale}.png")
        assert console.errors == []
    finally:
        ctx.close()


def test_a_whole_lesson_in_traditional(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    pg.goto(f"{base_url}/#lang=zh-Hant&l=learning_rate")
    wait(pg, "window.gradscape && window.gradscape.race.race "
             "&& !document.getElementById('lesson-banner').hidden")
    banner = pg.locator("#lesson-banner").inner_text()
    assert "學習率" in banner, banner
    sweep = Sweep(pg)
    kinds = []
    for _ in range(10):
        state = pg.evaluate(LESSON_STATE)
        sweep.check(f"lesson {state}")
        assert simplified_left(pg) == [], state
        kinds.append(state[0])
        if state[2]:
            pg.evaluate("() => document.querySelector('#lesson-banner .lesson-skip')?.click()")
        elif state[3] or state[1] == "gallery":
            break
        else:
            pg.click("#lesson-banner .lesson-next")
        wait(pg, f"JSON.stringify(({LESSON_STATE})()) !== {json.dumps(json.dumps(state))}",
             timeout=30000)
    assert not sweep.found, sweep.report()
    assert "answer" in kinds
    pg.screenshot(path="/tmp/gradscape-hant-lesson.png")
    # The gallery: every lesson's title in Traditional.
    pg.click("#lessons-open")
    wait(pg, "document.querySelector('dialog[open] .gallery-item')")
    assert simplified_left(pg) == []
    titles = pg.locator("dialog[open] .gallery-title").all_inner_texts()
    assert len(titles) >= 10 and all(re.search(r"[\u4e00-\u9fff]", t) for t in titles), titles
    assert console.errors == []


def test_switching_to_traditional_and_back(page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "lang=zh")
    assert js(pg, "document.documentElement.lang") == "zh-Hans"
    simplified = pg.locator("#panel-tabs").inner_text()
    pg.select_option("#lang-select", "zh-Hant")
    wait(pg, "location.hash.includes('lang=zh-Hant')")
    assert js(pg, "document.documentElement.lang") == "zh-Hant"
    traditional = pg.locator("#panel-tabs").inner_text()
    assert traditional != simplified and simplified_left(pg) == []
    # the printable index offers it too
    pg.goto(f"{base_url}/lessons.html?lang=zh-Hant")
    wait(pg, "document.querySelectorAll('.ix-lesson, article').length > 5")
    assert js(pg, "document.documentElement.lang") == "zh-Hant"
    assert "學習率" in pg.locator("body").inner_text()
    assert console.errors == []
