// The side panel for the step on screen: the inspector, the run cards' status and curvature
// read-outs, the Taylor model and the graph, and the Hessian eigen-decompositions they (and
// the plot's arrows) need, asked of POST /api/analyze when the stream does not carry them.
// It reads the App's state, race and views; it owns only its caches and answers.

import { api, PromiseCache } from '../net/api.js';
import { resolveParams } from '../lib/params.js';
import { taylorGrid, levelsNear } from '../lib/taylor.js';
import { t } from '../lib/i18n.js';
import { renderInspector, renderCurvature } from './inspector.js';
import { renderGraph } from './graphview.js';
import { $ } from './dom.js';


export class SidePanel {
  constructor(app) {
    this.app = app;
    this.analysis = new PromiseCache(512);
    this.graphs = new PromiseCache(64);
    this.eigenLatest = [];
    this.eigenInflight = [];
    this.eigenAsked = [];
    this.lastKey = undefined; // what the panel shows; null (or a new key) makes it redraw
    this.taylor = undefined; // the Taylor model drawn on the plot (null: none)
  }

  /** Presenter mode shows the inspector whichever tab was picked (css/share.css). */
  inspectorShown() {
    return this.app.state.panel === 'inspector' || Boolean(this.app.state.presenter);
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
    const rec = this.app.race.race?.runs[i];
    if (rec?.eigenvalues[k]) return { eigenvalues: rec.eigenvalues[k], eigenvectors: rec.eigenvectors[k] };
    return this.eigenLatest[i]?.eig || null;
  }

  requestEigen() {
    const app = this.app;
    const race = app.race.race;
    // Asked for with the arrows off too: the run cards show λmax, λmin, κ, 2/λmax from it.
    if (!race || app.state.view === '3d') return;
    const now = performance.now();
    const spec = app.currentSpec;
    if (!spec) return;
    race.runs.forEach((run, i) => {
      const k = run.indexAt(app.race.playback.cursor);
      if (k < 0 || run.eigenvalues[k]) return;
      if (this.eigenLatest[i]?.k === k && this.eigenLatest[i]?.race === race.race) return;
      if (this.eigenInflight[i] || now - (this.eigenAsked[i] || 0) < 100) {
        app.dirty = true;
        return;
      }
      const x = run.x[k];
      const y = run.y[k];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      this.eigenInflight[i] = true;
      this.eigenAsked[i] = now;
      this.analyzeAt(spec, [x, y]).then((a) => {
        this.eigenLatest[i] = { k, race: race.race, eig: { eigenvalues: a.eigenvalues, eigenvectors: a.eigenvectors } };
        app.dirty = true;
      }).catch(() => {}).finally(() => { this.eigenInflight[i] = false; });
    });
  }

  analyzeAt(spec, point) {
    const app = this.app;
    const key = `${spec === app.currentSpec ? app.specKey : JSON.stringify(spec)}|${point[0]},${point[1]}`;
    return this.analysis.get(key, () => api.analyze(spec, point));
  }

  /** Inspector, curvature read-outs, Taylor model and graph for the selected run's step. */
  async update() {
    const app = this.app;
    const race = app.race.race;
    const i = app.state.selected;
    const run = race?.runs[i];
    const k = run ? run.indexAt(app.race.playback.cursor) : -1;
    const key = `${race?.race}:${i}:${k}:${run?.length}:${app.state.panel}:${app.state.taylor}:${app.state.presenter}`;
    app.runPanel.updateStatus(race, app.race.playback.cursor);
    app.runPanel.updateCurvature((race?.runs || []).map((r, j) => {
      const kj = r.indexAt(app.race.playback.cursor);
      const eig = kj >= 0 ? this.eigenAt(j, kj) : null;
      const at = r.eigenvalues[kj] ? kj : this.eigenLatest[j]?.k; // the point it belongs to
      return eig && {
        eigenvalues: eig.eigenvalues, k: at, lr: Number.isFinite(r.lr[kj]) ? r.lr[kj] : r.paramsAt(kj)?.lr,
      };
    }));
    if (key === this.lastKey) return;
    this.lastKey = key;
    if (!run || k < 0) {
      renderInspector($('panel-inspector'), null);
      return;
    }
    const rec = run.record(k);
    const opt = app.optimizer(run.optimizer);
    const spec = app.currentSpec || app.spec();
    const view = {
      index: i, name: app.runNames()[i], optimizer: opt, rec, analysis: null,
      noisy: Boolean(app.state.runs[i]?.noise) || Boolean(app.state.runs[i]?.batch_size),
    };
    const point = rec.theta;
    if (!point.every(Number.isFinite)) {
      if (this.inspectorShown()) renderInspector($('panel-inspector'), view);
      renderCurvature($('curvature'), null, rec.lr, view.name);
      return;
    }
    let analysis = null;
    try {
      analysis = await this.analyzeAt(spec, point);
    } catch {
      analysis = null;
    }
    if (key !== this.lastKey) return; // a newer step took over meanwhile
    view.analysis = analysis;
    const lr = Number.isFinite(rec.lr) ? rec.lr : resolveParams(opt?.params, app.state.runs[i]?.params).lr;
    renderCurvature($('curvature'), analysis, lr, t('insp.at', { name: view.name, k }));
    if (this.inspectorShown()) renderInspector($('panel-inspector'), view);
    this.updateTaylor(analysis, point);
    if (app.state.panel === 'graph') {
      const gkey = `${JSON.stringify(spec)}|${point}`;
      try {
        const graph = await this.graphs.get(gkey, () => api.graph(spec, point));
        if (key === this.lastKey) renderGraph($('panel-graph'), graph, point);
      } catch {
        renderGraph($('panel-graph'), null);
      }
    }
  }

  updateTaylor(analysis, point) {
    const app = this.app;
    if (!app.state.taylor || !analysis || !app.plot.levels.length) {
      this.taylor = null;
      return;
    }
    const [x0, x1] = app.plot.viewport.bounds();
    const half = (x1 - x0) * 0.14;
    const grid = taylorGrid(point, analysis.value, analysis.grad, analysis.hessian, half, 41);
    this.taylor = { center: point, half, grid, levels: levelsNear(app.plot.levels, grid, 10) };
    app.dirty = true;
  }
}
