// The controller: one scene state (lib/state.js), the catalog from the server, and the views.
// Events from the views change the state; the state decides what to fetch and what to race.

import { api, PromiseCache } from './net/api.js';
import { GridLoader } from './net/grids.js';
import {
  fromHash, toHash, surfaceSpec, makeRun,
} from './lib/state.js';
import { resolveParams } from './lib/params.js';
import { lambdaReference } from './lib/geometry.js';
import { taylorGrid, levelsNear } from './lib/taylor.js';
import { resultLine } from './lib/explain.js';
import { runLabels } from './lib/runlabels.js';
import { runColor, runShape } from './lib/palette.js';
import { SPEEDS } from './lib/playback.js';
import { t, setLang } from './lib/i18n.js';
import { PlotView } from './ui/plotview.js';
import { LossChart } from './ui/losschart.js';
import { RunPanel } from './ui/runpanel.js';
import { SurfaceBar } from './ui/surfacebar.js';
import { renderInspector, renderCurvature } from './ui/inspector.js';
import { renderGraph } from './ui/graphview.js';
import { renderNotes } from './ui/notes.js';
import {
  applyLanguage, translateStatic, mountLanguageSwitch, initialLanguage,
} from './ui/language.js';
import { StartCursor, keyboardTabs } from './ui/a11y.js';
import { localizeCatalog } from './lib/catalog_i18n.js';
import { LessonPanel, finishRace } from './ui/lessonpanel.js';
import { sceneToState } from './lib/lessonscene.js';
import { racePlayed } from './lib/lessonsteps.js';
import { Surface3D } from './ui/surface3d.js';
import { RaceControl } from './ui/racecontrol.js';
import { Sharing } from './ui/share.js';
import { ExportMenu } from './ui/exportmenu.js';
import { PlotLegend } from './ui/legend.js';
import { historyAction } from './lib/urlhistory.js';
import { playPolicy, prefersReducedMotion } from './lib/motion.js';
import {
  h, clear, shapeIcon, throttle, debounce,
} from './ui/dom.js';

const $ = (id) => document.getElementById(id);

