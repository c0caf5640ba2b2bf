import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controlsFromSchema, controlSpec, sliderToValue, valueToSlider, niceRound, parseTyped,
  resolveParams, overridesOf, SLIDER_STEPS,
} from '../../frontend/js/lib/params.js';

// Adam's schema as GET /api/optimizers sends it.
const ADAM = {
  type: 'object', additionalProperties: false,
  properties: {
    lr: { description: 'the learning rate η', default: 0.001, type: 'number', exclusiveMinimum: 0, maximum: 1000, 'x-log-scale': true },
    betas: { description: 'β₁, β₂', default: [0.9, 0.999], type: 'array', items: { type: 'number', minimum: 0, exclusiveMaximum: 1 }, minItems: 2, maxItems: 2 },
    eps: { default: 1e-8, type: 'number', exclusiveMinimum: 0, maximum: 1, 'x-log-scale': true },
    weight_decay: { default: 0, type: 'number', minimum: 0, maximum: 1000, 'x-log-scale': false },
    amsgrad: { default: false, type: 'boolean' },
  },
};

test('controls from a schema', () => {
  const c = controlsFromSchema(ADAM);
  const kinds = Object.fromEntries(c.map((s) => [s.key, s.kind]));
  assert.deepEqual(kinds, { lr: 'number', betas: 'pair', eps: 'number', weight_decay: 'number', amsgrad: 'bool' });
  const lr = c[0];
  assert.ok(lr.log && lr.main && lr.exclusiveMin);
  assert.ok(lr.sliderMin > 0 && lr.sliderMin <= 1e-5 && lr.sliderMax >= 10);
  assert.equal(c[1].max, 1);
  assert.ok(!c.find((s) => s.key === 'eps').main);
});

test('log slider: every position gives a 3-digit number inside the range, monotone', () => {
  const lr = controlSpec('lr', ADAM.properties.lr);
  let last = 0;
  const values = new Set();
  for (let pos = 0; pos <= SLIDER_STEPS; pos += 1) {
    const v = sliderToValue(lr, pos);
    assert.ok(v >= last, `monotone at ${pos}`);
    assert.ok(v >= lr.sliderMin * 0.999 && v <= lr.sliderMax * 1.001);
    assert.equal(v, niceRound(v));
    last = v;
    values.add(v);
  }
  // Not only powers of ten: hundreds of distinct learning rates are reachable.
  assert.ok(values.size > 500);
  // Round trip within one slider step.
  for (const v of [1e-4, 0.003, 0.0123, 0.1, 0.5, 2]) {
    const back = sliderToValue(lr, valueToSlider(lr, v));
    assert.ok(Math.abs(Math.log10(back / v)) < 0.01, `${v} -> ${back}`);
  }
});

test('linear sliders quantise without float noise', () => {
  const mom = controlSpec('momentum', { default: 0.9, type: 'number', minimum: 0, maximum: 1 });
  assert.equal(sliderToValue(mom, 300), 0.3);
  assert.equal(valueToSlider(mom, 0.9), 900);
  assert.equal(valueToSlider(mom, 5), SLIDER_STEPS); // clamped
  const steps = controlSpec('T_max', { default: 500, type: 'integer', minimum: 1, maximum: 100000 });
  assert.equal(steps.kind, 'int');
  assert.ok(Number.isInteger(sliderToValue(steps, 333)));
});

test('typed values are checked against the schema with a message that says what to do', () => {
  const lr = controlSpec('lr', ADAM.properties.lr);
  assert.deepEqual(parseTyped(lr, ' 0.0123 '), { value: 0.0123 });
  assert.deepEqual(parseTyped(lr, '1e-7'), { value: 1e-7 }); // beyond the slider, still valid
  assert.match(parseTyped(lr, '0').error, /above 0/);
  assert.match(parseTyped(lr, 'abc').error, /not a number/);
  assert.match(parseTyped(lr, '5000').error, /at most 1000/);
  assert.match(parseTyped(lr, '').error, /type a number/);
  const n = controlSpec('T_max', { default: 5, type: 'integer', minimum: 1, maximum: 10 });
  assert.match(parseTyped(n, '2.5').error, /whole number/);
});

test('resolve and diff parameters against defaults', () => {
  const full = resolveParams(ADAM, { lr: 0.05 });
  assert.deepEqual(full, { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
  assert.deepEqual(overridesOf(ADAM, full), { lr: 0.05 });
  assert.deepEqual(overridesOf(ADAM, { ...full, betas: [0.8, 0.999] }), { lr: 0.05, betas: [0.8, 0.999] });
});
