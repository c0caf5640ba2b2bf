import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Viewport, eigenArrows, arrowLength, lambdaReference, arrowHead, gradientField, markerPath,
  nearestWithin, medianSpacing,
} from '../../frontend/js/lib/geometry.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('viewport: equal aspect, shows at least the bounds, round-trips pixels', () => {
  const v = new Viewport([-5, 5, -5, 5], 800, 400);
  const [xmin, xmax, ymin, ymax] = v.bounds();
  close(ymin, -5);
  close(ymax, 5);
  close(xmax - xmin, 20); // the wider axis grows
  const [px, py] = v.toPx(1, 2);
  const [x, y] = v.toData(px, py);
  close(x, 1);
  close(y, 2);
  // y grows upwards on screen
  assert.ok(v.toPx(0, 1)[1] < v.toPx(0, 0)[1]);
});

test('viewport: zoom keeps the point under the cursor; pan moves by pixels', () => {
  const v = new Viewport([0, 10, 0, 10], 500, 500);
  const before = v.toData(123, 321);
  v.zoomAt(123, 321, 2);
  const after = v.toData(123, 321);
  close(before[0], after[0]);
  close(before[1], after[1]);
  const [x0] = v.toData(0, 0);
  v.panBy(100, 0);
  close(v.toData(0, 0)[0], x0 - 100 / v.scale);
  v.resize(1000, 500);
  close(v.width, 1000);
});

test('eigen arrows: along the eigenvectors, longer for larger |λ|, sign kept', () => {
  const v = new Viewport([-1, 1, -1, 1], 200, 200);
  // Columns are vectors: v1 = (1, 0) with λ = -2, v2 = (0, 1) with λ = 8.
  const arrows = eigenArrows(v, [0, 0], [-2, 8], [[1, 0], [0, 1]], { lambdaRef: 8, minLen: 10, maxLen: 50 });
  assert.equal(arrows.length, 2);
  const [a, b] = arrows;
  assert.ok(a.negative && !b.negative);
  close(a.y1, a.y2); // horizontal
  close(b.x1, b.x2); // vertical
  close(b.length, 50);
  assert.ok(a.length < b.length && a.length > 10);
  // Centred on the point.
  close((a.x1 + a.x2) / 2, 100);
  close((b.y1 + b.y2) / 2, 100);
  // Missing data gives no arrows rather than NaN geometry.
  assert.deepEqual(eigenArrows(v, [0, 0], [NaN, 1], [[1, 0], [0, 1]]).length, 1);
  assert.deepEqual(eigenArrows(v, null, [1, 1], [[1, 0], [0, 1]]), []);
});

test('arrowLength is monotone and clamped; lambdaReference takes the largest magnitude', () => {
  let last = 0;
  for (const l of [0, 0.1, 1, 5, 10, 100]) {
    const len = arrowLength(l, 10, 8, 60);
    assert.ok(len >= last && len >= 8 && len <= 60);
    last = len;
  }
  assert.equal(lambdaReference([{ eigenvalues: [-50, 3] }, { eigenvalues: [20, null] }]), 50);
  assert.equal(lambdaReference([], 7), 7);
});

test('arrow heads point along the arrow', () => {
  const [l, tip, r] = arrowHead(0, 0, 10, 0, 4);
  assert.deepEqual(tip, [10, 0]);
  assert.ok(l[0] < 10 && r[0] < 10);
  close(l[1], -r[1]);
});

test('gradient field points downhill', () => {
  // A bowl's exact gradient (2x, 2y) on a 9 x 9 lattice, as /api/grid sends it in `field`.
  const n = 9;
  const x = Array.from({ length: n }, (_, j) => -3 + (6 * (j + 0.5)) / n);
  const gx = x.map(() => x.map((xx) => 2 * xx));
  const gy = x.map((yy) => x.map(() => 2 * yy));
  const field = gradientField({ x: [], y: [], z: [], field: { x, y: x, gx, gy } });
  assert.equal(field.length, n * n - 1); // the middle of the lattice is the origin: g = 0, no arrow
  for (const a of field) {
    // −∇f of a bowl points at the origin.
    close(a.dx * Math.hypot(a.x, a.y), -a.x);
    close(a.dy * Math.hypot(a.x, a.y), -a.y);
    close(a.norm, 2 * Math.hypot(a.x, a.y));
    assert.ok(a.strength >= 0 && a.strength <= 1);
  }
  // a non-finite gradient (null on the wire) draws no arrow either
  gx[0][0] = null;
  assert.equal(gradientField({ field: { x, y: x, gx, gy } }).length, n * n - 2);
  assert.deepEqual(gradientField({ x, y: x, z: [] }), []);
});

test('markers and hit testing', () => {
  for (const shape of ['circle', 'square', 'triangle', 'diamond', 'star', 'hexagon', 'cross']) {
    const poly = markerPath(shape, 10, 10, 5);
    assert.ok(poly.length >= 3);
    for (const [px, py] of poly) assert.ok(Math.hypot(px - 10, py - 10) <= 5 * 1.4 + 1e-9);
  }
  assert.equal(nearestWithin([[0, 0], [10, 10], null], 9, 9, 5), 1);
  assert.equal(nearestWithin([[0, 0]], 50, 50, 5), -1);
});

test('medianSpacing: the typical nearest-neighbour distance of a crowd of points', () => {
  assert.equal(medianSpacing([]), Infinity);
  assert.equal(medianSpacing([[3, 4]]), Infinity);
  // A 5 x 5 lattice with spacing 20 px: every point's nearest neighbour is 20 px away.
  const lattice = [];
  for (let i = 0; i < 5; i += 1) for (let j = 0; j < 5; j += 1) lattice.push([20 * i, 20 * j]);
  close(medianSpacing(lattice), 20);
  // Two tight pairs far apart, plus one outlier: the median follows the crowd (3-4-5: 5 px).
  const pts = [[0, 0], [3, 4], [100, 100], [103, 104], [500, 0]];
  // nearest: 5, 5, 5, 5, |(500,0)-(100,100)| = sqrt(170000) -> sorted median is 5
  close(medianSpacing(pts), 5);
});

