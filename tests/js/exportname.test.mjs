import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFilename } from '../../frontend/js/lib/exportname.js';

test('export names say the surface and the optimizers', () => {
  const state = { surface: 'himmelblau', runs: [{ optimizer: 'adam' }, { optimizer: 'sgd' }, { optimizer: 'adam' }] };
  assert.equal(exportFilename(state, 'png'), 'gradscape-himmelblau-adam-sgd.png');
  assert.equal(exportFilename({ surface: 'custom', runs: [{ optimizer: 'saddle_free_newton' }] }, 'csv'),
    'gradscape-formula-saddle_free_newton.csv');
  assert.equal(exportFilename({ surface: '../etc/passwd', runs: [] }, 'svg'), 'gradscape-etc_passwd.svg');
  const many = { surface: 'rosenbrock', runs: Array.from({ length: 12 }, (_, i) => ({ optimizer: `optimizer${i}` })) };
  const name = exportFilename(many, 'gif');
  assert.ok(name.length <= 84 && name.endsWith('.gif') && !/[-_]\.gif$/.test(name), name);
});
