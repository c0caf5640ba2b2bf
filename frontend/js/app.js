// The controller: one scene state (lib/state.js), the catalog from the server, and the views.
// Events from the views change the state; the state decides what to fetch and what to race.

import { api } from './net/api.js';
import { GridLoader } from './net/grids.js';
import {
  fromHash, toHash, surfaceSpec, makeRun, defaultState, changeFrom, paramsAt, applyLimits,
  setDefaultRuns,
} from './lib/state.js';
import { lambdaReference } from './lib/geometry.js';
import { resultLine } from './lib/explain.js';
import { runLabel, surfaceName } from './ui/exportscene.js';
import { runLabels } from './lib/runlabels.js';
import { runColor, runShape, setRunStyles } from './lib/palette.js';
import { t, setLang } from './lib/i18n.js';
import { errorText } from './lib/errortext.js';
import { mountRegistry, showPanel, showViewTab } from './ui/panels.js';
import { OVERLAYS, viewOf } from './lib/registry.js';
import {
  initialLanguage, translatePage, keepingOpenCards, announceLanguage,
} from './ui/language.js';
import { localizeCatalog } from './lib/catalog_i18n.js';
import { sceneToState } from './lib/lessonscene.js';
import { RaceControl } from './ui/racecontrol.js';
import { SidePanel } from './ui/sidepanel.js';
import { buildViews, bindControls } from './ui/controls.js';
import { finishRace } from './ui/lessonpanel.js';
import { racePlayed } from './lib/lessonsteps.js';
import { historyAction, raceKey } from './lib/urlhistory.js';
import { UndoStack } from './lib/undo.js';
import { playPolicy, prefersReducedMotion } from './lib/motion.js';
import { $, h, clear, shapeIcon, throttle, debounce } from './ui/dom.js';
import { openingHash, showIntro, applyAdvanced } from './ui/firstopen.js';
import { openNetworkScene } from './network/scene.js';


