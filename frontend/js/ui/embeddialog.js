// "Copy embed code": a small dialog for a slide's <iframe>. How the slide starts (paused at
// step 0 for the class to predict, paused at the step on screen, or playing by itself),
// loop, hide the results until the race has played, each run's settings on the plot, the
// size, and a live preview of exactly the code that will be copied. A lesson's embed starts
// paused with the results hidden, so it does not give the answer away.

import { t, getLang } from '../lib/i18n.js';
import { toHash } from '../lib/state.js';
import { embedCode, embedUrl } from './share.js';
import { h, debounce } from './dom.js';

export const EMBED_SIZES = [[960, 540], [1280, 720], [800, 600], [640, 360]];
const PREVIEW_WIDTH = 400;

/** The embed's scene hash for these options (pure: the tests check it in node too). */
export function embedHash(state, { start = 'autoplay', step = 0, hideAnswer = false, settings = false } = {}) {
  return toHash({
    ...state,
    step: start === 'here' ? step : 0,
    autoplay: start === 'autoplay' ? null : false,
    loop: false, // embedCode adds loop=1 when asked
    answer: hideAnswer ? false : null,
    runKey: settings,
    presenter: false,
  });
}

export class EmbedDialog {
  /** deps: state() the scene state; step() the step on screen when paused (0 while playing);
   *  writeUrl() (flush the debounced hash); copy(text, done, manual) (ui/share.js). */
  constructor(deps) {
    this.deps = deps;
    this.dialog = null;
    this.refreshPreview = debounce(() => this.showPreview(), 400);
  }

  build() {
    const radio = (value, label) => h('label', { class: 'embed-choice' },
      h('input', { type: 'radio', name: 'embed-start', value }), h('span', { 'data-label': value }, label));
    const check = (name, label) => h('label', { class: 'embed-choice' },
      h('input', { type: 'checkbox', name }), h('span', {}, label));
    const size = h('select', { name: 'embed-size', id: 'embed-size' },
      ...EMBED_SIZES.map(([w, hh]) => h('option', { value: `${w}x${hh}` }, `${w} × ${hh}`)));
    this.code = h('textarea', { id: 'embed-code', readonly: true, rows: 3, spellcheck: 'false' });
    this.preview = h('iframe', { class: 'embed-preview', title: t('embed.preview'), loading: 'lazy' });
    const copy = h('button', { type: 'button', class: 'btn btn-primary', 'data-embed-copy': '' }, t('embed.copy'));
    const close = h('button', { type: 'button', class: 'btn', 'data-close': '' }, t('embed.close'));
    copy.addEventListener('click', () => this.copy());
    close.addEventListener('click', () => this.dialog.close());
    this.note = h('p', { class: 'hint embed-note' }, t('embed.lessonNote'));
    const d = h('dialog', { id: 'embed-dialog', class: 'embed-dialog', 'aria-labelledby': 'embed-title' },
      h('h2', { id: 'embed-title' }, t('embed.title')),
      h('div', { class: 'embed-grid' },
        h('form', { class: 'embed-options', method: 'dialog' },
          h('fieldset', {}, h('legend', {}, t('embed.start')),
            radio('predict', t('embed.start.predict')), radio('here', ''), radio('autoplay', t('embed.start.autoplay'))),
          check('embed-loop', t('embed.loop')),
          check('embed-answer', t('embed.hideAnswer')),
          check('embed-settings', t('embed.settings')),
          h('label', { class: 'embed-size', for: 'embed-size' }, t('embed.size')), size,
          this.note),
        h('div', { class: 'embed-side' },
          h('p', { class: 'embed-preview-label' }, t('embed.preview')),
          h('div', { class: 'embed-preview-box' }, this.preview),
          h('label', { for: 'embed-code', class: 'embed-code-label' }, t('embed.code')), this.code)),
      h('div', { class: 'dialog-actions' }, copy, close));
    d.addEventListener('change', () => this.update());
    d.addEventListener('click', (e) => { if (e.target === d) d.close(); });
    d.addEventListener('close', () => { this.preview.removeAttribute('src'); }); // stop its race
    document.body.append(d);
    this.dialog = d;
    this.lang = getLang();
  }

  /** Open with the defaults for the scene on screen. */
  open() {
    if (this.dialog && this.lang !== getLang()) {
      this.dialog.remove();
      this.dialog = null;
    }
    if (!this.dialog) this.build();
    const d = this.dialog;
    this.deps.writeUrl();
    const state = this.deps.state();
    const step = this.deps.step();
    this.step = step;
    const lesson = Boolean(state.lesson);
    d.querySelector('[data-label=here]').textContent = t('embed.start.here', { step });
    const here = d.querySelector('input[value=here]');
    here.disabled = step === 0;
    // A lesson: paused for the prediction, results hidden. A race paused at a step: that
    // step (what the lecturer is looking at). Otherwise it plays by itself, looping.
    const start = lesson ? 'predict' : step > 0 ? 'here' : 'autoplay';
    d.querySelector(`input[value=${start}]`).checked = true;
    d.querySelector('[name=embed-loop]').checked = !lesson && start === 'autoplay';
    d.querySelector('[name=embed-answer]').checked = lesson;
    d.querySelector('[name=embed-settings]').checked = state.runKey;
    this.note.hidden = !lesson;
    this.update(true);
    if (!d.open) d.showModal();
    d.querySelector('[data-embed-copy]').focus();
  }

  options() {
    const d = this.dialog;
    const [width, height] = d.querySelector('[name=embed-size]').value.split('x').map(Number);
    return {
      start: d.querySelector('input[name=embed-start]:checked')?.value || 'autoplay',
      step: this.step,
      loop: d.querySelector('[name=embed-loop]').checked,
      hideAnswer: d.querySelector('[name=embed-answer]').checked,
      settings: d.querySelector('[name=embed-settings]').checked,
      width,
      height,
    };
  }

  update(now = false) {
    const o = this.options();
    this.hash = embedHash(this.deps.state(), o);
    this.text = embedCode(this.hash, location.href, o);
    this.code.value = this.text;
    if (now) this.showPreview();
    else this.refreshPreview();
  }

  /** The preview is the embed itself, at the chosen size, scaled down to fit the dialog. */
  showPreview() {
    const o = this.options();
    const k = PREVIEW_WIDTH / o.width;
    Object.assign(this.preview.style, {
      width: `${o.width}px`, height: `${o.height}px`, transform: `scale(${k})`,
    });
    Object.assign(this.preview.parentElement.style, {
      width: `${PREVIEW_WIDTH}px`, height: `${Math.round(o.height * k)}px`,
    });
    const src = embedUrl([this.hash, o.loop ? 'loop=1' : ''].filter(Boolean).join('&'));
    if (this.preview.getAttribute('src') !== src) this.preview.setAttribute('src', src);
  }

  copy() {
    return this.deps.copy(this.text, t('share.embedCopied'), t('share.manualEmbed'));
  }
}
