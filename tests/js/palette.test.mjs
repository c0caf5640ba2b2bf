import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RUN_COLORS, RUN_SHAPES, runColor, runShape, surfaceColor, basinColor, hexToRgb, simulateCvd,
  deltaE, toLab, eigenStyle, setRunStyles, OPTIMIZER_SLOTS,
} from '../../frontend/js/lib/palette.js';

const KINDS = ['none', 'protanopia', 'deuteranopia', 'tritanopia'];

test('the first six run colours stay apart for every kind of colour vision', () => {
  const six = RUN_COLORS.slice(0, 6).map(hexToRgb);
  for (const kind of KINDS) {
    const sim = six.map((c) => simulateCvd(c, kind));
    for (let i = 0; i < sim.length; i += 1) {
      for (let j = i + 1; j < sim.length; j += 1) {
        // Colour is never the only cue (each run also has a marker shape), but the
        // palette alone should still separate runs: CIE76 ΔE above 10.
        assert.ok(deltaE(sim[i], sim[j]) > 10,
          `${kind}: ${RUN_COLORS[i]} vs ${RUN_COLORS[j]} ΔE=${deltaE(sim[i], sim[j]).toFixed(1)}`);
      }
    }
  }
});

test('every run has its own shape and colour for the first seven runs; then they cycle', () => {
  assert.equal(new Set(RUN_SHAPES).size, RUN_SHAPES.length);
  assert.equal(new Set(RUN_COLORS).size, RUN_COLORS.length);
  for (let i = 0; i < 7; i += 1) {
    assert.equal(runShape(i), RUN_SHAPES[i]);
    assert.equal(runColor(i), RUN_COLORS[i]);
  }
  assert.equal(runColor(0), runColor(RUN_COLORS.length));
});

test('no two runs share both colour and shape, up to far beyond the 12-run limit', () => {
  // Runs 8-12 reuse the colours; without a second cue they would be twins of runs 1-5
  // (same colour, same marker) for a colour-blind viewer and for everyone else.
  const seen = new Map();
  for (let i = 0; i < RUN_COLORS.length * RUN_SHAPES.length; i += 1) {
    const key = `${runColor(i)}|${runShape(i)}`;
    assert.ok(!seen.has(key), `run ${i + 1} looks like run ${seen.get(key) + 1}: ${key}`);
    seen.set(key, i);
  }
});

test('all seven run colours stay apart for every kind of colour vision', () => {
  // The seventh (black) is only used from run 7 on, but then it must hold up too.
  const all = RUN_COLORS.map(hexToRgb);
  for (const kind of KINDS) {
    const sim = all.map((c) => simulateCvd(c, kind));
    for (let i = 0; i < sim.length; i += 1) {
      for (let j = i + 1; j < sim.length; j += 1) {
        assert.ok(deltaE(sim[i], sim[j]) > 10, `${kind}: ${RUN_COLORS[i]} vs ${RUN_COLORS[j]}`);
      }
    }
  }
});

test('run colours contrast with every colour of the surface ramp (paths stay visible)', () => {
  for (const hex of RUN_COLORS.slice(0, 6)) {
    for (let k = 0; k <= 10; k += 1) {
      const bg = surfaceColor(k / 10);
      assert.ok(deltaE(hexToRgb(hex), bg) > 20, `${hex} on ramp ${k / 10}`);
    }
  }
});

test('surface ramp: lightness rises monotonically (reads in grey scale too)', () => {
  let last = -Infinity;
  for (let k = 0; k <= 50; k += 1) {
    const L = toLab(surfaceColor(k / 50))[0];
    assert.ok(L >= last - 1e-9, `L* at ${k / 50}`);
    last = L;
  }
  assert.deepEqual(surfaceColor(-1), surfaceColor(0));
  assert.deepEqual(surfaceColor(2), surfaceColor(1));
  assert.deepEqual(surfaceColor(NaN), surfaceColor(0));
});

test('eigen arrows: the sign is coded by colour and by dash', () => {
  const pos = eigenStyle(3);
  const neg = eigenStyle(-3);
  assert.notEqual(pos.color, neg.color);
  assert.equal(pos.dash.length, 0);
  assert.ok(neg.dash.length > 0);
  for (const kind of KINDS) {
    const a = simulateCvd(hexToRgb(pos.color), kind);
    const b = simulateCvd(hexToRgb(neg.color), kind);
    assert.ok(deltaE(a, b) > 15, kind);
  }
});

test('basin colours: distinct for the first 16 basins, grey for none', () => {
  const seen = new Set();
  for (let i = 0; i < 16; i += 1) seen.add(basinColor(i).join(','));
  assert.equal(seen.size, 16);
  assert.deepEqual(basinColor(-1), [200, 200, 200]);
});

test('each optimizer keeps its colour and marker whatever its place in the scene', () => {
  const look = (ids, i) => {
    setRunStyles(ids);
    const out = `${runColor(i)}|${runShape(i)}`;
    setRunStyles(null);
    return out;
  };
  // Adam first, third, or after two SGD runs: the same blue circle each time.
  assert.equal(look(['adam', 'sgd'], 0), `${RUN_COLORS[0]}|circle`);
  assert.equal(look(['sgd', 'momentum', 'adam'], 2), `${RUN_COLORS[0]}|circle`);
  assert.equal(look(['sgd', 'sgd', 'adam'], 2), `${RUN_COLORS[0]}|circle`);
  assert.equal(look(['sgd', 'adam'], 0), look(['adam', 'sgd'], 1));
  // Twelve runs (the limit), every optimizer and repeats: no two look alike.
  const ids = [...OPTIMIZER_SLOTS, 'adam', 'sgd', 'adam'];
  const seen = new Set(ids.map((_, i) => look(ids, i)));
  assert.equal(seen.size, ids.length);
  // Unset, the index is the slot (the exports' tests and old callers).
  assert.equal(runColor(1), RUN_COLORS[1]);
});
