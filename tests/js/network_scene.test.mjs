import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  installCatalog, defaultRun, defaultRequest, runLabel,
  defaultScene, normalizeScene, sceneToHash, sceneFromHash, isNetworkHash, startMessage, SERVER_PLANE,
} from '../../frontend/js/network/scene.js';
import { NetRaceData } from '../../frontend/js/network/racedata.js';
import { previewLayout } from '../../frontend/js/network/previews.js';

// A catalog of the served shape (GET /api/network/datasets); its values are this test's own,
// chosen to differ from the server's, so a default that leaks from anywhere else shows.
const CATALOG = {
  datasets: [{ id: 'moons', task: 'classification', preview: { x: [[0, 0], [2, 1]], y: [0, 1] } },
    { id: 'xor', task: 'classification', preview: { x: [[-1, -1], [1, 1]], y: [0, 0] } }],
  activations: ['tanh', 'relu'],
  optimizers: ['sgd', 'adam', 'random_local_search'],
  optimizer_defaults: { sgd: { lr: 0.25 }, adam: { lr: 0.003 }, random_local_search: { step_size: 0.07 } },
  default_request: {
    network: { dataset: 'moons', hidden: [16, 16], activation: 'tanh', samples: 200, test_samples: 200,
      noise: null, seed: 0, weight_decay: 0, classes: null },
    runs: [{ optimizer: 'sgd', params: { lr: 0.25 }, schedule: 'constant', schedule_params: {}, batch_size: null },
      { optimizer: 'adam', params: { lr: 0.003 }, schedule: 'constant', schedule_params: {}, batch_size: null }],
    steps: 300, init_seed: 0, seed: 0, sharpness_every: 10,
  },
};
installCatalog(CATALOG);

test('defaults come from the installed catalog, as copies', () => {
  assert.deepEqual(defaultRun('adam').params, { lr: 0.003 });
  assert.deepEqual(defaultRun('random_local_search').params, { step_size: 0.07 });
  const req = defaultRequest();
  assert.deepEqual(req, CATALOG.default_request);
  req.runs[0].params.lr = 9;
  req.network.hidden.push(4);
  assert.equal(CATALOG.default_request.runs[0].params.lr, 0.25);
  assert.deepEqual(defaultScene().request.network.hidden, [16, 16]);
});

test('a preview fills its canvas square, y up', () => {
  const pts = previewLayout({ x: [[0, 0], [2, 1], [1, 2]], y: [0, 1, 0] }, 56, 56, 3);
  for (const [px, py] of pts) assert.ok(px >= 3 - 1e-9 && px <= 53 + 1e-9 && py >= 3 - 1e-9 && py <= 53 + 1e-9);
  assert.deepEqual(pts[0], [3, 53]); // the lowest-left point at the bottom left corner
  assert.deepEqual(pts[1], [53, 28]); // x span 2 -> 50 px; y 1 -> half way up
  assert.deepEqual(pts[2], [28, 3]);
});

test('a scene survives the URL: request, plane, step and language come back equal', () => {
  const scene = defaultScene();
  scene.request.network.dataset = 'spirals';
  scene.request.network.hidden = [32, 8, 4];
  scene.request.runs[1].batch_size = 16;
  scene.request.runs[0].schedule = 'cosine';
  scene.request.runs[0].schedule_params = { T_max: 300 };
  scene.plane = 'hessian';
  scene.step = 120;
  const hash = sceneToHash(scene, { lang: 'zh' });
  assert.ok(isNetworkHash(hash) && isNetworkHash(`#${hash}`));
  const back = sceneFromHash(`#${hash}`);
  assert.deepEqual(back.scene, scene);
  assert.equal(back.lang, 'zh');
});

test('only mode=network opens the mode (not a surface named like it)', () => {
  assert.equal(isNetworkHash('s=himmelblau'), false);
  assert.equal(isNetworkHash('mode=networks'), false);
  assert.equal(isNetworkHash('s=rosenbrock&mode=network'), true);
});

