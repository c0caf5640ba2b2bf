// The static page's wiring: builds the views (plot, loss chart, 3D, surface bar, run cards,
// lesson panel, legend, share, export) and binds the fixed controls (tabs, overlays,
// playback bar, keys, language) to the App's handlers. Run once, at boot.

import { api } from '../net/api.js';
import { makeRun } from '../lib/state.js';
import { resolveParams } from '../lib/params.js';
import { SPEEDS } from '../lib/playback.js';
import { t } from '../lib/i18n.js';
import { racePlayed } from '../lib/lessonsteps.js';
import { PlotView } from './plotview.js';
import { LossChart } from './losschart.js';
import { RunPanel } from './runpanel.js';
import { SurfaceBar } from './surfacebar.js';
import { translateStatic, mountLanguageSwitch } from './language.js';
import { StartCursor, keyboardTabs } from './a11y.js';
import { LessonPanel, finishRace } from './lessonpanel.js';
import { Surface3D } from './surface3d.js';
import { Sharing } from './share.js';
import { ExportMenu } from './exportmenu.js';
import { PlotLegend } from './legend.js';
import { RunKey } from './runkey.js';
import { watchScrollFocus } from './scrollfocus.js';
import { $, h } from './dom.js';
import { bindAdvanced } from './firstopen.js';
import { mountPanToggle } from './phone.js';


/** Build the views into `app` and wire the static controls to its handlers. */
export function bindStatic(app) {
  buildViews(app);
  bindViewControls(app);
  bindPlayback(app);
  bindExtras(app);
}

/** The views and their callbacks into the App. */
function buildViews(app) {
  app.lessonPanel = new LessonPanel({ panel: $('lesson-banner'), opener: $('lessons-open') }, {
    open: (lesson) => app.applyLesson(lesson, true),
    close: () => app.closeLesson(),
    play: () => {
      app.race.autoplay = true;
      if (!app.race.playback.playing) app.race.playback.play(app.race.race?.finalIndex ?? null);
      app.dirty = true;
    },
    skipToEnd: () => { app.waitForStep = finishRace(app.race); app.dirty = true; },
    played: () => racePlayed(app.race.race, app.race.playback.cursor),
    variant: (lesson, on) => app.applyLesson(lesson, true, { scene: on ? lesson.variant.scene : lesson.scene, keepPanel: true }),
  });
  app.runKey = new RunKey($('plot-wrap')); // each run's name and settings on the plot (rs=1)
  app.plot = new PlotView({
    wrap: $('plot-wrap'), bg: $('bg-canvas'), fg: $('fg-canvas'), readout: $('hover-readout'),
    onClick: (p) => app.onPlotClick(p),
    onStartDrag: (i, p, final) => app.onStartDrag(i, p, final),
    onViewChange: (bounds, home, reason) => app.onViewChange(bounds, home, reason),
  });
  app.legend = new PlotLegend($('plot-legend'), app.plot, () => app.legendInput());
  $('fg-canvas').setAttribute('aria-label', t('plot.aria'));
  $('fg-canvas').title = t('plot.zoom');
  app.loss = new LossChart($('loss-canvas'));
  app.plot3d = new Surface3D($('plot3d'));
  app.surfaceBar = new SurfaceBar({
    select: $('surface-select'), input: $('formula-input'), status: $('formula-status'),
    apply: $('formula-apply'), options: $('surface-options'), steps: $('steps-input'),
  }, {
    onSurface: (id) => app.setSurface(id),
    onFormula: (text) => app.setFormula(text),
    onOptions: (options) => { app.state.options = options; app.bakeChanges(); app.loadSurface({ restart: true }); },
    onSteps: (n) => { app.state.steps = n; app.newRace(); },
    validate: (text, signal) => api.formula(text, signal),
  });
  app.runPanel = new RunPanel($('runs'), {
    onParam: (i, key, value, final) => app.onParam(i, key, value, final),
    onOptimizer: (i, id) => {
      app.state.runs[i] = makeRun({ ...app.state.runs[i], optimizer: id, params: app.defaultParams(id), changes: [] });
      app.renderRuns();
      app.newRace();
    },
    onSchedule: (i, id, params) => {
      Object.assign(app.state.runs[i], { schedule: id, schedule_params: params });
      app.renderRuns();
      app.newRace();
    },
    onNoise: (i, v) => { app.state.runs[i].noise = v; app.newRace(); },
    onBatch: (i, n) => { app.state.runs[i].batch_size = n; app.newRace(); },
    onStart: (i, start) => { app.state.runs[i].start = start; app.renderRuns(); app.newRace(); },
    onSelect: (i) => app.select(i),
    onDuplicate: (i) => {
      if (app.state.runs.length >= app.catalog.limits.max_runs) return;
      app.state.runs.splice(i + 1, 0, makeRun(JSON.parse(JSON.stringify(app.state.runs[i]))));
      app.state.selected = i + 1;
      app.renderRuns();
      app.newRace();
    },
    onRemove: (i) => {
      if (app.state.runs.length <= 1) return;
      const name = app.runNames()[i] || app.optimizer(app.state.runs[i].optimizer)?.name;
      app.state.runs.splice(i, 1);
      app.state.selected = Math.min(app.state.selected, app.state.runs.length - 1);
      app.renderRuns();
      app.newRace();
      // One click took a run and its settings away: offer them back at once.
      app.toast(t('toast.removed', { name }), { label: t('toast.undo'), run: () => app.undo() });
    },
    curve: (run) => api.curve({
      schedule: run.schedule, params: run.schedule_params,
      lr: resolveParams(app.optimizer(run.optimizer)?.params, run.params).lr ?? 0.01,
      steps: app.state.steps,
    }).then((r) => r.lrs),
  });
  $('add-run').addEventListener('click', () => app.addRun());
  sceneButtons(app, $('add-run').parentElement);
}

