import { test } from 'node:test';
import assert from 'node:assert/strict';
import './served.mjs'; // the server's default runs, as the page has them
import {
  defaultState, toHash, fromHash, encodeRun, decodeRun, makeRun, surfaceSpec, FIELDS, changeFrom, paramsAt,
  applyLimits,
} from '../../frontend/js/lib/state.js';
import { DEFAULT_RUNS } from './served.mjs';

test('the default scene has an empty hash and parses back to itself', () => {
  assert.equal(toHash(defaultState()), '');
  assert.deepEqual(fromHash(''), defaultState());
  assert.deepEqual(fromHash('#'), defaultState());
});

test('a full scene round-trips through the hash', () => {
  const s = defaultState();
  Object.assign(s, {
    surface: 'custom', formula: 'max(x, y)^2 + 3*y^2 / (1 + x)', bounds: [-2, 2, -1.5, 3],
    runs: [
      makeRun({ optimizer: 'adam', params: { lr: 0.0123, betas: [0.8, 0.99], amsgrad: true } }),
      makeRun({ optimizer: 'sgd', params: { lr: 0.01, momentum: 0.9 }, schedule: 'cosine', schedule_params: { T_max: 300 }, noise: 0.5, start: [-1.5, 2.25] }),
      makeRun({ optimizer: 'random_search' }),
    ],
    start: [-1.2, 1], steps: 1234, seed: 7, view: '3d', eigen: false, taylor: true, field: true,
    speed: 2.5, step: 77, selected: 2, logLoss: false, panel: 'graph', lang: 'zh',
  });
  const hash = toHash(s);
  assert.deepEqual(fromHash(hash), s);
  assert.deepEqual(fromHash(`#${hash}`), s);
  // Readable: the run syntax is not percent-encoded.
  assert.ok(hash.includes('r=adam,lr=0.0123,betas=0.8_0.99,amsgrad=true;sgd,'), hash);
});

test('data-set options and batch sizes round-trip', () => {
  const s = defaultState();
  s.surface = 'single_neuron';
  s.options = { activation: 'tanh', standardize: true, samples: 128 };
  s.runs = [makeRun({ optimizer: 'sgd', params: { lr: 0.1 }, batch_size: 8 })];
  s.selected = 0;
  assert.deepEqual(fromHash(toHash(s)), s);
});

test('random scenes round-trip (property test, seeded)', () => {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const num = () => Number((rand() * 20 - 10).toPrecision(1 + Math.floor(rand() * 6)));
  for (let trial = 0; trial < 200; trial += 1) {
    const s = defaultState();
    s.start = [num(), num()];
    s.steps = 1 + Math.floor(rand() * 9999);
    s.speed = [0.1, 0.25, 1, 4, 10][Math.floor(rand() * 5)];
    s.runs = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => makeRun({
      optimizer: ['adam', 'sgd', 'rmsprop', 'newton'][Math.floor(rand() * 4)],
      params: { lr: Math.abs(num()) + 1e-3, ...(rand() < 0.5 ? { momentum: Math.abs(num()) / 10 } : {}) },
      noise: rand() < 0.3 ? Math.abs(num()) : 0,
      start: rand() < 0.3 ? [num(), num()] : null,
    }));
    s.selected = Math.floor(rand() * s.runs.length);
    s.eigen = rand() < 0.5;
    assert.deepEqual(fromHash(toHash(s)), s, toHash(s));
  }
});

test('broken or hostile hashes fall back to defaults field by field', () => {
  const s = fromHash('#n=abc&v=nonsense&x=1_2_3&sp=-2&k=-5&zzz=1&s=bowl&%E0%A4%A=1&f=%E0%A4%A');
  const d = defaultState();
  assert.equal(s.steps, d.steps);
  assert.equal(s.view, d.view);
  assert.deepEqual(s.start, d.start);
  assert.equal(s.speed, d.speed); // no speed at all: the default (bounds: applyLimits)
  assert.equal(s.step, 0);
  assert.equal(s.surface, 'bowl');
  assert.equal(s.formula, d.formula);
  // A selected run beyond the list is pulled back.
  assert.equal(fromHash('#sel=9').selected, d.runs.length - 1);
});

