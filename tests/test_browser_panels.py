"""Adding a side panel is one new module, one line in lib/registry.js and its strings
(docs/extending.md): done here in a real browser, without touching any other file. The page
is served with the registry and the string tables changed by exactly those lines and a scratch
panel module beside the others; the tab appears, switches, renders the inspected step and
round-trips in the URL."""

from __future__ import annotations

from browser_support import Console, js, open_app, pause, wait
from playwright.sync_api import Page, Route

# The scratch panel: what a contributor would write as frontend/js/ui/scratchpanel.js.
SCRATCH_MODULE = """
import { t } from '../lib/i18n.js';
import { h, clear } from './dom.js';

export function render(el, view) {
  clear(el);
  const k = view.run ? view.run.rec.k : -1;
  el.append(h('p', { class: 'scratch', 'data-k': k, 'data-run': view.run ? view.run.index : -1 },
    `${t('panel.scratch')}: ${view.surface ? view.surface.name : ''} k=${k}`));
}
"""
REGISTRATION = "  panel('scratch', 'panel.scratch', () => import('../ui/scratchpanel.js')),\n"
NOTES_LINE = "  panel('notes', 'panel.notes', () => import('../ui/notes.js')),\n"


def with_line(route: Route, after: str, line: str) -> None:
    """Serve the file the app asked for with `line` inserted after `after`: one line more."""
    text = route.fetch().text()
    assert text.count(after) == 1, f"{route.request.url}: no single {after!r} to add after"
    changed = text.replace(after, after + line)
    assert len(changed.splitlines()) == len(text.splitlines()) + 1
    route.fulfill(body=changed, content_type="text/javascript")


def add_scratch_panel(pg: Page) -> None:
    pg.route("**/js/lib/registry.js", lambda r: with_line(r, NOTES_LINE, REGISTRATION))
    pg.route("**/js/lib/i18n.js",
             lambda r: with_line(r, "  en: {\n", "    'panel.scratch': 'Scratch pad',\n"))
    pg.route("**/js/lib/i18n.zh.js",
             lambda r: with_line(r, "export const ZH = {\n", "  'panel.scratch': '草稿',\n"))
    pg.route("**/js/ui/scratchpanel.js",
             lambda r: r.fulfill(body=SCRATCH_MODULE, content_type="text/javascript"))


def tab(pg: Page, panel: str) -> str:
    return f"#panel-tabs [data-panel={panel}]"


def test_a_panel_added_in_one_line_shows_switches_renders_and_round_trips(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    add_scratch_panel(pg)
    # A link that names the new panel opens on it.
    open_app(pg, base_url, "s=himmelblau&p=scratch")
    assert js(pg, "window.gradscape.state.panel") == "scratch"
    tabs = js(pg, "[...document.querySelectorAll('#panel-tabs [role=tab]')]"
                  ".map(b => b.dataset.panel)")
    assert tabs == ["inspector", "graph", "notes", "scratch"]
    assert pg.locator(tab(pg, "scratch")).inner_text() == "Scratch pad"
    assert pg.locator(tab(pg, "scratch")).get_attribute("aria-selected") == "true"
    assert js(pg, "[document.getElementById('panel-scratch').hidden, "
                  "document.getElementById('panel-inspector').hidden]") == [False, True]
    # It renders the step on screen, from the view the side panel hands every panel.
    pause(pg, 12)
    wait(pg, "document.querySelector('#panel-scratch .scratch')?.dataset.k === "
             "String(window.gradscape.race.race.runs[window.gradscape.state.selected]"
             ".indexAt(window.gradscape.race.playback.cursor))")
    assert "Himmelblau" in pg.locator("#panel-scratch .scratch").inner_text()
    assert js(pg, "document.querySelector('#panel-scratch .scratch').dataset.k") == "12"
    # Switch away: the inspector shows, the link no longer names the panel (the default).
    pg.click(tab(pg, "inspector"))
    wait(pg, "document.querySelector('#panel-inspector table')")
    assert pg.locator("#panel-scratch").is_hidden()
    wait(pg, "!location.hash.includes('p=')", timeout=5000)
    # And back: the link names it again; a step later the panel follows.
    pg.click(tab(pg, "scratch"))
    wait(pg, "location.hash.includes('p=scratch')", timeout=5000)
    pause(pg, 20)
    wait(pg, "document.querySelector('#panel-scratch .scratch')?.dataset.k === '20'")
    # Its strings in Chinese too.
    pg.select_option("#lang-select", "zh")
    wait(pg, f"document.querySelector('{tab(pg, 'scratch')}').textContent === '草稿'")
    # Keyboard: the new tab is one of the arrow-key ring and controls its section.
    assert pg.locator(tab(pg, "scratch")).get_attribute("aria-controls") == "panel-scratch"
    pg.focus(tab(pg, "scratch"))
    pg.keyboard.press("ArrowRight")  # wraps around to the first tab
    wait(pg, "window.gradscape.state.panel === 'inspector'")
    assert console.errors == []


def test_without_the_line_a_link_to_the_panel_falls_back(page: tuple[Page, Console],
                                                           base_url: str) -> None:
    pg, console = page
    open_app(pg, base_url, "s=himmelblau&p=scratch")
    assert js(pg, "window.gradscape.state.panel") == "inspector"
    assert pg.locator(tab(pg, "scratch")).count() == 0
    assert console.errors == []


def test_presenter_mode_shows_the_inspector_over_a_registered_panel(
        page: tuple[Page, Console], base_url: str) -> None:
    pg, console = page
    add_scratch_panel(pg)
    open_app(pg, base_url, "s=himmelblau&p=scratch&pm=1")
    wait(pg, "document.querySelector('#panel-inspector .insp-head')")
    shown = js(pg, "['inspector', 'graph', 'notes', 'scratch'].map(id => "
                   "getComputedStyle(document.getElementById('panel-' + id)).display)")
    assert shown == ["block", "none", "none", "none"]
    assert console.errors == []
