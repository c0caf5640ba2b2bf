// The first open: a gentle scene for the bare address (SGD and momentum side by side down an
// elongated bowl, paused at step 0, no warning in sight) instead of a race already running,
// a one-screen introduction shown once (remembered in localStorage), and the "Advanced"
// switch that shows the curvature read-outs (presenter mode and lessons can turn it on).
// Links keep their meaning: the state's defaults (lib/state.js) are untouched; only an
// address with no scene at all gets the welcome scene.

import { t } from '../lib/i18n.js';
import { h } from './dom.js';

// Stable learning rates (2/λmax = 0.1 on this bowl): SGD creeps along the valley floor,
// momentum rolls along it faster; both reach the minimum. Paused: Play starts it.
export const WELCOME_HASH = 's=elongated_bowl&r=sgd,lr=0.05;momentum,lr=0.02,momentum=0.9&x=-5_1.5&n=200&e=0&play=0';

const SEEN = 'gradscape.intro';

/** The hash to open with: the welcome scene when the address names none. */
export function openingHash(hash, mode = 'app') {
  const bare = String(hash || '').replace(/^#/, '');
  return !bare && mode === 'app' ? WELCOME_HASH : bare;
}

function seen() {
  try {
    return localStorage.getItem(SEEN) === '1';
  } catch {
    return true; // storage blocked (a sandboxed frame): never nag
  }
}

function remember() {
  try {
    localStorage.setItem(SEEN, '1');
  } catch {
    // not remembered: it shows again next time, nothing worse
  }
}

/** The introduction, once per browser, on a bare address (a shared link goes straight in).
 *  mode: the page's ('app' or 'embed'); onLessons(): its button opens the lessons gallery. */
export function showIntro({ bare, mode, onLessons }) {
  if (!bare || mode !== 'app' || seen()) return null;
  const start = h('button', { type: 'button', class: 'btn btn-primary intro-start' }, t('intro.start'));
  const lessons = h('button', { type: 'button', class: 'btn intro-lessons' }, t('intro.openLessons'));
  const dialog = h('dialog', { class: 'intro-dialog', id: 'intro-dialog', 'aria-labelledby': 'intro-title' },
    h('h2', { id: 'intro-title' }, t('intro.title')),
    h('p', { class: 'intro-lead' }, t('intro.lead')),
    h('ul', {}, ...['intro.see', 'intro.play', 'intro.tune', 'intro.lessons', 'intro.advanced']
      .map((key) => h('li', {}, t(key)))),
    h('p', { class: 'intro-once' }, t('intro.once')),
    h('div', { class: 'dialog-actions' }, lessons, start));
  dialog.addEventListener('close', () => remember()); // Esc dismisses for good too
  start.addEventListener('click', () => dialog.close());
  lessons.addEventListener('click', () => {
    dialog.close();
    onLessons();
  });
  document.body.append(dialog);
  dialog.showModal();
  start.focus();
  return dialog;
}

/** The Advanced switch (#ov-advanced): the curvature read-outs shown or hidden (CSS). */
export function applyAdvanced(on) {
  document.documentElement.classList.toggle('advanced', Boolean(on));
  const box = document.getElementById('ov-advanced');
  if (box) box.checked = Boolean(on);
}

/** The switch shows `on`; onChange(on) when the user flips it (after the page shows it). */
export function bindAdvanced(on, onChange) {
  const box = document.getElementById('ov-advanced');
  applyAdvanced(on);
  box?.addEventListener('change', () => {
    applyAdvanced(box.checked);
    onChange(box.checked);
  });
}
