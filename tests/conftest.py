"""Fixtures shared by the browser tests: one live server for the session, one chromium per module.

Each test gets a fresh browser context (its own storage, viewport and console log), so
tests stay independent while the slow parts (server start, browser launch) happen once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gradscape.server.spawn import spawned_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with spawned_server() as url:
        yield url


# Module scope, not session: a live sync Playwright keeps an asyncio loop running in this
# thread, and the asyncio tests that follow (asyncio.run) would find it and fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Not skipped when chromium is missing: CI installs it (scripts/install-debian.sh),
    # and a browser test that silently skips would hide a broken playground.
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[tuple[object, object]]:
    """A 1280x800 page in a fresh context, with its console errors collected."""
    from browser_support import Console

    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    pg = context.new_page()
    console = Console(pg)
    yield pg, console
    context.close()
