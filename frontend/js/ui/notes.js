// "About this surface": the teaching note, the formula and the critical points.

import { fmt, fmtVec, fmtPoint } from '../lib/format.js';
import { t, getLang } from '../lib/i18n.js';
import { kindName } from '../lib/catalog_i18n.js';
import { h, clear } from './dom.js';

/** The "About this surface" side panel (lib/registry.js): view {surface, critical}. */
export function render(el, view) {
  renderNotes(el, view.surface, view.critical);
}

export function renderNotes(el, info, critical) {
  clear(el);
  if (!info) return;
  const box = h('div', { class: 'notes' });
  box.append(h('h4', {}, info.name));
  box.append(h('div', { class: 'formula', title: 'f(x, y)' }, `f(x, y) = ${info.formula}`));
  const lang = getLang();
  const text = info.description?.[lang] || info.description?.en;
  if (text) box.append(h('p', {}, text));
  if (info.kind) box.append(h('p', { class: 'hint' }, t('note.kind', { kind: kindName(info, lang) })));
  const points = critical && critical.length ? critical : info.critical_points || [];
  if (points.length) {
    box.append(h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('notes.kindcol')), h('th', {}, 'θ'), h('th', {}, 'f'), h('th', {}, 'λ'))),
      h('tbody', {}, points.map((cp) => h('tr', {},
        h('td', {}, t(`kind.${cp.kind}`)), h('td', { class: 'num' }, fmtPoint(cp.point, 4)),
        h('td', { class: 'num' }, fmt(Math.abs(cp.value) < 1e-12 ? 0 : cp.value, 4)),
        h('td', { class: 'num' }, cp.eigenvalues ? fmtVec(cp.eigenvalues, 3) : '—'))))));
  }
  el.append(box);
}
