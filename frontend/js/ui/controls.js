// The static page's wiring: builds the views (plot, loss chart, 3D, surface bar, run cards,
// lesson panel, legend, share, export) and binds the fixed controls (tabs, overlays,
// playback bar, keys, language) to the handlers the App hands over (App.wiring). No view
// sees the App: each gets values, getters and named callbacks. Run once, at boot.

import { api } from '../net/api.js';
import { resolveParams } from '../lib/params.js';
import { SPEEDS } from '../lib/playback.js';
import { t } from '../lib/i18n.js';
import { PlotView } from './plotview.js';
import { LossChart } from './losschart.js';
import { RunPanel } from './runpanel.js';
import { SurfaceBar } from './surfacebar.js';
import { translateStatic, mountLanguageSwitch } from './language.js';
import { StartCursor, keyboardTabs } from './a11y.js';
import { LessonPanel } from './lessonpanel.js';
import { Surface3D } from './surface3d.js';
import { Sharing } from './share.js';
import { ExportMenu, raceExports } from './exportmenu.js';
import { OVERLAYS } from '../lib/registry.js';
import { PlotLegend } from './legend.js';
import { RunKey } from './runkey.js';
import { watchScrollFocus } from './scrollfocus.js';
import { $, h } from './dom.js';
import { bindAdvanced } from './firstopen.js';
import { mountPanToggle } from './phone.js';

/**
 * The views, built with their callbacks (w: App.wiring()). Returned for the App to keep;
 * bindControls then wires the fixed controls to them.
 */
export function buildViews(w) {
  const lessonPanel = new LessonPanel({ panel: $('lesson-banner'), opener: $('lessons-open') }, w.lesson);
  const runKey = new RunKey($('plot-wrap')); // each run's name and settings on the plot (rs=1)
  const plot = new PlotView({
    wrap: $('plot-wrap'), bg: $('bg-canvas'), fg: $('fg-canvas'), readout: $('hover-readout'), ...w.plot,
  });
  const legend = new PlotLegend($('plot-legend'), plot, w.legend);
  $('fg-canvas').setAttribute('aria-label', t('plot.aria'));
  $('fg-canvas').title = t('plot.zoom');
  const loss = new LossChart($('loss-canvas'));
  const plot3d = new Surface3D($('plot3d'));
  const surfaceBar = new SurfaceBar({
    select: $('surface-select'), input: $('formula-input'), status: $('formula-status'),
    apply: $('formula-apply'), options: $('surface-options'), steps: $('steps-input'),
  }, { ...w.surface, validate: (text, signal) => api.formula(text, signal) });
  const runPanel = new RunPanel($('runs'), {
    ...w.runs,
    // The schedule's learning-rate curve for a card's preview.
    curve: (run) => api.curve({
      schedule: run.schedule, params: run.schedule_params,
      lr: resolveParams(w.optimizer(run.optimizer)?.params, run.params).lr ?? 0.01,
      steps: w.state().steps,
    }).then((r) => r.lrs),
  });
  $('add-run').addEventListener('click', () => w.scene.addRun());
  sceneButtons(w.scene, $('add-run').parentElement);
  return { lessonPanel, legend, runKey, plot, loss, plot3d, surfaceBar, runPanel };
}

/**
 * The fixed controls, wired to the views (from buildViews) and to the App's handlers; the
 * share toolbar, the export menu and the start cursor are returned for the App to keep.
 */
export function bindControls(w, views) {
  bindViewControls(w, views);
  bindPlayback(w);
  return bindExtras(w, views);
}

/** Undo, Redo and Reset next to "Add run" (made here: the markup stays the app's). */
function sceneButtons(scene, head) {
  if (!head) return;
  const group = h('div', { class: 'scene-edit', role: 'group' });
  for (const [id, key, run] of [['scene-undo', 'undo', scene.undo],
    ['scene-redo', 'redo', scene.redo], ['scene-reset', 'reset', scene.reset]]) {
    const b = h('button', {
      type: 'button', class: 'btn btn-small', id, title: t(`${key}.title`),
      'data-i18n': `${key}.button`, 'data-i18n-title': `${key}.title`,
    }, t(`${key}.button`));
    b.addEventListener('click', () => run());
    group.append(b);
  }
  head.append(group);
}

