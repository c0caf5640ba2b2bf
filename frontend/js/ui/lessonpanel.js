// The lessons panel: a gallery of ready-made scenes (a modal dialog grouped by CONCEPTS.md
// section) and, above the plot, the open lesson as a walk of short steps (what you see,
// predict, what to watch, what happens) with Back/Next while the scene plays.
// The walk's rules live in lib/lessonsteps.js; the app loads the scene (App.applyLesson).

import { t, getLang } from '../lib/i18n.js';
import {
  LessonWalk, galleryNumbers, groupByConcept, lessonSteps, lessonText,
} from '../lib/lessonsteps.js';
import { h, clear, icon } from './dom.js';

const POLL_MS = 200;

export class LessonPanel {
  /**
   * els: {panel (the element above the plot), opener (the top bar's button)}
   * hooks: {open(lesson), close(), play(), skipToEnd(), played() -> bool,
   *         variant(lesson, on): show the lesson's variant scene (on) or its own scene}
   */
  constructor(els, hooks) {
    this.panel = els.panel;
    this.opener = els.opener;
    this.hooks = hooks;
    this.lessons = [];
    this.lesson = null;
    this.walk = null;
    this.dialog = h('dialog', { class: 'lesson-gallery', 'aria-labelledby': 'lesson-gallery-title' });
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.closeGallery(); // a click on the backdrop
    });
    // Closed: focus goes back to the opener, or into the panel when a lesson was picked.
    this.dialog.addEventListener('close', () => {
      if (this.focusPanel && this.lesson) this.nextBtn?.focus();
      else this.opener?.focus();
      this.focusPanel = false;
    });
    document.body.append(this.dialog);
    this.opener?.addEventListener('click', () => this.openGallery());
    this.panel.addEventListener('keydown', (e) => this.onKey(e));
    this.renderOpener();
  }

  /** The catalog's lessons (GET /api/lessons); `current` is the open lesson's id, if any.
   *  Returns whether `current` is one of them. */
  setLessons(lessons, current = '') {
    this.lessons = lessons || [];
    this.renderGallery();
    this.renderOpener();
    const lesson = this.lessons.find((l) => l.id === current) || null;
    if (lesson?.id !== this.lesson?.id) this.show(lesson);
    else this.rerender();
    return Boolean(lesson);
  }

  /** Open `lesson` at its first step (null closes the panel). */
  show(lesson) {
    this.lesson = lesson || null;
    this.walk = lesson ? new LessonWalk(lessonSteps(lesson, getLang())) : null;
    this.variantOn = false;
    this.folded = false;
    clearInterval(this.timer);
    this.timer = null;
    this.renderPanel();
    this.renderOpener();
    if (lesson) this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  /** Re-render in the current language (keeps the step the student is on). */
  rerender() {
    if (this.walk) {
      const {
        index, furthest, committed, guess, revealed,
      } = this.walk;
      this.walk = new LessonWalk(lessonSteps(this.lesson, getLang()));
      Object.assign(this.walk, {
        index, furthest, committed, guess, revealed,
      });
    }
    const typed = this.panel.querySelector('#lesson-guess')?.value; // a guess not yet locked in
    this.renderGallery();
    this.renderPanel();
    this.renderOpener();
    const input = this.panel.querySelector('#lesson-guess');
    if (input && typed) {
      input.value = typed;
      input.dispatchEvent(new Event('input'));
    }
  }

  /** Whether the open lesson keeps its scene paused (its prediction is not in yet). */
  holdsScene() {
    return Boolean(this.walk?.holdsScene());
  }

  // --- gallery ------------------------------------------------------------------------------
  openGallery() {
    for (const item of this.dialog.querySelectorAll('.gallery-item')) {
      if (item.dataset.lesson === this.lesson?.id) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
    if (!this.dialog.open) this.dialog.showModal();
    const current = this.dialog.querySelector('[aria-current="true"]')
      || this.dialog.querySelector('.gallery-item');
    current?.focus();
  }

  closeGallery() {
    if (this.dialog.open) this.dialog.close();
  }

  renderOpener() {
    if (!this.opener) return;
    const label = t('lesson.gallery');
    clear(this.opener).append(h('span', {}, label));
    this.opener.setAttribute('aria-haspopup', 'dialog');
    this.opener.title = t('lesson.gallery.open');
  }

  renderGallery() {
    const lang = getLang();
    const close = h('button', {
      type: 'button', class: 'lesson-close', 'aria-label': t('lesson.gallery.close'), title: t('lesson.gallery.close'),
    }, icon('remove'));
    close.addEventListener('click', () => this.closeGallery());
    const numbers = galleryNumbers(this.lessons);
    const sections = groupByConcept(this.lessons).map(({ concept, lessons }) => h('section', { class: 'gallery-section' },
      h('h3', { id: `gallery-concept-${concept}` }, `${concept} · ${t(`concept.${concept}`)}`),
      h('ul', { 'aria-labelledby': `gallery-concept-${concept}` }, lessons.map((lesson) => {
        const item = h('button', {
          type: 'button', class: 'gallery-item', 'data-lesson': lesson.id,
          'aria-current': lesson.id === this.lesson?.id ? 'true' : null,
        }, h('span', { class: 'gallery-top' }, h('span', { class: 'gallery-num' }, `${numbers.get(lesson.id)}.`),
          h('span', { class: 'gallery-title' }, lessonText(lesson.title, lang))),
        h('span', { class: 'gallery-line' }, lessonText(lesson.summary, lang)));
        item.addEventListener('click', () => {
          this.focusPanel = true;
          this.closeGallery();
          this.hooks.open(lesson);
        });
        return h('li', {}, item);
      }))));
    clear(this.dialog).append(
      h('div', { class: 'gallery-head' },
        h('h2', { id: 'lesson-gallery-title' }, t('lesson.gallery')),
        h('a', { href: `lessons.html?lang=${lang}`, target: '_blank', rel: 'noopener', class: 'gallery-index' }, t('lesson.index')),
        close),
      h('p', { class: 'gallery-intro' }, t('lesson.gallery.intro')),
      h('div', { class: 'gallery-body' }, sections),
    );
  }

  // --- the open lesson ----------------------------------------------------------------------
  renderPanel() {
    const el = this.panel;
    clear(el);
    el.hidden = !this.lesson;
    if (!this.lesson) return;
    const lang = getLang();
    const n = galleryNumbers(this.lessons).get(this.lesson.id) || 0;
    el.setAttribute('role', 'region');
    el.setAttribute('aria-labelledby', 'lesson-title');
    const close = h('button', { type: 'button', class: 'lesson-close', 'aria-label': t('lesson.close'), title: t('lesson.close') }, icon('remove'));
    close.addEventListener('click', () => this.hooks.close());
    this.dots = h('ol', { class: 'lesson-dots', 'aria-label': t('lesson.steps') });
    this.body = h('div', { class: 'lesson-step', id: 'lesson-step', 'aria-live': 'polite' });
    // Folds the step's text away (the plot gets the room); a new step unfolds it again.
    this.foldBtn = h('button', {
      type: 'button', class: 'lesson-fold', 'aria-controls': 'lesson-step',
    }, h('span', { 'aria-hidden': 'true' }, '▾'));
    this.foldBtn.addEventListener('click', () => this.fold(!this.folded));
    this.backBtn = h('button', { type: 'button', class: 'btn btn-small lesson-back' }, `‹ ${t('lesson.back')}`);
    this.nextBtn = h('button', { type: 'button', class: 'btn btn-small btn-primary lesson-next' });
    this.backBtn.addEventListener('click', () => { this.walk.back(); this.fold(false); this.refresh(true); });
    this.nextBtn.addEventListener('click', () => this.onNext());
    // One line on top: the title (the kicker after it, both cut short with an ellipsis and
    // whole in the tooltip), the step dots, Back/Next, fold and close; the step's text below
    // scrolls within a few lines so the plot keeps its height.
    const kicker = n > 0 ? `${t('lesson.of', { n, total: this.lessons.length })} · ${this.lesson.concept}. ${t(`concept.${this.lesson.concept}`)}` : '';
    const title = lessonText(this.lesson.title, lang);
    el.append(
      h('div', { class: 'lesson-top' },
        h('div', { class: 'lesson-heading', title: kicker ? `${title} — ${kicker}` : title },
          h('h2', { id: 'lesson-title' }, title),
          h('span', { class: 'lesson-kicker' }, kicker)),
        this.dots,
        h('div', { class: 'lesson-nav' }, this.backBtn, this.nextBtn),
        this.foldBtn, close),
      this.body,
    );
    this.fold(Boolean(this.folded));
    this.refresh(false);
  }

  /** Fold the step's text away (true) or show it. */
  fold(on) {
    this.folded = on;
    if (!this.body) return;
    this.body.hidden = on;
    this.foldBtn.setAttribute('aria-expanded', String(!on));
    const label = on ? t('lesson.unfold') : t('lesson.fold');
    this.foldBtn.setAttribute('aria-label', label);
    this.foldBtn.title = label;
    this.foldBtn.classList.toggle('folded', on);
  }

  /** Update the step shown (after a move, or when the race has finished playing). */
  refresh(focus) {
    const walk = this.walk;
    if (!walk) return;
    const kindLabel = (kind) => t(`lesson.step.${kind}`);
    clear(this.dots);
    walk.steps.forEach((step, i) => {
      const reachable = i <= walk.furthest && (i <= walk.indexOf('predict') || walk.committed);
      const dot = h('button', {
        type: 'button', class: 'lesson-dot', 'data-step': i,
        'aria-label': `${t('lesson.step', { n: i + 1, total: walk.count })}: ${kindLabel(step.kind)}`,
        'aria-current': i === walk.index ? 'step' : null, disabled: !reachable && i !== walk.index,
        tabindex: i === walk.index ? '0' : '-1',
      }, String(i + 1));
      dot.addEventListener('click', () => {
        if (!walk.goTo(i)) return;
        this.fold(false);
        this.refresh(false);
        this.dots.querySelector(`[data-step="${walk.index}"]`)?.focus(); // the dots are rebuilt
      });
      this.dots.append(h('li', {}, dot));
    });

    const step = walk.step;
    const label = h('b', { class: 'lesson-step-label' }, `${t('lesson.step', { n: walk.index + 1, total: walk.count })} · ${kindLabel(step.kind)}`);
    clear(this.body).dataset.kind = step.kind;
    if (step.kind === 'answer') {
      const shown = walk.answerShown(this.hooks.played());
      this.answerShown = shown;
      if (shown) {
        this.body.append(h('p', {}, label, ' ', h('span', { class: 'lesson-claim' }, step.text)));
        if (walk.guess) this.body.append(h('p', { class: 'lesson-yourguess' }, t('lesson.yourguess', { guess: walk.guess })));
        if (this.lesson.variant?.scene) this.body.append(this.variantRow());
      } else {
        const skip = h('button', { type: 'button', class: 'btn btn-small lesson-skip' }, t('lesson.skip'));
        skip.addEventListener('click', () => this.hooks.skipToEnd());
        this.body.append(h('p', {}, label, ' ', h('span', { class: 'lesson-wait' }, t('lesson.waiting')), ' ', skip));
      }
    } else {
      this.body.append(h('p', {}, label, ' ', h('span', { class: 'lesson-text' }, step.text)));
    }
    if (step.kind === 'predict' && !walk.committed) this.body.append(this.guessRow());
    if (step.kind === 'predict' && walk.committed && walk.guess) {
      this.body.append(h('p', { class: 'lesson-yourguess' }, t('lesson.yourguess', { guess: walk.guess })));
    }

    this.backBtn.disabled = !walk.canBack();
    const action = walk.nextAction();
    if (action === 'none') {
      this.nextBtn.textContent = t('lesson.others');
      this.nextBtn.dataset.action = 'gallery';
    } else {
      this.nextBtn.textContent = action === 'play' ? `${t('lesson.play')} ▸` : `${t('lesson.next')} ›`;
      this.nextBtn.dataset.action = action;
    }
    if (focus) {
      // Keep the focus where it was unless that control went away or was just disabled
      // (Back on the first step): then Next, the way on.
      const target = document.activeElement;
      if (!this.panel.contains(target) || !target.isConnected || target.disabled) this.nextBtn.focus();
    }
  }

  /** The "after" the claim speaks of (standardized, ReLU, momentum's map), one click away. */
  variantRow() {
    const label = lessonText(this.lesson.variant.label, getLang());
    const button = h('button', {
      type: 'button', class: 'btn btn-small lesson-variant', 'aria-pressed': String(this.variantOn),
    }, this.variantOn ? `‹ ${t('lesson.original')}` : `${label} ▸`);
    button.addEventListener('click', () => {
      this.variantOn = !this.variantOn;
      this.hooks.variant(this.lesson, this.variantOn);
      this.refresh(false);
      this.body.querySelector('.lesson-variant')?.focus();
    });
    return h('p', { class: 'lesson-try' }, h('span', {}, `${t('lesson.try')}: `), button);
  }

  guessRow() {
    const input = h('input', {
      type: 'text', class: 'lesson-guess-input', id: 'lesson-guess', autocomplete: 'off',
      placeholder: t('lesson.guess.placeholder'), maxlength: 200,
    });
    const commit = h('button', { type: 'button', class: 'btn btn-small lesson-commit', disabled: true }, t('lesson.commit'));
    input.addEventListener('input', () => { commit.disabled = !input.value.trim(); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && input.value.trim()) {
        e.preventDefault();
        this.onCommit(input.value);
      }
    });
    commit.addEventListener('click', () => this.onCommit(input.value));
    return h('div', { class: 'lesson-guess' },
      h('label', { for: 'lesson-guess', class: 'lesson-guess-label' }, t('lesson.guess')), input, commit);
  }

  onCommit(guess) {
    this.walk.commit(guess);
    this.hooks.play();
    this.refresh(false);
    this.nextBtn.focus();
  }

  onNext() {
    if (this.nextBtn.dataset.action === 'gallery') {
      this.openGallery();
      return;
    }
    const action = this.walk.next();
    if (action === 'play') this.hooks.play();
    this.fold(false);
    this.refresh(true);
  }

  /** Arrow keys on the step indicator move between steps, like tabs. */
  onKey(e) {
    if (!e.target.classList?.contains('lesson-dot')) return;
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation(); // not the playback's single step
    const target = this.walk.index + (e.key === 'ArrowRight' ? 1 : -1);
    if (this.walk.goTo(target)) {
      this.fold(false);
      this.refresh(false);
      this.dots.querySelector(`[data-step="${this.walk.index}"]`)?.focus();
    }
  }

  poll() {
    if (!this.walk || this.walk.step.kind !== 'answer') return;
    if (this.walk.answerShown(this.hooks.played()) !== this.answerShown) this.refresh(false);
  }
}

/** Ask the server for the rest of the race at once (the stream is otherwise paced by the
 *  playback); returns the step to show when it has arrived (App.waitForStep seeks there). */
export function finishRace(control) {
  const race = control.race;
  if (!race) return undefined;
  if (!race.complete) {
    control.stream.send({ type: 'step', n: Math.max(1, race.steps - race.available) });
    control.flow.sent();
  }
  return race.steps;
}
