// The side panel for the step on screen: the run cards' status and curvature read-outs, the
// Taylor model, the panel shown (inspector, graph, notes... : lib/registry.js, drawn by its
// own module from a view and callbacks), and the Hessian eigen-decompositions they (and the
// plot's arrows) need, asked of POST /api/analyze when the stream does not carry them.
// It reads what it shows through `src` (App.sideInput(): getters and a redraw callback, not
// the App); it owns only its caches and answers.

import { api, PromiseCache } from '../net/api.js';
import { resolveParams } from '../lib/params.js';
import { taylorGrid, levelsNear } from '../lib/taylor.js';
import { t } from '../lib/i18n.js';
import { renderCurvature } from './inspector.js';
import { renderPanel } from './panels.js';
import { $ } from './dom.js';


export class SidePanel {
  /**
   * src: {state(), race() (the live race or null), cursor(), currentSpec(), specKey(),
   * spec() (the scene's spec once the catalog is here, else null), surfaceInfo(), critical(),
   * surfaceToken(), runNames(), optimizer(id), runPanel(), plot(), redraw()}.
   */
  constructor(src) {
    this.src = src;
    this.analysis = new PromiseCache(512);
    this.graphs = new PromiseCache(64);
    this.eigenLatest = [];
    this.eigenInflight = [];
    this.eigenAsked = [];
    this.lastKey = undefined; // what the panel shows; null (or a new key) makes it redraw
    this.taylor = undefined; // the Taylor model drawn on the plot (null: none)
  }

  /** Redraw at the next update: another run, tab or language is on screen. */
  invalidate() {
    this.lastKey = null;
  }

  /** A new surface: every cached analysis, graph and eigen answer belongs to the old one. */
  clearSurface() {
    this.analysis.clear();
    this.graphs.clear();
    this.eigenLatest = [];
  }

  /** A new race: the latest answers belong to the old one; once it has started, so do the
   *  requests still pending (`requests`). */
  clearEigen(requests = false) {
    this.eigenLatest = [];
    if (!requests) return;
    this.eigenAsked = [];
    this.eigenInflight = [];
  }

  /** The Hessian's eigen-decomposition at run i's point k: from the stream if it carries
   *  them, else the latest answer of POST /api/analyze for that run. */
  eigenAt(i, k) {
    const rec = this.src.race()?.runs[i];
    if (rec?.eigenvalues[k]) return { eigenvalues: rec.eigenvalues[k], eigenvectors: rec.eigenvectors[k] };
    return this.eigenLatest[i]?.eig || null;
  }

  requestEigen() {
    const src = this.src;
    const race = src.race();
    // Asked for with the arrows off too: the run cards show λmax, λmin, κ, 2/λmax from it.
    if (!race || src.state().view === '3d') return;
    const now = performance.now();
    const spec = src.currentSpec();
    if (!spec) return;
    const cursor = src.cursor();
    race.runs.forEach((run, i) => {
      const k = run.indexAt(cursor);
      if (k < 0 || run.eigenvalues[k]) return;
      if (this.eigenLatest[i]?.k === k && this.eigenLatest[i]?.race === race.race) return;
      if (this.eigenInflight[i] || now - (this.eigenAsked[i] || 0) < 100) {
        src.redraw();
        return;
      }
      const x = run.x[k];
      const y = run.y[k];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      this.eigenInflight[i] = true;
      this.eigenAsked[i] = now;
      this.analyzeAt(spec, [x, y]).then((a) => {
        this.eigenLatest[i] = { k, race: race.race, eig: { eigenvalues: a.eigenvalues, eigenvectors: a.eigenvectors } };
        src.redraw();
      }).catch(() => {}).finally(() => { this.eigenInflight[i] = false; });
    });
  }

  analyzeAt(spec, point) {
    const key = `${spec === this.src.currentSpec() ? this.src.specKey() : JSON.stringify(spec)}|${point[0]},${point[1]}`;
    return this.analysis.get(key, () => api.analyze(spec, point));
  }

