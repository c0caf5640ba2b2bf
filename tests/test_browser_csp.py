"""The Content-Security-Policy breaks nothing (Debian's chromium via Playwright, live server).

Every page listens for `securitypolicyviolation` from its first script on; the app, the
embed page and the lessons page are used the way people use them (a race, the 3D view with
plotly, the PNG/SVG/GIF exports with the GIF worker, the HTML export) and then no page may
report a violation or a console error. The exported HTML page is shown with the headers the
server sent it with (its policy allows exactly its inline scripts).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Console, open_app
from playwright.sync_api import Browser, Page, Route

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${where}`);
});
"""


@pytest.fixture()
def watched(browser: Browser) -> Iterator[tuple[Page, Console]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    ctx.add_init_script(WATCH)
    pg = ctx.new_page()
    console = Console(pg)
    yield pg, console
    ctx.close()


def clean(pg: Page, console: Console) -> None:
    violations = pg.evaluate("() => window.__csp")
    csp_console = [e for e in console.errors if "Content Security Policy" in e]
    assert violations == [] and csp_console == [] and console.errors == []


def test_the_app_and_its_exports(watched: tuple[Page, Console], base_url: str) -> None:
    pg, console = watched
    response = pg.goto(f"{base_url}/#sp=10")
    assert response is not None and "script-src 'self'" in response.headers[
        "content-security-policy"]
    open_app(pg, base_url, "sp=10")
    pg.wait_for_function("() => window.gradscape.race.race.complete", timeout=40000)
    for fmt in ("png", "svg", "gif"):  # the GIF is encoded in a worker
        pg.click("#export-button")
        with pg.expect_download(timeout=90000):
            pg.click(f"#export-list [data-format={fmt}]")
    pg.click("[data-view='3d']")  # plotly, loaded from the project's vendor/
    pg.wait_for_function("() => window.Plotly && document.querySelector('#plot3d .main-svg')",
                         timeout=30000)
    pg.wait_for_timeout(500)  # plotly's WebGL setup finishes after the first paint
    pg.click("#export-button")  # a PNG of the 3D view: plotly's toImage, a data: URL
    with pg.expect_download(timeout=90000) as png:
        pg.click("#export-list [data-format=png]")
    assert png.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    clean(pg, console)


def test_the_embed_and_lessons_pages(watched: tuple[Page, Console], base_url: str) -> None:
    pg, console = watched
    open_app(pg, base_url, "sp=10", path="/embed.html")
    clean(pg, console)
    pg.goto(f"{base_url}/lessons.html")
    pg.wait_for_selector("a[href*='embed.html']", timeout=20000)
    clean(pg, console)


def test_the_exported_html_page_under_its_own_policy(watched: tuple[Page, Console],
                                                     base_url: str) -> None:
    pg, console = watched
    body = {"surface": "himmelblau", "steps": 40, "format": "html",
            "runs": [{"optimizer": "adam", "params": {"lr": 0.1}},
                     {"optimizer": "sgd", "params": {"lr": 0.01}}]}
    answer = pg.request.post(f"{base_url}/api/export", data=json.dumps(body),
                             headers={"content-type": "application/json"})
    assert answer.ok
    page, headers = answer.body(), answer.headers
    assert "sha256-" in headers["content-security-policy"]

    def serve(route: Route) -> None:  # as if the server's answer were opened in the browser
        route.fulfill(status=200, body=page, headers={
            "content-type": "text/html; charset=utf-8",
            "content-security-policy": headers["content-security-policy"]})

    pg.route(f"{base_url}/exported.html", serve)
    pg.goto(f"{base_url}/exported.html")
    pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    pg.locator(".updatemenu-button").first.click()  # ▶ play
    # (an arrow function: a bare expression would be eval'd, which the policy forbids)
    pg.wait_for_function("() => document.querySelector('.js-plotly-plot')"
                         "._fullLayout.sliders[0].active > 5", timeout=15000)
    clean(pg, console)


def test_a_policy_violation_would_be_seen(watched: tuple[Page, Console], base_url: str) -> None:
    """The listener works: an inline script on a served page is reported (so the tests
    above, which see none, would have seen one)."""
    pg, _ = watched
    pg.goto(f"{base_url}/lessons.html")
    pg.evaluate("""() => { const s = document.createElement('script');
                           s.textContent = 'window.ran = 1'; document.body.append(s); }""")
    pg.wait_for_function("() => window.__csp.length > 0", timeout=5000)
    found: Any = pg.evaluate("() => [window.__csp, window.ran === undefined]")
    assert "script-src" in found[0][0] and found[1]
