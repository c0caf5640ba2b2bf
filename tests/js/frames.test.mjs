import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaceStore } from '../../frontend/js/lib/frames.js';

// Messages in the server's exact shape (captured from /api/stream with detail "all").
const started = {
  type: 'started', race: 3, steps: 12, bounds: [-3, 3, -3, 3],
  runs: [
    { optimizer: 'adam', schedule: 'constant', params: { lr: 0.5 }, start: [1, 1] },
    { optimizer: 'sgd', schedule: 'constant', params: { lr: 0.5 }, start: [1, 1] },
  ],
};
const frame0 = {
  type: 'frame', race: 3, step: 0,
  runs: [
    {
      points: [[1, 1], [0.5, 0.5], [0.03, 0.03]], values: [2, 0.5, 0.0018], status: 'running',
      stop_step: 3,
      inspector: { m: [[2, 2], [1.47, 1.47], [0.95, 0.95]], sigma: [[2, 2], [1.58, 1.58], [1.29, 1.29]], step: [[-0.5, -0.5], [-0.47, -0.47], [-0.37, -0.37]] },
      grads: [[2, 2], [1, 1], [0.06, 0.06]], lrs: [0.5, 0.5, 0.5],
      updates: [[-0.5, -0.5], [-0.47, -0.47], [-0.37, -0.37]],
    },
    {
      points: [[1, 1], [0, 0], [0, 0]], values: [2, 0, 0], status: 'converged', stop_step: 2,
      inspector: { m: [[2, 2], [0, 0]], sigma: [[1, 1], [1, 1]], step: [[-1, -1], [0, 0]] },
      grads: [[2, 2], [0, 0], [0, 0]], lrs: [0.5, 0.5], updates: [[-1, -1], [0, 0]],
    },
  ],
};
const frame1 = {
  type: 'frame', race: 3, step: 3,
  runs: [
    {
      points: [[-0.34, -0.34], [null, null]], values: [0.22, null], status: 'diverged', stop_step: 4,
      inspector: { m: [[0.48, 0.48]], sigma: [[1.17, 1.17]], step: [[-0.2, -0.2]] },
      grads: [[-0.67, -0.67], [null, null]], lrs: [0.5], updates: [[-0.2, -0.2]],
    },
    { points: [], values: [], status: 'converged', stop_step: 2, inspector: { m: [], sigma: [], step: [] }, grads: [], lrs: [], updates: [] },
  ],
};

test('frames append at their step index; stopped runs keep their last point', () => {
  const race = new RaceStore(started);
  assert.ok(race.addFrame(frame0));
  assert.ok(race.addFrame(frame1));
  const [adam, sgd] = race.runs;
  assert.equal(adam.length, 5);
  assert.equal(sgd.length, 3);
  assert.equal(race.available, 4);
  assert.deepEqual(adam.point(3), [-0.34, -0.34]);
  assert.ok(Number.isNaN(adam.x[4])); // null (diverged) becomes NaN, never a crash
  assert.equal(adam.status, 'diverged');
  assert.equal(sgd.indexAt(4.7), 2);
  assert.equal(adam.indexAt(2.9), 2);
  assert.ok(race.complete);
  assert.equal(race.finalIndex, 4);
});

test('a record joins the point, its gradient and the update that leaves it', () => {
  const race = new RaceStore(started);
  race.addFrame(frame0);
  const rec = race.runs[0].record(1);
  assert.deepEqual(rec.theta, [0.5, 0.5]);
  assert.deepEqual(rec.grad, [1, 1]);
  assert.equal(rec.lr, 0.5);
  assert.deepEqual(rec.update, [-0.47, -0.47]);
  assert.deepEqual(rec.next, [0.03, 0.03]);
  assert.deepEqual(rec.inspector.m, [1.47, 1.47]);
  assert.deepEqual(rec.inspector.sigma, [1.58, 1.58]);
  // The last point of a converged run has no update leaving it.
  assert.equal(race.runs[1].record(2).update, null);
  assert.equal(race.runs[1].record(7), null);
});

