"""axe-core in the browser (issue 15): no violation on the main page, the lessons page and
the embed page, in English and Chinese, with an open lesson, and with each dialog or menu
open (lessons, keys, embed, manual copy, export). axe-core comes from the npm registry at
test time (scripts/install-axe.sh into the git-ignored .tools/), never from a CDN; the test
injects it into the page, so users never load it.

Rules: WCAG 2.0/2.1 A and AA and axe's best practices (one h1, heading order, landmarks),
plus label-content-name-mismatch (a control's accessible name must contain its visible
label: speech users say what they see), which axe leaves off by default."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Console, open_app, pause
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".tools/axe/node_modules/axe-core/axe.min.js"
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                          "best-practice"]},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@pytest.fixture(scope="module", autouse=True)
def axe_installed() -> None:
    subprocess.run(["bash", str(ROOT / "scripts/install-axe.sh")], check=True)
    assert AXE.exists()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # axe is injected as a script of the test's own: the page's CSP (tested in
    # test_browser_csp.py) would block it, rightly.
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    yield ctx
    ctx.close()


def violations(pg: Page) -> list[dict[str, Any]]:
    if not pg.evaluate("() => Boolean(window.axe)"):
        pg.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = pg.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))""",
        OPTIONS)
    return found


def check(pg: Page, where: str) -> None:
    found = violations(pg)
    assert found == [], f"{where}: {found}"


def open_lesson(pg: Page, base_url: str, hash_: str) -> None:
    """A bare lesson link: the lesson's scene (its Newton run stops after two steps, at
    the saddle, so open_app's "every run has 5 points" would wait forever)."""
    pg.goto(f"{base_url}/#{hash_}")
    pg.wait_for_selector("#lesson-banner:not([hidden])")
    pg.wait_for_function("() => window.gradscape.race.race?.runs.length === 4 "
                         "&& window.gradscape.race.race.available > 5 "
                         "&& window.gradscape.plot.ready()", timeout=20000)


def quiet(pg: Page) -> None:
    """A still picture (paused at a step), so the check sees one page, not a moving one."""
    pause(pg, 60)
    pg.wait_for_timeout(300)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_page_and_its_dialogs(context: BrowserContext, base_url: str, lang: str) -> None:
    pg = context.new_page()
    console = Console(pg)
    open_app(pg, base_url, f"lang={lang}")
    quiet(pg)
    check(pg, f"main page ({lang})")
    # The export menu, open.
    pg.click("#export-button")
    pg.wait_for_selector("#export-list:not([hidden])")
    check(pg, f"export menu ({lang})")
    pg.keyboard.press("Escape")
    # The keyboard shortcuts dialog.
    pg.click("[data-tool=keys]")
    pg.wait_for_selector("#keys-dialog[open]")
    check(pg, f"keys dialog ({lang})")
    pg.keyboard.press("Escape")
    # The embed dialog (its preview is another page: the embed page is checked below).
    pg.click("[data-tool=embed]")
    pg.wait_for_selector("#embed-dialog[open]")
    check(pg, f"embed dialog ({lang})")
    pg.keyboard.press("Escape")
    # The lesson gallery, then an open lesson.
    pg.click("#lessons-open")
    pg.wait_for_selector("dialog.lesson-gallery[open]")
    check(pg, f"lesson gallery ({lang})")
    pg.keyboard.press("Escape")
    assert console.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_open_lesson(context: BrowserContext, base_url: str, lang: str) -> None:
    pg = context.new_page()
    open_lesson(pg, base_url, f"l=saddle_point&lang={lang}")
    pg.wait_for_timeout(300)
    check(pg, f"lesson ({lang})")


def test_the_manual_copy_dialog(browser: Browser, base_url: str) -> None:
    # axe is injected as a script of the test's own: the page's CSP (tested in
    # test_browser_csp.py) would block it, rightly.
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        ctx.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', "
                            "{ get: () => undefined, configurable: true });")
        pg = ctx.new_page()
        open_app(pg, base_url)
        quiet(pg)
        pg.click("[data-tool=link]")
        pg.wait_for_selector("#copy-dialog[open]")
        check(pg, "manual copy dialog")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lessons_page(context: BrowserContext, base_url: str, lang: str) -> None:
    pg = context.new_page()
    pg.goto(f"{base_url}/lessons.html?lang={lang}")
    pg.wait_for_function("() => document.querySelectorAll('main a, main li').length > 10")
    check(pg, f"lessons page ({lang})")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_embed_page(context: BrowserContext, base_url: str, lang: str) -> None:
    pg = context.new_page()
    open_app(pg, base_url, f"lang={lang}&rs=1", path="/embed.html")
    quiet(pg)
    check(pg, f"embed page ({lang})")
