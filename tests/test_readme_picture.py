"""The README's opening picture is the product as it is: this test takes it again each run.

It opens a scene a reader recognises (three optimizers racing on Himmelblau's surface, the
step inspector on), pauses mid-race and writes docs/img/gradscape.png, then checks that the
README shows that file before anything else and that the picture is the real page (the plot
drew paths, the page logged no error).
"""

from __future__ import annotations

import pytest
from browser_support import Console, js, open_app, pause, settle
from playwright.sync_api import Browser

from gradscape.server.spawn import REPO

PICTURE = REPO / "docs" / "img" / "gradscape.png"
SCENE = "s=himmelblau&r=adam,lr=0.1;sgd,lr=0.01,momentum=0.9;sgd,lr=0.01&x=-4_4&n=300"

pytestmark = pytest.mark.browser


def test_readme_opens_with_the_picture_the_tests_take(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    console = Console(page)
    open_app(page, base_url, SCENE)
    pause(page, 120)
    settle(page)
    page.wait_for_timeout(600)  # the side panel redraws at most every few hundred ms
    assert js(page, "window.gradscape.race.race.runs.length") >= 1
    page.screenshot(path=str(PICTURE))
    context.close()
    assert console.errors == []
    assert PICTURE.stat().st_size > 20_000  # a drawn page, not a blank one
    readme = (REPO / "README.md").read_text()
    first_image = readme.index("![")
    assert readme.index("docs/img/gradscape.png") < readme.index("\n## "), \
        "the README opens with the picture"
    assert first_image < readme.index("make run")