test('frames of another race are ignored', () => {
  const race = new RaceStore(started);
  assert.equal(race.addFrame({ ...frame0, race: 2 }), false);
  assert.equal(race.runs[0].length, 0);
  assert.equal(race.finish({ type: 'done', race: 9, runs: [] }), false);
});

test('retunes mark where the path changed and which parameters hold at each step', () => {
  const race = new RaceStore(started);
  race.addFrame(frame0);
  race.addRetune({ type: 'set', race: 3, run: 0, params: { lr: 0.1 }, step: 2 });
  race.addRetune({ type: 'set', race: 3, run: 0, params: { lr: 0.2 }, step: 2 }); // same step: replaced
  const adam = race.runs[0];
  assert.equal(adam.retunes.length, 1);
  assert.deepEqual(adam.paramsAt(1), { lr: 0.5 });
  assert.deepEqual(adam.paramsAt(2), { lr: 0.2 });
  assert.deepEqual(adam.params, { lr: 0.2 });
});

test('done: a stopped race marks running runs as stopped', () => {
  const race = new RaceStore(started);
  race.addFrame(frame0);
  assert.equal(race.complete, false);
  assert.equal(race.finalIndex, null);
  race.finish({ type: 'done', race: 3, reason: 'stopped', runs: [{ status: 'running', stop_step: 2 }, { status: 'converged', stop_step: 2 }] });
  assert.equal(race.runs[0].status, 'stopped');
  assert.ok(race.complete);
});

test('detail "last" frames keep the last step\'s lr, grad and inspector', () => {
  const race = new RaceStore(started);
  race.addFrame({
    type: 'frame', race: 3, step: 0,
    runs: [
      { points: [[1, 1], [0.5, 0.5]], values: [2, 0.5], status: 'running', stop_step: 2, lr: 0.5, grad: [1, 1], inspector: { m: [1.5, 1.5], sigma: [2, 2], step: [-0.4, -0.4] } },
      { points: [[1, 1]], values: [2], status: 'running', stop_step: 1 },
    ],
  });
  const rec = race.runs[0].record(1);
  assert.equal(rec.lr, 0.5);
  assert.deepEqual(rec.grad, [1, 1]);
  assert.deepEqual(rec.inspector.m, [1.5, 1.5]);
});

test('eigen-decompositions in frames (eigen: true) are kept per point', () => {
  const race = new RaceStore(started);
  race.addFrame({
    type: 'frame', race: 3, step: 0,
    runs: [
      { points: [[1, 1]], values: [2], status: 'running', stop_step: 0, eigenvalues: [[2, 2]], eigenvectors: [[[1, 0], [0, 1]]] },
      { points: [[1, 1]], values: [2], status: 'running', stop_step: 0 },
    ],
  });
  assert.deepEqual(race.runs[0].record(0).eigenvalues, [2, 2]);
  assert.equal(race.runs[1].record(0).eigenvalues, null);
});

test('best value so far', () => {
  const race = new RaceStore(started);
  race.addFrame(frame0);
  assert.deepEqual(race.runs[0].bestUpTo(10), { value: 0.0018, step: 2 });
  assert.deepEqual(race.runs[0].bestUpTo(0), { value: 2, step: 0 });
});

test('a race started with mid-race changes marks them and knows the settings at each step', () => {
  const race = new RaceStore({ race: 1, steps: 100, bounds: [0, 1, 0, 1], runs: [
    { optimizer: 'sgd', params: { lr: 0.01, momentum: 0 } }, { optimizer: 'adam', params: { lr: 0.1 } }] });
  race.markChanges([[{ step: 10, params: { lr: 0.05 } }, { step: 30, params: { momentum: 0.9 } }], []]);
  const sgd = race.runs[0];
  assert.deepEqual(sgd.retunes.map((r) => r.step), [10, 30]);
  assert.deepEqual(sgd.paramsAt(9), { lr: 0.01, momentum: 0 });
  assert.deepEqual(sgd.paramsAt(10), { lr: 0.05, momentum: 0 });
  assert.deepEqual(sgd.paramsAt(30), { lr: 0.05, momentum: 0.9 });
  assert.equal(race.runs[1].retunes.length, 0);
});
