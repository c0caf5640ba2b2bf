// The run cards: one per optimizer in the race, with controls built from the optimizer's
// JSON Schema (GET /api/optimizers): a slider and a typed box for every number, the
// schedule with a small plot of η(t), gradient noise or mini-batch size, the start point.

import {
  controlsFromSchema, sliderToValue, valueToSlider, parseTyped, resolveParams, SLIDER_STEPS,
} from '../lib/params.js';
import { runColor, runShape } from '../lib/palette.js';
import { fmt, fmtInput } from '../lib/format.js';
import { t, tOr, getLang } from '../lib/i18n.js';
import { scale } from '../lib/ticks.js';
import { ruleBlock } from '../lib/mathml.js';
import { keepFitted } from './fit.js';
import { curvatureSummary, optimizerFamily } from '../lib/explain.js';
import {
  h, clear, shapeIcon, icon, fitCanvas,
} from './dom.js';

const SYMBOL = {
  lr: 'η', momentum: 'μ', dampening: 'τ', weight_decay: 'λ (L2)', alpha: 'α', eps: 'ε',
  betas: 'β₁, β₂', initial_accumulator_value: 'S₀', step_size: 's', damping: 'δ',
  nesterov: 'Nesterov', amsgrad: 'AMSGrad', T_max: 'T', gamma: 'γ', decay_rate: 'k',
  eta_min_factor: 'η_min ×',
};
// Labels with words in them (lr_decay: "η decay") are in i18n.js as sym.<key>.

export class RunPanel {
  /**
   * @param root container; @param handlers {onParam(i, key, value, final), onOptimizer(i, id),
   *   onSchedule(i, id, params), onNoise(i, v), onBatch(i, n), onStart(i, start|null),
   *   onSelect(i), onDuplicate(i), onRemove(i), curve(run) -> Promise<lrs>}
   */
  constructor(root, handlers) {
    this.root = root;
    this.h = handlers;
    this.cards = [];
  }

  /** Rebuild every card (a run was added, removed or changed optimizer; a new surface). */
  render(state, catalog, context) {
    this.catalog = catalog;
    this.context = context; // {dataset: bool, samples, maxRuns}
    clear(this.root);
    this.cards = state.runs.map((run, i) => this.card(run, i, state));
    this.cards.forEach((c) => this.root.append(c.el));
    this.select(state.selected);
  }

  select(index) {
    this.cards.forEach((c, i) => {
      c.el.classList.toggle('selected', i === index);
      c.el.setAttribute('aria-current', i === index ? 'true' : 'false');
    });
  }

  optimizer(id) {
    return this.catalog.optimizers.find((o) => o.id === id);
  }

