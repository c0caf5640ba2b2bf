// The Network mode: a tiny real network trained live by several optimizers from one shared
// initialization (server/netstream.py), with its decision boundary, loss and accuracy curves,
// loss-landscape slice, sharpness against 2/η, Hessian spectrum and step inspector.
// It owns the page when the URL says mode=network (main.js); the 2D app is not loaded then.

import { StreamClient } from '../net/stream.js';
import { request } from '../net/api.js';
import { Playback, SPEEDS } from '../lib/playback.js';
import { t, setLang, getLang } from '../lib/i18n.js';
import { serverText } from '../lib/errortext.js';
import { fmt } from '../lib/format.js';
import { runColor } from '../lib/palette.js';
import { $, h, clear, debounce, shapeIcon, setDrawScale } from '../ui/dom.js';
import { runShape } from '../lib/palette.js';
import { initialLanguage, mountLanguageSwitch, translateStatic, languageTag } from '../ui/language.js';
import { presentScale } from '../ui/presenter.js';
import { localizeCatalog } from '../lib/catalog_i18n.js';
import { parseHash, normalizeScene, installCatalog, runLabel, sceneToHash, startMessage, SERVER_PLANE, PLANES, SLICE_RESOLUTION } from './scene.js';
import { NetRaceData, epochOf } from './racedata.js';
import { changeFrom } from '../lib/state.js';
import { NetEditor } from './editor.js';
import { drawBoundary } from './boundary.js';
import { drawChart } from './chart.js';
import { drawSlice, projectionError } from './slice.js';
import { drawSpectrum } from './spectrum.js';
import { renderLesson } from './lesson.js';
import { NetTools } from './nettools.js';

/** Write a text only when it differs: an equal write still invalidates the layout. */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
const MAX_SPECTRUM_PARAMS = 3000;

export class NetworkApp {
  constructor({ mode = 'app' } = {}) {
    this.mode = mode;
    const parsed = parseHash(location.hash); // the scene is completed once the catalog is here
    this.rawScene = parsed.raw;
    this.lesson = parsed.lesson;
    this.presenter = parsed.presenter;
    this.axis = parsed.axis; // the loss chart's x: 'step' or 'epoch'
    this.lang = initialLanguage(location.hash, navigator.languages || []);
    setLang(this.lang);
    this.playback = new Playback(30);
    this.data = null;
    this.land = null; // the newest landscape message for this race and plane
    this.spectrum = null;
    this.selected = 0;
    this.dirty = true;
    this.painted = new WeakMap(); // canvas -> the inputs it was last drawn with (paintOnce)
    this.raceNumber = null;
    this.writeUrl = debounce(() => this.syncUrl(), 250);
    this.leaving = false;
    addEventListener('hashchange', () => { this.leaving = true; });
    this.loadSpectrum = debounce(() => this.fetchSpectrum(), 400);
  }

  async boot() {
    document.documentElement.classList.add('net-mode');
    document.documentElement.lang = languageTag(this.lang);
    if (this.presenter) document.documentElement.classList.add('presenter');
    translateStatic(); // the top bar's own texts (brand, lessons) in the link's language
    setDrawScale(presentScale({ mode: this.mode, presenter: this.presenter, width: innerWidth, height: innerHeight }));
    // The server's catalog first: the data sets, optimizers' first settings and the default
    // race complete the link's scene; the optimizers' and schedules' names label the editor.
    const [netCatalog, optimizers, schedules] = await Promise.all([request('/network/datasets'),
      request('/optimizers').catch(() => []), request('/schedules').catch(() => [{ id: 'constant', name: 'Constant' }])]);
    installCatalog(netCatalog);
    this.scene = normalizeScene(this.rawScene);
    this.buildLayout();
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    this.stream = new StreamClient(`${proto}://${location.host}/api/stream`, {
      started: (m) => this.onStarted(m),
      frame: (m) => { if (m.race === this.raceNumber && this.data) { this.data.add(m); this.onProgress(); } },
      done: (m) => { if (m.race === this.raceNumber) this.onDone(); },
      landscape: (m) => this.onLandscape(m),
      error: (m) => this.showError(serverText(m, getLang()) ?? m.message),  // in the reader's language
      status: (s) => { if (s === 'closed') this.showError(t('toast.offline')); },
    });
    this.stream.connect();
    this.catalog = localizeCatalog({ optimizers, schedules }, this.lang);
    this.editor = new NetEditor($('net-editor'), { catalog: this.catalog, onChange: () => this.restart(),
      onParam: (i, key, value) => this.onParam(i, key, value), onDropChange: (i, c) => this.dropChange(i, c) });
    this.editor.render(this.scene);
    if (this.lesson) {
      const lessons = await request('/lessons').catch(() => []);
      this.lessonData = lessons.find((l) => l.id === this.lesson) || null;
      this.waiting = Boolean(this.lessonData) && this.scene.step === null;
    }
    this.showLesson();
    this.start();
    this.syncUrl(); // the whole scene in the address from the start (a bare mode=network too)
    addEventListener('resize', () => { this.painted = new WeakMap(); this.dirty = true; });
    requestAnimationFrame((now) => this.tick(now));
  }