export class App {
  /** mode: 'app' (index.html) or 'embed' (embed.html: chromeless, for slides). */
  constructor({ mode = 'app' } = {}) {
    this.mode = mode;
    this.reducedMotion = prefersReducedMotion();
    // A bare address opens the gentle welcome scene (ui/firstopen.js), written into the URL.
    const opening = openingHash(location.hash, mode);
    this.bare = opening !== location.hash.replace(/^#/, '');
    if (this.bare) history.replaceState(null, '', `${location.pathname}${location.search}#${opening}`);
    this.state = fromHash(opening);
    this.writtenHash = opening; // the entry this state came from
    this.state.lang = initialLanguage(location.hash, navigator.languages || []);
    setLang(this.state.lang);
    this.grids = new GridLoader();
    this.side = new SidePanel(this.sideInput()); // inspector, curvature, Taylor model, graph, eigen answers
    this.dirty = true;
    this.lastFrameTime = performance.now();
    this.race = new RaceControl({
      started: (race) => this.onStarted(race),
      frame: () => { this.dirty = true; },
      retuned: (msg) => this.onRetuned(msg),
      done: () => { this.dirty = true; this.announceResults(); },
      error: (message, m) => this.onStreamError(message, m),
      connection: (status) => { if (status === 'closed') this.toast(t('toast.offline')); },
      body: () => this.raceBody(), // a resumed race replays the changes made during it
    });
    // A lesson waits for its prediction (its panel plays the scene); reduced motion shows
    // the whole path at once; a link's step is shown paused (lib/motion.js).
    Object.assign(this.race, this.playPolicy(true));
    this.race.playback.loop = this.state.loop;
    this.restartRace = throttle(() => this.startRace(), 120);
    this.sendRetune = throttle((i, params) => this.race.retune(i, params), 180);
    this.syncUrl = debounce(() => this.writeUrl(), 250);
    this.refreshSide = throttle(() => this.side.update(), 140);
    this.refetchView = debounce((bounds, home) => this.fetchViewGrid(bounds, home), 200);
    this.refetchBasins = debounce(() => this.loadBasins(), 350);
    this.undoStack = new UndoStack(); // scene edits (lib/undo.js): Ctrl+Z, Ctrl+Shift+Z
    this.pendingRetune = {}; // run index -> settings sent live, recorded when the server says at which step
  }

  async boot() {
    mountRegistry(); // the tabs, toggles and panels of lib/registry.js, before they are bound
    // The views and the static controls (ui/controls.js), with the App's handlers.
    const wiring = this.wiring();
    const views = buildViews(wiring);
    Object.assign(this, views);
    Object.assign(this, bindControls(wiring, views));
    const limitsP = api.limits();
    const catalogP = Promise.all([
      api.surfaces(), api.datasets(), api.optimizers(), api.schedules(), limitsP,
      api.lessons().catch(() => []),
    ]);
    catalogP.catch(() => {}); // (awaited below; a failure is reported there, once)
    // The scene's grid and race need no catalog unless the link uses data-set features:
    // ask for both at once, so the first picture does not wait for the catalog.
    const simple = !this.state.bounds && !Object.keys(this.state.options || {}).length
      && (this.state.runs || []).every((r) => !r.noise && !r.batch_size);
    let early = null;
    if (simple) {
      const spec = surfaceSpec(this.state, null);
      early = this.grids.load(spec, this.gridResolution());
      // The race waits only for the limits (a small answer): a link without runs races the
      // server's default runs, and no race asks for more than this server serves.
      this.withinLimits(await limitsP);
      this.startRace(spec);
    }
    const [surfaces, datasets, optimizers, schedules, limits, lessons] = await catalogP;
    this.catalog = { surfaces, datasets, optimizers, schedules, limits, lessons };
    localizeCatalog(this.catalog, this.state.lang);
    if (this.announcePending) this.announceResults();
    this.populateLessons();
    const lesson = this.bareLesson(location.hash);
    if (lesson) {
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
    // Listening before the grid arrives: the race (a known surface's) may be on screen by
    // then, and a hash changed in the meantime must not be lost.
    window.addEventListener('hashchange', () => this.onHashChange());
    await this.loadSurface({ restart: true, early });
    requestAnimationFrame((now) => this.frame(now));
    // Once per browser, on a bare address.
    showIntro({ bare: this.bare, mode: this.mode, onLessons: () => this.lessonPanel.openGallery() });
  }

  /** The lesson a bare "#l=saddle_point" link names (no scene of its own), else null. */
  bareLesson(hash) {
    const text = hash.replace(/^#/, '');
    const lesson = (this.catalog?.lessons || []).find((l) => l.id === fromHash(text).lesson);
    return lesson && !text.split('&').some((p) => /^(s|r|f|x)=/.test(p)) ? lesson : null;
  }

  /** How the next race starts playing (autoplay, paused, or instant for reduced motion). */
  playPolicy(first) {
    // A lesson's embed does not play by itself unless its link says so (no answer given away).
    const quiet = this.mode === 'embed' && this.state.lesson && this.state.autoplay === null;
    return playPolicy({
      first, step: this.state.step, autoplay: quiet ? false : this.state.autoplay,
      // The embed page shows no lesson panel, so a lesson there plays like any scene.
      reduced: this.reducedMotion, lesson: this.mode === 'embed' ? '' : this.state.lesson,
    });
  }

  // --- catalog helpers ----------------------------------------------------------------------
  optimizer(id) {
    return this.catalog?.optimizers.find((o) => o.id === id);
  }

  defaultParams(id) {
    // The server's learning rate for a first look (the schema defaults are torch's, tuned
    // for networks, and barely move on these surfaces); none: the schema's default.
    const lr = this.optimizer(id)?.playground_lr;
    return lr == null ? {} : { lr };
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

  /** The scene within the catalog and the server's limits: runs of unknown optimizers
   *  dropped (none left, or none named: the served default runs), numbers bounded. */
  sanitizeRuns() {
    const known = new Set(this.catalog.optimizers.map((o) => o.id));
    this.state.runs = (this.state.runs || []).filter((r) => known.has(r.optimizer));
    this.withinLimits(this.catalog.limits);
  }

  /** The scene within GET /api/limits: its default runs (what a link without r= means,
   *  from now on), steps, seed, playback speed, runs and changes bounded by the server's. */
  withinLimits(limits) {
    setDefaultRuns(limits.default_runs);
    applyLimits(this.state, limits);
    this.race.playback.setSpeed(this.state.speed);
  }

  renderRuns() {
    setRunStyles(this.state.runs.map((r) => r.optimizer)); // each optimizer its own colour
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
    // A lesson about a real network opens the Network mode with its scene (network/scene.js).
    if (scene?.mode === 'network') return openNetworkScene(scene, lesson.id, this.state.lang);
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
    for (const o of OVERLAYS) $(`ov-${o.id}`).checked = this.state[o.id];
    this.plot.setOverlays(Object.fromEntries(OVERLAYS.map((o) => [o.id, this.state[o.id]])));
    applyAdvanced(this.state.advanced);
    this.renderLegend();
  }

  // --- surface ------------------------------------------------------------------------------
  setSurface(id) {
    if (this.state.lesson) this.closeLesson();
    this.bakeChanges();
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
    this.bakeChanges();
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
    this.side.clearSurface();
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
      this.toast(errorText(err));
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
      // The server's default start for this surface (GridResponse.start: the rule a run
      // without a start follows there too), rounded for a short link.
      this.state.start = grid.start.map((v) => Number(v.toPrecision(4)));
      this.renderRuns(); // the cards show the start point
      if (restart) this.startRace();
    }
    this.loss.fStar = info?.global_minimum ?? null;
    this.side.invalidate(); // "About this surface" and the other panels show the new one
    this.renderLegend();
    api.critical(spec).then((res) => {
      if (token !== this.surfaceToken) return;
      this.critical = res.critical_points;
      this.plot.setCritical(res.critical_points, lambdaReference(res.critical_points, 1));
      this.side.invalidate();
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
        // The settings changed mid-race: the server replays them at their steps.
        if (r.changes?.length) run.changes = r.changes.filter((c) => c.step < this.state.steps);
        return run;
      }),
    };
  }

  /**
   * A new race (another start, surface, run, schedule...): the settings changed mid-race
   * belonged to the race they were made in; the new one starts with each run's latest
   * settings from step 0. (Restart, links, undo and an edit's replay keep them.)
   */
  bakeChanges() {
    this.state.runs = this.state.runs.map((r) => (r.changes?.length
      ? { ...r, params: paramsAt(r, Infinity), changes: [] } : r));
  }

  newRace() {
    this.bakeChanges();
    this.startRace();
  }

  /** keepCursor: replay the race under the playhead (a change from the step on screen). */
  startRace(spec, keepCursor = false) {
    this.side.clearEigen();
    this.pendingRetune = {};
    this.race.start(this.raceBody(spec), keepCursor);
    if (this.catalog) this.syncUrl();
  }

  onStarted(race) {
    this.side.clearEigen(true);
    setRunStyles(race.runs.map((r) => r.optimizer));
    this.scrubMax = race.steps;
    $('pb-scrub').max = race.steps;
    // Show what the server resolved (defaults filled in) without rebuilding the cards.
    race.runs.forEach((run, i) => this.runPanel.setValues(i, run.params));
    if (this.state.step > 0 && !this.appliedInitialStep) {
      this.waitForStep = this.state.step;
      this.race.fetchUntil = this.state.step;
      Object.assign(this.race, this.playPolicy(false)); // later races play as usual
    }
    this.appliedInitialStep = true;
    this.renderResults(true);
    if (this.state.view === 'basins') this.refetchBasins();
    this.dirty = true;
  }

  onRetuned(msg) {
    const name = this.optimizer(this.race.race.runs[msg.run].optimizer)?.name;
    // The change is part of the scene from now on: the link and the exports replay it.
    // The keys the user changed, with the values the server says are now in force (several
    // quick edits may be answered one by one: each reply records its own value at its step).
    const keys = Object.keys(this.pendingRetune[msg.run] || {});
    const run = this.state.runs[msg.run];
    if (keys.length && run && msg.step > 0) {
      const params = Object.fromEntries(keys.filter((k) => k in msg.params).map((k) => [k, msg.params[k]]));
      this.state.runs[msg.run] = changeFrom(run, msg.step, params);
      this.syncUrl();
    }
    this.toast(t('toast.retuned', { name, step: msg.step }));
    this.dirty = true;
  }

  onStreamError(message, m) {
    if (/has finished/.test(message)) return; // a late request after the race ended
    if (m?.code === 'idle') return; // reconnects quietly with the next race (net/stream.js)
    this.toast(errorText(m || { message }));
  }

  /**
   * A setting edited on a run card. One rule, said by the toast: the new value holds from
   * the step on screen on, and the change is part of the scene (links, exports and undo
   * replay it). While the race streams, the server applies it at the step it has reached
   * (a little ahead of the picture); on a finished race the race is replayed with the change
   * at the playhead; at step 0 or at the end of the race it holds from step 0 (a restart).
   * A slider applies on release (its card shows the value while dragging).
   */
  onParam(i, key, value, final) {
    if (!final) return;
    const run = this.state.runs[i];
    const race = this.race.race;
    const track = race?.runs[i];
    const k = this.race.playback.step;
    const name = this.optimizer(run.optimizer)?.name;
    if (this.state.view === 'basins' && i === this.state.selected) this.refetchBasins();
    if (track && k > 0 && this.race.canRetune(i)) {
      this.pendingRetune[i] = { ...(this.pendingRetune[i] || {}), [key]: value };
      this.sendRetune(i, { [key]: value });
      return;
    }
    const from = track && k > 0 && k < track.length - 1 ? k : 0;
    this.state.runs[i] = changeFrom(run, from, { [key]: value });
    if (from > 0) {
      this.toast(t('toast.changedFrom', { name, step: from }));
      this.startRace(undefined, true);
    } else {
      if (track) this.toast(t('toast.fromStart', { name }));
      this.restartRace();
    }
  }

  addRun() {
    if (this.state.runs.length >= this.catalog.limits.max_runs) return;
    // The catalog's order (core's registry): the first optimizer the race does not have yet.
    const used = new Set(this.state.runs.map((r) => r.optimizer));
    const ids = this.catalog.optimizers.map((o) => o.id);
    const next = ids.find((id) => !used.has(id)) || ids[0];
    this.state.runs.push(makeRun({ optimizer: next, params: this.defaultParams(next) }));
    this.state.selected = this.state.runs.length - 1;
    this.renderRuns();
    this.newRace();
  }

  select(i) {
    if (i === this.state.selected) return;
    this.state.selected = i;
    this.runPanel.select(i);
    if (this.state.view === 'basins') this.refetchBasins();
    this.dirty = true;
    this.side.invalidate();
    this.syncUrl();
  }

  onPlotClick(p) {
    if (this.state.view === '3d') return;
    const point = p.map((v) => Number(v.toPrecision(4)));
    this.state.start = point;
    for (const run of this.state.runs) run.start = null;
    this.renderRuns();
    this.newRace();
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
    this.newRace();
  }

  starts() {
    return this.state.runs.map((r) => r.start || this.state.start);
  }

  // --- the views' wiring ----------------------------------------------------------------------
  /**
   * What the views built by ui/controls.js get from the App: values, getters and the
   * handlers of their events, by name. No view sees the App itself.
   */
  /** What the side panel reads (ui/sidepanel.js): getters, read when it draws, and a redraw. */
  sideInput() {
    return {
      state: () => this.state,
      race: () => this.race.race,
      cursor: () => this.race.playback.cursor,
      currentSpec: () => this.currentSpec,
      specKey: () => this.specKey,
      spec: () => (this.catalog ? this.spec() : null),
      surfaceInfo: () => (this.catalog ? this.surfaceInfo() : null),
      critical: () => this.critical,
      surfaceToken: () => this.surfaceToken,
      runNames: () => this.runNames(),
      optimizer: (id) => this.optimizer(id),
      runPanel: () => this.runPanel,
      plot: () => this.plot,
      redraw: () => { this.dirty = true; },
    };
  }

  wiring() {
    return {
      mode: this.mode,
      state: () => this.state, // read: the initial values of the switches, the link
      optimizer: (id) => this.optimizer(id),
      legend: () => this.legendInput(),
      exports: { shot: () => this.exportShot(), state: () => this.state, raceBody: () => this.raceBody() },
      lesson: {
        open: (lesson) => this.applyLesson(lesson, true),
        close: () => this.closeLesson(),
        play: () => this.playLesson(),
        skipToEnd: () => { this.waitForStep = finishRace(this.race); this.dirty = true; },
        played: () => racePlayed(this.race.race, this.race.playback.cursor),
        variant: (lesson, on) => this.applyLesson(lesson, true, { scene: on ? lesson.variant.scene : lesson.scene, keepPanel: true }),
      },
      plot: {
        onClick: (p) => this.onPlotClick(p),
        onStartDrag: (i, p, final) => this.onStartDrag(i, p, final),
        onViewChange: (bounds, home, reason) => this.onViewChange(bounds, home, reason),
      },
      surface: {
        onSurface: (id) => this.setSurface(id),
        onFormula: (text) => this.setFormula(text),
        onOptions: (options) => { this.state.options = options; this.bakeChanges(); this.loadSurface({ restart: true }); },
        onSteps: (n) => { this.state.steps = n; this.newRace(); },
      },
      runs: {
        onParam: (i, key, value, final) => this.onParam(i, key, value, final),
        onOptimizer: (i, id) => this.editRun(i, { optimizer: id, params: this.defaultParams(id), changes: [] }, true),
        onSchedule: (i, id, params) => this.editRun(i, { schedule: id, schedule_params: params }, true),
        onNoise: (i, v) => this.editRun(i, { noise: v }),
        onBatch: (i, n) => this.editRun(i, { batch_size: n }),
        onStart: (i, start) => this.editRun(i, { start }, true),
        onSelect: (i) => this.select(i),
        onDuplicate: (i) => this.duplicateRun(i),
        onRemove: (i) => this.removeRun(i),
      },
      scene: { addRun: () => this.addRun(), undo: () => this.undo(), redo: () => this.redo(), reset: () => this.resetScene() },
      view: {
        setView: (view) => this.setView(view),
        setPanel: (panel, initial) => this.setPanel(panel, initial),
        setOverlay: (key, on) => this.setOverlay(key, on),
        setAdvanced: (on) => this.setAdvanced(on),
        setLogLoss: (on) => { this.state.logLoss = on; this.loss.log = on; this.dirty = true; this.syncUrl(); },
      },
      playback: { setSpeed: (v, initial) => this.setSpeed(v, initial), seek: (k) => this.seek(k) },
      // The playback bar's buttons and the keyboard's shortcuts (lib/keys.js).
      actions: {
        play: () => this.togglePlay(),
        undo: () => this.undo(),
        redo: () => this.redo(),
        forward: () => this.stepBy(1),
        back: () => this.stepBy(-1),
        forward10: () => this.stepBy(10),
        back10: () => this.stepBy(-10),
        home: () => this.rewind(),
        restart: () => this.startRace(),
      },
      share: {
        step: () => (this.race.playback.playing ? 0 : this.race.playback.step),
        writeUrl: () => this.writeUrl(),
        toast: (text) => this.toast(text),
        redraw: () => { this.plot?.resize(); this.dirty = true; },
        setPresenter: (on) => { this.state.presenter = on; this.syncUrl(); },
      },
      onLanguage: (lang) => this.setLanguage(lang),
    };
  }

  /** A run card's edit (render: its cards are drawn again); a new race. */
  editRun(i, patch, render = false) {
    const run = this.state.runs[i];
    // Another optimizer makes a new run (its own defaults); other edits change this one.
    if ('optimizer' in patch) this.state.runs[i] = makeRun({ ...run, ...patch });
    else Object.assign(run, patch);
    if (render) this.renderRuns();
    this.newRace();
  }

  duplicateRun(i) {
    if (this.state.runs.length >= this.catalog.limits.max_runs) return;
    this.state.runs.splice(i + 1, 0, makeRun(JSON.parse(JSON.stringify(this.state.runs[i]))));
    this.state.selected = i + 1;
    this.renderRuns();
    this.newRace();
  }

  removeRun(i) {
    if (this.state.runs.length <= 1) return;
    const name = this.runNames()[i] || this.optimizer(this.state.runs[i].optimizer)?.name;
    this.state.runs.splice(i, 1);
    this.state.selected = Math.min(this.state.selected, this.state.runs.length - 1);
    this.renderRuns();
    this.newRace();
    // One click took a run and its settings away: offer them back at once.
    this.toast(t('toast.removed', { name }), { label: t('toast.undo'), run: () => this.undo() });
  }

  /** A lesson's "play": its race plays (and later ones autoplay). */
  playLesson() {
    this.race.autoplay = true;
    if (!this.race.playback.playing) this.race.playback.play(this.race.race?.finalIndex ?? null);
    this.dirty = true;
  }

  setOverlay(key, on) {
    this.state[key] = on;
    this.plot.setOverlays({ [key]: on });
    this.renderLegend();
    this.dirty = true;
    this.syncUrl();
  }

  /** The Advanced switch (ui/firstopen.js): the curvature read-outs shown or hidden. */
  setAdvanced(on) {
    this.state.advanced = on;
    this.side.invalidate();
    this.plot?.resize();
    this.dirty = true;
    this.syncUrl();
  }

  // --- views ----------------------------------------------------------------------------------
  viewChrome(view) {
    showViewTab(view);
    const canvas = viewOf(view).canvas; // else the 3D view's plotly div
    $('plot3d').hidden = canvas;
    $('bg-canvas').style.visibility = canvas ? '' : 'hidden';
    $('fg-canvas').style.visibility = canvas ? '' : 'hidden';
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
      await this.plot3d.show(this.scene3d());
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
      this.toast(errorText(err));
    } finally {
      if (token === this.basinToken) msg.hidden = true;
    }
  }

  setPanel(panel, initial = false) {
    this.state.panel = panel;
    showPanel(panel); // its tab selected, its section shown (ui/panels.js)
    this.side.invalidate();
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
      this.race.fetchUntil = 0;
      this.dirty = true;
    }
    if (moved || this.dirty) {
      this.dirty = false;
      this.side.requestEigen();
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
    this.plot3d.update(this.scene3d());
  }

  /** The 3D view's input: the contour view's runs, starts and critical points (lib/scene.js). */
  scene3d() {
    const fg = this.plot.foregroundInput(this.scene());
    return {
      grid: this.homeGrid, critical: this.critical, showCritical: this.state.critical,
      runs: fg.runs, starts: fg.starts, selected: fg.selected,
    };
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

  /** What the exports draw (ui/exportscene.js): the picture on screen now, as values. */
  exportShot() {
    const pb = this.race.playback;
    return {
      plot: this.plot, plot3d: this.plot3d, view: this.state.view,
      race: this.race.race, step: pb.step, cursor: pb.cursor, playing: pb.playing,
      scene: this.scene(), starts: this.starts(), steps: this.state.steps,
      surfaceName: surfaceName(this.state, this.catalog ? this.surfaceInfo() : null),
      optimizerName: (id) => this.optimizer(id)?.name,
    };
  }

  /** What the plot's legend explains (ui/legend.js). */
  legendInput() {
    const s = this.state;
    return {
      view: s.view, basins: this.basins, runs: s.runs.length, race: this.race.race,
      names: () => this.runNames(), critical: s.critical, eigen: s.eigen, taylor: s.taylor,
      starts: this.starts(),
    };
  }

  /** Run i's eigen-decomposition at point k (ui/sidepanel.js); the export and tests ask too. */
  eigenAt(i, k) {
    return this.side.eigenAt(i, k);
  }

  /** The Taylor model on the plot (ui/sidepanel.js). */
  get taylor() {
    return this.side.taylor;
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
    const hidden = this.answerHidden();
    const key = `${hidden}|${lines.join('|')}`;
    if (!force && key === this.lastResultsKey) return;
    this.lastResultsKey = key;
    clear(el);
    this.runKey?.render(this.state.runKey && race ? race.runs.map((run, i) => ({ i, label: runLabel(run, (id) => this.optimizer(id)?.name) })) : []);
    el.hidden = hidden;
    if (hidden) return;
    lines.forEach((text, i) => el.append(h('li', { 'data-run': i }, shapeIcon(runShape(i), runColor(i), 16), h('span', {}, text))));
  }

  /** An embed with the answer hidden (ans=0, or a lesson's embed by default): the results
   *  stay hidden until the race has played to its end once. */
  answerHidden() {
    if (this.mode !== 'embed' || this.answerSeen) return false;
    const hide = this.state.answer === false || (this.state.answer === null && Boolean(this.state.lesson));
    if (!hide) return false;
    const race = this.race.race;
    if (race?.complete && this.race.playback.cursor >= race.finalIndex) {
      this.answerSeen = true;
      return false;
    }
    return true;
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
    if (this.answerHidden()) return; // announced when shown
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

  /** Back to step 0, paused (the bar's first button, Home). */
  rewind() {
    const pb = this.race.playback;
    pb.pause();
    pb.reset();
    this.dirty = true;
    this.syncUrl();
  }

  /** The scrubber: paused at step k (as far as the race has arrived). */
  seek(k) {
    const pb = this.race.playback;
    pb.pause();
    pb.seek(k, this.race.race?.available ?? 0);
    this.dirty = true;
    this.syncUrl();
  }

  /** initial: the link's speed at boot (already the state's: nothing to write). */
  setSpeed(v, initial = false) {
    const pb = this.race.playback;
    pb.setSpeed(v);
    if (initial) return;
    this.state.speed = pb.speed;
    this.syncUrl();
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
    const before = fromHash(current);
    const action = this.urlWritten && this.mode !== 'embed'
      ? historyAction(before, this.state, current, hash) : 'replace';
    if (this.urlWritten && !this.restoring && raceKey(before) !== raceKey(this.state)) {
      this.undoStack.record(current); // an edit changed the race: Ctrl+Z returns here
    }
    this.restoring = false;
    this.urlWritten = true;
    if (action === 'push') history.pushState(null, '', url);
    else if (current !== hash) history.replaceState(null, '', url);
    this.share?.onUrl();
  }

  onHashChange() {
    const hash = location.hash.replace(/^#/, '');
    if (hash === this.writtenHash) return;
    this.writtenHash = hash; // (a stale value would swallow a later Forward to that hash)
    // Back/forward to a scene: its step (if any) shown paused, its playback options; the
    // writes that follow only tidy this entry (they must not push and cut off Forward).
    this.urlWritten = false;
    this.loadScene(fromHash(hash), hash);
  }

  /**
   * Show another scene in this page (Back/Forward, a typed or pasted link, undo, reset).
   * A bare lesson link ("#l=saddle_point") loads that lesson's own scene.
   */
  loadScene(state, hash = toHash(state)) {
    const lang = this.state.lang;
    this.state = state;
    setLang(this.state.lang);
    this.sanitizeRuns();
    this.appliedInitialStep = false;
    this.waitForStep = undefined;
    this.race.fetchUntil = 0;
    const lesson = this.bareLesson(hash);
    if (lesson) {
      if (this.state.lang !== lang) this.setLanguage();
      this.applyLesson(lesson, true);
      return;
    }
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
    if (this.state.lang !== lang) this.setLanguage();
  }

  /**
   * Switch to `lang` (the language switch, a link, Back) or re-apply the current one: the
   * page's words (ui/language.js), the catalog's names and every panel drawn from them. The
   * race, the playback position and the selection stay.
   */
  setLanguage(lang = this.state.lang) {
    this.state.lang = lang;
    setLang(lang);
    translatePage();
    this.wasPlaying = undefined; // the play button relabels itself on the next frame
    if (this.catalog) {
      localizeCatalog(this.catalog, lang);
      this.surfaceBar.populate(this.catalog, this.state);
      this.populateLessons();
      this.lessonPanel.rerender();
      keepingOpenCards(() => this.renderRuns());
      if (this.basins) this.basins.optimizer = this.optimizer(this.state.runs[this.state.selected]?.optimizer)?.name;
      this.renderLegend();
    }
    this.side.invalidate();
    this.lastResultsKey = null;
    this.renderResults(true);
    if (this.plot3d.ready) {
      this.plot3d.ready = false; // plotly's own words: redrawn with the new locale
      if (this.state.view === '3d') this.show3d();
    }
    this.dirty = true;
    announceLanguage(lang);
    this.syncUrl();
  }

  // --- undo, redo, reset ---------------------------------------------------------------------
  /** Back to the scene before the last edit that changed the race (Ctrl+Z). */
  undo() {
    this.writeUrl(); // a debounced edit is an edit too
    const prev = this.undoStack.undo(location.hash.replace(/^#/, ''));
    if (prev === null) {
      this.toast(t('undo.nothing'));
      return;
    }
    this.restoreScene(prev);
    this.toast(t('undo.done'));
  }

  /** The edit an undo took back, again (Ctrl+Shift+Z, Ctrl+Y). */
  redo() {
    const next = this.undoStack.redo(location.hash.replace(/^#/, ''));
    if (next === null) {
      this.toast(t('redo.nothing'));
      return;
    }
    this.restoreScene(next);
    this.toast(t('redo.done'));
  }

  /** The start scene, keeping the page's language and presenter mode; undoable. */
  resetScene() {
    this.writeUrl();
    const state = defaultState();
    state.lang = this.state.lang;
    state.presenter = this.state.presenter;
    if (this.state.lesson) this.closeLesson();
    this.loadScene(state);
    this.writeUrl();
    this.toast(t('reset.done'));
  }

  restoreScene(hash) {
    const state = fromHash(hash);
    state.step = 0; // an undone scene plays from the start
    this.restoring = true; // its own URL write records nothing
    if (this.state.lesson && state.lesson !== this.state.lesson) this.closeLesson();
    this.loadScene(state, hash);
    this.writeUrl();
  }

  /** A short message; with an action ({label, run}) a button in it (e.g. Undo). */
  toast(text, action = null) {
    const el = $('toast');
    el.textContent = text;
    if (action) {
      const b = h('button', { type: 'button', class: 'toast-action' }, action.label);
      b.addEventListener('click', () => {
        el.hidden = true;
        action.run();
      });
      el.append(' ', b);
    }
    el.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { el.hidden = true; }, action ? 8000 : 3200);
  }
}
