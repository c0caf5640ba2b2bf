import { test } from 'node:test';
import assert from 'node:assert/strict';
import './served.mjs'; // the server's default runs, as the page has them
import { historyAction, sceneKey } from '../../frontend/js/lib/urlhistory.js';
import { playPolicy } from '../../frontend/js/lib/motion.js';
import { shortcutFor, ownsKeys, SHORTCUTS } from '../../frontend/js/lib/keys.js';
import { Playback } from '../../frontend/js/lib/playback.js';
import {
  defaultState, toHash, fromHash, makeRun,
} from '../../frontend/js/lib/state.js';
import { presentScale } from '../../frontend/js/ui/presenter.js';
import {
  embedUrl, appUrl, embedCode, writeClipboard,
} from '../../frontend/js/ui/share.js';

const action = (prev, next) => historyAction(prev, next, toHash(prev), toHash(next));

// --- history: which changes get their own entry ------------------------------------------
test('scene changes push a history entry', () => {
  const base = defaultState();
  const changes = {
    surface: (s) => { s.surface = 'rosenbrock'; },
    formula: (s) => { s.surface = 'custom'; s.formula = 'x^2 + y^2'; },
    bounds: (s) => { s.bounds = [-1, 1, -1, 1]; },
    start: (s) => { s.start = [1, 2]; },
    view: (s) => { s.view = 'basins'; },
    lesson: (s) => { s.lesson = 'saddle_point'; },
    'add a run': (s) => { s.runs.push(makeRun({ optimizer: 'momentum' })); },
    'remove a run': (s) => { s.runs.pop(); },
    optimizer: (s) => { s.runs[1] = makeRun({ optimizer: 'rmsprop', params: { lr: 0.01 } }); },
    schedule: (s) => { s.runs[0].schedule = 'cosine'; },
    'per-run start': (s) => { s.runs[0].start = [0, 0]; },
    noise: (s) => { s.runs[0].noise = 0.5; },
    steps: (s) => { s.steps = 300; },
    seed: (s) => { s.seed = 3; },
    presenter: (s) => { s.presenter = true; },
    // An eta edit is committed once (a released slider, Enter): Back must undo it, not
    // leave the app (the "an eta edit replaces the history entry").
    'a learning rate': (s) => { s.runs[0].params.lr = 0.0731; },
    'a schedule parameter': (s) => { s.runs[0].schedule_params = { T_max: 40 }; },
    'a mid-race change': (s) => { s.runs[0].changes = [{ step: 120, params: { lr: 0.05 } }]; },
  };
  for (const [name, change] of Object.entries(changes)) {
    const next = structuredClone(base);
    change(next);
    assert.equal(action(base, next), 'push', name);
  }
});

test('frequent changes replace the entry; an unchanged hash does nothing', () => {
  const base = defaultState();
  const changes = {
    'the step': (s) => { s.step = 120; },
    speed: (s) => { s.speed = 4; },
    overlay: (s) => { s.taylor = true; },
    'selected run': (s) => { s.selected = 1; },
    panel: (s) => { s.panel = 'graph'; },
    loop: (s) => { s.loop = true; },
  };
  for (const [name, change] of Object.entries(changes)) {
    const next = structuredClone(base);
    change(next);
    assert.equal(action(base, next), 'replace', name);
  }
  assert.equal(action(base, structuredClone(base)), 'none');
});

test('the scene key follows the runs and their settings, not the playback', () => {
  const a = defaultState();
  const b = structuredClone(a);
  b.step = 300;
  b.speed = 4;
  assert.equal(sceneKey(a), sceneKey(b));
  b.runs[0].params = { lr: 0.5, betas: [0.5, 0.6] };
  assert.notEqual(sceneKey(a), sceneKey(b));
  const c = structuredClone(a);
  c.runs.reverse();
  assert.notEqual(sceneKey(a), sceneKey(c));
});

// --- playback options of a link ---------------------------------------------------------------
test('play policy: autoplay by default, paused on a link step, lesson waits, reduced motion jumps', () => {
  assert.deepEqual(playPolicy({ first: true }), { autoplay: true, instant: false });
  assert.deepEqual(playPolicy({ first: true, autoplay: false }), { autoplay: false, instant: false });
  assert.deepEqual(playPolicy({ first: true, step: 40 }), { autoplay: false, instant: false });
  // The step only matters for the race the link opened.
  assert.deepEqual(playPolicy({ first: false, step: 40 }), { autoplay: true, instant: false });
  assert.deepEqual(playPolicy({ first: true, lesson: 'saddle_point' }), { autoplay: false, instant: false });
  // Reduced motion overrides autoplay, even an explicit play=1: no animation unless asked.
  assert.deepEqual(playPolicy({ first: true, reduced: true, autoplay: true }), { autoplay: false, instant: true });
  assert.deepEqual(playPolicy({ first: false, reduced: true }), { autoplay: false, instant: true });
});