export class App {
  /** mode: 'app' (index.html) or 'embed' (embed.html: chromeless, for slides). */
  constructor({ mode = 'app' } = {}) {
    this.mode = mode;
    this.reducedMotion = prefersReducedMotion();
    this.state = fromHash(location.hash);
    this.writtenHash = location.hash.replace(/^#/, ''); // the entry this state came from
    this.state.lang = initialLanguage(location.hash, navigator.languages || []);
    setLang(this.state.lang);
    this.grids = new GridLoader();
    this.analysis = new PromiseCache(512);
    this.graphs = new PromiseCache(64);
    this.eigenLatest = [];
    this.eigenInflight = [];
    this.eigenAsked = [];
    this.dirty = true;
    this.lastFrameTime = performance.now();
    this.race = new RaceControl({
      started: (race) => this.onStarted(race),
      frame: () => { this.dirty = true; },
      retuned: (msg) => this.onRetuned(msg),
      done: () => { this.dirty = true; this.announceResults(); },
      error: (message) => this.onStreamError(message),
      connection: (status) => { if (status === 'closed') this.toast(t('toast.offline')); },
    });
    // A lesson waits for its prediction (its panel plays the scene); reduced motion shows
    // the whole path at once; a link's step is shown paused (lib/motion.js).
    Object.assign(this.race, this.playPolicy(true));
    this.race.playback.loop = this.state.loop;
    this.restartRace = throttle(() => this.startRace(), 120);
    this.sendRetune = throttle((i, params) => this.race.retune(i, params), 180);
    this.syncUrl = debounce(() => this.writeUrl(), 250);
    this.refreshSide = throttle(() => this.updateSide(), 140);
    this.refetchView = debounce((bounds, home) => this.fetchViewGrid(bounds, home), 200);
    this.refetchBasins = debounce(() => this.loadBasins(), 350);
  }

  async boot() {
    this.bindStatic();
    // The scene's grid and race need no catalog unless the link uses data-set features:
    // ask for both at once, so the first picture does not wait for the catalog.
    const simple = !this.state.bounds && !Object.keys(this.state.options || {}).length
      && this.state.runs.every((r) => !r.noise && !r.batch_size);
    let early = null;
    if (simple) {
      const spec = surfaceSpec(this.state, null);
      early = this.grids.load(spec, this.gridResolution());
      this.startRace(spec);
    }
    const [surfaces, datasets, optimizers, schedules, limits, lessons] = await Promise.all([
      api.surfaces(), api.datasets(), api.optimizers(), api.schedules(), api.limits(),
      api.lessons().catch(() => []),
    ]);
    this.catalog = { surfaces, datasets, optimizers, schedules, limits, lessons };
    localizeCatalog(this.catalog, this.state.lang);
    if (this.announcePending) this.announceResults();
    this.populateLessons();
    const lesson = lessons.find((l) => l.id === this.state.lesson);
    if (lesson && !location.hash.replace(/^#/, '').split('&').some((p) => /^(s|r|f|x)=/.test(p))) {
      // A bare "#l=saddle_point" link: the lesson's own scene.
      this.applyLesson(lesson, false);
      this.syncControls();
      this.setPanel(this.state.panel, true);
      early = null;
    }
    this.surfaceBar.populate(this.catalog, this.state);
    this.sanitizeRuns();
    this.renderRuns();
    this.viewChrome(this.state.view);
    await this.loadSurface({ restart: true, early });
    requestAnimationFrame((now) => this.frame(now));
    window.addEventListener('hashchange', () => this.onHashChange());
  }

  // --- static wiring ----------------------------------------------------------------------
  bindStatic() {
    this.lessonPanel = new LessonPanel({ panel: $('lesson-banner'), opener: $('lessons-open') }, {
      open: (lesson) => this.applyLesson(lesson, true),
      close: () => this.closeLesson(),
      play: () => {
        this.race.autoplay = true;
        if (!this.race.playback.playing) this.race.playback.play(this.race.race?.finalIndex ?? null);
        this.dirty = true;
      },
      skipToEnd: () => { this.waitForStep = finishRace(this.race); this.dirty = true; },
      played: () => racePlayed(this.race.race, this.race.playback.cursor),
      variant: (lesson, on) => this.applyLesson(lesson, true, { scene: on ? lesson.variant.scene : lesson.scene, keepPanel: true }),
    });
    this.legend = new PlotLegend($('plot-legend'), this);
    this.plot = new PlotView({
      wrap: $('plot-wrap'), bg: $('bg-canvas'), fg: $('fg-canvas'), readout: $('hover-readout'),
      onClick: (p) => this.onPlotClick(p),
      onStartDrag: (i, p, final) => this.onStartDrag(i, p, final),
      onViewChange: (bounds, home, reason) => this.onViewChange(bounds, home, reason),
    });
    $('fg-canvas').setAttribute('aria-label', t('plot.aria'));
    $('fg-canvas').title = t('plot.zoom');
    this.loss = new LossChart($('loss-canvas'));
    this.plot3d = new Surface3D($('plot3d'));
    this.surfaceBar = new SurfaceBar({
      select: $('surface-select'), input: $('formula-input'), status: $('formula-status'),
      apply: $('formula-apply'), options: $('surface-options'), steps: $('steps-input'),
    }, {
      onSurface: (id) => this.setSurface(id),
      onFormula: (text) => this.setFormula(text),
      onOptions: (options) => { this.state.options = options; this.loadSurface({ restart: true }); },
      onSteps: (n) => { this.state.steps = n; this.startRace(); },
      validate: (text, signal) => api.formula(text, signal),
    });
    this.runPanel = new RunPanel($('runs'), {
      onParam: (i, key, value, final) => this.onParam(i, key, value, final),
      onOptimizer: (i, id) => {
        this.state.runs[i] = makeRun({ ...this.state.runs[i], optimizer: id, params: this.defaultParams(id) });
        this.renderRuns();
        this.startRace();
      },
      onSchedule: (i, id, params) => {
        Object.assign(this.state.runs[i], { schedule: id, schedule_params: params });
        this.renderRuns();
        this.startRace();
      },
      onNoise: (i, v) => { this.state.runs[i].noise = v; this.startRace(); },
      onBatch: (i, n) => { this.state.runs[i].batch_size = n; this.startRace(); },
      onStart: (i, start) => { this.state.runs[i].start = start; this.renderRuns(); this.startRace(); },
      onSelect: (i) => this.select(i),
      onDuplicate: (i) => {
        if (this.state.runs.length >= this.catalog.limits.max_runs) return;
        this.state.runs.splice(i + 1, 0, makeRun(JSON.parse(JSON.stringify(this.state.runs[i]))));
        this.state.selected = i + 1;
        this.renderRuns();
        this.startRace();
      },
      onRemove: (i) => {
        if (this.state.runs.length <= 1) return;
        this.state.runs.splice(i, 1);
        this.state.selected = Math.min(this.state.selected, this.state.runs.length - 1);
        this.renderRuns();
        this.startRace();
      },
      curve: (run) => api.curve({
        schedule: run.schedule, params: run.schedule_params,
        lr: resolveParams(this.optimizer(run.optimizer)?.params, run.params).lr ?? 0.01,
        steps: this.state.steps,
      }).then((r) => r.lrs),
    });
    $('add-run').addEventListener('click', () => this.addRun());

    // View tabs and overlays.
    for (const b of document.querySelectorAll('#view-tabs [data-view]')) {
      b.addEventListener('click', () => this.setView(b.dataset.view));
    }
    const overlays = { eigen: 'ov-eigen', critical: 'ov-critical', taylor: 'ov-taylor', field: 'ov-field' };
    for (const [key, id] of Object.entries(overlays)) {
      const box = $(id);
      box.checked = this.state[key];
      box.addEventListener('change', () => {
        this.state[key] = box.checked;
        this.plot.setOverlays({ [key]: box.checked });
        this.renderLegend();
        this.dirty = true;
        this.syncUrl();
      });
    }
    this.plot.setOverlays({ eigen: this.state.eigen, critical: this.state.critical, taylor: this.state.taylor, field: this.state.field });
    for (const b of document.querySelectorAll('#panel-tabs [data-panel]')) {
      b.addEventListener('click', () => this.setPanel(b.dataset.panel));
    }
    this.setPanel(this.state.panel, true);
    $('loss-log').checked = this.state.logLoss;
    this.loss.log = this.state.logLoss;
    $('loss-log').addEventListener('change', () => {
      this.state.logLoss = $('loss-log').checked;
      this.loss.log = this.state.logLoss;
      this.dirty = true;
      this.syncUrl();
    });
    $('zoom-reset').textContent = t('play.zoom');
    $('zoom-reset').addEventListener('click', () => this.plot.resetView());

    // Playback.
    const pb = this.race.playback;
    const speed = $('pb-speed');
    for (const v of SPEEDS) speed.append(h('option', { value: v, selected: v === this.state.speed }, `${v}×`));
    pb.setSpeed(this.state.speed);
    speed.addEventListener('change', () => {
      pb.setSpeed(Number(speed.value));
      this.state.speed = pb.speed;
      this.syncUrl();
    });
    $('pb-play').addEventListener('click', () => this.togglePlay());
    $('pb-back').addEventListener('click', () => this.stepBy(-1));
    $('pb-forward').addEventListener('click', () => this.stepBy(1));
    $('pb-reset').addEventListener('click', () => { pb.pause(); pb.reset(); this.dirty = true; this.syncUrl(); });
    $('pb-restart').addEventListener('click', () => this.startRace());
    const scrub = $('pb-scrub');
    scrub.addEventListener('input', () => {
      pb.pause();
      pb.seek(Number(scrub.value), this.race.race?.available ?? 0);
      this.dirty = true;
      this.syncUrl();
    });
    for (const [id, key] of [['pb-reset', 'play.reset'], ['pb-back', 'play.back'], ['pb-forward', 'play.forward']]) {
      $(id).setAttribute('aria-label', t(key));
      $(id).title = t(key);
    }
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.share = new Sharing(this); // share toolbar, presenter mode, fullscreen, keys, embed link
    this.exportMenu = new ExportMenu(this, $('export-menu')); // PNG, SVG, GIF, HTML, CSV
    // Language switch, static texts, keyboard start cursor and tabs: ui/language.js, ui/a11y.js.
    translateStatic();
    if ($('lang-select')) mountLanguageSwitch($('lang-select'), (lang) => applyLanguage(this, lang));
    this.startCursor = new StartCursor({
      canvas: $('fg-canvas'), wrap: $('plot-wrap'), plot: this.plot,
      start: () => this.state.start, commit: (p) => this.onPlotClick(p),
    });
    keyboardTabs($('view-tabs'), () => $('plot-wrap'));
    keyboardTabs($('panel-tabs'), (b) => $(`panel-${b.dataset.panel}`));
  }

  /** How the next race starts playing (autoplay, paused, or instant for reduced motion). */
  playPolicy(first) {
    return playPolicy({
      first, step: this.state.step, autoplay: this.state.autoplay,
      // The embed page shows no lesson panel, so a lesson there plays like any scene.
      reduced: this.reducedMotion, lesson: this.mode === 'embed' ? '' : this.state.lesson,
    });
  }

  // --- catalog helpers ----------------------------------------------------------------------
  optimizer(id) {
    return this.catalog?.optimizers.find((o) => o.id === id);
  }

  defaultParams(id) {
    // A sensible learning rate per optimizer family for a first look (the schema defaults
    // are torch's, tuned for networks, and barely move on these surfaces).
    const lr = { sgd: 0.005, momentum: 0.002, nesterov: 0.002, adagrad: 0.5, rmsprop: 0.02, adam: 0.1, adamw: 0.1 }[id];
    return lr ? { lr } : {};
  }

  surfaceInfo() {
    const id = this.state.surface;
    if (id === 'custom') {
      return { id: 'custom', name: t('surface.customName'), formula: this.state.formula, kind: 'custom', description: {} };
    }
    return this.catalog.surfaces.find((s) => s.id === id) || this.catalog.datasets.find((d) => d.id === id);
  }

  isDataset() {
    return this.catalog.datasets.some((d) => d.id === this.state.surface);
  }

  spec() {
    return surfaceSpec(this.state, this.catalog);
  }

  sanitizeRuns() {
    const known = new Set(this.catalog.optimizers.map((o) => o.id));
    this.state.runs = this.state.runs.filter((r) => known.has(r.optimizer));
    if (!this.state.runs.length) this.state.runs = [makeRun({ optimizer: 'adam', params: { lr: 0.1 } })];
    this.state.runs = this.state.runs.slice(0, this.catalog.limits.max_runs);
    this.state.selected = Math.min(this.state.selected, this.state.runs.length - 1);
  }

  renderRuns() {
    const ds = this.catalog.datasets.find((d) => d.id === this.state.surface);
    this.runPanel.render(this.state, this.catalog, {
      dataset: Boolean(ds), samples: this.state.options?.samples || ds?.options?.samples?.default || 64,
      maxRuns: this.catalog.limits.max_runs,
    });
    this.renderResults(true);
    this.syncUrl();
  }

  // --- lessons ------------------------------------------------------------------------------
  populateLessons() {
    const known = this.lessonPanel.setLessons(this.catalog.lessons, this.state.lesson);
    if (this.state.lesson && !known) {
      // A link to a lesson that does not exist (any more): the scene plays as a normal one.
      this.state.lesson = '';
      Object.assign(this.race, this.playPolicy(true));
      if (this.race.autoplay && this.race.race) this.race.playback.play(this.race.race.finalIndex ?? null);
      this.syncUrl();
    }
  }

  /** Load a lesson's scene (the same shape as a run request) into the state. */
  applyLesson(lesson, load, { scene = lesson.scene, keepPanel = false } = {}) {
    // keepPanel: the panel, past its answer, swaps in the lesson's variant scene (or back).
    this.state = sceneToState({ ...lesson, scene }, this.state);
    if (!keepPanel) this.lessonPanel.show(lesson);
    if (!load) return;
    // Paused until the prediction is in (lib/motion.js); the panel's "play" starts it.
    Object.assign(this.race, keepPanel ? playPolicy({ first: false, reduced: this.reducedMotion })
      : this.playPolicy(false));
    if (!keepPanel) this.race.playback.pause();
    this.syncControls();
    this.surfaceBar.show(this.state);
    this.renderRuns();
    this.setView(this.state.view);
    this.setPanel(this.state.panel);
    this.loadSurface({ restart: true });
  }

  closeLesson() {
    this.state.lesson = '';
    this.lessonPanel.show(null);
    this.plot.resize();
    this.syncUrl();
  }

  /** Checkboxes that mirror state flags (after a lesson or a link changed them). */
  syncControls() {
    for (const [key, id] of [['eigen', 'ov-eigen'], ['critical', 'ov-critical'], ['taylor', 'ov-taylor'], ['field', 'ov-field']]) {
      $(id).checked = this.state[key];
    }
    this.plot.setOverlays({ eigen: this.state.eigen, critical: this.state.critical, taylor: this.state.taylor, field: this.state.field });
    this.renderLegend();
  }

  // --- surface ------------------------------------------------------------------------------
  setSurface(id) {
    if (this.state.lesson) this.closeLesson();
    this.state.surface = id;
    this.state.bounds = null;
    this.state.options = {};
    const info = this.surfaceInfo();
    if (info?.start) this.state.start = info.start.slice();
    for (const run of this.state.runs) run.start = null;
    this.surfaceBar.show(this.state);
    this.renderRuns();
    this.loadSurface({ restart: true, newStart: !info?.start });
  }

  setFormula(text) {
    if (this.state.lesson) this.closeLesson();
    this.state.surface = 'custom';
    this.state.formula = text;
    this.state.bounds = null;
    for (const run of this.state.runs) run.start = null;
    this.surfaceBar.show(this.state);
    this.renderRuns();
    this.loadSurface({ restart: true, newStart: true });
  }

  gridResolution() {
    const rect = $('plot-wrap').getBoundingClientRect();
    return Math.max(90, Math.min(200, Math.round(Math.max(rect.width, rect.height) / 4)));
  }

  /** The surface spec with other bounds (to sample the visible rectangle, not the domain). */
  specWithBounds(bounds) {
    const base = this.spec();
    if (typeof base !== 'string') return { ...base, bounds };
    const known = this.catalog.surfaces.find((s) => s.id === base);
    return known ? { formula: known.formula, bounds } : { dataset: base, options: this.state.options, bounds };
  }

  async loadSurface({ restart = false, newStart = false, early = null } = {}) {
    const token = (this.surfaceToken = (this.surfaceToken || 0) + 1);
    const spec = this.spec();
    this.currentSpec = spec;
    this.specKey = JSON.stringify(spec);
    this.analysis.clear();
    this.graphs.clear();
    this.eigenLatest = [];
    this.critical = [];
    this.plot.setCritical([], 1);
    this.plot.setBasins(null);
    const info = this.surfaceInfo();
    // Registered surfaces know their bounds: sample the whole visible rectangle at once.
    // Otherwise ask for the surface's own grid first and fill the margins right after.
    // (At boot the grid was already asked for before the catalog arrived: `early`.)
    const known = early ? null : this.state.bounds || info?.bounds;
    let viewBounds = null;
    if (known) {
      this.plot.setHome(known);
      this.plot.resize();
      viewBounds = this.plot.viewport.bounds();
    }
    const gridP = early || this.grids.load(viewBounds ? this.specWithBounds(viewBounds) : spec, this.gridResolution());
    if (restart && !newStart && !this.race.lastBody) this.startRace();
    else if (restart && !newStart && !early) this.startRace();
    let grid;
    try {
      grid = await gridP;
    } catch (err) {
      this.toast(t('toast.error', { message: err.message }));
      return;
    }
    if (token !== this.surfaceToken) return;
    this.homeGrid = grid;
    if (!known) {
      this.plot.setHome(grid.bounds);
      this.plot.resize();
    }
    this.surfaceBounds = known || this.state.bounds || info?.bounds || grid.bounds;
    this.plot.setGrid(grid);
    if (!known) this.fetchViewGrid(this.plot.viewport.bounds(), true);
    $('zoom-reset').hidden = true;
    if (newStart) {
      const [a, b, c, d] = this.surfaceBounds;
      this.state.start = [Number((a + 0.2 * (b - a)).toPrecision(4)), Number((c + 0.8 * (d - c)).toPrecision(4))];
      this.renderRuns(); // the cards show the start point
      if (restart) this.startRace();
    }
    this.loss.fStar = info?.global_minimum ?? null;
    renderNotes($('panel-notes'), info, null);
    this.renderLegend();
    api.critical(spec).then((res) => {
      if (token !== this.surfaceToken) return;
      this.critical = res.critical_points;
      this.plot.setCritical(res.critical_points, lambdaReference(res.critical_points, 1));
      renderNotes($('panel-notes'), info, res.critical_points);
      this.dirty = true;
    }).catch(() => {});
    if (this.state.view === 'basins') this.loadBasins();
    if (this.state.view === '3d') this.show3d();
    this.dirty = true;
  }

  onViewChange(bounds, home, reason) {
    if (reason === 'resize') {
      // The window changed size: sample the newly visible margins (the home view included).
      this.refetchView(bounds, !this.plot.userZoomed);
      return;
    }
    $('zoom-reset').hidden = home;
    if (home) {
      if (this.homeGrid && this.plot.covers(this.homeGrid, bounds)) this.plot.setGrid(this.homeGrid);
      else this.refetchView(bounds, true);
      return;
    }
    this.refetchView(bounds, false);
  }

  async fetchViewGrid(bounds, home = false) {
    const token = this.surfaceToken;
    try {
      const grid = await this.grids.load(this.specWithBounds(bounds), Math.min(this.gridResolution(), 160));
      if (token !== this.surfaceToken) return;
      if (home) this.homeGrid = grid;
      this.plot.setGrid(grid);
    } catch {
      // zooming far out can leave the formula's domain: keep the old picture
    }
  }

  // --- race ---------------------------------------------------------------------------------
  raceBody(spec) {
    const dataset = this.catalog ? this.isDataset() : false;
    return {
      surface: spec || this.spec(),
      steps: this.state.steps,
      seed: this.state.seed,
      runs: this.state.runs.map((r) => {
        const run = {
          optimizer: r.optimizer, params: r.params, schedule: r.schedule,
          schedule_params: r.schedule_params, start: r.start || this.state.start,
        };
        if (dataset && r.batch_size) run.batch_size = r.batch_size;
        if (!dataset && r.noise) run.noise = r.noise;
        return run;
      }),
    };
  }

  startRace(spec) {
    this.eigenLatest = [];
    this.race.start(this.raceBody(spec));
    if (this.catalog) this.syncUrl();
  }

  onStarted(race) {
    this.eigenLatest = [];
    this.eigenAsked = [];
    this.eigenInflight = [];
    this.scrubMax = race.steps;
    $('pb-scrub').max = race.steps;
    // Show what the server resolved (defaults filled in) without rebuilding the cards.
    race.runs.forEach((run, i) => this.runPanel.setValues(i, run.params));
    if (this.state.step > 0 && !this.appliedInitialStep) {
      this.waitForStep = this.state.step;
      Object.assign(this.race, this.playPolicy(false)); // later races play as usual
    }
    this.appliedInitialStep = true;
    this.renderResults(true);
    if (this.state.view === 'basins') this.refetchBasins();
    this.dirty = true;
  }

  onRetuned(msg) {
    const name = this.optimizer(this.race.race.runs[msg.run].optimizer)?.name;
    this.toast(t('toast.retuned', { name, step: msg.step }));
    this.dirty = true;
  }

  onStreamError(message) {
    if (/has finished/.test(message)) return; // a late request after the race ended
    this.toast(t('toast.error', { message }));
  }

  onParam(i, key, value, final) {
    const run = this.state.runs[i];
    run.params = { ...run.params, [key]: value };
    this.syncUrl();
    if (this.state.view === 'basins' && i === this.state.selected) this.refetchBasins();
    if (this.race.canRetune(i)) {
      this.sendRetune(i, { [key]: value });
    } else if (final || !this.race.race) {
      if (this.race.race && this.race.race.runs[i]) {
        const name = this.optimizer(run.optimizer)?.name;
        this.toast(t('toast.restarted', { name }));
      }
      this.restartRace();
    }
  }

  addRun() {
    if (this.state.runs.length >= this.catalog.limits.max_runs) return;
    const used = new Set(this.state.runs.map((r) => r.optimizer));
    const next = ['momentum', 'rmsprop', 'nesterov', 'adagrad', 'newton', 'saddle_free_newton', 'adamw', 'sgd', 'adam']
      .find((id) => !used.has(id)) || 'sgd';
    this.state.runs.push(makeRun({ optimizer: next, params: this.defaultParams(next) }));
    this.state.selected = this.state.runs.length - 1;
    this.renderRuns();
    this.startRace();
  }

  select(i) {
    if (i === this.state.selected) return;
    this.state.selected = i;
    this.runPanel.select(i);
    if (this.state.view === 'basins') this.refetchBasins();
    this.dirty = true;
    this.lastSideKey = null;
    this.syncUrl();
  }

  onPlotClick(p) {
    if (this.state.view === '3d') return;
    const point = p.map((v) => Number(v.toPrecision(4)));
    this.state.start = point;
    for (const run of this.state.runs) run.start = null;
    this.renderRuns();
    this.startRace();
  }

  onStartDrag(i, p, final) {
    const point = p.map((v) => Number(v.toPrecision(4)));
    this.preview = final ? null : { index: i, point };
    this.dirty = true;
    if (!final) return;
    // Dragging moves that one run (it gets its own start; the card offers the way back to
    // the shared one); a click moves them all.
    this.state.runs[i].start = point;
    this.select(i);
    this.renderRuns();
    this.startRace();
  }

  starts() {
    return this.state.runs.map((r) => r.start || this.state.start);
  }

  // --- views ----------------------------------------------------------------------------------
  viewChrome(view) {
    for (const b of document.querySelectorAll('#view-tabs [data-view]')) {
      b.setAttribute('aria-selected', String(b.dataset.view === view));
    }
    const is3d = view === '3d';
    $('plot3d').hidden = !is3d;
    $('bg-canvas').style.visibility = is3d ? 'hidden' : '';
    $('fg-canvas').style.visibility = is3d ? 'hidden' : '';
  }

  setView(view) {
    this.state.view = view;
    this.viewChrome(view);
    const is3d = view === '3d';
    if (view === 'basins') this.loadBasins();
    else {
      this.basins = null;
      this.plot.setBasins(null);
      $('plot-message').hidden = true;
    }
    if (is3d) this.show3d();
    this.renderLegend();
    this.dirty = true;
    this.syncUrl();
  }

  async show3d() {
    const msg = $('plot-message');
    if (!window.Plotly) {
      msg.textContent = t('d3.loading');
      msg.hidden = false;
    }
    try {
      await this.plot3d.show(this.homeGrid, this.race.race, this.race.playback.cursor);
    } finally {
      if (this.state.view === '3d') msg.hidden = true;
    }
  }

  async loadBasins() {
    if (this.state.view !== 'basins' || !this.catalog) return;
    const run = this.state.runs[this.state.selected];
    const limits = this.catalog.limits;
    const body = {
      surface: this.spec(), optimizer: run.optimizer, params: run.params,
      steps: Math.min(this.state.steps, limits.max_basin_steps),
      resolution: Math.min(100, limits.max_basin_resolution), seed: this.state.seed,
    };
    const token = (this.basinToken = (this.basinToken || 0) + 1);
    const msg = $('plot-message');
    msg.textContent = t('basins.computing');
    msg.hidden = false;
    try {
      const basins = await api.basins(body);
      if (token !== this.basinToken || this.state.view !== 'basins') return;
      this.basins = { ...basins, optimizer: this.optimizer(run.optimizer)?.name, steps: body.steps };
      this.plot.setBasins(basins);
      this.renderLegend();
    } catch (err) {
      this.toast(t('toast.error', { message: err.message }));
    } finally {
      if (token === this.basinToken) msg.hidden = true;
    }
  }

  setPanel(panel, initial = false) {
    this.state.panel = panel;
    for (const b of document.querySelectorAll('#panel-tabs [data-panel]')) {
      b.setAttribute('aria-selected', String(b.dataset.panel === panel));
    }
    for (const id of ['inspector', 'graph', 'notes']) $(`panel-${id}`).hidden = id !== panel;
    this.lastSideKey = null;
    if (!initial) {
      this.dirty = true;
      this.syncUrl();
    }
  }

  renderLegend() {
    this.legend.render();
    this.legend.place();
  }

  // --- the animation loop ---------------------------------------------------------------------
  frame(now) {
    const dt = Math.min(0.1, (now - this.lastFrameTime) / 1000);
    this.lastFrameTime = now;
    const moved = this.race.tick(dt);
    const race = this.race.race;
    const pb = this.race.playback;
    if (this.waitForStep !== undefined && race && (race.available >= this.waitForStep || race.complete)) {
      pb.pause();
      pb.seek(this.waitForStep, race.available);
      this.waitForStep = undefined;
      this.dirty = true;
    }
    if (moved || this.dirty) {
      this.dirty = false;
      this.requestEigen();
      const scene = this.scene();
      if (this.state.view !== '3d') this.plot.drawForeground(scene);
      else this.update3d();
      this.loss.draw(race, pb.cursor, this.state.selected);
      this.updatePlaybar();
      this.refreshSide();
      this.renderResultsThrottled(now);
    }
    this.legend.place(); // moves only when the scene changed (a resize need not make it dirty)
    requestAnimationFrame((n) => this.frame(n));
  }

  update3d() {
    const now = performance.now();
    if (now - (this.last3d || 0) < 120) {
      this.dirty = true; // come back for the latest position
      return;
    }
    this.last3d = now;
    this.plot3d.update(this.race.race, this.race.playback.cursor);
  }

  scene() {
    return {
      race: this.race.race,
      cursor: this.race.playback.cursor,
      selected: this.state.selected,
      starts: this.starts(),
      eigenAt: (i, k) => this.eigenAt(i, k),
      taylor: this.taylor,
      preview: this.preview,
    };
  }

  /** The Hessian's eigen-decomposition at run i's point k: from the stream if it carries
   *  them, else the latest answer of POST /api/analyze for that run. */
  eigenAt(i, k) {
    const rec = this.race.race?.runs[i];
    if (rec?.eigenvalues[k]) return { eigenvalues: rec.eigenvalues[k], eigenvectors: rec.eigenvectors[k] };
    return this.eigenLatest[i]?.eig || null;
  }

  requestEigen() {
    const race = this.race.race;
    // Asked for with the arrows off too: the run cards show λmax, λmin, κ, 2/λmax from it.
    if (!race || this.state.view === '3d') return;
    const now = performance.now();
    const spec = this.currentSpec;
    if (!spec) return;
    race.runs.forEach((run, i) => {
      const k = run.indexAt(this.race.playback.cursor);
      if (k < 0 || run.eigenvalues[k]) return;
      if (this.eigenLatest[i]?.k === k && this.eigenLatest[i]?.race === race.race) return;
      if (this.eigenInflight[i] || now - (this.eigenAsked[i] || 0) < 100) {
        this.dirty = true;
        return;
      }
      const x = run.x[k];
      const y = run.y[k];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      this.eigenInflight[i] = true;
      this.eigenAsked[i] = now;
      this.analyzeAt(spec, [x, y]).then((a) => {
        this.eigenLatest[i] = { k, race: race.race, eig: { eigenvalues: a.eigenvalues, eigenvectors: a.eigenvectors } };
        this.dirty = true;
      }).catch(() => {}).finally(() => { this.eigenInflight[i] = false; });
    });
  }

  analyzeAt(spec, point) {
    const key = `${spec === this.currentSpec ? this.specKey : JSON.stringify(spec)}|${point[0]},${point[1]}`;
    return this.analysis.get(key, () => api.analyze(spec, point));
  }

  updatePlaybar() {
    const race = this.race.race;
    const pb = this.race.playback;
    const total = race ? (race.finalIndex ?? race.steps) : this.state.steps;
    const step = pb.step;
    const scrub = $('pb-scrub');
    if (Number(scrub.max) !== total) scrub.max = total;
    if (Number(scrub.value) !== step) scrub.value = step;
    const label = `${t('play.step', { step, total })}${pb.buffering ? ` · ${t('play.buffering')}` : ''}`;
    const out = $('pb-step');
    if (out.textContent !== label) out.textContent = label;
    const playing = pb.playing;
    if (this.wasPlaying !== playing) {
      this.wasPlaying = playing;
      const btn = $('pb-play');
      btn.setAttribute('aria-label', playing ? t('play.pause') : t('play.play'));
      btn.title = playing ? t('play.pause') : t('play.play');
      btn.querySelector('path').setAttribute('d', playing ? 'M6 4.5h4.5v15H6zM13.5 4.5H18v15h-4.5z' : 'M7 4.5v15L20 12z');
      if (!playing) this.syncUrl();
    }
  }

  /** Inspector, curvature read-outs, Taylor model and graph for the selected run's step. */
  async updateSide() {
    const race = this.race.race;
    const i = this.state.selected;
    const run = race?.runs[i];
    const k = run ? run.indexAt(this.race.playback.cursor) : -1;
    const key = `${race?.race}:${i}:${k}:${run?.length}:${this.state.panel}:${this.state.taylor}`;
    this.runPanel.updateStatus(race, this.race.playback.cursor);
    this.runPanel.updateCurvature((race?.runs || []).map((r, j) => {
      const kj = r.indexAt(this.race.playback.cursor);
      const eig = kj >= 0 ? this.eigenAt(j, kj) : null;
      const at = r.eigenvalues[kj] ? kj : this.eigenLatest[j]?.k; // the point it belongs to
      return eig && {
        eigenvalues: eig.eigenvalues, k: at, lr: Number.isFinite(r.lr[kj]) ? r.lr[kj] : r.paramsAt(kj)?.lr,
      };
    }));
    if (key === this.lastSideKey) return;
    this.lastSideKey = key;
    if (!run || k < 0) {
      renderInspector($('panel-inspector'), null);
      return;
    }
    const rec = run.record(k);
    const opt = this.optimizer(run.optimizer);
    const spec = this.currentSpec || this.spec();
    const view = {
      index: i, name: this.runNames()[i], optimizer: opt, rec, analysis: null,
      noisy: Boolean(this.state.runs[i]?.noise) || Boolean(this.state.runs[i]?.batch_size),
    };
    const point = rec.theta;
    if (!point.every(Number.isFinite)) {
      if (this.state.panel === 'inspector') renderInspector($('panel-inspector'), view);
      renderCurvature($('curvature'), null, rec.lr, view.name);
      return;
    }
    let analysis = null;
    try {
      analysis = await this.analyzeAt(spec, point);
    } catch {
      analysis = null;
    }
    if (key !== this.lastSideKey) return; // a newer step took over meanwhile
    view.analysis = analysis;
    const lr = Number.isFinite(rec.lr) ? rec.lr : resolveParams(opt?.params, this.state.runs[i]?.params).lr;
    renderCurvature($('curvature'), analysis, lr, t('insp.at', { name: view.name, k }));
    if (this.state.panel === 'inspector') renderInspector($('panel-inspector'), view);
    this.updateTaylor(analysis, point);
    if (this.state.panel === 'graph') {
      const gkey = `${JSON.stringify(spec)}|${point}`;
      try {
        const graph = await this.graphs.get(gkey, () => api.graph(spec, point));
        if (key === this.lastSideKey) renderGraph($('panel-graph'), graph, point);
      } catch {
        renderGraph($('panel-graph'), null);
      }
    }
  }

  updateTaylor(analysis, point) {
    if (!this.state.taylor || !analysis || !this.plot.levels.length) {
      this.taylor = null;
      return;
    }
    const [x0, x1] = this.plot.viewport.bounds();
    const half = (x1 - x0) * 0.14;
    const grid = taylorGrid(point, analysis.value, analysis.grad, analysis.hessian, half, 41);
    this.taylor = { center: point, half, grid, levels: levelsNear(this.plot.levels, grid, 10) };
    this.dirty = true;
  }

  renderResultsThrottled(now) {
    // While playing, the lines are rewritten at most every 200 ms (a screen reader and the
    // layout need not follow every frame); paused, stepped or at the end they show the step
    // on screen at once.
    if (this.race.playback.playing && now - (this.lastResults || 0) < 200) {
      this.dirty = true; // come back: the lines must end on the step shown (after a pause too)
      return;
    }
    this.lastResults = now;
    this.renderResults();
  }

  renderResults(force = false) {
    const race = this.race.race;
    const el = $('results');
    const cursor = this.race.playback.cursor;
    const names = this.runNames();
    const lines = (race?.runs || []).map((run, i) => resultLine(names[i], run, run.indexAt(cursor)));
    const key = lines.join('|');
    if (!force && key === this.lastResultsKey) return;
    this.lastResultsKey = key;
    clear(el);
    lines.forEach((text, i) => el.append(h('li', { 'data-run': i }, shapeIcon(runShape(i), runColor(i), 16), h('span', {}, text))));
  }

  /** Each run's display name; runs that share an optimizer get the settings that differ. */
  runNames() {
    return runLabels(this.race.race?.runs || [], (id) => this.optimizer(id)?.name || id);
  }

  announceResults() {
    const race = this.race.race;
    if (!race) return;
    if (!this.catalog) {
      // A short race can finish before the catalog (the optimizers' names) has arrived.
      this.announcePending = true;
      return;
    }
    this.announcePending = false;
    const names = this.runNames();
    const text = race.runs.map((run, i) => resultLine(names[i], run)).join(' ');
    $('announce').textContent = text;
  }

  // --- playback helpers -----------------------------------------------------------------------
  togglePlay() {
    const race = this.race.race;
    this.race.playback.toggle(race?.finalIndex ?? null);
    this.dirty = true;
  }

  stepBy(n) {
    const race = this.race.race;
    this.race.playback.stepBy(n, race?.available ?? 0);
    this.dirty = true;
    this.syncUrl();
  }

  onKey(e) {
    this.share.onKey(e); // the shortcuts table: lib/keys.js
  }

  // --- URL, toasts ------------------------------------------------------------------------------
  writeUrl() {
    const pb = this.race.playback;
    // Back/Forward (or a typed hash) moved to another entry that onHashChange has not loaded
    // yet: writing now would overwrite that entry with the scene being left.
    if (location.hash.replace(/^#/, '') !== this.writtenHash) return;
    // Until a link's step is on screen (its race still arriving), the link's step stands.
    if (this.appliedInitialStep && this.waitForStep === undefined) this.state.step = pb.playing ? 0 : pb.step;
    const hash = toHash(this.state);
    this.writtenHash = hash;
    const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
    const current = location.hash.replace(/^#/, '');
    // A new scene gets its own history entry (Back returns to the previous scene); steps,
    // drags and toggles replace it. The boot's own write and the embed page only replace.
    const action = this.urlWritten && this.mode !== 'embed'
      ? historyAction(fromHash(current), this.state, current, hash) : 'replace';
    this.urlWritten = true;
    if (action === 'push') history.pushState(null, '', url);
    else if (current !== hash) history.replaceState(null, '', url);
    this.share?.onUrl();
  }

  onHashChange() {
    const hash = location.hash.replace(/^#/, '');
    if (hash === this.writtenHash) return;
    this.writtenHash = hash; // (a stale value would swallow a later Forward to that hash)
    const lang = this.state.lang;
    this.state = fromHash(hash);
    setLang(this.state.lang);
    this.sanitizeRuns();
    // Back/forward to a scene: its step (if any) shown paused, its playback options; the
    // writes that follow only tidy this entry (they must not push and cut off Forward).
    this.appliedInitialStep = false;
    this.urlWritten = false;
    Object.assign(this.race, this.playPolicy(true));
    this.race.playback.loop = this.state.loop;
    this.share.applyPresenter();
    this.surfaceBar.show(this.state);
    this.renderRuns();
    this.syncControls();
    this.setView(this.state.view);
    this.setPanel(this.state.panel);
    this.populateLessons();
    this.loadSurface({ restart: true });
    if (this.state.lang !== lang) applyLanguage(this);
  }

  toast(text) {
    const el = $('toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { el.hidden = true; }, 3200);
  }
}