/** View and panel tabs, overlays, the loss chart's log scale, the zoom reset. */
function bindViewControls(w, { plot, loss }) {
  const state = w.state();
  for (const b of document.querySelectorAll('#view-tabs [data-view]')) {
    b.addEventListener('click', () => w.view.setView(b.dataset.view));
  }
  for (const o of OVERLAYS) { // the toggles ui/panels.js built from lib/registry.js
    const box = $(`ov-${o.id}`);
    box.checked = state[o.id];
    box.addEventListener('change', () => w.view.setOverlay(o.id, box.checked));
  }
  plot.setOverlays(Object.fromEntries(OVERLAYS.map((o) => [o.id, state[o.id]])));
  bindAdvanced(state.advanced, w.view.setAdvanced);
  for (const b of document.querySelectorAll('#panel-tabs [data-panel]')) {
    b.addEventListener('click', () => w.view.setPanel(b.dataset.panel));
  }
  w.view.setPanel(state.panel, true);
  $('loss-log').checked = state.logLoss;
  loss.log = state.logLoss;
  $('loss-log').addEventListener('change', () => w.view.setLogLoss($('loss-log').checked));
  $('zoom-reset').textContent = t('play.zoom');
  $('zoom-reset').addEventListener('click', () => plot.resetView());
}

/** The playback bar (its buttons do what the keyboard's shortcuts do: w.actions). */
function bindPlayback(w) {
  const act = w.actions;
  const speed = $('pb-speed');
  const initial = w.state().speed;
  for (const v of SPEEDS) speed.append(h('option', { value: v, selected: v === initial }, `${v}×`));
  w.playback.setSpeed(initial, true);
  speed.addEventListener('change', () => w.playback.setSpeed(Number(speed.value)));
  $('pb-play').addEventListener('click', () => act.play());
  $('pb-back').addEventListener('click', () => act.back());
  $('pb-forward').addEventListener('click', () => act.forward());
  $('pb-reset').addEventListener('click', () => act.home());
  $('pb-restart').addEventListener('click', () => act.restart());
  const scrub = $('pb-scrub');
  scrub.addEventListener('input', () => w.playback.seek(Number(scrub.value)));
  for (const [id, key] of [['pb-reset', 'play.reset'], ['pb-back', 'play.back'], ['pb-forward', 'play.forward']]) {
    $(id).setAttribute('aria-label', t(key));
    $(id).title = t(key);
  }
  if (w.mode !== 'embed') mountPanToggle($('fg-canvas'), $('playbar')); // touch screens only
}

/** Keys, sharing, export, language and keyboard access. */
function bindExtras(w, { plot, lessonPanel }) {
  // Share toolbar, presenter mode, fullscreen, keys (lib/keys.js), embed link.
  const share = new Sharing({ mode: w.mode, state: w.state, lessons: lessonPanel, actions: w.actions, ...w.share });
  document.addEventListener('keydown', (e) => share.onKey(e));
  // The skip link: straight to the plot (focus on its canvas), without touching the hash
  // (the hash is the scene: following "#plot-wrap" would load an empty scene).
  document.querySelector('.skip-link')?.addEventListener('click', (e) => {
    e.preventDefault();
    $('fg-canvas').focus();
    $('plot-wrap').scrollIntoView({ block: 'nearest' });
  });
  const exportMenu = new ExportMenu(raceExports(w.exports), $('export-menu')); // PNG, SVG, GIF, HTML, CSV
  // Language switch, static texts, keyboard start cursor and tabs: ui/language.js, ui/a11y.js.
  translateStatic();
  if ($('lang-select')) mountLanguageSwitch($('lang-select'), w.onLanguage);
  const startCursor = new StartCursor({
    canvas: $('fg-canvas'), wrap: $('plot-wrap'), plot,
    start: () => w.state().start, commit: w.plot.onClick,
  });
  watchScrollFocus(); // boxes that scroll can take the focus (ui/scrollfocus.js)
  keyboardTabs($('view-tabs'), () => $('plot-wrap'));
  keyboardTabs($('panel-tabs'), (b) => $(`panel-${b.dataset.panel}`));
  return { share, exportMenu, startCursor };
}
