import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sortedFinite, rankOf, quantileLevels, marchingSquares, gridToData, contourSet, shadeGrid,
} from '../../frontend/js/lib/contours.js';

function sample(f, n = 41, lo = -2, hi = 2) {
  const x = Array.from({ length: n }, (_, j) => lo + ((hi - lo) * j) / (n - 1));
  const y = x.slice();
  const z = y.map((yy) => x.map((xx) => f(xx, yy)));
  return { x, y, z };
}

test('sortedFinite drops nulls and non-finite values; rankOf is the empirical CDF', () => {
  const s = sortedFinite([[3, null, 1], [NaN, 2, Infinity]]);
  assert.deepEqual([...s], [1, 2, 3]);
  assert.equal(rankOf(s, 1), 0);
  assert.equal(rankOf(s, 3), 1);
  assert.equal(rankOf(s, 2), 0.5);
  assert.ok(Number.isNaN(rankOf(s, NaN)));
});

test('quantile levels are strictly increasing, inside the range, denser near the bottom', () => {
  const g = sample((x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2); // Rosenbrock
  const s = sortedFinite(g.z);
  const levels = quantileLevels(s, 20);
  assert.ok(levels.length >= 15);
  for (let i = 1; i < levels.length; i += 1) assert.ok(levels[i] > levels[i - 1]);
  assert.ok(levels[0] > s[0] && levels[levels.length - 1] < s[s.length - 1]);
  // Equalised: half of the levels sit below the median value, not all near the top.
  const median = s[Math.floor(s.length / 2)];
  assert.ok(levels.filter((l) => l < median).length >= levels.length / 2);
  // A constant surface has no levels to draw.
  assert.deepEqual(quantileLevels(Float64Array.from([1, 1, 1]), 5), [1]);
});

test('marching squares: the contour of a round bowl is a circle of the right radius', () => {
  const g = sample((x, y) => x * x + y * y, 81);
  const segs = gridToData(marchingSquares(g.z, 1), g.x, g.y);
  assert.ok(segs.length > 40);
  for (let k = 0; k < segs.length; k += 2) {
    const r = Math.hypot(segs[k], segs[k + 1]);
    assert.ok(Math.abs(r - 1) < 0.01, `radius ${r}`);
  }
});

test('marching squares: every case of a cell, including both saddle resolutions', () => {
  // One cell; corners a (0,0), b (1,0), c (1,1), d (0,1).
  const cell = (a, b, c, d) => marchingSquares([[a, b], [d, c]], 0.5);
  for (let code = 0; code < 16; code += 1) {
    const v = [code & 1, (code >> 1) & 1, (code >> 2) & 1, (code >> 3) & 1];
    const segs = cell(...v);
    const expected = code === 0 || code === 15 ? 0 : code === 5 || code === 10 ? 8 : 4;
    assert.equal(segs.length, expected, `code ${code}`);
    // Every end point lies on the cell's border, halfway along an edge.
    for (let k = 0; k < segs.length; k += 2) {
      const [px, py] = [segs[k], segs[k + 1]];
      assert.ok([px, py].some((c) => c === 0 || c === 1) && [px, py].includes(0.5), `${px},${py}`);
    }
  }
});

test('cells with a missing corner are skipped, not drawn through', () => {
  const z = [[0, 1, 0], [1, null, 1], [0, 1, 0]];
  assert.equal(marchingSquares(z, 0.5).length, 0);
});

test('contourSet and shadeGrid', () => {
  const g = sample((x, y) => x * x + y * y, 11);
  const s = sortedFinite(g.z);
  const set = contourSet(g, quantileLevels(s, 5));
  assert.equal(set.length, 5);
  g.z[0][0] = null;
  const img = shadeGrid(g, s, (t) => [Math.round(t * 255), 0, 0], [1, 2, 3]);
  assert.equal(img.pixels.length, 11 * 11 * 4);
  // Row 0 of the grid (lowest y) is the image's bottom row.
  const p = (11 - 1) * 11 * 4;
  assert.deepEqual([...img.pixels.slice(p, p + 4)], [1, 2, 3, 255]);
  const centre = (5 * 11 + 5) * 4;
  assert.equal(img.pixels[centre], 0); // the minimum gets rank 0
});
