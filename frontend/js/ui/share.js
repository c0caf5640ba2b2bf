// Sharing and presenting: the share toolbar (copy link, embed code, presenter mode,
// fullscreen, keys), the keyboard shortcuts' dispatch, and on the embed page its "open in
// gradscape" link. The scene itself travels in the URL hash (lib/state.js); the App hands
// over what this needs (App.wiring: the state getter and named callbacks).

import { t } from '../lib/i18n.js';
import { toHash } from '../lib/state.js';
import { shortcutFor } from '../lib/keys.js';
import { h, s as svg } from './dom.js';
import { Presenter, toggleFullscreen } from './presenter.js';
import { KeyHelp } from './keyhelp.js';
import { EmbedDialog } from './embeddialog.js';

const ICON_PATHS = {
  link: 'M10.6 13.4a1 1 0 0 1 0-1.4l3.4-3.4a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM8.1 20a4.1 4.1 0 0 1-2.9-7l2.4-2.4a1 1 0 1 1 1.4 1.4l-2.4 2.4a2.1 2.1 0 0 0 3 3l2.4-2.4a1 1 0 1 1 1.4 1.4L11 19a4.1 4.1 0 0 1-2.9 1zm8.3-6.2a1 1 0 0 1-.7-1.7l2.4-2.4a2.1 2.1 0 0 0-3-3l-2.4 2.4a1 1 0 1 1-1.4-1.4L13.7 5a4.1 4.1 0 0 1 5.8 5.8l-2.4 2.4a1 1 0 0 1-.7.6z',
  embed: 'M8.3 17.7 2.6 12l5.7-5.7 1.4 1.4L5.4 12l4.3 4.3zm7.4 0-1.4-1.4 4.3-4.3-4.3-4.3 1.4-1.4 5.7 5.7z',
  presenter: 'M3 4h18v11H3zm2 2v7h14V6zm6 10h2v2h4v2H7v-2h4z',
  fullscreen: 'M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z',
  keys: 'M3 6h18v12H3zm2 2v8h14V8zm1 1h2v2H6zm3 0h2v2H9zm3 0h2v2h-2zm3 0h2v2h-2zm-9 3h2v2H6zm3 0h6v2H9zm7 0h2v2h-2z',
};

