"""Layout checks shared by the presenter, phone and intro browser tests: text that is cut off
(an element that clips its overflow and has more content than room), and a walk through every
step of a lesson."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

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
    lessons/networks.py) open in the Network mode: network_lessons and walk_network_lesson
    below walk those; the count says no lesson is left out of both."""
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


def network_lessons(pg: Page) -> list[dict[str, Any]]:
    """The "real networks" lessons the server lists (every one of lessons/networks.py)."""
    served: list[dict[str, Any]] = pg.evaluate("() => fetch('/api/lessons').then(r => r.json())")
    out = [x for x in served
           if isinstance(x["scene"], dict) and x["scene"].get("mode") == "network"]
    assert len(out) == sum(is_network(x) for x in LESSONS) >= 6
    return out


def walk_network_lesson(pg: Page, base_url: str, lesson: dict[str, Any],
                        at_step: Callable[[str], None], extra: str = "") -> list[str]:
    """Open a network lesson's link (its scene, as the gallery writes it, plus `extra` such
    as "&pm=1"), call at_step("predict") while its card waits for the class's prediction,
    press "play to find out", go to the race's end and call at_step("answer") once the card
    tells the answer; returns the steps seen."""
    scene = lesson["scene"]
    plane = {"interpolate": "interp"}.get(scene.get("plane") or "pca", scene.get("plane"))
    hash_ = (f"mode=network&net={urllib.parse.quote(json.dumps(scene['request']))}"
             f"&plane={plane}&l={lesson['id']}{extra}")
    pg.goto("about:blank")
    pg.goto(f"{base_url}/#{hash_}")
    wait(pg, "window.gradscape && window.gradscape.lessonData "
             "&& document.getElementById('net-lesson-play')", timeout=30000)
    pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    at_step("predict")
    pg.click("#net-lesson-play")
    wait(pg, "window.gradscape.data && window.gradscape.data.final() !== null", timeout=120000)
    pg.evaluate("() => window.gradscape.seek(window.gradscape.data.final())")
    wait(pg, "document.querySelector('.net-lesson-claim') !== null", timeout=30000)
    pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    at_step("answer")
    return ["predict", "answer"]