test('a broken link falls back to the defaults instead of throwing', () => {
  const { scene } = sceneFromHash('mode=network&net=%7Bnot json&plane=sideways&step=-3');
  assert.deepEqual(scene, defaultScene());
  const bad = sceneFromHash('mode=network&net=%E0%A4%A&step=7');
  assert.equal(bad.scene.step, 7);
});

test("a lesson's partial scene is completed with defaults, its own values kept", () => {
  const scene = normalizeScene({ mode: 'network', plane: 'interpolate', step: 5,
    request: { network: { dataset: 'xor', hidden: [] }, runs: [{ optimizer: 'adam', batch_size: 8 }], steps: 50 } });
  assert.equal(scene.plane, 'interp');
  assert.equal(SERVER_PLANE[scene.plane], 'interpolate');
  assert.deepEqual(scene.request.network.hidden, []);
  assert.equal(scene.request.network.activation, 'tanh');
  assert.equal(scene.request.runs.length, 1);
  assert.equal(scene.request.runs[0].batch_size, 8);
  assert.ok(scene.request.runs[0].params.lr > 0);
  assert.equal(scene.request.steps, 50);
  const start = startMessage(scene);
  assert.equal(start.type, 'start');
  assert.deepEqual(start.network, scene.request.network);
});

function started(runs = 2) {
  return { type: 'started', steps: 4, network: { task: 'classification', classes: 2 },
    runs: Array.from({ length: runs }, () => ({ optimizer: 'sgd' })) };
}

test('frames join per run; the boundary shown at k is the newest sent at or before k', () => {
  const data = new NetRaceData(started());
  data.add({ step: 0, runs: [
    { points: [[0, 0]], distance: [0], train_loss: [1], test_loss: [1.1], grad_norm: [], status: 'running', boundary: [0.5] },
    { points: [[0, 0]], distance: [0], train_loss: [1], test_loss: [1.1], grad_norm: [], status: 'running', boundary_of: 0 },
  ] });
  data.add({ step: 1, runs: [
    { points: [[1, 0], [2, 0]], distance: [0.1, 0.2], train_loss: [0.8, 0.6], test_loss: [0.9, 0.7], grad_norm: [3, 2], step_norm: [1, 1], status: 'running' },
    { points: [[0, 1], [0, 2], [0, 3]], distance: [0, 0, 0], train_loss: [0.9, 0.7, 0.5], test_loss: [1, 1, 1], grad_norm: [3, 2, 1], step_norm: [1, 1, 1], status: 'max_steps', boundary: [0.9] },
  ] });
  assert.equal(data.available(), 3);
  assert.equal(data.final(), null); // run 0 still running
  assert.deepEqual(data.boundaryAt(1, 0).grid, [0.5]); // shared opening grid
  assert.deepEqual(data.boundaryAt(1, 2).grid, [0.5]);
  assert.deepEqual(data.boundaryAt(1, 3).grid, [0.9]);
  const at = data.at(0, 2);
  assert.equal(at.train_loss, 0.6);
  assert.equal(at.grad_norm, 2); // the update that produced iterate 2
  assert.equal(data.at(0, 0).grad_norm, null);
  assert.equal(data.at(0, 99).step, 2); // clamped to what run 0 has
  data.add({ step: 3, runs: [{ points: [[3, 0]], distance: [0], train_loss: [0.5], test_loss: [0.6], grad_norm: [1], status: 'max_steps' }, { points: [], status: 'max_steps' }] });
  assert.equal(data.final(), 3);
});

test('the projection error is the largest |true - slice| loss up to the step', async () => {
  const { projectionError } = await import('../../frontend/js/network/slice.js');
  const paths = [{ true_loss: [1, 0.5, 0.2], slice_loss: [1, 0.4, 0.5] }, { true_loss: [1, 0.9], slice_loss: [1, 1.05] }];
  assert.equal(projectionError(paths, 0), 0);
  assert.ok(Math.abs(projectionError(paths, 1) - 0.15) < 1e-12);
  assert.ok(Math.abs(projectionError(paths, 2) - 0.3) < 1e-12);
  // a coarse picture's paths without slice_loss: not known yet, not 0
  assert.equal(projectionError([paths[0], { true_loss: [1, 0.9] }], 1), null);
});

