// The on-screen plot legend (#plot-legend): what the marks mean (critical-point kinds,
// curvature signs, the Taylor model) or the basin map's colours, in the corner of the plot
// that covers the fewest path points, start markers and critical points. The corner is
// chosen by the exports' chooser (lib/svgscene.js legendCorner), only when the scene changes
// (the race, the view, the starts, the legend's content, the race finishing), not per frame.
// A button folds it to its title.

import { t } from '../lib/i18n.js';
import { fmt } from '../lib/format.js';
import {
  basinCss, EIGEN_NEGATIVE, EIGEN_POSITIVE, runColor, runShape,
} from '../lib/palette.js';
import { legendCorner } from '../lib/legendlayout.js';
import { avoidAt } from './exportscene.js';
import {
  h, clear, s as svg, getDrawScale, shapeIcon,
} from './dom.js';

/** Presenter mode: each run's name with its learning rate, on the plot for the room. */
export function presenterRunLabels(names, runs) {
  return names.map((name, i) => {
    const lr = (runs[i]?.initialParams || runs[i]?.params || {}).lr;
    return lr === undefined || name.includes('η=') ? name : `${name} · η=${fmt(lr, 3)}`;
  });
}

export class PlotLegend {
  /**
   * el: the #plot-legend element; plot: the PlotView (its viewport and the critical points it
   * shows); input(): what the legend explains, asked for at each render and place:
   * {view, basins (the basin map with its optimizer's name and steps, or null), runs (how
   * many), race (the RaceStore on screen or null), names() (each run's display name),
   * critical, eigen, taylor (the overlays' switches), starts (each run's start)}.
   */
  constructor(el, plot, input) {
    this.el = el;
    this.plot = plot;
    this.input = input;
    this.collapsed = false;
    this.key = null;
    this.corner = null;
    // A box that changes size on its own (a font arriving late, a wrapped line) is placed
    // again: a corner chosen for a smaller box could put the grown one over a start.
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => { this.key = null; }).observe(el);
  }

  /** Rebuild the entries from the scene's overlays, view and basin map. */
  render() {
    const scene = this.input();
    // A rebuild (the race ending, a language switch) keeps keyboard focus on the toggle.
    const focused = this.el.contains(document.activeElement);
    const el = clear(this.el);
    this.key = null; // the size may have changed: choose the corner again
    el.classList.remove('basin-legend', 'collapsed');
    if (scene.view === '3d') return;
    const body = h('div', { class: 'legend-body', id: 'plot-legend-body' });
    const item = (icon, text) => {
      icon.setAttribute('aria-hidden', 'true'); // the words say it; the swatch is decoration
      body.append(h('div', { class: 'legend-item' }, icon, h('span', {}, text)));
    };
    const line = (color, dash, width = 2.2) => svg('svg', { viewBox: '0 0 26 14' },
      svg('line', { x1: 2, y1: 7, x2: 24, y2: 7, stroke: color, 'stroke-width': width, 'stroke-dasharray': dash || '' }));
    const basins = scene.view === 'basins' && scene.basins;
    if (basins) {
      el.classList.add('basin-legend');
      body.append(h('div', { class: 'legend-item', style: { whiteSpace: 'normal', maxWidth: '18rem' } },
        t('basins.hint', { n: basins.x.length, optimizer: basins.optimizer, steps: basins.steps }),
        scene.runs > 1 ? ` ${t('basins.choose')}` : ''));
      const counts = new Map();
      let total = 0;
      for (const row of basins.labels) for (const l of row) { counts.set(l, (counts.get(l) || 0) + 1); total += 1; }
      let m = 0;
      basins.critical_points.forEach((cp, i) => {
        if (cp.kind !== 'minimum') return;
        const pct = Math.round((100 * (counts.get(i) || 0)) / total);
        body.append(h('div', { class: 'legend-item', 'data-basin': m },
          h('span', { class: 'sw', style: { background: basinCss(m) } }),
          `(${fmt(cp.point[0], 3)}, ${fmt(cp.point[1], 3)}) f=${fmt(cp.value, 3)} · ${t('basins.share', { pct })}`));
        m += 1;
      });
      body.append(h('div', { class: 'legend-item' }, h('span', { class: 'sw', style: { background: basinCss(-1) } }), t('basins.none')));
      body.append(h('div', { class: 'legend-item' }, h('span', { class: 'sw', style: { background: 'rgb(120, 120, 120)' } }), t('basins.diverged')));
    } else {
      const presenter = document.documentElement.classList.contains('presenter');
      if (presenter && scene.race) {
        presenterRunLabels(scene.names(), scene.race.runs).forEach((label, i) => {
          item(shapeIcon(runShape(i), runColor(i), 14), label);
        });
        body.lastChild?.classList.add('legend-runs-end');
      }
      if (scene.critical) {
        item(svg('svg', { viewBox: '0 0 26 14' }, svg('circle', { cx: 13, cy: 7, r: 4.5, fill: '#fff', stroke: '#1a1a1a', 'stroke-width': 1.8 })), t('legend.min'));
        item(svg('svg', { viewBox: '0 0 26 14' }, svg('polygon', { points: '13,1.5 18.5,11.5 7.5,11.5', fill: '#1a1a1a' })), t('legend.max'));
        item(svg('svg', { viewBox: '0 0 26 14' }, svg('path', { d: 'M11 2h4v3.5h3.5v4H15V13h-4V9.5H7.5v-4H11z', fill: EIGEN_NEGATIVE })), t('legend.saddle'));
      }
      if (scene.eigen) {
        item(line(EIGEN_POSITIVE, ''), t('legend.pos'));
        item(line(EIGEN_NEGATIVE, '5 3'), t('legend.neg'));
      }
      if (scene.taylor) item(line('#5b2a86', '6 4', 1.8), t('legend.taylor'));
    }
    if (!body.childElementCount) return; // nothing to explain: no box (the CSS hides :empty)
    const title = basins ? t('basins.title') : t('legend.title');
    const toggle = h('button', {
      type: 'button', class: 'legend-toggle', 'aria-expanded': String(!this.collapsed),
      'aria-controls': 'plot-legend-body', title: this.collapsed ? t('legend.show') : t('legend.hide'),
    }, h('b', {}, title), h('span', { class: 'legend-chevron', 'aria-hidden': 'true' }, this.collapsed ? '▸' : '▾'));
    toggle.addEventListener('click', () => {
      this.collapsed = !this.collapsed;
      this.render(); // (keeps the focus on the new toggle)
      this.place();
    });
    body.hidden = this.collapsed;
    el.classList.toggle('collapsed', this.collapsed);
    el.append(toggle, body);
    if (focused) toggle.focus();
  }

  /** Move the box to the corner covering the least, if the scene changed since last time. */
  place() {
    const el = this.el;
    const scene = this.input();
    const plot = this.plot;
    const vp = plot.viewport;
    const race = scene.race;
    // Presenter mode names the runs: rebuilt when the runs or the mode change.
    const runsKey = document.documentElement.classList.contains('presenter')
      ? `${race?.race ?? ''}|${scene.names().join('|')}` : '';
    if (runsKey !== (this.runsKey ?? '')) {
      this.runsKey = runsKey;
      this.render();
    }
    if (!el.childElementCount || scene.view === '3d') return;
    // Cheap enough for every frame: the box is measured (a layout) only when this changes.
    const key = [race?.race ?? '', race?.complete ? 1 : 0, vp.width, vp.height, vp.cx, vp.cy, vp.scale,
      plot.overlays.critical ? plot.critical?.length ?? 0 : -1, scene.starts.join(';')].join('|');
    if (key === this.key) return;
    this.key = key;
    const k = getDrawScale();
    const view = { width: vp.width, height: vp.height, cx: vp.cx, cy: vp.cy, scale: vp.scale };
    // The whole path known so far: the box stays put while the race plays.
    const end = race ? (race.complete ? race.steps : race.available) : 0;
    const best = legendCorner(vp.width, vp.height, el.offsetWidth / k, el.offsetHeight / k, avoidAt(view, race, end, scene.starts, plot.overlays.critical ? plot.critical : []));
    this.corner = best;
    Object.assign(el.style, {
      left: `${Math.round(best.x * k)}px`, top: `${Math.round(best.y * k)}px`, right: 'auto', bottom: 'auto',
    });
  }
}
