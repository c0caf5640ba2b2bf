// The scene as one table of properties, like TensorFlow Playground's state.ts: everything a
// link must reproduce (surface, runs, starts, view, step, ...) lives here and round-trips
// through the URL hash. Only values that differ from the defaults are written, so links
// stay short and readable: #s=rosenbrock&r=adam,lr=0.05;sgd,lr=0.001,momentum=0.9&x=-1.2_1

import { OVERLAYS, enumValues } from './registry.js';

// The runs of a scene that names none (a link without r=) are the server's: GET /api/limits
// default_runs (core.optimizers.DEFAULT_RACE at the optimizers' playground learning rates),
// set here by setDefaultRuns when the catalog arrives. Until then such a scene's runs are
// null, "the defaults, to be filled in" (applyLimits does), and toHash writes no r= for them.
let defaultRuns = null;

/** The served default runs ([{optimizer, params}]); links without r= mean these. */
export function setDefaultRuns(runs) {
  defaultRuns = runs.map(makeRun);
}

/** A run as the scene stores it: only what the user chose (optimizer defaults fill the rest). */
export function makeRun(run = {}) {
  return {
    optimizer: run.optimizer || 'sgd',
    params: { ...(run.params || {}) },
    schedule: run.schedule || 'constant',
    schedule_params: { ...(run.schedule_params || {}) },
    noise: Number.isFinite(run.noise) ? run.noise : 0,
    batch_size: Number.isInteger(run.batch_size) ? run.batch_size : null,
    start: Array.isArray(run.start) ? run.start.slice(0, 2) : null,
    // Settings changed mid-race, replayed by the server: [{step, params}] by rising step.
    changes: Array.isArray(run.changes)
      ? run.changes.map((c) => ({ step: c.step, params: { ...c.params } })) : [],
  };
}

/** The settings in force for the update leaving point k (the run's params, then its changes). */
export function paramsAt(run, k) {
  let params = { ...run.params };
  for (const c of run.changes || []) if (c.step <= k) params = { ...params, ...c.params };
  return params;
}

/**
 * The run with `params` from step k on: k = 0 changes the run's own settings (and the
 * changes' values of those keys are dropped); k > 0 records a change at k. Either way a
 * later change of the same keys is dropped: the new value holds from k on.
 */
export function changeFrom(run, k, params) {
  const keys = Object.keys(params);
  const changes = [];
  for (const c of run.changes || []) {
    const kept = { ...c.params };
    if (c.step >= k) for (const key of keys) delete kept[key];
    if (Object.keys(kept).length) changes.push({ step: c.step, params: kept });
  }
  const next = { ...run, params: { ...run.params }, changes };
  if (k <= 0) Object.assign(next.params, params);
  else {
    const at = changes.find((c) => c.step === k);
    if (at) Object.assign(at.params, params);
    else changes.push({ step: k, params: { ...params } });
    changes.sort((a, b) => a.step - b.step);
  }
  return next;
}

// The views and panels come from lib/registry.js (read when a link is parsed, so a panel
// registered before the app boots round-trips too).
const LANGS = ['en', 'zh', 'zh-Hant'];
const enumOf = (key) => (key === 'lang' ? LANGS : enumValues(key) || []);