test('the spectrum histogram counts every eigenvalue once, the extremes in the end bins', async () => {
  const { histogram } = await import('../../frontend/js/network/spectrum.js');
  const h = histogram([-1, 0, 0, 0.1, 3], 4);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 5);
  assert.equal(h.counts[0], 1); // -1 alone in [-1, 0)
  assert.equal(h.counts[3], 1); // 3 in the last bin
  assert.equal(h.counts[1], 3); // 0, 0, 0.1 in [0, 1)
});

test('epochs: ceil(n/b) batches an epoch, the last one short; full batch is one a step', async () => {
  const { epochOf } = await import('../../frontend/js/network/racedata.js');
  // 200 samples in batches of 64: 64, 128, 192, then 8 (the epoch's end), then a new epoch
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((u) => epochOf(u, 200, 64)), [0, 0.32, 0.64, 0.96, 1, 1.32]);
  assert.deepEqual([0, 1, 7].map((u) => epochOf(u, 200, 200)), [0, 1, 7]);
  assert.deepEqual([0, 1, 7].map((u) => epochOf(u, 200, null)), [0, 1, 7]);
  assert.equal(epochOf(50, 10, 1), 5);
});

test('state norms join per update; a buffer that appears mid-race lines up with its updates', () => {
  const data = new NetRaceData({ ...started(1), data: { X: [[0, 0], [1, 1], [2, 2], [3, 3]] },
    runs: [{ optimizer: 'sgd', batch_size: 3 }] });
  data.add({ step: 0, runs: [{ points: [[0, 0]], distance: [0], train_loss: [1], test_loss: [1], grad_norm: [], status: 'running' }] });
  data.add({ step: 1, runs: [{ points: [[1, 0], [2, 0]], distance: [0, 0], train_loss: [1, 1], test_loss: [1, 1], grad_norm: [3, 2], status: 'running' }] });
  data.add({ step: 3, runs: [{ points: [[3, 0]], distance: [0], train_loss: [1], test_loss: [1], grad_norm: [1], status: 'running',
    state_norms: { momentum_buffer: [0.5] } }] });
  assert.deepEqual(data.at(0, 0).state, { momentum_buffer: null });
  assert.deepEqual(data.at(0, 2).state, { momentum_buffer: null });
  assert.deepEqual(data.at(0, 3).state, { momentum_buffer: 0.5 });
  // 4 samples in batches of 3: 3, then 1 (an epoch), then 3
  assert.deepEqual(data.epochs(0), [0, 0.75, 1, 1.75]);
});

test("the start asks for the scene's slice at the end and leaves out changes beyond its steps", () => {
  const scene = defaultScene();
  scene.plane = 'interp';
  scene.request.steps = 50;
  scene.request.runs[0].changes = [{ step: 20, params: { lr: 0.1 } }, { step: 50, params: { lr: 0.2 } }];
  const start = startMessage(scene);
  assert.deepEqual(start.landscape, { plane: 'interpolate', resolution: 41, seed: 0 });
  assert.deepEqual(start.runs[0].changes, [{ step: 20, params: { lr: 0.1 } }]);
  assert.equal(scene.request.runs[0].changes.length, 2); // the scene itself keeps both
});

test('a run is named by its step size (η, or s for the search) and a batch smaller than the set', () => {
  assert.equal(runLabel({ params: { lr: 0.01 }, batch_size: 200 }, 'Adam', 200), 'Adam η=0.01');
  assert.equal(runLabel({ params: { lr: 0.5 }, batch_size: 32 }, 'SGD', 200), 'SGD η=0.5 b=32');
  assert.equal(runLabel({ params: { step_size: 0.05 }, batch_size: 200 }, 'Random local search', 200),
    'Random local search s=0.05');
});
