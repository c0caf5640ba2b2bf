import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmt, fmtVec, fmtInput } from '../../frontend/js/lib/format.js';

test('fmt: significant digits, exponents for tiny and huge values, dashes for missing', () => {
  const cases = [
    [0, '0'], [1, '1'], [0.1, '0.1'], [1.23456, '1.235'], [-2.5, '-2.5'], [123.456, '123.5'],
    [0.0012, '0.0012'], [0.00012, '1.2e-4'], [123456, '1.23e5'], [null, '—'], [NaN, '—'],
    [Infinity, '∞'], [-Infinity, '-∞'], [1e-12, '1e-12'],
  ];
  for (const [x, want] of cases) assert.equal(fmt(x), want, `fmt(${x})`);
});

test('fmtVec and fmtInput', () => {
  assert.equal(fmtVec([1, -0.5]), '(1, -0.5)');
  assert.equal(fmtVec(null), '—');
  assert.equal(fmtInput(0.1 + 0.2), '0.3');
  assert.equal(fmtInput(NaN), '');
});