test('run encoding is readable and complete', () => {
  const run = makeRun({ optimizer: 'adamw', params: { lr: 0.001 }, schedule: 'step', schedule_params: { step_size: 50, gamma: 0.5 }, batch_size: 16 });
  const text = encodeRun(run);
  assert.equal(text, 'adamw,lr=0.001,sch=step,sch.step_size=50,sch.gamma=0.5,bs=16');
  assert.deepEqual(decodeRun(text), run);
});

test('surface specs for the API', () => {
  const catalog = { surfaces: [{ id: 'himmelblau', formula: 'F' }], datasets: [{ id: 'linear_regression' }] };
  const s = defaultState();
  assert.equal(surfaceSpec(s, catalog), 'himmelblau');
  s.bounds = [0, 1, 0, 1];
  assert.deepEqual(surfaceSpec(s, catalog), { formula: 'F', bounds: [0, 1, 0, 1] });
  s.surface = 'linear_regression';
  s.options = { standardize: true };
  assert.deepEqual(surfaceSpec(s, catalog), { dataset: 'linear_regression', options: { standardize: true }, bounds: [0, 1, 0, 1] });
  s.surface = 'custom';
  s.formula = 'x^2';
  s.bounds = null;
  assert.deepEqual(surfaceSpec(s, catalog), { formula: 'x^2' });
});

test('every field has a unique URL key', () => {
  assert.equal(new Set(FIELDS.map((f) => f.url)).size, FIELDS.length);
});

test('mid-race changes round-trip in the hash, readable, by rising step', () => {
  const s = defaultState();
  s.runs[1].changes = [{ step: 120, params: { lr: 0.05 } }, { step: 300, params: { lr: 0.001, momentum: 0.9 } }];
  const hash = toHash(s);
  assert.ok(hash.includes('sgd,lr=0.005,@120.lr=0.05,@300.lr=0.001,@300.momentum=0.9'), hash);
  assert.deepEqual(fromHash(hash).runs[1].changes, s.runs[1].changes);
  // Out of order in a hand-edited link: sorted; broken steps are dropped.
  const run = decodeRun('adam,@300.lr=0.1,@20.lr=0.2,@0.lr=9,@x.lr=9,@5.=1');
  assert.deepEqual(run.changes.map((c) => c.step), [20, 300]);
  assert.deepEqual(run.params, {});
});

test('a setting changed from step k: before k untouched, from k on the new value', () => {
  const run = makeRun({ optimizer: 'sgd', params: { lr: 0.01 },
    changes: [{ step: 50, params: { lr: 0.02 } }, { step: 200, params: { lr: 0.03, momentum: 0.5 } }] });
  const mid = changeFrom(run, 100, { lr: 0.5 });
  assert.deepEqual(mid.changes, [{ step: 50, params: { lr: 0.02 } }, { step: 100, params: { lr: 0.5 } },
    { step: 200, params: { momentum: 0.5 } }]);
  for (const [k, lr] of [[0, 0.01], [49, 0.01], [50, 0.02], [99, 0.02], [100, 0.5], [400, 0.5]]) {
    assert.equal(paramsAt(mid, k).lr, lr, `step ${k}`);
  }
  // From step 0: the run's own setting, every change of that key gone.
  const whole = changeFrom(run, 0, { lr: 0.7 });
  assert.deepEqual(whole.params, { lr: 0.7 });
  assert.deepEqual(whole.changes, [{ step: 200, params: { momentum: 0.5 } }]);
  assert.deepEqual(run.changes.length, 2); // the original is left alone (undo keeps it)
});

// Limits as GET /api/limits serves them, with numbers of our own (the live server's are
// checked by tests/test_catalog_served.py and tests/test_browser_links.py).
const LIMITS = {
  max_steps: 2000, max_runs: 3, max_changes: 2, max_seed: 1000, min_speed: 0.5, max_speed: 4,
  default_runs: [{ optimizer: 'rmsprop', params: { lr: 0.02 } }],
};

