// The network mode's editor: data set picker with small previews, architecture (hidden layer
// widths, activation), data options (samples, test samples, noise, seed), training (steps,
// seeds, sharpness sampling) and the runs (optimizer, learning rate, batch size, schedule).
// It edits scene.request in place and calls onChange(kind): 'race' (a new race is needed).

import { h, clear, shapeIcon } from '../ui/dom.js';
import { t } from '../lib/i18n.js';
import { runColor, runShape } from '../lib/palette.js';
import { datasetIds, datasetInfo, activations, optimizerIds, defaultRun } from './scene.js';
import { drawPreview } from './previews.js';

/** "16, 16" -> [16, 16]; "" -> [] (no hidden layer); null when not a list of integers. */
export function parseHidden(text) {
  const parts = String(text).split(/[\s,×x]+/).filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

const num = (v) => (v === '' || v === null ? null : Number(v));

export class NetEditor {
  /** catalog: {optimizers, schedules} as the server lists them (names localized). */
  constructor(root, { catalog = {}, onChange }) {
    this.root = root;
    this.catalog = catalog;
    this.onChange = onChange;
  }

  /** The display name of an optimizer or schedule id (the id when the catalog lacks it). */
  name(kind, id) {
    return (this.catalog[kind] || []).find((x) => x.id === id)?.name || id;
  }

  field(label, input, id) {
    input.id = id;
    return h('label', { class: 'net-field', for: id }, h('span', { class: 'field-label' }, label), input);
  }

  render(scene) {
    this.scene = scene;
    const req = scene.request;
    const net = req.network;
    const change = () => this.onChange('race');
    clear(this.root);
    // data sets
    const sets = h('div', { class: 'net-datasets', role: 'radiogroup', 'aria-label': t('net.dataset') });
    for (const id of datasetIds()) {
      const cv = h('canvas', { width: 56, height: 56, 'aria-hidden': 'true' });
      drawPreview(cv, datasetInfo(id));
      sets.append(h('button', {
        type: 'button', class: 'net-dataset', id: `net-ds-${id}`, role: 'radio',
        'aria-checked': String(net.dataset === id), title: t(`net.ds.${id}`),
        onclick: () => { net.dataset = id; if (id !== 'blobs') net.classes = null; change(); },
      }, cv, h('span', {}, t(`net.ds.${id}`))));
    }
    const hidden = h('input', { type: 'text', value: net.hidden.join(', '), spellcheck: 'false', inputmode: 'numeric' });
    const hiddenMsg = h('span', { class: 'net-msg', role: 'status' });
    hidden.addEventListener('change', () => {
      const v = parseHidden(hidden.value);
      if (v === null) { hiddenMsg.textContent = t('net.hidden.bad'); return; }
      hiddenMsg.textContent = '';
      net.hidden = v;
      change();
    });
    const act = h('select', {}, ...activations().map((a) => h('option', { value: a, selected: a === net.activation }, a)));
    act.addEventListener('change', () => { net.activation = act.value; change(); });
    const numInput = (obj, key, attrs) => {
      const el = h('input', { type: 'number', value: obj[key] ?? '', ...attrs });
      el.addEventListener('change', () => { obj[key] = attrs.step === 'any' ? num(el.value) : Math.round(num(el.value) ?? 0); change(); });
      return el;
    };
    const blobs = net.dataset === 'blobs' ? this.field(t('net.classes'), numInput(net, 'classes', { min: 2, max: 3, step: 1, placeholder: '2' }), 'net-classes') : null;
    this.root.append(
      h('h3', {}, t('net.dataset')), sets,
      h('div', { class: 'net-grid' },
        this.field(t('net.samples'), numInput(net, 'samples', { min: 2, max: 1024, step: 1 }), 'net-samples'),
        this.field(t('net.test'), numInput(net, 'test_samples', { min: 1, max: 1024, step: 1 }), 'net-test'),
        this.field(t('net.noise'), numInput(net, 'noise', { min: 0, max: 2, step: 'any', placeholder: t('net.default') }), 'net-noise'),
        this.field(t('net.dataseed'), numInput(net, 'seed', { min: 0, step: 1 }), 'net-dseed'),
        blobs),
      h('h3', {}, t('net.model')),
      h('div', { class: 'net-grid' },
        h('div', { class: 'net-field net-wide' }, this.field(t('net.hidden'), hidden, 'net-hidden'), hiddenMsg),
        this.field(t('net.activation'), act, 'net-activation'),
        this.field(t('net.wd'), numInput(net, 'weight_decay', { min: 0, step: 'any' }), 'net-wd')),
      h('h3', {}, t('net.training')),
      h('div', { class: 'net-grid' },
        this.field(t('steps.label'), numInput(req, 'steps', { min: 1, max: 5000, step: 1 }), 'net-steps'),
        this.field(t('net.initseed'), numInput(req, 'init_seed', { min: 0, step: 1 }), 'net-init-seed'),
        this.field(t('net.batchseed'), numInput(req, 'seed', { min: 0, step: 1 }), 'net-seed'),
        this.field(t('net.sharpevery'), numInput(req, 'sharpness_every', { min: 0, step: 1, title: t('net.sharpevery.hint'), placeholder: '0' }), 'net-sharp-every')),
      this.renderRuns(req, change));
  }

  renderRuns(req, change) {
    const box = h('div', { class: 'net-runs' });
    const head = h('div', { class: 'panel-head' }, h('h3', {}, t('runs.title')),
      h('button', { type: 'button', class: 'btn btn-small', id: 'net-add-run', disabled: req.runs.length >= 12,
        onclick: () => { req.runs.push(defaultRun('adam')); change(); } }, t('runs.add')));
    box.append(head);
    req.runs.forEach((run, i) => {
      const opt = h('select', { id: `net-run-${i}-opt`, 'aria-label': t('net.optimizer') },
        ...optimizerIds().map((o) => h('option', { value: o, selected: o === run.optimizer }, this.name('optimizers', o))));
      opt.addEventListener('change', () => { req.runs[i] = { ...defaultRun(opt.value), batch_size: run.batch_size }; change(); });
      // the step's size: η, or s for the random local search (which has no learning rate)
      const key = Object.keys(defaultRun(run.optimizer).params)[0] || 'lr';
      const sym = key === 'lr' ? 'η' : 's';
      const lr = h('input', { id: `net-run-${i}-lr`, type: 'number', step: 'any', min: 0, value: run.params[key] ?? '', 'aria-label': sym });
      lr.addEventListener('change', () => { run.params[key] = num(lr.value); change(); });
      const bs = h('input', { id: `net-run-${i}-bs`, type: 'number', step: 1, min: 1, value: run.batch_size ?? '', placeholder: t('net.fullbatch'), 'aria-label': t('net.batch') });
      bs.addEventListener('change', () => { run.batch_size = bs.value === '' ? null : Math.round(Number(bs.value)); change(); });
      const sch = h('select', { id: `net-run-${i}-sch`, 'aria-label': t('net.schedule') },
        ...(this.catalog.schedules?.length ? this.catalog.schedules.map((x) => x.id) : ['constant'])
          .map((s) => h('option', { value: s, selected: s === run.schedule }, this.name('schedules', s))));
      sch.addEventListener('change', () => {
        run.schedule = sch.value;
        // cosine and warm-up over the whole race unless the lesson said otherwise
        run.schedule_params = sch.value === 'cosine' ? { T_max: req.steps } : {};
        change();
      });
      const remove = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': t('net.remove'), disabled: req.runs.length <= 1,
        onclick: () => { req.runs.splice(i, 1); change(); } }, '×');
      box.append(h('div', { class: 'net-run', style: { '--run': runColor(i) } },
        shapeIcon(runShape(i), runColor(i)), opt,
        h('label', { class: 'net-inline' }, sym, lr),
        h('label', { class: 'net-inline' }, t('net.batch'), bs), sch, remove));
    });
    return box;
  }
}
