// The network scene as a value: {mode: "network", request, plane, step}. `request` is exactly
// the JSON body the network race takes (server/netschemas.py NetRaceRequest); the URL carries
// it as JSON, so a lesson's scene, a link and the stream all speak the same format.
// Pure: no DOM, tested under node (tests/js/network_scene.test.js).

import { fmt } from '../lib/format.js';

export const PLANES = ['pca', 'random', 'hessian', 'interp'];
// the scene's "interp" is the server's "interpolate" (the lessons' shorter spelling)
export const SERVER_PLANE = { pca: 'pca', random: 'random', hessian: 'hessian', interp: 'interpolate' };

export const SLICE_RESOLUTION = 41; // points a side of the slice's full picture

// The served catalog (GET /api/network/datasets: server/netcatalog.py): the data sets with
// their previews, activations, optimizers with their first settings for a network, and the
// race a bare link opens. The mode installs it before reading any scene; this module keeps no
// copy of the server's lists or defaults.
let served = null;

export function installCatalog(catalog) {
  served = catalog;
}

function catalog() {
  if (!served) throw new Error('network/scene.js: installCatalog() first');
  return served;
}

export const datasetIds = () => catalog().datasets.map((d) => d.id);
export const activations = () => catalog().activations;
export const optimizerIds = () => catalog().optimizers;
export const datasetInfo = (id) => catalog().datasets.find((d) => d.id === id) || null;

export function defaultRequest() {
  return structuredClone(catalog().default_request);
}

export function defaultScene() {
  return { mode: 'network', request: defaultRequest(), plane: 'pca', step: null };
}

/** A run of `optimizer` at its served first settings for a network. */
export function defaultRun(optimizer) {
  const params = { ...(catalog().optimizer_defaults[optimizer] || {}) };
  return { optimizer, params, schedule: 'constant', schedule_params: {}, batch_size: null };
}

/**
 * "Adam η=0.01 b=32": a run as the legend, the exports and the inspector name it: its step's
 * size (η, or s for the random local search, which has no learning rate) and its batch when
 * not the full training set of `samples`.
 */
export function runLabel(config, name, samples) {
  const p = config.params || {};
  const size = p.lr !== undefined ? ` η=${fmt(p.lr, 3)}` : p.step_size !== undefined ? ` s=${fmt(p.step_size, 3)}` : '';
  return `${name}${size}${config.batch_size < samples ? ` b=${config.batch_size}` : ''}`;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A scene from anything (a lesson's scene, a parsed link): missing fields take the defaults,
 * the request's own fields are kept as they are (the server validates them and says what to
 * change). Returns a fresh object.
 */
export function normalizeScene(scene) {
  const base = defaultScene();
  if (!isObject(scene)) return base;
  const req = isObject(scene.request) ? scene.request : {};
  const request = { ...base.request, ...req };
  request.network = { ...base.request.network, ...(isObject(req.network) ? req.network : {}) };
  request.runs = Array.isArray(req.runs) && req.runs.length
    ? req.runs.filter(isObject).map((r) => ({ ...defaultRun(r.optimizer || 'sgd'), ...r,
      params: { ...(isObject(r.params) ? r.params : defaultRun(r.optimizer || 'sgd').params) } }))
    : base.request.runs;
  const plane = scene.plane === 'interpolate' ? 'interp' : scene.plane;
  const step = Number.isInteger(scene.step) && scene.step >= 0 ? scene.step : null;
  return { mode: 'network', request, plane: PLANES.includes(plane) ? plane : 'pca', step };
}

/** Does this URL hash open the network mode? */
export function isNetworkHash(hash) {
  return /(?:^|[#&])mode=network(?:&|$)/.test(hash || '');
}

/** The URL hash of a scene (without '#'): mode, the request as JSON, plane, step, lang. */
export function sceneToHash(scene, extra = {}) {
  const parts = ['mode=network', `net=${encodeURIComponent(JSON.stringify(scene.request))}`,
    `plane=${scene.plane}`];
  if (scene.step !== null && scene.step !== undefined) parts.push(`step=${scene.step}`);
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined && v !== null && v !== '') parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  return parts.join('&');
}

/** A link's own fields: the raw scene (not yet completed), language, lesson, presenter. */
export function parseHash(hash) {
  const fields = {};
  for (const part of (hash || '').replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      fields[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
    } catch {
      // a malformed escape: ignore that field
    }
  }
  let request;
  try {
    request = fields.net ? JSON.parse(fields.net) : undefined;
  } catch {
    request = undefined;
  }
  const step = fields.step !== undefined && /^\d+$/.test(fields.step) ? Number(fields.step) : null;
  return { raw: { request, plane: fields.plane, step }, lang: fields.lang || null,
    lesson: fields.l || null, presenter: fields.pm === '1', axis: fields.x === 'epoch' ? 'epoch' : 'step' };
}

/** Parse a hash; a broken `net=` falls back to the default request (never throws). */
export function sceneFromHash(hash) {
  const { raw, ...rest } = parseHash(hash);
  return { scene: normalizeScene(raw), ...rest };
}

/** The race body of a scene (the stream's start, the HTML export): a change at or beyond the
 *  last step changes nothing (fewer steps than when it was made) and is left out. */
export function raceRequest(scene) {
  const req = scene.request;
  const runs = req.runs.map((r) => (r.changes?.length
    ? { ...r, changes: r.changes.filter((c) => c.step < req.steps) } : r));
  return { ...req, runs };
}

/** The stream's start message for a scene (the request plus the live view's settings). */
export function startMessage(scene) {
  const req = raceRequest(scene);
  const runs = req.runs;
  // the slice of the finished race is asked for with the start: the server begins it on the
  // race's last frame, without waiting for the page to read "done" and ask
  return { type: 'start', ...req, runs, frame_steps: 10, boundary_every: 3,
    boundary_resolution: 41, plane_seed: 0,
    landscape: { plane: SERVER_PLANE[scene.plane] || 'pca', resolution: SLICE_RESOLUTION, seed: 0 } };
}

/** Leave the 2D app for the Network mode showing this scene (a lesson's, or a link's). */
export function openNetworkScene(scene, lesson, lang) {
  // written as the lesson gives it: the mode completes it from the served catalog on load
  const step = Number.isInteger(scene.step) && scene.step >= 0 ? scene.step : null;
  location.hash = sceneToHash({ request: scene.request || {}, plane: scene.plane === 'interpolate' ? 'interp' : scene.plane || 'pca', step },
    { l: lesson, lang });
  location.reload(); // main.js's hashchange reload may come first; either loads the mode
}