test('the server limits bound a link: steps, the replay step, runs and their changes', () => {
  // No maximum of its own: a hash asking for more than any server keeps its numbers...
  const s = fromHash('#n=50000&k=40000&sel=2&r=adam;sgd;adam,@10.lr=0.1,@20.lr=0.2,@30.lr=0.3,@900.lr=1');
  assert.equal(s.steps, 50000);
  assert.equal(s.runs[2].changes.length, 4);
  // ...until the limits GET /api/limits served are applied.
  applyLimits(s, { ...LIMITS, max_steps: 800, max_runs: 2, max_changes: 2 });
  assert.equal(s.steps, 800);
  assert.equal(s.step, 800);
  assert.equal(s.runs.length, 2);
  assert.equal(s.selected, 1);
  const t = fromHash('#r=adam,@10.lr=0.1,@20.lr=0.2,@30.lr=0.3,@900.lr=1');
  applyLimits(t, { ...LIMITS, max_steps: 500, max_runs: 12, max_changes: 2 });
  assert.deepEqual(t.runs[0].changes.map((c) => c.step), [10, 20]);
});


test('the server limits bound the seed and the playback speed', () => {
  const s = fromHash('#seed=99999&sp=1e9');
  assert.equal(s.seed, 99999); // a link keeps what it says until the limits are known
  assert.equal(s.speed, 1e9);
  applyLimits(s, LIMITS);
  assert.equal(s.seed, 1000);
  assert.equal(s.speed, 4);
  const slow = applyLimits(fromHash('#sp=0.01&seed=12'), LIMITS);
  assert.equal(slow.speed, 0.5);
  assert.equal(slow.seed, 12); // within the limits: untouched
  assert.equal(applyLimits(fromHash('#sp=2.5'), LIMITS).speed, 2.5);
});

test('a scene that names no runs, or none that is left, races the served default runs', () => {
  const none = applyLimits({ ...defaultState(), runs: null }, LIMITS);
  assert.deepEqual(none.runs, [makeRun({ optimizer: 'rmsprop', params: { lr: 0.02 } })]);
  const emptied = applyLimits({ ...defaultState(), runs: [] }, LIMITS);
  assert.deepEqual(emptied.runs, none.runs);
  // Named runs are kept, whatever the defaults.
  const named = applyLimits(fromHash('#r=newton'), LIMITS);
  assert.deepEqual(named.runs.map((r) => r.optimizer), ['newton']);
});

test('the default runs are the served ones: a hash omits them, and reads them back', () => {
  assert.deepEqual(defaultState().runs, DEFAULT_RUNS.map(makeRun));
  const s = defaultState();
  s.surface = 'rosenbrock';
  assert.equal(toHash(s), 's=rosenbrock');
  assert.deepEqual(fromHash('s=rosenbrock').runs, DEFAULT_RUNS.map(makeRun));
  s.runs[0].params.lr = 0.2; // no longer the defaults: written out in full
  assert.equal(toHash(s), `s=rosenbrock&r=adam,lr=0.2;${DEFAULT_RUNS[1].optimizer},lr=${DEFAULT_RUNS[1].params.lr}`);
});

test('before the served defaults arrive, a hash without runs leaves them to be filled in', async () => {
  // A fresh copy of the module: setDefaultRuns has not been called in it.
  const fresh = await import('../../frontend/js/lib/state.js?before-the-catalog');
  const s = fresh.fromHash('#s=rosenbrock&sel=1');
  assert.equal(s.runs, null);
  assert.equal(s.selected, 1); // bounded once the runs are known (applyLimits)
  assert.equal(fresh.toHash(s), 's=rosenbrock&sel=1'); // still a link without runs
  // Runs a link names are written whatever the defaults turn out to be.
  assert.equal(fresh.toHash({ ...s, runs: [fresh.makeRun({ optimizer: 'adam', params: { lr: 0.1 } })] }),
    's=rosenbrock&r=adam,lr=0.1&sel=1');
  fresh.setDefaultRuns([{ optimizer: 'adam', params: { lr: 0.1 } }]);
  assert.equal(fresh.toHash({ ...s, runs: [fresh.makeRun({ optimizer: 'adam', params: { lr: 0.1 } })] }),
    's=rosenbrock&sel=1');
});