// key: the state property; url: its name in the hash; type: how it is written.
export const FIELDS = [
  { key: 'surface', url: 's', type: 'string', default: 'himmelblau' },
  { key: 'formula', url: 'f', type: 'string', default: '' },
  { key: 'bounds', url: 'b', type: 'numbers', length: 4, default: null },
  { key: 'options', url: 'o', type: 'dict', default: {} },
  { key: 'runs', url: 'r', type: 'runs', default: null }, // the served ones: defaultState()
  // Near the stable manifold of the saddle at (0.087, 2.884): SGD lingers at the saddle,
  // Adam's per-coordinate scaling carries it away to another minimum.
  { key: 'start', url: 'x', type: 'numbers', length: 2, default: [0.1994, 4] },
  // No maxima here: the server's (GET /api/limits) bound counts, the seed and the speed, in
  // applyLimits; a minimum here is what the number means (at least one step, an index).
  { key: 'steps', url: 'n', type: 'int', default: 500, min: 1 },
  { key: 'seed', url: 'seed', type: 'int', default: 0, min: 0 },
  { key: 'view', url: 'v', type: 'enum', default: 'contour' },
  // The overlays' flags (eigen e, critical c, taylor t, field g): lib/registry.js.
  ...OVERLAYS.map((o) => ({ key: o.id, url: o.url, type: 'bool', default: o.default })),
  { key: 'speed', url: 'sp', type: 'number', default: 1, positive: true },
  { key: 'step', url: 'k', type: 'int', default: 0, min: 0 },
  { key: 'selected', url: 'sel', type: 'int', default: 0, min: 0 },
  { key: 'logLoss', url: 'log', type: 'bool', default: true },
  { key: 'panel', url: 'p', type: 'enum', default: 'inspector' },
  { key: 'lang', url: 'lang', type: 'enum', default: 'en' },
  { key: 'lesson', url: 'l', type: 'string', default: '' },
  // Sharing and slides (ui/share.js, embed.html): presenter mode, and the playback options of
  // a link: autoplay (null = the page's default: on unless reduced motion) and loop.
  { key: 'presenter', url: 'pm', type: 'bool', default: false },
  // The curvature read-outs (ui/firstopen.js): off for a first look, on in curvature lessons.
  { key: 'advanced', url: 'adv', type: 'bool', default: false },
  { key: 'autoplay', url: 'play', type: 'bool', default: null },
  { key: 'loop', url: 'loop', type: 'bool', default: false },
  // The embed dialog's options (ui/embeddialog.js): answer=false hides the results until
  // the race has played to its end (null = the page's default: hidden for a lesson's
  // embed); runKey shows each run's name and settings on the plot.
  { key: 'answer', url: 'ans', type: 'bool', default: null },
  { key: 'runKey', url: 'rs', type: 'bool', default: false },
];

export function defaultState() {
  const state = {};
  for (const f of FIELDS) state[f.key] = clone(f.default);
  state.runs = defaultRuns ? defaultRuns.map(makeRun) : null;
  return state;
}

function clone(v) {
  return v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v));
}

// --- values ---------------------------------------------------------------------------------
function numText(x) {
  return String(Number(x));
}

/** One scalar-ish value inside a run or dict: 0.1, true, 0.9_0.999, cosine. */
export function encodeValue(v) {
  if (Array.isArray(v)) return v.map(numText).join('_');
  if (typeof v === 'number') return numText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

export function decodeValue(text) {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.includes('_')) {
    const parts = text.split('_').map(Number);
    if (parts.every(Number.isFinite)) return parts;
  }
  if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

function encodeDict(d) {
  return Object.entries(d).map(([k, v]) => `${k}=${encodeValue(v)}`).join(',');
}

function decodeDict(text) {
  const out = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = decodeValue(part.slice(eq + 1));
  }
  return out;
}

/** adam,lr=0.1,sch=cosine,sch.T_max=300,noise=0.5,bs=8,at=0.2_4,@120.lr=0.05
 *  (@120.lr: the learning rate changed to 0.05 from step 120 on, during the race) */
export function encodeRun(run) {
  const parts = [run.optimizer];
  for (const [k, v] of Object.entries(run.params || {})) parts.push(`${k}=${encodeValue(v)}`);
  if (run.schedule && run.schedule !== 'constant') parts.push(`sch=${run.schedule}`);
  for (const [k, v] of Object.entries(run.schedule_params || {})) {
    parts.push(`sch.${k}=${encodeValue(v)}`);
  }
  if (run.noise) parts.push(`noise=${encodeValue(run.noise)}`);
  if (run.batch_size) parts.push(`bs=${run.batch_size}`);
  if (run.start) parts.push(`at=${encodeValue(run.start)}`);
  for (const c of run.changes || []) {
    for (const [k, v] of Object.entries(c.params)) parts.push(`@${c.step}.${k}=${encodeValue(v)}`);
  }
  return parts.join(',');
}

export function decodeRun(text) {
  const [optimizer, ...rest] = text.split(',');
  const run = makeRun({ optimizer });
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = decodeValue(part.slice(eq + 1));
    if (key === 'sch') run.schedule = String(value);
    else if (key.startsWith('sch.')) run.schedule_params[key.slice(4)] = value;
    else if (key === 'noise' && Number.isFinite(value)) run.noise = value;
    else if (key === 'bs' && Number.isInteger(value)) run.batch_size = value;
    else if (key === 'at' && Array.isArray(value) && value.length === 2) run.start = value;
    else if (key.startsWith('@')) addChange(run, key.slice(1), value);
    else run.params[key] = value;
  }
  run.changes.sort((a, b) => a.step - b.step);
  return run;
}