  card(run, i, state) {
    const opt = this.optimizer(run.optimizer);
    const color = runColor(i);
    const el = h('article', {
      class: 'run-card', style: { '--run': color }, 'data-run': i,
      'aria-label': t('runs.card', { n: i + 1, name: opt?.name || run.optimizer }),
    });
    el.addEventListener('pointerdown', () => this.h.onSelect(i));
    el.addEventListener('focusin', () => this.h.onSelect(i));

    const select = h('select', { 'aria-label': t('runs.optimizer', { n: i + 1 }) },
      this.catalog.optimizers.map((o) => h('option', { value: o.id, selected: o.id === run.optimizer }, o.name)));
    select.addEventListener('change', () => this.h.onOptimizer(i, select.value));
    const dup = h('button', { type: 'button', title: t('runs.duplicate'), 'aria-label': t('runs.duplicate.aria', { n: i + 1 }) }, icon('copy'));
    dup.addEventListener('click', () => this.h.onDuplicate(i));
    const del = h('button', { type: 'button', title: t('runs.remove'), 'aria-label': t('runs.remove.aria', { n: i + 1 }), disabled: state.runs.length <= 1 }, icon('remove'));
    del.addEventListener('click', () => this.h.onRemove(i));
    const tools = h('div', { class: 'run-tools' }, dup, del);
    if (state.runs.length >= (this.context.maxRuns || 12)) dup.disabled = true;
    el.append(h('div', { class: 'run-head' }, shapeIcon(runShape(i), color, 20), select, tools));

    const specs = controlsFromSchema(opt?.params);
    const values = resolveParams(opt?.params, run.params);
    const controls = {};
    const main = specs.filter((s) => s.main);
    const rest = specs.filter((s) => !s.main);
    let curv = null;
    for (const spec of main) {
      const c = paramControl(spec, values[spec.key], (v, final) => this.h.onParam(i, spec.key, v, final));
      controls[spec.key] = c;
      el.append(c.el);
      if (spec.key === 'lr') {
        // The curvature at this run's current point, right under its learning rate.
        curv = h('div', { class: 'run-curv', 'data-run-curv': i, title: t('tip.runcurv') });
        el.append(curv);
      }
    }
    const more = h('details', { class: 'more' }, h('summary', {}, t('runs.more')));
    for (const spec of rest) {
      const c = paramControl(spec, values[spec.key], (v, final) => this.h.onParam(i, spec.key, v, final));
      controls[spec.key] = c;
      more.append(c.el);
    }
    if (opt?.rule_mathml) more.append(ruleBlock(opt.rule_mathml, 'rule'));
    more.append(this.scheduleSection(run, i));
    more.append(this.noiseSection(run, i));
    more.append(this.startSection(run, i, state));
    keepFitted(more.querySelectorAll('.rule')); // formulas set smaller rather than cut off
    el.append(more);
    const status = h('div', { class: 'run-status' });
    el.append(status);
    return { el, controls, status, more, run, curv };
  }

  scheduleSection(run, i) {
    const box = h('div', { class: 'sched' });
    const sel = h('select', { 'aria-label': t('runs.schedule.aria', { n: i + 1 }) },
      this.catalog.schedules.map((s) => h('option', { value: s.id, selected: s.id === run.schedule }, s.name)));
    box.append(h('label', { class: 'sched-row' }, h('span', {}, t('runs.schedule')), sel));
    const sched = this.catalog.schedules.find((s) => s.id === run.schedule);
    const params = resolveParams(sched?.params, run.schedule_params);
    const current = { ...run.schedule_params };
    sel.addEventListener('change', () => this.h.onSchedule(i, sel.value, {}));
    for (const spec of controlsFromSchema(sched?.params)) {
      box.append(paramControl(spec, params[spec.key], (v, final) => {
        current[spec.key] = v;
        if (final) this.h.onSchedule(i, run.schedule, { ...current });
      }).el);
    }
    if (sched?.formula_mathml) box.append(ruleBlock(sched.formula_mathml, 'rule'));
    const canvas = h('canvas', { class: 'lr-plot', role: 'img', 'aria-label': t('runs.lrplot') });
    box.append(canvas, h('div', { class: 'lr-caption' }, t('runs.lrplot')));
    // Draw once the card is in the page (the canvas needs its size).
    requestAnimationFrame(() => {
      this.h.curve(run).then((lrs) => drawCurve(canvas, lrs, runColor(i))).catch(() => {});
    });
    return box;
  }

  noiseSection(run, i) {
    if (this.context.dataset) {
      const n = this.context.samples || 64;
      const sizes = [];
      for (let b = 1; b < n; b *= 2) sizes.push(b);
      const sel = h('select', { 'aria-label': t('runs.batch.aria', { n: i + 1 }) },
        h('option', { value: '', selected: !run.batch_size }, `${t('runs.batch.all')} (${n})`),
        sizes.map((b) => h('option', { value: b, selected: run.batch_size === b }, String(b))));
      sel.addEventListener('change', () => this.h.onBatch(i, sel.value ? Number(sel.value) : null));
      return h('label', { class: 'sched-row' }, h('span', {}, t('runs.batch')), sel);
    }
    const spec = {
      key: 'noise', kind: 'number', min: 0, max: 1e6, sliderMin: 0, sliderMax: 50, log: false,
      doc: t('runs.noise'),
    };
    return paramControl(spec, run.noise || 0, (v, final) => { if (final) this.h.onNoise(i, v); },
      t('runs.noise')).el;
  }

