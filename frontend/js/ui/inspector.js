// The step inspector (the selected run at the playback step) and the curvature read-outs.
// Numbers come from the stream (θ, f, η, m, σ, Δθ) and from POST /api/analyze at the same
// point (exact and numerical gradient, their relative error, the Hessian).

import { fmt, fmtVec } from '../lib/format.js';
import { t, getLang } from '../lib/i18n.js';
import { substitutedRule, curvatureSummary } from '../lib/explain.js';
import { ruleBlock } from '../lib/mathml.js';
import { runColor, runShape } from '../lib/palette.js';
import { h, clear, shapeIcon } from './dom.js';
import { fitRule } from './fit.js';

/**
 * The "Step inspector" side panel (lib/registry.js): view {run: {index, name, optimizer,
 * rec, noisy} or null, analysis} (ui/sidepanel.js).
 */
export function render(el, view) {
  renderInspector(el, view.run ? { ...view.run, analysis: view.analysis } : null);
}

/**
 * @param el panel; @param view {index, name, optimizer (catalog entry), rec (RunTrack.record),
 *   analysis (analyze response or null), noisy (bool), stopped (bool)}
 */
export function renderInspector(el, view) {
  clear(el);
  if (!view || !view.rec) {
    el.append(h('p', { class: 'hint' }, t('insp.none')));
    return;
  }
  const { rec, analysis } = view;
  el.append(h('div', { class: 'insp-head' }, shapeIcon(runShape(view.index), runColor(view.index), 18),
    t('insp.at', { name: view.name, k: rec.k })));
  const rows = [];
  const row = (label, value, cls, id) => rows.push(h('tr', id ? { 'data-row': id, title: t(`tip.insp.${id}`) } : {},
    h('th', { scope: 'row' }, label), h('td', { class: cls || '' }, value)));
  row(t('insp.theta'), fmtVec(rec.theta), '', 'theta');
  row(t('insp.value'), fmt(rec.value, 6), '', 'value');
  if (analysis) {
    row(t('insp.grad'), fmtVec(analysis.grad), '', 'grad');
    row(t('insp.numgrad'), fmtVec(analysis.numeric_grad), '', 'numgrad');
    // The verdict is the server's (core/gradcheck.py's rule, with its floor for gradients
    // near zero at a critical point), not a second rule of this page's.
    const err = analysis.grad_rel_error;
    const ok = analysis.grad_check_passed === true;
    row(t('insp.relerr'), `${fmt(err, 2)} ${ok ? '✓' : '✗'}`, ok ? 'ok' : 'bad', 'relerr');
  } else if (rec.grad) {
    row(t('insp.grad'), fmtVec(rec.grad), '', 'grad');
  }
  if (view.noisy && rec.grad) row(t('insp.used'), fmtVec(rec.grad), '', 'used');
  if (rec.update) {
    row(t('insp.lr'), fmt(rec.lr), '', 'lr');
    const ins = rec.inspector || {};
    if (ins.m) row(t('insp.m'), fmtVec(ins.m), '', 'm');
    if (ins.sigma) row(t('insp.sigma'), fmtVec(ins.sigma), '', 'sigma');
    row(t('insp.step'), fmtVec(rec.update), '', 'step');
  }
  if (analysis) {
    const H = analysis.hessian;
    row(t('insp.hessian'), `[${fmt(H[0][0], 3)}, ${fmt(H[0][1], 3)}; ${fmt(H[1][0], 3)}, ${fmt(H[1][1], 3)}]`, '', 'hessian');
    row(t('insp.eigen'), fmtVec(analysis.eigenvalues), '', 'eigen');
    row(t('insp.kind'), t(`kind.${analysis.kind}`), '', 'kind');
  }
  el.append(h('table', { class: 'insp-table' }, h('tbody', {}, rows)));

  const rule = h('div', { class: 'insp-rule' }, h('h3', {}, t('insp.rule')));
  if (view.optimizer?.rule_mathml) rule.append(ruleBlock(view.optimizer.rule_mathml, 'tex'));
  const sub = substitutedRule(view.optimizer, rec);
  if (sub) {
    rule.append(h('div', { class: 'note' }, t('insp.live', { k: rec.k })));
    rule.append(h('div', { class: 'sym', html: sub.symbolic }));
    for (const line of sub.lines) rule.append(h('div', { class: 'live', html: line }));
    if (sub.note) rule.append(h('div', { class: 'note' }, sub.note));
    if (sub.family === 'adaptive' || sub.family === 'plain') {
      rule.append(h('div', { class: 'note' }, t('insp.unified')));
    }
  } else {
    rule.append(h('div', { class: 'note' }, t('insp.end')));
  }
  el.append(rule);
  fitRule(rule);
}

/** λmax, λmin, κ, 2/λmax next to the learning rate, at the inspected point. */
export function renderCurvature(el, analysis, lr, label) {
  clear(el);
  const c = analysis ? curvatureSummary(analysis.eigenvalues, lr) : null;
  el.append(h('div', { class: 'ctitle' }, h('span', {}, t('curv.title')), h('span', {}, label || '')));
  const cell = (name, value, id) => h('div', { class: 'cell', 'data-cell': id, title: t(`tip.curv.${id}`) },
    h('span', { class: 'clabel' }, name), h('span', { class: 'cval' }, value));
  el.append(
    cell(t('curv.lmax'), c ? fmt(c.lmax, 3) : '—', 'lmax'),
    cell(t('curv.lmin'), c ? fmt(c.lmin, 3) : '—', 'lmin'),
    cell(t('curv.cond'), c ? fmt(c.cond, 3) : '—', 'cond'),
    cell(t('curv.bound'), c ? fmt(c.bound, 3) : '—', 'bound'),
  );
  if (c && Number.isFinite(lr)) {
    const key = { stable: 'curv.stable', unstable: 'curv.unstable', concave: 'curv.concave' }[c.verdict];
    el.append(h('div', { class: `verdict ${c.verdict}` }, t(key, { lr: fmt(lr, 3) })));
  }
}
