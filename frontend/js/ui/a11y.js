// Keyboard ways to do what the mouse does: a start cursor on the plot (arrow keys move it,
// Enter restarts every run there), and tab lists that move with the arrow keys (the ARIA
// tabs pattern: one tab stop per list, Home/End, automatic activation).

import { t } from '../lib/i18n.js';
import { fmt } from '../lib/format.js';
import { sampleGrid } from './plotview.js';
import { h, debounce, getDrawScale } from './dom.js';

const ARROWS = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1],
};
// One key press moves the cursor 1/40 of the visible width; with Shift five times as far.
const STEPS_PER_VIEW = 40;

/**
 * The plot's keyboard start cursor. opts: {canvas, wrap, plot (PlotView), start() -> [x, y],
 * commit([x, y])}. Shown while the plot has keyboard focus; its position is announced.
 */
export class StartCursor {
  constructor({ canvas, wrap, plot, start, commit }) {
    this.canvas = canvas;
    this.plot = plot;
    this.start = start;
    this.commit = commit;
    this.point = null;
    this.mark = h('div', { class: 'start-cursor', 'aria-hidden': 'true', hidden: true });
    this.live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-start-cursor': '' });
    wrap.append(this.mark, this.live);
    this.announce = debounce(() => this.say(), 250);
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    canvas.addEventListener('focus', () => {
      // Only for keyboard focus: a click focuses the canvas too, and restarts by itself.
      if (canvas.matches(':focus-visible')) this.show(this.start());
    });
    canvas.addEventListener('blur', () => this.hide());
    canvas.addEventListener('pointerdown', () => this.hide());
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !this.plot.ready?.()) return;
    const dir = ARROWS[e.key];
    if (dir) {
      // The arrows belong to the cursor here, not to the playback shortcuts.
      e.preventDefault();
      e.stopPropagation();
      const [x0, x1, y0, y1] = this.plot.viewport.bounds();
      const p = this.point || this.start();
      const step = ((x1 - x0) / STEPS_PER_VIEW) * (e.shiftKey ? 5 : 1);
      const x = Math.min(x1, Math.max(x0, p[0] + dir[0] * step));
      const y = Math.min(y1, Math.max(y0, p[1] + dir[1] * step));
      this.show([x, y]);
      this.announce();
    } else if (e.key === 'Enter' && this.point) {
      e.preventDefault();
      e.stopPropagation();
      this.commit(this.point.slice());
    } else if (e.key === 'Escape' && this.point) {
      e.stopPropagation();
      this.hide();
    }
  }

  show(point) {
    if (!point || !this.plot.ready?.()) return;
    this.point = point.slice();
    const k = getDrawScale(); // viewport px are CSS px / scale (presenter mode, embed)
    const [px, py] = this.plot.viewport.toPx(point[0], point[1]).map((v) => v * k);
    this.mark.style.transform = `translate(${px}px, ${py}px)`;
    this.mark.hidden = false;
  }

  hide() {
    this.point = null;
    this.mark.hidden = true;
  }

  say() {
    if (!this.point) return;
    const [x, y] = this.point;
    const f = this.plot.grid ? sampleGrid(this.plot.grid, x, y) : NaN;
    this.live.textContent = t('cursor.at', { x: fmt(x, 3), y: fmt(y, 3), f: fmt(f, 3) });
  }
}

/**
 * Arrow-key navigation for a role=tablist: Left/Right (and Home/End) move to a tab and
 * select it (by clicking it, so the app's own handler runs). Only the selected tab is in the
 * Tab order; the tabs say which element they control.
 */
export function keyboardTabs(list, controls = () => null) {
  const tabs = () => [...list.querySelectorAll('[role="tab"]')];
  const sync = () => {
    const all = tabs();
    const selected = all.find((b) => b.getAttribute('aria-selected') === 'true') || all[0];
    for (const b of all) b.tabIndex = b === selected ? 0 : -1;
  };
  tabs().forEach((b, i) => {
    if (!b.id) b.id = `${list.id || 'tabs'}-tab-${i}`;
    const panel = controls(b);
    if (panel) {
      b.setAttribute('aria-controls', panel.id);
      if (panel.getAttribute('role') === 'tabpanel') panel.setAttribute('aria-labelledby', b.id);
    }
  });
  list.addEventListener('keydown', (e) => {
    const all = tabs();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % all.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + all.length) % all.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = all.length - 1;
    if (j === null) return;
    e.preventDefault();
    e.stopPropagation();
    all[j].focus();
    all[j].click();
  });
  // The app selects tabs from code too (a link, a lesson): keep the one tab stop on it.
  new MutationObserver(sync).observe(list, { subtree: true, attributeFilter: ['aria-selected'] });
  sync();
}