  startSection(run, i, state) {
    const p = run.start || state.start;
    const text = `${t('runs.start')}: (${fmt(p[0], 4)}, ${fmt(p[1], 4)})${run.start ? '' : ` · ${t('runs.start.common')}`}`;
    const row = h('div', { class: 'sched-row' }, h('span', {}, text));
    if (run.start) {
      const b = h('button', { type: 'button', class: 'btn btn-small' }, t('runs.start.common'));
      b.addEventListener('click', () => this.h.onStart(i, null));
      row.append(b);
    }
    return row;
  }

  /** Show the parameters actually in force (after a mid-run change, or server defaults). */
  setValues(i, params) {
    const card = this.cards[i];
    if (!card) return;
    for (const [key, v] of Object.entries(params)) card.controls[key]?.set(v);
  }

  /**
   * λmax, λmin, κ and the stability bound 2/λmax at each run's current point, next to its
   * learning rate. items[i]: {eigenvalues, lr} or null (not known yet: the line stays empty).
   */
  updateCurvature(items) {
    this.cards.forEach((card, i) => {
      if (!card.curv) return;
      const it = items[i];
      const c = it ? curvatureSummary(it.eigenvalues, it.lr) : null;
      const cells = c ? [['λmax', c.lmax, 'lmax'], ['λmin', c.lmin, 'lmin'], ['κ', c.cond, 'cond'],
        ['2/λmax', c.bound, 'bound']].map(([name, v, id]) => [name, fmt(v, 3), id]) : [];
      const key = c ? `${c.verdict}|${cells.map((x) => x[1]).join('|')}|${it.lr}` : '';
      if (c && it.k !== undefined) card.curv.dataset.k = it.k; // the path index measured at
      if (card.curvKey === key) return;
      card.curvKey = key;
      clear(card.curv);
      // The bound is about plain gradient steps: only those runs get the green/red verdict.
      const plain = optimizerFamily(this.optimizer(card.run.optimizer)) === 'plain';
      card.curv.className = c && plain ? `run-curv ${c.verdict}` : 'run-curv';
      card.curv.title = '';
      if (!c) return;
      for (const [name, text, id] of cells) {
        card.curv.append(h('span', { class: 'rc', 'data-rc': id }, h('span', { class: 'rcl' }, name), ` ${text}`));
      }
      const verdict = { stable: 'curv.stable', unstable: 'curv.unstable', concave: 'curv.concave' }[c.verdict];
      if (Number.isFinite(it.lr)) card.curv.title = t(verdict, { lr: fmt(it.lr, 3) });
    });
  }

  /** The status line of every card: state, step and value at the playback position. */
  updateStatus(race, cursor) {
    this.cards.forEach((card, i) => {
      const run = race?.runs[i];
      if (!run || run.length === 0) {
        card.status.textContent = '';
        card.statusParts = null;
        card.lastStatus = null;
        return;
      }
      const k = run.indexAt(cursor);
      const atEnd = run.stopped && k >= run.length - 1;
      const status = atEnd ? run.status : 'running';
      const text = t('runs.status', { k, f: fmt(run.f[k]) });
      if (card.lastStatus === `${status}|${text}`) return;
      card.lastStatus = `${status}|${text}`;
      // While playing only the numbers change: update the two spans in place (rebuilding
      // six cards' nodes several times a second showed up in the frame budget).
      if (!card.statusParts) {
        card.statusParts = [h('span', {}), h('span', {})];
        clear(card.status).append(...card.statusParts);
      }
      const [badge, line] = card.statusParts;
      if (badge.dataset.status !== status) {
        badge.dataset.status = status;
        badge.className = `badge ${status}`;
        badge.textContent = t(`status.${status}`);
      }
      line.textContent = text;
    });
  }
}

