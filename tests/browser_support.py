"""Helpers for the browser tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Download, Page


class Console:
    """Console errors and page errors of one page (warnings are not failures)."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(msg.text)


# The playground's race of the state's defaults (Adam and SGD on Himmelblau), named in the
# link: a bare address opens the gentle welcome scene instead (ui/firstopen.js; its own tests
# in test_browser_intro.py open the bare address on purpose).
DEFAULT_RACE = "s=himmelblau"


def open_app(page: Page, url: str, hash_: str = DEFAULT_RACE, path: str = "/") -> None:
    """Open the app (or another page such as /embed.html) and wait until every run streams
    and the plot knows the surface's bounds (the race can arrive before the grid, and until
    then a pixel maps to no meaningful point: clicks are ignored, nothing is drawn)."""
    page.goto(f"{url}{path}{'#' + hash_ if hash_ else ''}")
    page.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                           "&& window.gradscape.race.race.runs.every(r => r.length > 5) "
                           "&& window.gradscape.plot.ready()",
                           timeout=15000)


def js(page: Page, expr: str) -> Any:
    return page.evaluate(f"() => {expr}")


def api(url: str, path: str, body: dict[str, Any]) -> Any:
    req = urllib.request.Request(f"{url}/api{path}", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def wait(page: Page, expr: str, timeout: int = 15000) -> None:
    page.wait_for_function(f"() => {expr}", timeout=timeout)


def settle(page: Page) -> None:
    """Wait two animation frames: the app's frame loop has then drawn the state set before
    (the results lines included; they follow a paused or ended playback at once)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def pause(page: Page, step: int) -> None:
    """Pause the playback at `step` once the stream has delivered it."""
    wait(page, f"window.gradscape.race.race.available >= {step}")
    page.evaluate(f"() => {{ const a = window.gradscape; a.race.playback.pause(); "
                  f"a.race.playback.seek({step}, a.race.race.available); a.dirty = true; }}")


def no_errors(console: Console, allowed: str | None = None) -> None:
    """No console or page error so far (but those containing `allowed`); the log is emptied."""
    errors = [e for e in console.errors if not (allowed and allowed in e)]
    console.errors.clear()
    assert errors == []


def export(pg: Page, fmt: str, timeout: int = 60000, menu: str = "#export-list") -> Download:
    """Open the Export menu with the mouse and pick `fmt` (in the 2D menu, or `menu`); the
    browser's download."""
    pg.click("#export-button")
    with pg.expect_download(timeout=timeout) as dl:
        pg.click(f"{menu} [data-format={fmt}]")
    return dl.value


def saved(download: Download, tmp_path: Path) -> bytes:
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path.read_bytes()


def open_offline(browser: Browser, page_file: Path) -> tuple[Page, list[str]]:
    """An exported HTML file opened in a fresh context with the network refused: the page,
    once its plotly figure is drawn, and every URL it tried to fetch (none, offline)."""
    offline = browser.new_context().new_page()
    blocked: list[str] = []

    def refuse(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    offline.route(re.compile(r"^https?://"), refuse)
    offline.goto(page_file.as_uri())
    offline.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    return offline, blocked
