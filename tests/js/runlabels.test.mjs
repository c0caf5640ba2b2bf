import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLabels } from '../../frontend/js/lib/runlabels.js';

const names = { sgd: 'SGD', adam: 'Adam', momentum: 'Momentum' };
const nameOf = (id) => names[id];

test('a lone optimizer keeps its bare name', () => {
  const runs = [{ optimizer: 'adam', params: { lr: 0.1 } }, { optimizer: 'sgd', params: { lr: 0.005 } }];
  assert.deepEqual(runLabels(runs, nameOf), ['Adam', 'SGD']);
});

test('runs sharing an optimizer are told apart by the learning rate that differs', () => {
  const runs = [0.001, 0.01, 0.03, 0.06].map((lr) => ({ optimizer: 'sgd', params: { lr } }));
  runs.push({ optimizer: 'adam', params: { lr: 0.1 } });
  assert.deepEqual(runLabels(runs, nameOf),
    ['SGD · η=0.001', 'SGD · η=0.01', 'SGD · η=0.03', 'SGD · η=0.06', 'Adam']);
});

test('only the settings that differ are named, learning rate first', () => {
  const runs = [
    { optimizer: 'momentum', params: { lr: 0.01, momentum: 0.9 } },
    { optimizer: 'momentum', params: { lr: 0.01, momentum: 0.5 } },
  ];
  assert.deepEqual(runLabels(runs, nameOf), ['Momentum · μ=0.9', 'Momentum · μ=0.5']);
  const both = [
    { optimizer: 'sgd', params: { momentum: 0.9, lr: 0.1 } },
    { optimizer: 'sgd', params: { momentum: 0, lr: 0.2 } },
  ];
  assert.deepEqual(runLabels(both, nameOf), ['SGD · η=0.1, μ=0.9', 'SGD · η=0.2, μ=0']);
});

test('the settings a run started with name it, not a later retune', () => {
  const runs = [
    { optimizer: 'sgd', params: { lr: 0.5 }, initialParams: { lr: 0.01 } },
    { optimizer: 'sgd', params: { lr: 0.5 }, initialParams: { lr: 0.02 } },
  ];
  assert.deepEqual(runLabels(runs, nameOf), ['SGD · η=0.01', 'SGD · η=0.02']);
});

test('identical settings (different starts) get numbers; schedules count as settings', () => {
  const same = [{ optimizer: 'sgd', params: { lr: 0.1 } }, { optimizer: 'sgd', params: { lr: 0.1 } }];
  assert.deepEqual(runLabels(same, nameOf), ['SGD #1', 'SGD #2']);
  const sched = [{ optimizer: 'sgd', params: { lr: 0.1 } },
    { optimizer: 'sgd', params: { lr: 0.1 }, schedule: 'cosine' }];
  assert.deepEqual(runLabels(sched, nameOf), ['SGD #1', 'SGD · schedule=cosine']);
});
