"""Layout checks shared by the presenter, phone and intro browser tests: text that is cut off
(an element that clips its overflow and has more content than room), and a walk through every
step of a lesson."""

from __future__ import annotations

import json
from collections.abc import Callable

from browser_support import wait
from playwright.sync_api import Page

from gradscape.lessons import LESSONS, is_network

# Every visible element under the roots that clips (overflow not visible, or an ellipsis) and
# holds more than it shows: scrollHeight > clientHeight or scrollWidth > clientWidth.
# Form controls are left out (a select shows its chosen option, an input scrolls its text).
CLIPPED = r"""(roots) => {
  const bad = [];
  for (const sel of roots) {
    for (const root of document.querySelectorAll(sel)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (el.matches('select, option, input, textarea, canvas, svg, svg *')) continue;
        if (!el.checkVisibility({ checkVisibilityCSS: true })) continue;
        if (el.clientWidth <= 1 && el.clientHeight <= 1) continue; // text for screen readers only
        const cs = getComputedStyle(el);
        const name = () => `${sel} > ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
          + ` "${el.textContent.trim().slice(0, 50)}"`;
        if (cs.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1) {
          bad.push(`${name()}: height ${el.scrollHeight} > ${el.clientHeight}`);
        }
        const clipsX = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
        if (clipsX && el.scrollWidth > el.clientWidth + 1) {
          bad.push(`${name()}: width ${el.scrollWidth} > ${el.clientWidth}`);
        }
      }
    }
  }
  return bad;
}"""

# Where an element is on the screen: [top, bottom, left, right] in the viewport, or null.
RECT = """(sel) => { const el = document.querySelector(sel);
  if (!el || !el.checkVisibility()) return null;
  const r = el.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; }"""

LESSON_STATE = ("() => { const q = (s) => document.querySelector('#lesson-banner ' + s);"
                " return [q('.lesson-step')?.dataset.kind ?? null,"
                " q('.lesson-next')?.dataset.action ?? null,"
                " Boolean(q('.lesson-skip')), Boolean(q('.lesson-claim'))]; }")


def clipped(pg: Page, roots: list[str]) -> list[str]:
    found: list[str] = pg.evaluate(CLIPPED, roots)
    return found


def rect(pg: Page, sel: str) -> list[float] | None:
    box: list[float] | None = pg.evaluate(RECT, sel)
    return box


def lesson_ids(pg: Page, base_url: str) -> list[str]:
    """The 2D lessons the server lists. The "real networks" lessons (scene mode "network",
    lessons/networks.py) open in the Network mode and are walked by that mode's own browser
    tests; these caption-fit walks cover the 2D playground only, and say so by counting."""
    served: list[dict[str, object]] = pg.evaluate("() => fetch('/api/lessons').then(r => "
                                                  "r.json())")
    ids = [str(x["id"]) for x in served
           if not (isinstance(x["scene"], dict) and x["scene"].get("mode") == "network")]
    assert len(served) - len(ids) == sum(is_network(x) for x in LESSONS)
    return ids


def walk_lesson(pg: Page, base_url: str, lesson: str, at_step: Callable[[list[object]], None],
                extra: str = "") -> list[object]:
    """Open a lesson and go through every step (a guess typed and locked in at Predict, the
    race skipped to its end for the answer), calling at_step(state) on each one; returns the
    step kinds seen."""
    pg.goto("about:blank")
    pg.goto(f"{base_url}/#l={lesson}{extra}")
    wait(pg, "window.gradscape && window.gradscape.race.race "
             "&& !document.getElementById('lesson-banner').hidden && window.gradscape.plot.ready()")
    kinds: list[object] = []
    for _ in range(12):
        state = pg.evaluate(LESSON_STATE)
        pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        at_step(state)
        kinds.append(state[0])
        if state[2]:
            pg.evaluate("() => document.querySelector('#lesson-banner .lesson-skip')?.click()")
        elif state[3] or state[1] == "gallery":
            break
        elif pg.locator("#lesson-guess").count():
            pg.fill("#lesson-guess", "it goes downhill")
            pg.click("#lesson-banner .lesson-commit")
        else:
            pg.click("#lesson-banner .lesson-next")
        wait(pg, f"JSON.stringify(({LESSON_STATE})()) !== {json.dumps(json.dumps(state))}",
             timeout=30000)
    return kinds