function addChange(run, text, value) {
  const dot = text.indexOf('.');
  const step = Number(text.slice(0, dot));
  const name = text.slice(dot + 1);
  if (dot <= 0 || !Number.isSafeInteger(step) || step < 1 || !name) return;
  let c = run.changes.find((x) => x.step === step);
  if (!c) {
    c = { step, params: {} };
    run.changes.push(c);
  }
  c.params[name] = value;
}

// --- the hash ---------------------------------------------------------------------------------
function encodeField(field, value) {
  switch (field.type) {
    case 'bool': return value ? '1' : '0';
    case 'numbers': return value.map(numText).join('_');
    case 'dict': return encodeDict(value);
    case 'runs': return value.map(encodeRun).join(';');
    default: return String(value);
  }
}

function decodeField(field, text) {
  switch (field.type) {
    case 'string': return text;
    case 'bool': return text === '1' || text === 'true';
    case 'int': {
      const n = Number(text);
      if (!Number.isSafeInteger(n)) return undefined;
      return Math.max(field.min, n);
    }
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) && (!field.positive || n > 0) ? n : undefined;
    }
    case 'numbers': {
      const parts = text.split('_').map(Number);
      return parts.length === field.length && parts.every(Number.isFinite) ? parts : undefined;
    }
    case 'enum': return enumOf(field.key).includes(text) ? text : undefined;
    case 'dict': return decodeDict(text);
    case 'runs': {
      const runs = text.split(';').filter(Boolean).map(decodeRun);
      return runs.length ? runs : undefined;
    }
    default: return undefined;
  }
}

// encodeURIComponent, but keeping the separators of our own little syntax readable.
function escape(text) {
  return encodeURIComponent(text).replace(/%2C/g, ',').replace(/%3B/g, ';')
    .replace(/%3D/g, '=').replace(/%3A/g, ':').replace(/%40/g, '@');
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The state as a hash string (without '#'): only fields that differ from the defaults. */
export function toHash(state) {
  const defaults = defaultState();
  const parts = [];
  for (const field of FIELDS) {
    const value = state[field.key];
    if (value === undefined || value === null || same(value, defaults[field.key])) continue;
    parts.push(`${field.url}=${escape(encodeField(field, value))}`);
  }
  return parts.join('&');
}

/** A state from a hash (with or without '#'); missing or invalid fields take defaults. */
export function fromHash(hash) {
  const state = defaultState();
  const text = (hash || '').replace(/^#/, '');
  if (!text) return state;
  const byUrl = new Map(FIELDS.map((f) => [f.url, f]));
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const field = byUrl.get(part.slice(0, eq));
    if (!field) continue;
    let raw;
    try {
      raw = decodeURIComponent(part.slice(eq + 1));
    } catch {
      continue;
    }
    const value = decodeField(field, raw);
    if (value !== undefined) state[field.key] = value;
  }
  if (state.runs) state.selected = Math.min(state.selected, state.runs.length - 1);
  return state;
}

/**
 * The state within the server's limits (GET /api/limits: max_steps, max_runs, max_changes,
 * max_seed, min_speed, max_speed), in place: a link written for a larger server, or edited
 * by hand, asks for no more than this one serves. Changes beyond the last step are dropped,
 * the first max_changes kept. A scene without runs (null: its link named none; or none left)
 * gets the served default_runs.
 */
export function applyLimits(state, limits) {
  if (!state.runs?.length) state.runs = limits.default_runs.map(makeRun);
  state.seed = Math.min(state.seed, limits.max_seed);
  state.speed = Math.min(limits.max_speed, Math.max(limits.min_speed, state.speed));
  state.steps = Math.min(state.steps, limits.max_steps);
  state.step = Math.min(state.step, state.steps);
  state.runs = state.runs.slice(0, limits.max_runs);
  for (const run of state.runs) {
    run.changes = (run.changes || []).filter((c) => c.step <= state.steps)
      .slice(0, limits.max_changes);
  }
  state.selected = Math.min(state.selected, state.runs.length - 1);
  return state;
}

/** The surface spec the API takes for this scene (an id, a formula or a data set). */
export function surfaceSpec(state, catalog) {
  const bounds = state.bounds || undefined;
  if (state.surface === 'custom') {
    return bounds ? { formula: state.formula, bounds } : { formula: state.formula };
  }
  if (catalog?.datasets?.some((d) => d.id === state.surface)) {
    const spec = { dataset: state.surface, options: { ...state.options } };
    if (bounds) spec.bounds = bounds;
    return spec;
  }
  if (bounds) {
    const known = catalog?.surfaces?.find((s) => s.id === state.surface);
    if (known) return { formula: known.formula, bounds };
  }
  return state.surface;
}