function toolIcon(name) {
  return svg('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: ICON_PATHS[name] }));
}

/** The embed page's address for a scene hash (next to the app's page, wherever it is served). */
export function embedUrl(hash, base = location.href) {
  return `${new URL('embed.html', base).href}${hash ? `#${hash}` : ''}`;
}

/** The full app's address for a scene hash. */
export function appUrl(hash, base = location.href) {
  return `${new URL('./', base).href}${hash ? `#${hash}` : ''}`;
}

/** An <iframe> for slides: 16:9 by default, fullscreen allowed, looping unless told. */
export function embedCode(hash, base = location.href, { width = 960, height = 540, loop = true } = {}) {
  const extra = loop ? 'loop=1' : '';
  const src = embedUrl([hash, extra].filter(Boolean).join('&'), base);
  return `<iframe src="${src}" width="${width}" height="${height}" style="border:0" allow="fullscreen" allowfullscreen title="gradscape"></iframe>`;
}

/** Put text on the clipboard (Clipboard API); false where it is unavailable or refused. */
export async function writeClipboard(text, nav = globalThis.navigator) {
  if (!nav?.clipboard?.writeText) return false;
  try {
    await nav.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export class Sharing {
  /**
   * deps, from the App: mode ('app' or 'embed'); state() the scene state (read: presenter
   * mode, the scene the embed page links to); step() the step on screen when paused (0 while
   * playing); lessons, the LessonPanel (an open lesson takes the arrow keys); and callbacks:
   * writeUrl() (flush the debounced hash), toast(text), redraw() (the layout changed),
   * setPresenter(on), and actions: {play, undo, redo, forward, back, forward10, back10, home,
   * restart}, the keyboard shortcuts' targets.
   */
  constructor(deps) {
    this.deps = deps;
    this.mode = deps.mode;
    this.presenter = new Presenter(deps.mode, () => this.redraw());
    this.keyHelp = new KeyHelp();
    // Fullscreen takes the whole layout (the loss curve and each run's eta stay); the embed
    // page has only its stage.
    this.stage = document.querySelector(this.mode === 'embed' ? '.stage' : '.layout');
    if (this.mode === 'embed') this.buildEmbed();
    else this.buildToolbar(document.getElementById('share-tools'));
    this.presenter.set(deps.state().presenter);
    document.addEventListener('fullscreenchange', () => this.onFullscreen());
  }

  // --- the toolbar ------------------------------------------------------------------------
  buildToolbar(el) {
    if (!el) return;
    // data-i18n-*: the language switch (ui/language.js) re-translates these in place.
    el.setAttribute('aria-label', t('share.group'));
    el.dataset.i18nAria = 'share.group';
    const tool = (name, key, onClick, extra = {}) => {
      const label = t(key);
      const b = h('button', {
        type: 'button', class: 'tool-btn', 'data-tool': name, 'aria-label': label, title: label,
        'data-i18n-aria': key, 'data-i18n-title': key, ...extra,
      }, toolIcon(name), h('span', { class: 'tool-label', 'data-i18n': key }, label));
      b.addEventListener('click', onClick);
      el.append(b);
      return b;
    };
    tool('link', 'share.copy', () => this.copyLink());
    tool('embed', 'share.embed', () => this.copyEmbed());
    this.presenterBtn = tool('presenter', 'present.button', () => this.togglePresenter(), { 'aria-pressed': 'false' });
    this.fullscreenBtn = tool('fullscreen', 'fullscreen.button', () => this.toggleFullscreen(), { 'aria-pressed': 'false' });
    tool('keys', 'keys.button', () => this.keyHelp.toggle());
  }

  /** The embed page: a link to the full app with the same scene, at the end of the play bar. */
  buildEmbed() {
    // The page's h1 sits in the top bar, which a slide does not show: keep it for screen
    // readers (one h1 per page).
    const h1 = document.querySelector('h1.brand');
    if (h1) {
      h1.classList.add('sr-only');
      (document.querySelector('main') || document.body).prepend(h1);
    }
    this.openLink = h('a', { class: 'open-full', target: '_blank', rel: 'noopener', href: appUrl('') },
      h('span', { 'data-i18n': 'share.open' }, t('share.open')), h('span', { 'aria-hidden': 'true' }, ' ↗'));
    document.getElementById('playbar')?.append(this.openLink);
  }

  /** The hash was written: keep the embed page's link on the same scene. */
  onUrl() {
    if (!this.openLink) return;
    // Playback options (autoplay, loop) belong to the slide, not to the scene.
    const hash = toHash({ ...this.deps.state(), autoplay: null, loop: false, answer: null, runKey: false });
    this.openLink.href = appUrl(hash);
  }

  // --- copying ------------------------------------------------------------------------------
  currentHash() {
    this.deps.writeUrl(); // the URL may lag a debounced write
    return location.hash.replace(/^#/, '');
  }

  copyLink() {
    this.currentHash();
    // The link holds the step on screen and every mid-race change (replayed at its step).
    return this.copy(location.href, t('share.copied'), t('share.manual'));
  }

  /** The embed dialog: how the slide starts, loop, the answer, settings, size, preview. */
  copyEmbed() {
    const { state, step, writeUrl } = this.deps;
    this.embedDialog = this.embedDialog || new EmbedDialog({
      state, step, writeUrl, copy: (text, done, manual) => this.copy(text, done, manual),
    });
    this.embedDialog.open();
  }

  async copy(text, done, manual) {
    if (await writeClipboard(text)) {
      this.deps.toast(done);
      return true;
    }
    this.showManualCopy(text, manual);
    return false;
  }

  /** No clipboard access (an old browser, an http page, a refused permission): show the text
   *  selected in a small dialog, ready for Ctrl+C, and try the legacy copy command. */
  showManualCopy(text, label) {
    let d = document.getElementById('copy-dialog');
    if (!d) {
      d = h('dialog', { id: 'copy-dialog', class: 'copy-dialog', 'aria-labelledby': 'copy-title' },
        h('h2', { id: 'copy-title' }), h('input', { type: 'text', readonly: true, 'aria-labelledby': 'copy-title', spellcheck: 'false' }),
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', 'data-i18n': 'keys.close.button' }, t('keys.close.button'))));
      d.querySelector('button').addEventListener('click', () => d.close());
      document.body.append(d);
    }
    d.querySelector('h2').textContent = label;
    const input = d.querySelector('input');
    input.value = text;
    if (!d.open) d.showModal();
    input.focus();
    input.select();
    try {
      if (document.execCommand?.('copy')) this.deps.toast(t('share.copiedLegacy'));
    } catch {
      // the text stays selected for the user to copy
    }
  }

  // --- presenting -------------------------------------------------------------------------------
  togglePresenter() {
    if (this.mode === 'embed') return;
    const on = !this.deps.state().presenter;
    this.deps.setPresenter(on); // the state and the link
    this.applyPresenter();
    this.deps.toast(t(on ? 'present.entered' : 'present.left'));
  }

  /** After the state changed (a toggle, a link, Back). */
  applyPresenter() {
    this.presenter.set(this.deps.state().presenter);
    this.presenterBtn?.setAttribute('aria-pressed', String(this.presenter.on));
    this.redraw();
  }

  redraw() {
    this.deps.redraw();
  }

  toggleFullscreen() {
    toggleFullscreen(this.stage).catch(() => this.deps.toast(t('fullscreen.unavailable')));
  }

  onFullscreen() {
    const on = document.fullscreenElement === this.stage;
    this.fullscreenBtn?.setAttribute('aria-pressed', String(on));
    this.redraw();
  }

  // --- keys ---------------------------------------------------------------------------------
  /** The keydown handler: shortcuts from lib/keys.js, none while a dialog is open (but "?"). */
  onKey(e) {
    let action = shortcutFor(e);
    if (!action) return;
    const modal = document.querySelector('dialog[open]');
    if (modal && !(action === 'help' && modal.id === 'keys-dialog')) return;
    const lessons = this.deps.lessons;
    const lesson = lessons?.lesson && !lessons.panel.hidden;
    if (lesson && e.target?.id !== 'fg-canvas' && !e.shiftKey) {
      // In a lesson the arrows drive its steps like a clicker (the plot, focused, keeps
      // them for its start cursor and the playback).
      if (action === 'forward') action = 'lessonNext';
      if (action === 'back') action = 'lessonBack';
    }
    if ((action === 'lessonNext' || action === 'lessonBack') && !lesson) return; // page scroll
    e.preventDefault();
    this.run(action);
  }

  /** Next or Back of the open lesson, as its own buttons do (Next on Predict plays). */
  lessonMove(which) {
    const panel = this.deps.lessons;
    const button = which === 'next' ? panel.nextBtn : panel.backBtn;
    if (!button || button.disabled) return;
    // On the Predict step Next means "play without a guess": a clicker may do that, as the
    // button does; but the step before Predict only leads to it.
    button.click();
  }

  askPrediction() {
    const input = document.getElementById('lesson-guess');
    if (input) input.focus();
    this.deps.toast(t('lesson.predictFirst'));
  }

  run(action) {
    const act = this.deps.actions;
    switch (action) {
      case 'play':
        // Space never plays past a lesson's Predict step: the guess (or "play") comes first.
        if (this.deps.lessons?.holdsScene()) this.askPrediction();
        else act.play();
        break;
      case 'lessonNext': this.lessonMove('next'); break;
      case 'lessonBack': this.lessonMove('back'); break;
      case 'undo': case 'redo': case 'forward': case 'back': case 'forward10': case 'back10':
      case 'home': case 'restart':
        act[action]();
        break;
      case 'fullscreen': this.toggleFullscreen(); break;
      case 'presenter': this.togglePresenter(); break;
      case 'help': this.keyHelp.toggle(); break;
      default: break;
    }
  }
}