test('presenter, autoplay and loop live in the hash', () => {
  const s = defaultState();
  assert.equal(s.presenter, false);
  assert.equal(s.autoplay, null);
  assert.equal(s.loop, false);
  Object.assign(s, { presenter: true, autoplay: false, loop: true });
  const hash = toHash(s);
  assert.deepEqual(hash.split('&').sort(), ['loop=1', 'play=0', 'pm=1']);
  assert.deepEqual(fromHash(hash), s);
  assert.equal(fromHash('play=1').autoplay, true);
  assert.equal(fromHash('').autoplay, null);
});

test('every field of a full classroom scene round-trips', () => {
  const s = defaultState();
  Object.assign(s, {
    surface: 'custom', formula: 'x^2 + 3*y^2 & (x=y)? #1', bounds: [-3, 3.5, -2.25, 4],
    options: {},
    runs: [
      makeRun({ optimizer: 'sgd', params: { lr: 0.0123456789, momentum: 0.9, nesterov: true }, schedule: 'cosine', schedule_params: { T_max: 300, eta_min: 1e-5 }, noise: 0.25, start: [-1.25, 2.5] }),
      makeRun({ optimizer: 'adam', params: { lr: 0.05, betas: [0.85, 0.995] }, schedule: 'step', schedule_params: { step_size: 50, gamma: 0.5 } }),
    ],
    start: [0.1994, -4], steps: 777, seed: 4294967295, view: 'basins', eigen: false,
    critical: false, taylor: true, field: true, speed: 0.25, step: 321, selected: 1,
    logLoss: false, panel: 'notes', lang: 'zh', lesson: 'saddle_point', presenter: true,
    autoplay: true, loop: true,
  });
  const back = fromHash(toHash(s));
  for (const key of Object.keys(s)) assert.deepEqual(back[key], s[key], key);
});

// --- loop ---------------------------------------------------------------------------------------
test('loop: the end of the race holds, then replays from step 0, and keeps playing', () => {
  const p = new Playback(40);
  p.loop = true;
  p.holdSeconds = 1;
  p.play(null);
  p.tick(10, 100, 100); // reaches the end
  assert.equal(p.step, 100);
  assert.ok(p.playing);
  p.tick(0.6, 100, 100);
  assert.equal(p.step, 100); // holding the last picture
  p.tick(0.6, 100, 100);
  assert.equal(p.step, 0);
  assert.equal(p.loops, 1);
  assert.ok(p.playing);
  p.tick(0.5, 100, 100);
  assert.equal(p.step, 20);
  // Without loop the end stops playback (the default).
  const q = new Playback(40);
  q.play(null);
  q.tick(10, 100, 100);
  assert.equal(q.playing, false);
  assert.equal(q.loops, 0);
});

test('loop waits for the stream: a race still arriving is not the end', () => {
  const p = new Playback(40);
  p.loop = true;
  p.play(null);
  p.tick(10, 50, null);
  p.tick(10, 50, null);
  assert.equal(p.step, 50);
  assert.ok(p.buffering);
  assert.equal(p.loops, 0);
});

// --- keys ---------------------------------------------------------------------------------------
const key = (k, extra = {}) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'BODY' }, ...extra });

test('every shortcut maps to its action', () => {
  assert.equal(shortcutFor(key(' ')), 'play');
  assert.equal(shortcutFor(key('ArrowRight')), 'forward');
  assert.equal(shortcutFor(key('ArrowLeft')), 'back');
  assert.equal(shortcutFor(key('ArrowRight', { shiftKey: true })), 'forward10');
  assert.equal(shortcutFor(key('ArrowLeft', { shiftKey: true })), 'back10');
  assert.equal(shortcutFor(key('Home')), 'home');
  assert.equal(shortcutFor(key('r')), 'restart');
  assert.equal(shortcutFor(key('f')), 'fullscreen');
  assert.equal(shortcutFor(key('p')), 'presenter');
  assert.equal(shortcutFor(key('?', { shiftKey: true })), 'help');
  assert.equal(shortcutFor(key('x')), null);
  // The table the dialog shows lists each action the dispatcher knows.
  const listed = new Set(SHORTCUTS.map((s) => s.action));
  for (const a of ['play', 'forward', 'back', 'forward10', 'back10', 'home', 'restart', 'fullscreen', 'presenter', 'help']) {
    assert.ok(listed.has(a), a);
  }
});

