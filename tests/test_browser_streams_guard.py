"""A stream refusal reaches the reader in their language (Debian's chromium via Playwright):
a server that allows one stream per client, a second tab from the same browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from gradscape.server.spawn import spawned_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

@pytest.fixture(scope="module")
def one_stream_each() -> Iterator[str]:
    with spawned_server({"GRADSCAPE_MAX_STREAMS_PER_CLIENT": "1"}) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_second_tab_is_told_why(browser: Browser, one_stream_each: str, lang: str,
                                    tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    first, second = ctx.new_page(), ctx.new_page()
    first.goto(f"{one_stream_each}/#lang={lang}")
    first.wait_for_function("() => window.gradscape && window.gradscape.race.race "
                            "&& window.gradscape.race.race.runs.every(r => r.length > 5)",
                            timeout=20000)
    second.goto(f"{one_stream_each}/#lang={lang}")
    second.wait_for_function("() => !document.getElementById('toast').hidden", timeout=20000)
    text = second.text_content("#toast") or ""
    second.screenshot(path=str(tmp_path / f"refused-{lang}.png"))
    ctx.close()
    if lang == "en":
        assert "Too many gradscape tabs" in text
    else:  # the server's Chinese sentence (server/errorcodes.py), not its English
        assert "标签页过多" in text and "Too many" not in text
