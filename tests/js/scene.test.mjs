// The scene as a value (lib/scene.js): one description, painted by the canvas
// (lib/scenecanvas.js) and written as SVG (lib/svgscene.js). A recording 2D context stands in
// for the canvas, so node sees where the canvas would draw; the SVG must put the same marks
// in the same places. Positions come from the viewport's definition
// (px = width/2 + (x - cx)·scale, py = height/2 - (y - cy)·scale), not from the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScene, foregroundMarks } from '../../frontend/js/lib/scene.js';
import { drawMarks } from '../../frontend/js/lib/scenecanvas.js';
import { sceneSvg } from '../../frontend/js/lib/svgscene.js';

const VIEW = { width: 400, height: 200, cx: 1, cy: 0.5, scale: 20 };
const toPx = (x, y) => [200 + (x - 1) * 20, 100 - (y - 0.5) * 20];

/** A 2D context that records the path it is given and what it strokes and fills with. */
function recorder() {
  const log = [];
  let path = [];
  const ctx = {
    globalAlpha: 1,
    save() {}, restore() {}, setLineDash() {}, clip() {}, clearRect() {},
    beginPath() { path = []; },
    moveTo(x, y) { path.push(['M', x, y]); },
    lineTo(x, y) { path.push(['L', x, y]); },
    closePath() {}, arc(x, y, r) { path.push(['A', x, y, r]); }, rect() {}, roundRect() {},
    stroke() { log.push({ op: 'stroke', color: ctx.strokeStyle, width: ctx.lineWidth, alpha: ctx.globalAlpha, path }); },
    fill() { log.push({ op: 'fill', color: ctx.fillStyle, alpha: ctx.globalAlpha, path }); },
    fillText(text, x, y) { log.push({ op: 'text', text, x, y }); },
    strokeText() {}, drawImage() {},
  };
  return { ctx, log };
}

function input() {
  return {
    view: VIEW,
    contours: [],
    critical: [{ point: [5, 3], kind: 'saddle', eigenvalues: [-1, 2], eigenvectors: [[1, 0], [0, 1]] }],
    lambdaRef: 2,
    showCritical: true,
    showEigen: true,
    runs: [
      { index: 0, label: 'Adam', color: '#0072B2', shape: 'circle', x: [-5, -4, -3, -2], y: [3, 2, 1, 0.5], k: 3, status: 'running', retunes: [], eig: null },
      { index: 1, label: 'SGD', color: '#D55E00', shape: 'square', x: [4, 4.01, 4.02, 6], y: [-2, -2, -2, -3], k: 2, status: 'running', retunes: [], eig: null },
    ],
    starts: [[-5, 3], [4, -2]],
    selected: 0,
    caption: 'step 3',
    labels: {},
  };
}

test('the canvas strokes each trail through the points the SVG path goes through', () => {
  const scene = buildScene(input());
  const { ctx, log } = recorder();
  drawMarks(ctx, scene.foreground);
  const svg = sceneSvg(input());
  for (const [i, color] of [[0, '#0072B2'], [1, '#D55E00']]) {
    // The trail: the run's colour at a trail's width (the start marker is outlined in it too).
    const stroke = log.find((e) => e.op === 'stroke' && e.color === color && [2.4, 3.2].includes(e.width));
    assert.ok(stroke, `run ${i} stroked in ${color}`);
    const canvasPts = stroke.path.map(([, x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]);
    const d = svg.match(new RegExp(`<path d="([^"]+)" stroke="${color}"`))[1];
    const svgPts = [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(canvasPts, svgPts);
  }
  // Run 0's trail runs through all four points, from its start.
  const run0 = log.find((e) => e.op === 'stroke' && e.color === '#0072B2' && e.width === 3.2);
  assert.deepEqual(run0.path.map(([, x, y]) => [x, y]), [[-5, 3], [-4, 2], [-3, 1], [-2, 0.5]].map(([x, y]) => toPx(x, y)));
});

test('steps shorter than 0.7 px merge, and the trail still ends at the point on screen', () => {
  // Run 1 (k = 2): 4 → 4.01 → 4.02 is 0.2 and 0.4 px: one segment from the start to k = 2.
  const fg = foregroundMarks(input());
  const runs = fg[0].items.find((g) => g.attrs?.class === 'paths').items;
  const trail = runs.find((g) => g.attrs['data-run'] === 1).items.find((m) => m.attrs?.class === 'trail');
  assert.deepEqual(trail.lines, [[...toPx(4, -2), ...toPx(4.02, -2)]]);
});

test('the eigen-arrows at a critical point are painted at the overlay opacity, the marker on top', () => {
  const scene = buildScene(input());
  const { ctx, log } = recorder();
  drawMarks(ctx, scene.background);
  const dashed = log.filter((e) => e.op === 'stroke' && e.color === '#882255' && e.width === 2);
  assert.equal(dashed.length, 1); // λ = -1 along one axis: one line through the point
  for (const e of dashed) assert.equal(e.alpha, 0.75);
  // The saddle's marker: filled wine red at full opacity, centred on the point.
  const last = log.filter((e) => e.op === 'fill').at(-1);
  assert.equal(last.color, '#882255');
  assert.equal(last.alpha, 1);
  const xs = last.path.map((p) => p[1]);
  const ys = last.path.map((p) => p[2]);
  const [px, py] = toPx(5, 3);
  assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - px) < 1e-9);
  assert.ok(Math.abs((Math.min(...ys) + Math.max(...ys)) / 2 - py) < 1e-9);
});

test('the Taylor model is whole dashed rings (chained), on its level sets, clipped to its disc', () => {
  const n = 41;
  const xs = Array.from({ length: n }, (_, i) => -1 + (4 * i) / (n - 1)); // x, y in [-1, 3]
  const ys = xs.map((v) => v - 0.5);
  const grid = { x: xs, y: ys, z: ys.map((y) => xs.map((x) => (x - 1) ** 2 + (y - 0.5) ** 2)) };
  const fg = foregroundMarks({ ...input(), taylor: { center: [1, 0.5], half: 2, grid, levels: [1.1] } });
  const group = fg[0].items.find((m) => m.attrs?.class === 'taylor');
  assert.deepEqual(group.clip, { cx: 200, cy: 100, r: 40 });
  const [ring] = group.items;
  assert.deepEqual(ring.dash, [6, 4]);
  assert.ok(!ring.segments, 'polylines: a dash pattern runs along the whole ring');
  // The level set f = 1.1 is one circle (a level no grid node hits exactly: nodes on the
  // level make marching squares' degenerate pieces).
  assert.equal(ring.lines.length, 1);
  const pts = ring.lines[0];
  assert.ok(pts.length / 2 > 30);
  assert.deepEqual(pts.slice(0, 2), pts.slice(-2)); // closed
  for (let i = 0; i < pts.length; i += 2) {
    // Radius √1.1 in data units = 20·√1.1 px around the centre's pixel (200, 100).
    assert.ok(Math.abs(Math.hypot(pts[i] - 200, pts[i + 1] - 100) - 20 * Math.sqrt(1.1)) < 0.2);
  }
});
