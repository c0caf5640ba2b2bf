"""The update rules as the browser draws them: MathML from the server, whole and readable.

For every optimizer, on a laptop (1280x800) and a phone (375 px): the inspector's rule and
the run card's rule are drawn as native MathML, no box is cut off (scrollWidth within
clientWidth), no equation overlaps another or the text below it, and the type is never set
below the fitting floor. And the page's MathML insertion keeps only MathML: a script or an
event handler in a string never reaches the page.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from browser_support import Console, open_app, pause
from playwright.sync_api import Browser, Page

from gradscape.scene import to_hash

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = [(1280, 800), (375, 740)]

# Every box of a rule: its size against its content, and where each equation sits.
MEASURE = """(root) => {
  const boxes = [...document.querySelectorAll(root + ' .tex, ' + root + ' .rule')]
    .filter((el) => el.checkVisibility());
  return boxes.map((box) => {
    const eqs = [...box.querySelectorAll('.eq')];
    const next = box.nextElementSibling;
    return {
      cls: box.className, scroll: box.scrollWidth, client: box.clientWidth,
      font: parseFloat(getComputedStyle(box).fontSize),
      parent: parseFloat(getComputedStyle(box.parentElement).fontSize),
      eqs: eqs.map((eq) => {
        const r = eq.getBoundingClientRect();
        return { scroll: eq.scrollWidth, client: eq.clientWidth, lines: eq.getClientRects().length,
          top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          math: eq.querySelectorAll('math').length,
          mathWidth: eq.querySelector('math')?.getBoundingClientRect().width ?? 0 };
      }),
      bottom: box.getBoundingClientRect().bottom,
      nextTop: next && next.checkVisibility() ? next.getBoundingClientRect().top : null,
    };
  });
}"""


def optimizer_ids(base_url: str) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/api/optimizers", timeout=10) as r:
        return [o["id"] for o in json.loads(r.read())]


def check(boxes: list[dict], where: str) -> None:
    assert boxes, f"{where}: no rule drawn"
    for box in boxes:
        assert box["scroll"] <= box["client"] + 1, f"{where}: {box['cls']} cut off {box}"
        assert box["font"] >= 0.59 * box["parent"], f"{where}: type set too small {box}"
        assert box["eqs"], f"{where}: no equations"
        for eq in box["eqs"]:
            assert eq["math"] == 1 and eq["mathWidth"] > 10, f"{where}: MathML not drawn {eq}"
            assert eq["scroll"] <= eq["client"] + 1, f"{where}: an equation cut off {eq}"
            assert eq["lines"] == 1, f"{where}: an equation broken across lines {eq}"
        # Equations side by side or one under the other, never on top of each other.
        for a, b in zip(box["eqs"], box["eqs"][1:], strict=False):
            apart = b["left"] >= a["right"] - 1 or b["top"] >= a["bottom"] - 1
            assert apart, f"{where}: equations overlap {a} {b}"
        if box["nextTop"] is not None:
            assert box["nextTop"] >= box["bottom"] - 1, f"{where}: overlaps the next line"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_update_rule_is_whole_at_laptop_and_phone_width(
        browser: Browser, base_url: str, width: int, height: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg: Page = ctx.new_page()
    console = Console(pg)
    try:
        for opt in optimizer_ids(base_url):
            where = f"{opt} at {width} px"
            scene = to_hash({"runs": [{"optimizer": opt}]})
            pg.goto("about:blank")  # a new hash alone would not load the page again
            open_app(pg, base_url, f"s=himmelblau&{scene}&n=30")
            pause(pg, 3)
            pg.click("[data-panel=inspector]")
            pg.wait_for_selector(".insp-rule .tex math", timeout=10000)
            pg.wait_for_timeout(100)  # the fitting runs in the frame after layout
            check(pg.evaluate(MEASURE, ".insp-rule"), f"inspector: {where}")
            pg.locator("#runs .run-card details.more summary").first.click()
            pg.wait_for_function("() => document.querySelector('.run-card .rule math')"
                                 "?.getBoundingClientRect().width > 10", timeout=5000)
            pg.wait_for_timeout(100)
            check(pg.evaluate(MEASURE, "#runs .run-card"), f"run card: {where}")
        assert console.errors == []
    finally:
        ctx.close()


def test_only_mathml_reaches_the_page(browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    console = Console(pg)
    try:
        open_app(pg, base_url)
        result = pg.evaluate("""async () => {
          const url = new URL('lib/mathml.js', document.querySelector('script[type=module]').src);
          const { mathElement, ruleBlock } = await import(url.href);
          const ns = 'http://www.w3.org/1998/Math/MathML';
          const evil = `<math xmlns="${ns}" onload="window.hit=1"><mi onclick="window.hit=2"
            href="javascript:window.hit=3">a</mi><script>window.hit=4</script>
            <img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="window.hit=5"/>
            <mtext>b<b>c</b></mtext><mo stretchy="false">+</mo></math>`;
          const box = ruleBlock([evil, '<p>not math</p>', '<math'], 'rule',
                                (w) => w.toUpperCase());
          document.body.append(box);
          await new Promise((r) => setTimeout(r, 50));
          const all = [...box.querySelectorAll('*')];
          return {
            hit: window.hit ?? null,
            tags: all.map((el) => el.localName),
            attributes: all.flatMap((el) => [...el.attributes].map((a) => a.name)),
            text: box.textContent.replace(/\\s+/g, ' ').trim(),
            maths: box.querySelectorAll('math').length,
            plain: mathElement('<math><mi>x</mi></math>'),  // no MathML namespace: refused
          };
        }""")
        assert result["hit"] is None
        assert result["maths"] == 1  # the two that are not MathML are dropped
        assert set(result["tags"]) <= {"span", "math", "mi", "mtext", "mo"}, result["tags"]
        assert set(result["attributes"]) <= {"class", "stretchy"}, result["attributes"]
        assert result["text"] == "a BC+"  # words of <mtext> go through the translation
        assert result["plain"] is None
        # Parsing the string (DOMParser, an inert document) already meets the page's CSP,
        # which reports the handlers as blocked; nothing else may go wrong.
        assert [e for e in console.errors if "inline event handler" not in e] == []
    finally:
        ctx.close()