/** Undo, Redo and Reset next to "Add run" (made here: the markup stays the app's). */
function sceneButtons(app, head) {
  if (!head) return;
  const group = h('div', { class: 'scene-edit', role: 'group' });
  for (const [id, key, run] of [['scene-undo', 'undo', () => app.undo()],
    ['scene-redo', 'redo', () => app.redo()], ['scene-reset', 'reset', () => app.resetScene()]]) {
    const b = h('button', {
      type: 'button', class: 'btn btn-small', id, title: t(`${key}.title`),
      'data-i18n': `${key}.button`, 'data-i18n-title': `${key}.title`,
    }, t(`${key}.button`));
    b.addEventListener('click', run);
    group.append(b);
  }
  head.append(group);
}

/** View and panel tabs, overlays, the loss chart's log scale, the zoom reset. */
function bindViewControls(app) {
  for (const b of document.querySelectorAll('#view-tabs [data-view]')) {
    b.addEventListener('click', () => app.setView(b.dataset.view));
  }
  const overlays = { eigen: 'ov-eigen', critical: 'ov-critical', taylor: 'ov-taylor', field: 'ov-field' };
  for (const [key, id] of Object.entries(overlays)) {
    const box = $(id);
    box.checked = app.state[key];
    box.addEventListener('change', () => {
      app.state[key] = box.checked;
      app.plot.setOverlays({ [key]: box.checked });
      app.renderLegend();
      app.dirty = true;
      app.syncUrl();
    });
  }
  app.plot.setOverlays({ eigen: app.state.eigen, critical: app.state.critical, taylor: app.state.taylor, field: app.state.field });
  bindAdvanced(app);
  for (const b of document.querySelectorAll('#panel-tabs [data-panel]')) {
    b.addEventListener('click', () => app.setPanel(b.dataset.panel));
  }
  app.setPanel(app.state.panel, true);
  $('loss-log').checked = app.state.logLoss;
  app.loss.log = app.state.logLoss;
  $('loss-log').addEventListener('change', () => {
    app.state.logLoss = $('loss-log').checked;
    app.loss.log = app.state.logLoss;
    app.dirty = true;
    app.syncUrl();
  });
  $('zoom-reset').textContent = t('play.zoom');
  $('zoom-reset').addEventListener('click', () => app.plot.resetView());
}

/** The playback bar. */
function bindPlayback(app) {
  const pb = app.race.playback;
  const speed = $('pb-speed');
  for (const v of SPEEDS) speed.append(h('option', { value: v, selected: v === app.state.speed }, `${v}×`));
  pb.setSpeed(app.state.speed);
  speed.addEventListener('change', () => {
    pb.setSpeed(Number(speed.value));
    app.state.speed = pb.speed;
    app.syncUrl();
  });
  $('pb-play').addEventListener('click', () => app.togglePlay());
  $('pb-back').addEventListener('click', () => app.stepBy(-1));
  $('pb-forward').addEventListener('click', () => app.stepBy(1));
  $('pb-reset').addEventListener('click', () => { pb.pause(); pb.reset(); app.dirty = true; app.syncUrl(); });
  $('pb-restart').addEventListener('click', () => app.startRace());
  const scrub = $('pb-scrub');
  scrub.addEventListener('input', () => {
    pb.pause();
    pb.seek(Number(scrub.value), app.race.race?.available ?? 0);
    app.dirty = true;
    app.syncUrl();
  });
  for (const [id, key] of [['pb-reset', 'play.reset'], ['pb-back', 'play.back'], ['pb-forward', 'play.forward']]) {
    $(id).setAttribute('aria-label', t(key));
    $(id).title = t(key);
  }
  if (app.mode !== 'embed') mountPanToggle($('fg-canvas'), $('playbar')); // touch screens only
}

/** Keys, sharing, export, language and keyboard access. */
function bindExtras(app) {
  document.addEventListener('keydown', (e) => app.onKey(e));
  // The skip link: straight to the plot (focus on its canvas), without touching the hash
  // (the hash is the scene: following "#plot-wrap" would load an empty scene).
  document.querySelector('.skip-link')?.addEventListener('click', (e) => {
    e.preventDefault();
    $('fg-canvas').focus();
    $('plot-wrap').scrollIntoView({ block: 'nearest' });
  });
  app.share = new Sharing(app); // share toolbar, presenter mode, fullscreen, keys, embed link
  app.exportMenu = new ExportMenu({
    shot: () => app.exportShot(), state: () => app.state, raceBody: () => app.raceBody(),
  }, $('export-menu')); // PNG, SVG, GIF, HTML, CSV
  // Language switch, static texts, keyboard start cursor and tabs: ui/language.js, ui/a11y.js.
  translateStatic();
  if ($('lang-select')) mountLanguageSwitch($('lang-select'), (lang) => app.setLanguage(lang));
  app.startCursor = new StartCursor({
    canvas: $('fg-canvas'), wrap: $('plot-wrap'), plot: app.plot,
    start: () => app.state.start, commit: (p) => app.onPlotClick(p),
  });
  watchScrollFocus(); // boxes that scroll can take the focus (ui/scrollfocus.js)
  keyboardTabs($('view-tabs'), () => $('plot-wrap'));
  keyboardTabs($('panel-tabs'), (b) => $(`panel-${b.dataset.panel}`));
}
