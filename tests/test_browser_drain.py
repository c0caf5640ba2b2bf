"""The browser through nginx while the replica serving it leaves (graceful drain, chromium).

The page is served through Debian's nginx with replica A alone up; the race is paused at a
step; replica B starts and A is sent SIGTERM. A closes the stream with "going away" (1001),
the browser reconnects through nginx (A answers 503 while it drains, nginx moves on to B),
starts the scene again and fetches up to what it had. The picture must not change: same step
on screen, same paths, nothing lost or doubled, and the race goes on from B.
"""

from __future__ import annotations

import signal
import urllib.request
from pathlib import Path

import pytest
from browser_support import Console, js, open_app, pause, wait
from nginx_support import nginx_proxy
from playwright.sync_api import Browser

from gradscape.server.spawn import free_port, spawned_process

pytestmark = pytest.mark.browser

PROXIED = {"GRADSCAPE_DRAIN_SECONDS": "2", "GRADSCAPE_TRUSTED_PROXIES": "127.0.0.1"}
SCENE = "s=himmelblau&r=adam,lr=0.02;sgd,lr=0.002,momentum=0.9&x=-4_4&n=2000"
PATHS = "window.gradscape.race.race.runs.map(r => [r.x.slice(0, {n}), r.y.slice(0, {n})])"


def test_the_browser_resumes_on_another_replica_without_a_visible_change(
        browser: Browser, tmp_path: Path) -> None:
    port_b = free_port()
    with spawned_process(PROXIED) as (a, url_a):
        backends = [url_a.removeprefix("http://"), f"127.0.0.1:{port_b}"]
        with nginx_proxy(backends, tmp_path) as proxy:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            console = Console(page)
            open_app(page, proxy, SCENE)
            pause(page, 300)
            held = js(page, "window.gradscape.race.race.available")
            before = js(page, PATHS.format(n=held))
            with spawned_process(PROXIED, port=port_b) as (_, url_b):
                urllib.request.urlopen(f"{url_b}/api/health", timeout=5).close()
                page.evaluate("() => { window.__before = window.gradscape.race.race; }")
                a.send_signal(signal.SIGTERM)
                # A new race object, fed by B, has taken the old one's place...
                wait(page, "window.gradscape.race.race !== window.__before "
                           "&& !window.gradscape.race.shadow", timeout=30000)
                assert a.wait(timeout=15) is not None
                # ...showing the same step and the same paths as before.
                assert js(page, "window.gradscape.race.playback.cursor") == 300
                assert js(page, "window.gradscape.race.race.available") >= held
                assert js(page, PATHS.format(n=held)) == before
                # And the race carries on from B when played.
                page.evaluate("() => window.gradscape.race.playback.play(null)")
                wait(page, f"window.gradscape.race.race.available > {held + 100}")
            page.close()
    # The closed socket and the refused handshake are not errors the page shows.
    assert [e for e in console.errors if "WebSocket" not in e] == []