  /** The panels on screen: the chosen one, and the inspector in presenter mode (css/share.css). */
  shownPanels() {
    const state = this.src.state();
    const shown = [state.panel];
    if (state.presenter && !shown.includes('inspector')) shown.push('inspector');
    return shown;
  }

  /**
   * The curvature read-outs, the Taylor model and the shown panels for the selected run's
   * step. Every panel gets the same view (what it may show) and callbacks through its
   * registered module (lib/registry.js): never the app.
   */
  async update() {
    const src = this.src;
    const state = src.state();
    const race = src.race();
    const cursor = src.cursor();
    const critical = src.critical();
    const i = state.selected;
    const run = race?.runs[i];
    const k = run ? run.indexAt(cursor) : -1;
    const shown = this.shownPanels();
    const key = `${race?.race}:${i}:${k}:${run?.length}:${shown}:${state.taylor}:${src.surfaceToken()}:${critical?.length}`;
    src.runPanel().updateStatus(race, cursor);
    src.runPanel().updateCurvature((race?.runs || []).map((r, j) => {
      const kj = r.indexAt(cursor);
      const eig = kj >= 0 ? this.eigenAt(j, kj) : null;
      const at = r.eigenvalues[kj] ? kj : this.eigenLatest[j]?.k; // the point it belongs to
      return eig && {
        eigenvalues: eig.eigenvalues, k: at, lr: Number.isFinite(r.lr[kj]) ? r.lr[kj] : r.paramsAt(kj)?.lr,
      };
    }));
    if (key === this.lastKey) return;
    this.lastKey = key;
    const view = {
      run: null, analysis: null, point: null, surface: src.surfaceInfo(),
      critical: critical?.length ? critical : null,
    };
    const spec = src.currentSpec() || src.spec();
    const callbacks = {
      // The answer may arrive after the step on screen has moved on: then it is not drawn.
      current: () => key === this.lastKey,
      graph: (point) => this.graphs.get(`${JSON.stringify(spec)}|${point}`, () => api.graph(spec, point)),
      analyze: (point) => this.analyzeAt(spec, point),
    };
    if (run && k >= 0) {
      const rec = run.record(k);
      view.run = {
        index: i, name: src.runNames()[i], optimizer: src.optimizer(run.optimizer), rec,
        noisy: Boolean(state.runs[i]?.noise) || Boolean(state.runs[i]?.batch_size),
      };
      view.point = rec.theta;
      if (!rec.theta.every(Number.isFinite)) {
        renderCurvature($('curvature'), null, rec.lr, view.run.name);
        view.point = null;
      } else if (spec) {
        try {
          view.analysis = await this.analyzeAt(spec, rec.theta);
        } catch {
          view.analysis = null;
        }
        if (key !== this.lastKey) return; // a newer step took over meanwhile
        const lr = Number.isFinite(rec.lr) ? rec.lr : resolveParams(view.run.optimizer?.params, state.runs[i]?.params).lr;
        renderCurvature($('curvature'), view.analysis, lr, t('insp.at', { name: view.run.name, k }));
        this.updateTaylor(view.analysis, rec.theta);
      }
    }
    for (const id of shown) {
      renderPanel(id, view, callbacks).catch((err) => console.error(`panel ${id}:`, err));
    }
  }

  updateTaylor(analysis, point) {
    const plot = this.src.plot();
    if (!this.src.state().taylor || !analysis || !plot.levels.length) {
      this.taylor = null;
      return;
    }
    const [x0, x1] = plot.viewport.bounds();
    const half = (x1 - x0) * 0.14;
    const grid = taylorGrid(point, analysis.value, analysis.grad, analysis.hessian, half, 41);
    this.taylor = { center: point, half, grid, levels: levelsNear(plot.levels, grid, 10) };
    this.src.redraw();
  }
}