test('shortcuts stay out of text boxes, sliders, selects and modified keys', () => {
  const input = (type) => ({ tagName: 'INPUT', type });
  for (const target of [input('text'), input('number'), input('range'), { tagName: 'TEXTAREA' }, { tagName: 'SELECT' }, { tagName: 'DIV', isContentEditable: true }]) {
    assert.equal(ownsKeys(target), true, JSON.stringify(target));
    assert.equal(shortcutFor(key('r', { target })), null);
    assert.equal(shortcutFor(key('ArrowRight', { target })), null);
  }
  assert.equal(shortcutFor(key('r', { ctrlKey: true })), null); // Ctrl+R reloads
  assert.equal(shortcutFor(key('f', { metaKey: true })), null);
  // Space presses a focused button or checkbox instead of playing; letters still work there.
  assert.equal(shortcutFor(key(' ', { target: { tagName: 'BUTTON' } })), null);
  assert.equal(shortcutFor(key(' ', { target: input('checkbox') })), null);
  assert.equal(shortcutFor(key('r', { target: { tagName: 'BUTTON' } })), 'restart');
  assert.equal(shortcutFor(key('r', { target: input('checkbox') })), 'restart');
  // Tabs move between themselves with the arrows.
  const tab = { tagName: 'BUTTON', getAttribute: (n) => (n === 'role' ? 'tab' : null) };
  assert.equal(shortcutFor(key('ArrowRight', { target: tab })), null);
  assert.equal(shortcutFor(key('p', { target: tab })), 'presenter');
});

// --- presenter scale and share addresses ---------------------------------------------------------
test('presenter and embed draw larger; the app at a desk does not', () => {
  assert.equal(presentScale({ mode: 'app', presenter: false, width: 1920, height: 1080 }), 1);
  assert.equal(presentScale({ mode: 'app', presenter: true, width: 1920, height: 1080 }), 1.5);
  assert.equal(presentScale({ mode: 'app', presenter: true, width: 1280, height: 800 }), 1.25);
  const slide = presentScale({ mode: 'embed', width: 960, height: 540 });
  assert.ok(slide > 1.2 && slide < 1.4, String(slide)); // min(960/760, 540/430) = 1.256
  assert.equal(presentScale({ mode: 'embed', width: 3840, height: 2160 }), 2);
  assert.equal(presentScale({ mode: 'embed', width: 320, height: 180 }), 1);
});

test('embed and app addresses sit next to each other; the iframe snippet loops', () => {
  assert.equal(embedUrl('s=bowl', 'http://h:8000/'), 'http://h:8000/embed.html#s=bowl');
  assert.equal(embedUrl('s=bowl', 'http://h/app/index.html#x=1'), 'http://h/app/embed.html#s=bowl');
  assert.equal(appUrl('s=bowl', 'http://h/app/embed.html#loop=1'), 'http://h/app/#s=bowl');
  assert.equal(appUrl('', 'http://h/embed.html'), 'http://h/');
  const code = embedCode('s=bowl', 'http://h/');
  assert.match(code, /^<iframe src="http:\/\/h\/embed\.html#s=bowl&loop=1" width="960" height="540"/);
  assert.match(code, /allow="fullscreen"/);
  assert.match(embedCode('', 'http://h/'), /embed\.html#loop=1"/);
});

test('clipboard: true when written, false when missing or refused', async () => {
  let written = null;
  assert.equal(await writeClipboard('a', { clipboard: { writeText: async (t) => { written = t; } } }), true);
  assert.equal(written, 'a');
  assert.equal(await writeClipboard('a', {}), false);
  assert.equal(await writeClipboard('a', { clipboard: { writeText: async () => { throw new Error('denied'); } } }), false);
});

test('clicker keys, undo and redo: what each key means where', () => {
  const el = (tagName, type, role) => ({ tagName, type, getAttribute: () => role || null });
  const key = (k, target, mods = {}) => shortcutFor({ key: k, target, ...mods });
  const page = el('DIV');
  assert.equal(key('PageDown', page), 'lessonNext');
  assert.equal(key('PageUp', page), 'lessonBack');
  // The guess box (one line) lets the clicker through; a slider keeps PageUp/PageDown.
  assert.equal(key('PageDown', el('INPUT', 'text')), 'lessonNext');
  assert.equal(key('PageDown', el('INPUT', 'range')), null);
  assert.equal(key('PageUp', el('TEXTAREA')), null);
  assert.equal(key('z', page, { ctrlKey: true }), 'undo');
  assert.equal(key('Z', page, { ctrlKey: true, shiftKey: true }), 'redo');
  assert.equal(key('y', page, { ctrlKey: true }), 'redo');
  assert.equal(key('z', page, { metaKey: true }), 'undo');
  // In a text box Ctrl+Z is the box's own undo.
  assert.equal(key('z', el('INPUT', 'text'), { ctrlKey: true }), null);
  assert.equal(key('c', page, { ctrlKey: true }), null);
  // Every action has a line in the "?" dialog.
  for (const a of ['lessonNext', 'lessonBack', 'undo', 'redo']) {
    assert.ok(SHORTCUTS.some((s) => s.action === a), a);
  }
});
