// The network scene as a value: {mode: "network", request, plane, step}. `request` is exactly
// the JSON body the network race takes (server/netschemas.py NetRaceRequest); the URL carries
// it as JSON, so a lesson's scene, a link and the stream all speak the same format.
// Pure: no DOM, tested under node (tests/js/network_scene.test.js).

export const PLANES = ['pca', 'random', 'hessian', 'interp'];
// the scene's "interp" is the server's "interpolate" (the lessons' shorter spelling)
export const SERVER_PLANE = { pca: 'pca', random: 'random', hessian: 'hessian', interp: 'interpolate' };

export const SLICE_RESOLUTION = 41; // points a side of the slice's full picture

export const DATASETS = ['moons', 'circles', 'spirals', 'xor', 'blobs', 'sine'];
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'leaky_relu', 'softplus'];
export const NET_OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw',
  'random_local_search'];

// A first look that trains visibly in a few seconds: 4 optimizers from one initialization.
export function defaultRequest() {
  return {
    network: {
      dataset: 'moons', hidden: [16, 16], activation: 'tanh', samples: 200, test_samples: 200,
      noise: null, seed: 0, weight_decay: 0, classes: null,
    },
    runs: [
      { optimizer: 'sgd', params: { lr: 0.5 }, schedule: 'constant', schedule_params: {}, batch_size: null },
      { optimizer: 'momentum', params: { lr: 0.1, momentum: 0.9 }, schedule: 'constant', schedule_params: {}, batch_size: null },
      { optimizer: 'adam', params: { lr: 0.01 }, schedule: 'constant', schedule_params: {}, batch_size: null },
      { optimizer: 'rmsprop', params: { lr: 0.005 }, schedule: 'constant', schedule_params: {}, batch_size: null },
    ],
    steps: 300, init_seed: 0, seed: 0, sharpness_every: 10,
  };
}

export function defaultScene() {
  return { mode: 'network', request: defaultRequest(), plane: 'pca', step: null };
}

/** A first learning rate per optimizer for a network (the 2D defaults are for bowls). */
export function defaultRun(optimizer) {
  const lr = { sgd: 0.5, momentum: 0.1, nesterov: 0.1, adagrad: 0.1, rmsprop: 0.005, adam: 0.01,
    adamw: 0.01, random_local_search: 0.05 }[optimizer] ?? 0.01;
  const params = optimizer === 'momentum' || optimizer === 'nesterov' ? { lr, momentum: 0.9 } : { lr };
  return { optimizer, params, schedule: 'constant', schedule_params: {}, batch_size: null };
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

/** Parse a hash; a broken `net=` falls back to the default request (never throws). */
export function sceneFromHash(hash) {
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
  return { scene: normalizeScene({ request, plane: fields.plane, step }), lang: fields.lang || null,
    lesson: fields.l || null, presenter: fields.pm === '1', axis: fields.x === 'epoch' ? 'epoch' : 'step' };
}

/** The stream's start message for a scene (the request plus the live view's settings). */
export function startMessage(scene) {
  const req = scene.request;
  // a change at or beyond the last step changes nothing (fewer steps than when it was made)
  const runs = req.runs.map((r) => (r.changes?.length
    ? { ...r, changes: r.changes.filter((c) => c.step < req.steps) } : r));
  // the slice of the finished race is asked for with the start: the server begins it on the
  // race's last frame, without waiting for the page to read "done" and ask
  return { type: 'start', ...req, runs, frame_steps: 10, boundary_every: 3,
    boundary_resolution: 41, plane_seed: 0,
    landscape: { plane: SERVER_PLANE[scene.plane] || 'pca', resolution: SLICE_RESOLUTION, seed: 0 } };
}

/** Leave the 2D app for the Network mode showing this scene (a lesson's, or a link's). */
export function openNetworkScene(scene, lesson, lang) {
  location.hash = sceneToHash(normalizeScene(scene), { l: lesson, lang });
  location.reload(); // main.js's hashchange reload may come first; either loads the mode
}
