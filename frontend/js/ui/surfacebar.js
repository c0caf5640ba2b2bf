// The surface picker, the formula box with live validation (POST /api/formula, the error's
// column highlighted), data-set options and the number of steps.

import { t, getLang } from '../lib/i18n.js';
import { choiceLabel } from '../lib/catalog_i18n.js';
import { serverText } from '../lib/errortext.js';
import { splitAtColumn } from '../lib/formula.js';
import { h, clear, debounce } from './dom.js';

export class SurfaceBar {
  /** handlers: {onSurface(id), onFormula(text), onOptions(options), onSteps(n), validate(text, signal)} */
  constructor(els, handlers) {
    this.els = els;
    this.h = handlers;
    this.abort = null;
    els.select.addEventListener('change', () => {
      const id = els.select.value;
      if (id === 'custom') {
        els.input.focus();
        els.input.select();
        this.check(els.input.value);
        return;
      }
      this.h.onSurface(id);
    });
    const live = debounce((text) => {
      // Not while that same text is being applied: the live check would abort the apply's
      // own check, and Enter pressed within 220 ms of typing would do nothing.
      if (text.trim() !== this.applied && text.trim() !== this.applying) this.check(text);
    }, 220);
    els.input.addEventListener('input', () => live(els.input.value));
    els.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.apply();
      if (e.key === 'Escape') this.hideStatus();
    });
    els.input.addEventListener('focus', () => { if (this.lastMessage) els.status.classList.add('show'); });
    els.input.addEventListener('blur', () => setTimeout(() => this.hideStatus(), 150));
    els.apply.addEventListener('click', () => this.apply());
    els.steps.addEventListener('change', () => {
      const n = Math.round(Number(els.steps.value));
      if (Number.isFinite(n) && n >= 1) this.h.onSteps(Math.min(n, Number(els.steps.max) || 10000));
    });
  }

  populate(catalog, state) {
    const { select } = this.els;
    clear(select);
    select.append(h('optgroup', { label: t('surface.group.classic') },
      catalog.surfaces.map((s) => h('option', { value: s.id }, s.name))));
    select.append(h('optgroup', { label: t('surface.group.data') },
      catalog.datasets.map((d) => h('option', { value: d.id }, d.name))));
    select.append(h('option', { value: 'custom' }, t('surface.custom')));
    this.catalog = catalog;
    this.show(state);
  }

  /** Reflect the scene: selected surface, its formula in the box, options, steps. */
  show(state) {
    const { select, input, steps } = this.els;
    select.value = state.surface;
    const surface = this.catalog.surfaces.find((s) => s.id === state.surface);
    const dataset = this.catalog.datasets.find((d) => d.id === state.surface);
    if (state.surface === 'custom') input.value = state.formula;
    else if (surface) input.value = surface.formula;
    else if (dataset) input.value = dataset.formula;
    this.applied = input.value.trim();
    // A data set's loss is written in its own variables (w, b, the data u, t): shown, not edited.
    input.readOnly = Boolean(dataset);
    input.title = dataset ? dataset.formula : '';
    this.els.apply.disabled = Boolean(dataset);
    input.placeholder = t('formula.placeholder');
    steps.value = state.steps;
    this.renderOptions(dataset, state.options);
    this.hideStatus();
    input.classList.remove('invalid');
  }

  renderOptions(dataset, options) {
    const box = clear(this.els.options);
    if (!dataset) return;
    for (const [key, opt] of Object.entries(dataset.options)) {
      if (key === 'seed') continue;
      const value = options?.[key] ?? opt.default;
      let control;
      if (opt.choices && opt.choices.every((c) => typeof c === 'boolean')) {
        control = h('input', { type: 'checkbox', checked: Boolean(value) });
        control.addEventListener('change', () => this.h.onOptions({ ...options, [key]: control.checked }));
      } else if (opt.choices) {
        control = h('select', {}, opt.choices.map((c) => h('option', { value: c, selected: c === value }, choiceLabel(opt, c, getLang()))));
        control.addEventListener('change', () => this.h.onOptions({ ...options, [key]: control.value }));
      } else {
        control = h('input', { type: 'number', value, min: opt.minimum, max: opt.maximum, style: { width: '5rem' } });
        control.addEventListener('change', () => this.h.onOptions({ ...options, [key]: Math.round(Number(control.value)) }));
      }
      box.append(h('label', { title: opt.doc }, h('span', {}, opt.label || key), control));
    }
  }

  async check(text) {
    this.abort?.abort();
    const trimmed = text.trim();
    if (!trimmed) {
      this.hideStatus();
      return null;
    }
    this.abort = new AbortController();
    this.status(h('span', {}, t('formula.checking')));
    try {
      const res = await this.h.validate(trimmed, this.abort.signal);
      this.els.input.classList.remove('invalid');
      this.status(h('span', { class: 'msg-ok' }, `✓ ${t('formula.ok', { nodes: res.nodes })}`),
        h('div', { class: 'err-line' }, res.canonical));
      return res;
    } catch (err) {
      if (err.name === 'AbortError') return null;
      this.els.input.classList.add('invalid');
      const parts = [h('div', { class: 'msg-bad', 'data-formula-error': '' },
        // Quoted pieces are the user's own formula text: set as code, in any language.
        (serverText(err, getLang()) ?? err.message).split(/('[^']*')/)
          .map((piece, i) => (i % 2 ? h('code', {}, piece) : piece)))];
      if (err.column) {
        const { before, at, after } = splitAtColumn(trimmed, err.column);
        parts.unshift(h('div', { class: 'err-line' }, before, h('span', { class: 'err-char' }, at), after));
        parts.splice(1, 0, h('div', { class: 'caret' }, `${' '.repeat(err.column - 1)}${t('formula.column', { col: err.column })}`));
      }
      this.status(...parts);
      return null;
    }
  }

  async apply() {
    const text = this.els.input.value.trim();
    this.applying = text;
    let ok;
    try {
      ok = await this.check(text);
    } finally {
      if (this.applying === text) this.applying = null;
    }
    if (ok) {
      this.applied = text;
      this.hideStatus();
      this.h.onFormula(text);
    } else {
      this.els.status.classList.add('show');
    }
  }

  status(...children) {
    const el = clear(this.els.status);
    el.append(...children);
    el.classList.add('show');
    this.lastMessage = true;
  }

  hideStatus() {
    if (this.els.input.classList.contains('invalid')) return; // keep errors visible
    this.els.status.classList.remove('show');
  }
}