/** One parameter row: label, slider, typed box (or a checkbox, or two boxes for a pair). */
function paramControl(spec, value, onChange, label) {
  const name = label || SYMBOL[spec.key] || tOr(`sym.${spec.key}`, spec.key);
  const title = spec.doc || spec.key;
  if (spec.kind === 'bool') {
    const box = h('input', { type: 'checkbox', checked: Boolean(value), 'aria-label': t('param.value', { name, doc: title }) });
    box.addEventListener('change', () => onChange(box.checked, true));
    return {
      el: h('label', { class: 'param-row check', title }, pname(name), box),
      set: (v) => { box.checked = Boolean(v); },
    };
  }
  if (spec.kind === 'pair') {
    const current = Array.isArray(value) ? value.slice() : [0.9, 0.999];
    const boxes = current.map((v, k) => {
      const input = h('input', { type: 'text', inputmode: 'decimal', value: fmtInput(v), 'aria-label': t('param.pair', { name, k: k + 1, doc: title }) });
      input.addEventListener('change', () => {
        const parsed = parseTyped({ ...spec, label: name, kind: 'number', exclusiveMax: true }, input.value);
        input.classList.toggle('invalid', Boolean(parsed.error));
        input.title = parsed.error || '';
        if (parsed.error) return;
        current[k] = parsed.value;
        onChange(current.slice(), true);
      });
      return input;
    });
    return {
      el: h('div', { class: 'param-row pair', title }, pname(name), ...boxes),
      set: (v) => { if (Array.isArray(v)) v.forEach((x, k) => { boxes[k].value = fmtInput(x); current[k] = x; }); },
    };
  }
  const slider = h('input', {
    type: 'range', min: 0, max: SLIDER_STEPS, step: 1, value: valueToSlider(spec, value),
    'aria-label': t('param.slider', { name, doc: title }),
  });
  const box = h('input', {
    type: 'text', inputmode: 'decimal', value: fmtInput(value), 'aria-label': t('param.value', { name, doc: title }),
  });
  const error = h('div', { class: 'param-error', role: 'alert' });
  slider.addEventListener('input', () => {
    const v = sliderToValue(spec, Number(slider.value));
    box.value = fmtInput(v);
    box.classList.remove('invalid');
    error.textContent = '';
    onChange(v, false);
  });
  slider.addEventListener('change', () => {
    committed = sliderToValue(spec, Number(slider.value));
    onChange(committed, true);
  });
  let committed = value;
  const commit = () => {
    const parsed = parseTyped({ ...spec, label: name }, box.value);
    box.classList.toggle('invalid', Boolean(parsed.error));
    error.textContent = parsed.error || '';
    if (parsed.error || parsed.value === committed) return; // Enter, then change on blur
    committed = parsed.value;
    slider.value = valueToSlider(spec, parsed.value);
    onChange(parsed.value, true);
  };
  box.addEventListener('change', commit);
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter') commit(); });
  const el = h('div', { class: 'param-wrap' },
    h('div', { class: 'param-row', title }, pname(name), slider, box), error);
  return {
    el,
    set: (v) => {
      if (document.activeElement === box || document.activeElement === slider) return;
      slider.value = valueToSlider(spec, v);
      box.value = fmtInput(v);
      committed = v;
    },
  };
}

/** A parameter's label; long ones ("warm-up ×", "AMSGrad") in smaller type, not cut off. */
function pname(name) {
  // Chinese characters take two columns of the label's width.
  const width = [...name].reduce((w, c) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
  return h('span', { class: width > 6 ? 'pname long' : 'pname' }, name);
}

function drawCurve(canvas, lrs, color) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const vals = lrs.filter(Number.isFinite);
  if (!vals.length) return;
  const hi = Math.max(...vals);
  const lo = Math.min(0, ...vals);
  const sx = scale([0, lrs.length - 1], [30, width - 4]);
  const sy = scale([lo, hi || 1], [height - 4, 6]);
  ctx.font = '10px system-ui, "Liberation Sans", sans-serif';
  ctx.fillStyle = '#4f5a6b';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(fmt(hi, 2), 28, sy(hi));
  ctx.fillText(fmt(lo, 2), 28, sy(lo));
  ctx.strokeStyle = '#d5dbe4';
  ctx.strokeRect(30, 4, width - 34, height - 8);
  ctx.beginPath();
  lrs.forEach((v, k) => (k ? ctx.lineTo(sx(k), sy(v)) : ctx.moveTo(sx(k), sy(v))));
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.stroke();
}
