// The page's view tabs, overlay toggles, side-panel tabs and panel sections, built from the
// registry (lib/registry.js) into the empty containers index.html leaves for them, before the
// controls are bound. And the side panels' renderer: a panel's module is loaded when it is
// first shown, then render(el, view, callbacks) draws it.

import { PANELS, VIEWS, OVERLAYS } from '../lib/registry.js';
import { t } from '../lib/i18n.js';
import { $, h, clear } from './dom.js';

/** Fill #view-tabs, #overlay-toggles, #panel-tabs and #panels from the registry. */
export function mountRegistry() {
  const views = $('view-tabs');
  clear(views);
  for (const v of VIEWS) {
    views.append(h('button', { type: 'button', role: 'tab', 'data-view': v.id, 'data-i18n': v.label }, t(v.label)));
  }
  const overlays = $('overlay-toggles');
  clear(overlays);
  for (const o of OVERLAYS) {
    overlays.append(h('label', { class: 'toggle', title: t(o.tip), 'data-i18n-title': o.tip },
      h('input', { type: 'checkbox', id: `ov-${o.id}` }),
      h('span', { 'data-i18n': o.label }, t(o.label))));
  }
  const tabs = $('panel-tabs');
  const sections = $('panels');
  clear(tabs);
  clear(sections);
  for (const p of PANELS) {
    tabs.append(h('button', { type: 'button', role: 'tab', 'data-panel': p.id, 'data-i18n': p.label }, t(p.label)));
    sections.append(h('section', { id: `panel-${p.id}`, class: 'panel', role: 'tabpanel', hidden: true }));
  }
}

/** Show panel `id`'s section and select its tab; the others hidden. */
export function showPanel(id) {
  for (const b of document.querySelectorAll('#panel-tabs [data-panel]')) {
    b.setAttribute('aria-selected', String(b.dataset.panel === id));
  }
  for (const p of PANELS) {
    const el = $(`panel-${p.id}`);
    if (el) el.hidden = p.id !== id;
  }
}

/** Select view `id`'s tab. */
export function showViewTab(id) {
  for (const b of document.querySelectorAll('#view-tabs [data-view]')) {
    b.setAttribute('aria-selected', String(b.dataset.view === id));
  }
}

const modules = new Map(); // panel id -> its module's promise

/** Draw panel `id` into its section: render(el, view, callbacks) of its module. */
export async function renderPanel(id, view, callbacks) {
  const entry = PANELS.find((p) => p.id === id);
  const el = $(`panel-${id}`);
  if (!entry || !el) return;
  if (!modules.has(id)) modules.set(id, entry.load());
  const mod = await modules.get(id);
  await mod.render(el, view, callbacks);
}
