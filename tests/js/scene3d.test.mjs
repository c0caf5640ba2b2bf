// The 3D view's scene (lib/scene.js background3d, foreground3d): the contour view's grid,
// colours, contour levels, critical points and runs, in data units. Expected values come
// from the surface's formula (f = x² + y²: a contour point lies on its level's circle), the
// clip's definition (the 97% quantile of the sampled values) and palette.py's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { background3d, foreground3d, runsAt } from '../../frontend/js/lib/scene.js';
import { prepareGrid } from '../../frontend/js/lib/surfacegrid.js';

const N = 41;
const xs = Array.from({ length: N }, (_, i) => -2 + (4 * i) / (N - 1));
const f = (x, y) => x * x + y * y;
const grid = prepareGrid({ x: xs, y: xs, z: xs.map((y) => xs.map((x) => f(x, y))), bounds: [-2, 2, -2, 2] });
const values = grid.z.flat().sort((a, b) => a - b);
const cap = values[Math.floor(values.length * 0.97)];
const lift = 0.015 * (cap - 0);

const critical = [
  { point: [0, 0], value: 0, kind: 'minimum' },
  { point: [1, 1], value: 2, kind: 'saddle' }, // not f's, only to see the style
  { point: [1.9, 1.9], value: 7.22, kind: 'maximum' }, // above the clip
];

test('the surface: heights clipped at the 97% quantile, colours from the equalised rank', () => {
  const bg = background3d({ grid, critical, showCritical: true });
  assert.equal(bg.heights.cap, cap);
  assert.ok(Math.abs(bg.heights.lift - lift) < 1e-12);
  assert.equal(bg.surface.z[0][0], cap); // the corner f = 8 is clipped
  assert.equal(bg.surface.z[20][20], 0);
  assert.equal(bg.surface.shade[20][20], 0); // the lowest sample
  // The highest value (the four corners): the fraction below it.
  assert.equal(bg.surface.shade[0][0], values.filter((w) => w < 8).length / (values.length - 1));
  // A sample's colour coordinate: the fraction of the grid below it.
  const v = grid.z[20][30];
  const below = values.filter((w) => w < v).length;
  assert.ok(Math.abs(bg.surface.shade[20][30] - below / (values.length - 1)) < 1e-12);
  assert.deepEqual(bg.surface.stops[0], [0, [160, 180, 200]]); // palette.py SURFACE_STOPS
});

test('contour lines lie on their level sets, at their level', () => {
  const bg = background3d({ grid, critical: [], showCritical: false });
  const shown = new Set();
  let points = 0;
  for (const c of bg.contours) {
    const { x, y, z } = c.lines;
    assert.equal(x.length, y.length);
    for (let i = 0; i < x.length; i += 1) {
      if (x[i] === null) {
        assert.equal(z[i], null);
        continue;
      }
      const level = z[i] - lift / 3;
      shown.add(level.toFixed(9));
      // Linear interpolation along a cell edge of width h misses x² by at most h²/4.
      assert.ok(Math.abs(f(x[i], y[i]) - level) <= (0.1 * 0.1) / 4 + 1e-9, `${x[i]},${y[i]} on ${level}`);
      points += 1;
    }
  }
  assert.ok(points > 500);
  const kept = grid.levels.filter((l) => l <= cap);
  assert.equal(shown.size, kept.length);
  // Every fifth level the stronger line, as on the canvas.
  assert.deepEqual(bg.contours.map((c) => [c.strong, c.width, c.strokeOpacity]), [[false, 0.9, 0.28], [true, 1.3, 0.55]]);
});

test('critical points in the canvas styles, raised above the surface, only when shown', () => {
  const bg = background3d({ grid, critical, showCritical: true });
  assert.deepEqual(bg.critical.map((c) => [c.kind, c.shape, c.fill, c.stroke]), [
    ['minimum', 'circle', '#ffffff', '#1a1a1a'],
    ['saddle', 'cross', '#882255', '#882255'],
    ['maximum', 'triangle', '#1a1a1a', '#1a1a1a'],
  ]);
  assert.ok(bg.critical[0].z > 0 && bg.critical[0].z < 3 * lift);
  assert.ok(Math.abs(bg.critical[2].z - cap) < 3 * lift); // clipped like the surface
  assert.deepEqual(background3d({ grid, critical, showCritical: false }).critical, []);
});

function track(points) {
  return {
    x: points.map((p) => p[0]), y: points.map((p) => p[1]), f: points.map((p) => f(p[0], p[1])),
    length: points.length, stopped: false, retunes: [],
    indexAt: (cursor) => Math.min(Math.floor(cursor), points.length - 1),
  };
}

test('paths, current points and starts: the runs on screen in their colours and shapes', () => {
  const race = {
    runs: [
      track([[1.5, 1.5], [1, 1], [0.5, 0.4], [0.1, 0.1]]),
      track([[-1.5, 0], [-1, 0], [NaN, NaN]]),
    ],
  };
  const runs = runsAt(race, 2, { color: (i) => ['#0072B2', '#D55E00'][i], shape: (i) => ['circle', 'square'][i] });
  const bg = background3d({ grid, critical: [], showCritical: false });
  const fg = foreground3d({ runs, starts: [[1.5, 1.5], [-1.5, 0]], selected: 0 }, bg.heights);
  const [a, b] = fg.runs;
  assert.deepEqual(a.path.x, [1.5, 1, 0.5]); // up to the step on screen (cursor 2)
  [f(1.5, 1.5), 2, 0.41].forEach((v, j) => assert.ok(Math.abs(a.path.z[j] - (v + lift)) < 1e-12));
  assert.equal(a.path.stroke, '#0072B2');
  assert.ok(a.path.width > b.path.width); // the selected run wider, as on the canvas
  assert.deepEqual([a.head.x, a.head.y, a.head.shape, a.head.fill, a.head.diverged], [0.5, 0.4, 'circle', '#0072B2', false]);
  assert.ok(a.head.z > 0.41 + lift);
  // A run that left the finite numbers: its mark at the last finite point, as diverged.
  assert.deepEqual(b.path.x, [-1.5, -1, null]);
  assert.deepEqual([b.head.x, b.head.diverged, b.head.shape], [-1, true, 'square']);
  assert.deepEqual(fg.starts.map((s) => [s.x, s.y, s.fill, s.stroke, s.shape]),
    [[1.5, 1.5, '#ffffff', '#0072B2', 'circle'], [-1.5, 0, '#ffffff', '#D55E00', 'square']]);
});