  // --- layout -------------------------------------------------------------------------------
  buildLayout() {
    // The top bar keeps the brand, language and lessons; the 2D surface controls step aside.
    for (const el of document.querySelectorAll('.surface-bar > *, #share-tools, main.layout')) el.hidden = true;
    const bar = document.querySelector('.surface-bar');
    bar.prepend(h('a', { class: 'btn mode-switch', id: 'mode-surfaces', href: '#', onclick: (e) => {
      e.preventDefault(); location.hash = ''; location.reload();
    } }, t('net.mode.surfaces')),
    h('span', { class: 'net-title', id: 'net-title' }, t('net.mode.title')));
    bar.append(h('div', { class: 'net-tools', id: 'net-tools', role: 'toolbar', 'aria-label': t('share.group') }));
    mountLanguageSwitch($('lang-select'), (lang) => this.setLanguage(lang));
    const main = h('main', { class: 'net-layout', id: 'net-root' });
    const speed = h('select', { id: 'net-speed', 'aria-label': t('play.speed') },
      ...SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `${s}×`)));
    speed.addEventListener('change', () => this.playback.setSpeed(speed.value));
    const planes = h('div', { class: 'segmented', role: 'tablist', id: 'net-planes', 'aria-label': t('net.plane') },
      ...PLANES.map((p) => h('button', { role: 'tab', type: 'button', 'data-plane': p, id: `net-plane-${p}`,
        onclick: () => this.setPlane(p) }, t(`net.plane.${p}`))));
    main.append(
      h('section', { class: 'net-editor', id: 'net-editor', 'aria-label': t('net.editor') }),
      h('section', { class: 'net-stage', 'aria-label': t('net.stage') },
        h('div', { class: 'net-lesson', id: 'net-lesson', hidden: true }),
        h('h3', {}, t('net.boundary')),
        h('div', { class: 'net-boundary-wrap' }, h('canvas', { id: 'net-boundary', role: 'img', 'aria-label': t('net.boundary') })),
        h('div', { class: 'net-legend', id: 'net-legend' }),
        h('div', { class: 'playbar', id: 'net-playbar' },
          h('button', { type: 'button', class: 'btn btn-small', id: 'net-reset', onclick: () => this.seek(0), 'aria-label': t('play.reset') }, '|◀'),
          h('button', { type: 'button', class: 'btn btn-small', id: 'net-back', onclick: () => this.stepBy(-1), 'aria-label': t('play.back') }, '◀'),
          h('button', { type: 'button', class: 'btn btn-small net-play', id: 'net-play', onclick: () => this.togglePlay() }, t('play.play')),
          h('button', { type: 'button', class: 'btn btn-small', id: 'net-forward', onclick: () => this.stepBy(1), 'aria-label': t('play.forward') }, '▶'),
          h('input', { type: 'range', id: 'net-scrub', min: 0, max: this.scene.request.steps, value: 0, step: 1, 'aria-label': t('play.scrub'),
            oninput: (e) => this.seek(Number(e.target.value)) }),
          h('output', { id: 'net-step', class: 'pb-step' }), speed),
        h('div', { id: 'net-message', class: 'net-message', role: 'status', hidden: true }),
        h('h3', { id: 'net-curves-title' }, t(this.axis === 'epoch' ? 'net.curves.epoch' : 'net.curves')),
        h('div', { class: 'net-curve-head' },
          h('label', { class: 'toggle' }, h('input', { type: 'checkbox', id: 'net-acc', onchange: () => { this.dirty = true; } }), h('span', {}, t('net.showacc'))),
          h('select', { id: 'net-xaxis', 'aria-label': t('net.xaxis'), onchange: (e) => this.setAxis(e.target.value) },
            ...['step', 'epoch'].map((a) => h('option', { value: a, selected: a === this.axis }, t(`net.xaxis.${a}`))))),
        h('canvas', { id: 'net-loss', class: 'net-chart', role: 'img', 'aria-label': t('net.curves') }),
        h('p', { class: 'hint' }, t('net.curves.hint'))),
      h('aside', { class: 'net-side' },
        // one card per view, so a narrower screen can set them side by side whole
        h('div', { class: 'net-card' }, h('h3', {}, t('net.slice')), planes,
          h('div', { class: 'net-slice-wrap' }, h('canvas', { id: 'net-slice', role: 'img', 'aria-label': t('net.slice') })),
          h('p', { class: 'net-note', id: 'net-slice-note', 'aria-live': 'polite' })),
        h('div', { class: 'net-card' }, h('h3', {}, t('net.sharpness')),
          h('canvas', { id: 'net-sharp', class: 'net-chart', role: 'img', 'aria-label': t('net.sharpness') }),
          h('p', { class: 'hint', id: 'net-sharp-note' })),
        h('div', { class: 'net-card' }, h('h3', {}, t('net.spectrum')),
          h('canvas', { id: 'net-spectrum', class: 'net-chart net-chart-small', role: 'img', 'aria-label': t('net.spectrum') }),
          h('p', { class: 'net-note', id: 'net-spectrum-note', 'aria-live': 'polite' })),
        h('div', { class: 'net-card' }, h('h3', {}, t('panel.inspector')),
          h('dl', { class: 'net-inspector', id: 'net-inspector' }))));
    document.querySelector('main.layout').after(main);
    this.tools = this.tools || new NetTools({ view: () => this.exportView(), lang: () => this.lang });
    this.tools.mount($('net-tools')); // Export, Copy link, Embed (and the embed's "Open" link)
    this.syncPlaneTabs();
  }

  setLanguage(lang) {
    this.lang = lang;
    setLang(lang);
    document.documentElement.lang = languageTag(lang);
    translateStatic();
    localizeCatalog(this.catalog, lang);
    // rebuild the mode's own texts (the race and its numbers stay)
    document.getElementById('net-root').remove();
    for (const id of ['mode-surfaces', 'net-title', 'net-tools']) document.getElementById(id)?.remove();
    const lang0 = $('lang-select').cloneNode(false); // drop the old listener
    $('lang-select').replaceWith(lang0);
    this.buildLayout();
    this.editor.root = $('net-editor');
    this.editor.render(this.scene);
    this.renderLegend();
    this.showLesson();
    this.syncUrl();
    this.dirty = true;
  }

  // --- the race -----------------------------------------------------------------------------
  start() {
    this.data = null;
    this.land = null;
    this.spectrum = null;
    this.raceNumber = null;
    this.hideError();
    this.stepShown = false; // a scene.step (a link's, or a change's replay) pauses there again
    this.playback.reset();
    this.playback.playing = this.scene.step === null && !this.waiting;
    this.stream.send(startMessage(this.scene));
    this.askedPlane = this.scene.plane; // the start asks for this plane's slice at the end
    this.dirty = true;
  }

  restart() {
    this.scene.step = null;
    this.editor.render(this.scene);
    this.start();
    this.syncUrl();
  }

  onStarted(m) {
    this.raceNumber = m.race;
    this.data = new NetRaceData(m);
    this.selected = Math.min(this.selected, m.runs.length - 1);
    $('net-scrub').max = String(m.steps);
    this.renderLegend();
    this.dirty = true;
  }

  onProgress() {
    // for the benchmark: the frame that brings the race's last iterates (before its `done`)
    if (!this.markedEnd && this.data.final() !== null) { this.markedEnd = true; performance.mark('gradscape:net-race-end'); }
    if (this.scene.step !== null && this.data.available() >= this.scene.step && !this.stepShown) {
      // a link's step: shown paused once the race has reached it
      this.playback.pause();
      this.playback.seek(this.scene.step, this.data.available());
      this.stepShown = true;
    }
    this.dirty = true;
  }

  showLesson() {
    const box = $('net-lesson');
    // the answer once this race has played to its end (or the link already shows a step)
    const end = this.data?.final();
    const revealed = end !== null && end !== undefined && this.playback.step >= end;
    // a lesson waits for the class's prediction: paused until "play to find out"
    const onPlay = this.waiting ? () => { this.waiting = false; this.togglePlay(); this.showLesson(); } : null;
    if (box) renderLesson(box, this.lessonData, this.lang, revealed || this.revealed, onPlay);
    this.revealed = this.revealed || revealed;
  }

  onDone() {
    performance.mark('gradscape:net-race-done');
    // the start asked for the slice of its plane (under way already); another plane is asked now
    if (this.askedPlane === this.scene.plane) this.landPending = true;
    else this.requestLandscape();
    if (this.scene.step !== null && !this.stepShown) this.onProgress();
    this.dirty = true;
  }

  setPlane(plane) {
    this.scene.plane = plane;
    this.syncPlaneTabs();
    this.land = null;
    this.requestLandscape();
    this.writeUrl();
    this.dirty = true;
  }

  setAxis(axis) {
    this.axis = axis === 'epoch' ? 'epoch' : 'step';
    $('net-curves-title').textContent = t(this.axis === 'epoch' ? 'net.curves.epoch' : 'net.curves');
    this.writeUrl();
    this.dirty = true;
  }

  /**
   * A run's hyperparameter edited in the editor. Paused (or playing) at a step k inside the
   * race, the new value holds from k on: the run records the change ({step, params}, as the
   * 2D races do), the race is replayed with it (the server applies it at k, optimizer state
   * kept) and shown paused at k. At step 0 or at the race's end it is the run's own setting:
   * a new race from the start.
   */
  onParam(i, key, value) {
    const req = this.scene.request;
    const d = this.data;
    const k = this.playback.step;
    const end = d ? (d.final() ?? req.steps) : 0;
    if (d && k > 0 && k < end) {
      req.runs[i] = changeFrom(req.runs[i], k, { [key]: value });
      this.scene.step = k; // the replay pauses where the change was made
      this.editor.render(this.scene);
      this.start();
      this.syncUrl(); // the editor lists the change under its run: that is the feedback
      return;
    }
    req.runs[i] = changeFrom(req.runs[i], 0, { [key]: value });
    this.restart();
  }

  /** Remove one recorded change of run i; the race is replayed without it. */
  dropChange(i, change) {
    const run = this.scene.request.runs[i];
    run.changes = (run.changes || []).filter((c) => c !== change);
    this.editor.render(this.scene);
    this.start();
    this.syncUrl();
  }

  syncPlaneTabs() {
    for (const b of document.querySelectorAll('#net-planes [data-plane]')) {
      b.setAttribute('aria-selected', String(b.dataset.plane === this.scene.plane));
    }
  }

  requestLandscape() {
    if (this.raceNumber === null) return;
    this.landPending = true;
    this.stream.send({ type: 'landscape', plane: SERVER_PLANE[this.scene.plane], resolution: SLICE_RESOLUTION, seed: 0 });
    this.dirty = true;
  }

  onLandscape(m) {
    if (m.race !== this.raceNumber || m.plane !== SERVER_PLANE[this.scene.plane]) return;
    // a late coarse picture after the fine one of the same paths (a coarse one of a longer
    // race, asked at its end after a plane switch mid-race, is newer)
    if (this.land?.final && !m.final && m.step <= this.land.step) return;
    if (!this.markedLand) { this.markedLand = true; performance.mark('gradscape:net-slice-received'); }
    this.land = m;
    this.landPending = !m.final;
    this.dirty = true;
  }

  async fetchSpectrum() {
    if (!this.data || this.data.final() === null) return;
    const k = this.playback.step;
    const sel = this.selected; // the run asked about (the user may pick another meanwhile)
    const run = this.scene.request.runs[sel];
    const key = `${this.raceNumber}:${sel}:${k}`;
    if (this.spectrumKey === key) return;
    this.spectrumKey = key;
    const note = $('net-spectrum-note');
    if (this.data.started.network.n_params > MAX_SPECTRUM_PARAMS) {
      note.textContent = t('net.spectrum.big', { n: this.data.started.network.n_params, max: MAX_SPECTRUM_PARAMS });
      return;
    }
    note.textContent = t('net.spectrum.loading');
    const req = this.scene.request;
    try {
      const steps = Math.min(k, this.data.runs[sel].points.length - 1);
      // the run's changes up to that step (a later one is beyond this shorter training)
      const upto = { ...run, changes: (run.changes || []).filter((c) => c.step < steps) };
      const sp = await request('/network/spectrum', { body: { network: req.network, run: upto, steps,
        init_seed: req.init_seed, seed: req.seed } });
      if (this.spectrumKey !== key) return;
      this.spectrum = { ...sp, step: k, run: sel };
    } catch (err) {
      if (this.spectrumKey === key) note.textContent = serverText(err, getLang()) ?? err.message;
      return;
    }
    this.dirty = true;
  }

  showError(message) {
    const box = $('net-message');
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  hideError() {
    const box = $('net-message');
    if (box) box.hidden = true;
  }

  // --- playback -----------------------------------------------------------------------------
  togglePlay() {
    if (!this.data) return;
    if (this.waiting) { this.waiting = false; this.showLesson(); }
    this.playback.toggle(this.data.final());
    this.scene.step = this.playback.playing ? null : this.playback.step;
    this.writeUrl();
    this.dirty = true;
  }

  seek(k) {
    if (!this.data) return;
    this.playback.pause();
    this.playback.seek(k, this.data.available());
    this.scene.step = this.playback.step;
    this.writeUrl();
    this.dirty = true;
  }

  stepBy(n) {
    this.seek(this.playback.step + n);
  }

  syncUrl() {
    // Another link arrived (main.js reloads the page for it): keep it, not this scene's.
    if (this.leaving) return;
    const hash = sceneToHash(this.scene, { lang: this.lang, l: this.lesson, pm: this.presenter ? '1' : null,
      x: this.axis === 'epoch' ? 'epoch' : null });
    history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
  }

  tick(now) {
    const dt = this.last ? Math.min(0.1, (now - this.last) / 1000) : 0;
    this.last = now;
    if (this.data && this.playback.tick(dt, this.data.available(), this.data.final())) this.dirty = true;
    if (this.dirty) {
      this.dirty = false;
      this.draw();
    }
    requestAnimationFrame((t2) => this.tick(t2));
  }

  /** What the exports and share tools read (network/netexport.js). */
  exportView() {
    return { scene: this.scene, data: this.data, land: this.land, step: this.playback.step,
      selected: this.selected, playing: this.playback.playing, optName: (id) => this.optName(id) };
  }

  optName(id) {
    return this.editor ? this.editor.name('optimizers', id) : id;
  }

  // --- views --------------------------------------------------------------------------------
  renderLegend() {
    const box = $('net-legend');
    if (!box || !this.data) return;
    clear(box);
    this.data.runs.forEach((r, i) => {
      const c = r.config;
      const label = runLabel(c, this.optName(c.optimizer), this.data.started.data.X.length);
      box.append(h('button', { type: 'button', class: 'net-legend-item', id: `net-legend-${i}`,
        'aria-pressed': String(i === this.selected), onclick: () => { this.selected = i; this.renderLegend(); this.dirty = true; } },
      shapeIcon(runShape(i), runColor(i)), label));
    });
  }

  // Each animation frame (benchmarks/bench_network_browser.py: no task over 50 ms while a race
  // plays): the canvases first, then the texts. A text written before a canvas is measured
  // would force a second layout in the same frame; a canvas whose inputs have not changed (the
  // boundary between two grids, the spectrum, an empty slice) is not drawn again.
  draw() {
    const colors = this.scene.request.runs.map((_, i) => runColor(i));
    const k = this.playback.step;
    const d = this.data;
    if (d) this.drawCanvases(d, colors, k);
    setText($('net-play'), this.playback.playing ? t('play.pause') : t('play.play'));
    if ($('net-scrub').value !== String(k)) $('net-scrub').value = String(k);
    setText($('net-step'), d ? t('net.stepof', { k, n: d.steps }) : t('net.starting'));
    if (!d) return;
    if (this.lessonData && !this.revealed && d.final() !== null && k >= d.final()) this.showLesson();
    setText($('net-sharp-note'), t('net.sharp.note'));
    this.sliceNote(k);
    this.spectrumNote(k);
    this.drawInspector(Math.min(this.selected, d.runs.length - 1), k);
    if (!this.playback.playing && d.final() !== null) this.loadSpectrum();
  }

  /** Draw `canvas` with fn() unless it was last drawn with the same inputs (compared by identity). */
  paintOnce(canvas, given, fn) {
    // its size too: a layout change (a lesson card, the phone layout) resizes a canvas
    const inputs = [...given, canvas.clientWidth, canvas.clientHeight];
    const last = this.painted.get(canvas);
    if (last && last.length === inputs.length && last.every((v, i) => v === inputs[i])) return;
    fn();
    this.painted.set(canvas, inputs);
  }

  drawCanvases(d, colors, k) {
    const sel = Math.min(this.selected, d.runs.length - 1);
    const b = d.boundaryAt(sel, k);
    this.paintOnce($('net-boundary'), [d, b?.grid, colors[sel]], () => drawBoundary($('net-boundary'), {
      task: d.task, classes: d.classes, data: d.started.data, grid: d.started.boundary, values: b?.grid, color: colors[sel] }));
    // for the benchmark (benchmarks/bench_network_browser.py): the first picture of a race
    if (b && !this.markedPaint) { this.markedPaint = true; performance.mark('gradscape:net-painted'); }
    // loss (solid train, dashed test) or accuracy by step
    const acc = $('net-acc').checked && d.task === 'classification';
    const key = acc ? ['train_acc', 'test_acc'] : ['train_loss', 'test_loss'];
    // by step, or by epoch (each run's epochs completed at each iterate: its own batch size)
    const byEpoch = this.axis === 'epoch';
    const xs = d.runs.map((r, i) => (byEpoch ? d.epochs(i) : null));
    const x = (i, j) => (byEpoch ? xs[i][j] : j);
    const series = d.runs.flatMap((r, i) => [
      { points: r[key[0]].map((v, j) => [x(i, j), v]), color: colors[i] },
      { points: r[key[1]].map((v, j) => [x(i, j), v]), color: colors[i], dash: [4, 3], width: 1.2 }]);
    const xMax = byEpoch ? Math.max(...d.runs.map((r) => epochOf(d.steps, d.started.data.X.length, r.config.batch_size))) : d.steps;
    const cursor = byEpoch ? xs[sel][Math.min(k, xs[sel].length - 1)] ?? 0 : k;
    drawChart($('net-loss'), series, { log: !acc, cursor, xMax, yRange: acc ? [0, 1] : null });
    // sharpness (solid) against each run's stability threshold (dotted), one chart
    const sharp = d.runs.flatMap((r, i) => [
      { points: r.sharpness.map((row) => [row[0], row[3] ?? row[1]]), color: colors[i] },
      { points: r.sharpness.map((row) => [row[0], row[2]]), color: colors[i], dash: [2, 3], width: 1.2 }]);
    drawChart($('net-sharp'), sharp, { log: true, cursor: k, xMax: d.steps,
      empty: this.scene.request.sharpness_every ? t('net.sharp.wait') : t('net.sharp.off') });
    // the slice's paths move with k; before a landscape the canvas stays empty
    this.paintOnce($('net-slice'), this.land ? [this.land, k, ...colors] : [null],
      () => drawSlice($('net-slice'), this.land, k, colors));
    if (this.land && !this.markedSlice) { this.markedSlice = true; performance.mark('gradscape:net-slice-painted'); }
    const sp = this.spectrum;
    const current = sp && sp.step === k && sp.run === this.selected;
    this.paintOnce($('net-spectrum'), [current ? sp : null],
      () => drawSpectrum($('net-spectrum'), current ? sp.eigenvalues : null));
  }

  sliceNote(k) {
    const note = $('net-slice-note');
    if (!this.land) {
      setText(note, this.data?.final() === null ? t('net.slice.after') : t('net.slice.loading'));
      return;
    }
    const parts = [];
    if (this.land.explained_variance) {
      const ev = this.land.explained_variance.map((v) => `${(100 * v).toFixed(1)}%`).join(' + ');
      parts.push(t('net.slice.ev', { ev }));
    }
    const err = projectionError(this.land.paths, k); // null until the fine picture
    parts.push(t('net.slice.err', { err: err === null ? '…' : fmt(err, 3) }));
    const dist = Math.max(0, ...this.land.paths.map((p) => p.distance[Math.min(k, p.distance.length - 1)] ?? 0));
    parts.push(t('net.slice.dist', { d: fmt(dist, 3) }));
    if (!this.land.final) parts.push(t('net.slice.coarse'));
    setText(note, parts.join(' · '));
  }

  spectrumNote(k) {
    const sp = this.spectrum;
    const current = sp && sp.step === k && sp.run === this.selected;
    if (current) {
      setText($('net-spectrum-note'), t('net.spectrum.note', { ratio: fmt(sp.min_ratio, 3), neg: sp.negative,
        n: sp.n_params, max: fmt(sp.lambda_max, 4), min: fmt(sp.lambda_min, 4) }));
    } else if (this.playback.playing || this.data.final() === null) {
      setText($('net-spectrum-note'), t('net.spectrum.pause'));
    }
  }

  drawInspector(i, k) {
    const at = this.data.at(i, k);
    const dl = $('net-inspector');
    if (!at) { clear(dl); return; }
    const run = this.data.runs[i];
    const rows = [
      [t('net.ins.run'), `${this.optName(run.config.optimizer)} (${i + 1})`],
      [t('net.ins.step'), String(at.step)],
      [t('net.ins.train'), fmt(at.train_loss, 4)],
      [t('net.ins.test'), fmt(at.test_loss, 4)],
      ...(at.train_acc !== null ? [[t('net.ins.acc'), `${fmt(100 * at.train_acc, 3)}% / ${fmt(100 * at.test_acc, 3)}%`]] : []),
      [t('net.ins.grad'), at.grad_norm === null ? '–' : fmt(at.grad_norm, 4)],
      [t('net.ins.stepnorm'), at.step_norm === null ? '–' : fmt(at.step_norm, 4)],
      [t('net.ins.eff'), at.step_norm === null || !at.grad_norm ? '–' : fmt(at.step_norm / at.grad_norm, 4)],
      // the optimizer's state after this step's update (torch.optim's buffers, by norm)
      ...Object.entries(at.state).map(([name, v]) => [t(`net.ins.buf.${name}`), v === null ? '–' : fmt(v, 4)]),
      [t('net.ins.sharp'), at.sharpness ? `${fmt(at.sharpness[3] ?? at.sharpness[1], 4)} / ${fmt(at.sharpness[2], 4)} (${t('net.ins.at', { k: at.sharpness[0] })})` : '–'],
      [t('net.ins.dist'), fmt(at.distance, 4)],
      [t('net.ins.status'), t(`net.status.${run.status}`)],
    ];
    // the same rows as last frame (the usual case while playing): only changed numbers are
    // written, no elements made
    const cells = dl.children;
    if (cells.length === 2 * rows.length && rows.every(([name], r) => cells[2 * r].textContent === name)) {
      rows.forEach(([, value], r) => setText(cells[2 * r + 1], value));
      return;
    }
    clear(dl);
    for (const [name, value] of rows) dl.append(h('dt', {}, name), h('dd', {}, value));
  }
}
