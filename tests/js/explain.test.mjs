import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitutedRule, resultLine, curvatureSummary, optimizerFamily } from '../../frontend/js/lib/explain.js';

const strip = (html) => html.replace(/<[^>]+>/g, '');

test('adaptive optimizers: the unified form with live numbers, ending at the real next point', () => {
  const rec = {
    theta: [1, 1], lr: 0.5, update: [-0.5, -0.5],
    inspector: { m: [2, 2], sigma: [2, 2], step: [-0.5, -0.5] },
  };
  // Families as GET /api/optimizers serves them (core/optimizers.py's registry).
  const r = substitutedRule({ id: 'adam', family: 'adaptive' }, rec);
  assert.equal(r.family, 'adaptive');
  assert.equal(strip(r.lines[0]), 'x: 1 − (0.5 / 2) × 2 = 0.5');
  assert.match(r.symbolic, /σ/);
});

test('SGD family, Newton and random search', () => {
  const rec = { theta: [0, 2], lr: 0.1, update: [0.2, -0.4], inspector: { m: [-2, 4], sigma: [1, 1] } };
  assert.equal(strip(substitutedRule({ id: 'momentum', family: 'plain' }, rec).lines[1]), 'y: 2 − 0.1 × 4 = 1.6');
  const newton = substitutedRule({ id: 'newton', family: 'newton' }, { ...rec, inspector: { m: [-2, 4], sigma: [3, 5] } });
  assert.match(newton.note, /3, 5/);
  const search = substitutedRule({ id: 'random_local_search', family: 'search' }, { ...rec, inspector: { accepted: [0, 0] } });
  assert.equal(strip(search.lines[0]), 'x: 0 + 0.2 = 0.2');
  assert.match(search.note, /rejected/);
  assert.equal(substitutedRule({ id: 'adam', family: 'adaptive' }, { theta: [0, 0], update: null }), null);
  assert.equal(optimizerFamily({ id: 'unknown' }), 'other');
  assert.equal(optimizerFamily(undefined), 'other');
});

test('results lines in words', () => {
  const run = { length: 413, stopped: true, status: 'converged', f: Object.assign(new Array(413).fill(1), { 412: 0.0012 }) };
  assert.equal(resultLine('Adam', run), 'Adam converged to f = 0.0012 at step 412.');
  assert.equal(resultLine('Adam', run, 100), 'Adam: f = 1 at step 100.');
  const div = { length: 38, stopped: true, status: 'diverged', f: new Array(38).fill(NaN) };
  assert.match(resultLine('SGD', div), /SGD diverged at step 37.*smaller η/);
  const out = { length: 501, stopped: true, status: 'max_steps', f: new Array(501).fill(2.5) };
  assert.equal(resultLine('RMSProp', out), 'RMSProp reached f = 2.5 after 500 steps, still moving.');
});

test('curvature read-outs', () => {
  const c = curvatureSummary([-14.14, 97.55], 0.01);
  assert.equal(c.lmax, 97.55);
  assert.equal(c.lmin, -14.14);
  assert.ok(Math.abs(c.cond - 97.55 / 14.14) < 1e-12);
  assert.ok(Math.abs(c.bound - 2 / 97.55) < 1e-12);
  assert.equal(c.verdict, 'stable');
  assert.equal(curvatureSummary([1, 2], 1.5).verdict, 'unstable');
  assert.equal(curvatureSummary([-1, -2], 1).verdict, 'concave');
  assert.equal(curvatureSummary([0, 2], 0.1).cond, Infinity);
  assert.equal(curvatureSummary([NaN, 1], 0.1), null);
});
