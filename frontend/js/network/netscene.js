// The network scene's export picture as marks (the vocabulary of lib/scene.js), so the PNG and
// GIF (lib/scenecanvas.js) and the SVG (lib/svgscene.js) paint one description: the
// loss-landscape slice with every run's projected path up to step k, the selected run's
// decision boundary (or regression fit) with train and test points, the training (solid) and
// test (dashed) loss by step, a legend of the runs and a caption. Pure: no DOM (the shaded
// images come in as {canvas, href}); tested under node (tests/js/network_export.test.mjs).

import { markerPath } from '../lib/geometry.js';
import { sortedFinite, quantileLevels, contourSet, shadeGrid } from '../lib/contours.js';
import { surfaceColor } from '../lib/palette.js';
import { niceTicks, logTicks, scale } from '../lib/ticks.js';
import { fmt } from '../lib/format.js';
import { PAPER } from '../lib/scene.js';
import { textWidth } from '../lib/legendlayout.js';
import { cellColor } from './boundary.js';

export const WIDTH = 960;
export const HEIGHT = 700;
const INK = '#141b26';
// where each view sits (CSS pixels of the picture)
export const LAYOUT = {
  slice: { x: 20, y: 64, w: 440, h: 400 },
  boundary: { x: 500, y: 64, w: 440, h: 400 },
  loss: { x: 64, y: 500, w: 876, h: 140 },
};
const CLASS_CSS = ['#0072b2', '#d55e00', '#009e73']; // boundary.js's CLASS_RGB

const text = (t, x, y, extra = {}) => ({
  type: 'text', text: t, x, y, size: 12, fill: INK, anchor: 'start', baseline: 'middle', ...extra,
});

/** The slice's shading as RGBA pixels (row 0 = top), as the live view colours it. */
export function sliceShade(land) {
  const grid = { x: land.xs, y: land.ys, z: land.loss };
  return shadeGrid(grid, sortedFinite(grid.z), surfaceColor);
}

/** The decision boundary's cells as RGBA pixels (row 0 = top = largest y). */
export function boundaryShade(values, nx, ny, classes) {
  const pixels = new Uint8ClampedArray(nx * ny * 4);
  for (let j = 0; j < ny; j += 1) {
    for (let i = 0; i < nx; i += 1) {
      const o = ((ny - 1 - j) * nx + i) * 4;
      pixels.set([...cellColor(values[j * nx + i], classes), 255], o);
    }
  }
  return { width: nx, height: ny, pixels };
}

/** Data -> pixels of a panel: x over [x0, x1], y over [y0, y1] (up). */
function mapper(rect, x0, x1, y0, y1) {
  return {
    px: (x) => rect.x + ((x - x0) / (x1 - x0 || 1)) * rect.w,
    py: (y) => rect.y + rect.h - ((y - y0) / (y1 - y0 || 1)) * rect.h,
  };
}

/** An image over the data rectangle of a sampled grid (pixel centres on the samples). */
function imageOver(image, rect, xs, ys) {
  const hx = rect.w / (xs.length - 1) / 2;
  const hy = rect.h / (ys.length - 1) / 2;
  return { type: 'image', image, x: rect.x - hx, y: rect.y - hy, w: rect.w + 2 * hx, h: rect.h + 2 * hy };
}

function frameMarks(rect, title) {
  return [
    text(title, rect.x, rect.y - 14, { weight: 600, size: 13 }),
    { type: 'rect', x: rect.x, y: rect.y, w: rect.w, h: rect.h, stroke: '#b8c1ce', width: 1 },
  ];
}

/** The runs' projected paths up to iterate k over the slice (a line for "interp"). */
export function sliceMarks({ land, k, runs, image = null, title = '', empty = '' }) {
  const rect = LAYOUT.slice;
  const out = [];
  if (!land) {
    // (the slice comes once the race has finished: the panel says so)
    out.push(...frameMarks(rect, title),
      text(empty, rect.x + rect.w / 2, rect.y + rect.h / 2, { anchor: 'middle', fill: '#555555', attrs: { class: 'empty' } }));
    return [{ type: 'group', items: out, attrs: { class: 'slice' } }];
  }
  const x0 = land.xs[0];
  const x1 = land.xs[land.xs.length - 1];
  const clip = [];
  if (land.ys) {
    const y0 = land.ys[0];
    const y1 = land.ys[land.ys.length - 1];
    const { px, py } = mapper(rect, x0, x1, y0, y1);
    if (image) clip.push(imageOver(image, rect, land.xs, land.ys));
    const grid = { x: land.xs, y: land.ys, z: land.loss };
    const lines = [];
    for (const { segments } of contourSet(grid, quantileLevels(sortedFinite(grid.z), 12))) {
      const seg = [];
      for (let s = 0; s + 3 < segments.length; s += 4) {
        seg.push(px(segments[s]), py(segments[s + 1]), px(segments[s + 2]), py(segments[s + 3]));
      }
      if (seg.length) lines.push(seg);
    }
    clip.push({ type: 'path', lines, segments: true, stroke: '#282828', strokeOpacity: 0.45, width: 0.8, attrs: { class: 'contours' } });
    const paths = [];
    const heads = [];
    land.paths.forEach((p, i) => {
      const n = Math.min(k + 1, p.coords.length);
      const run = runs[i];
      if (!n || !run) return;
      const line = [];
      for (let j = 0; j < n; j += 1) line.push(px(p.coords[j][0]), py(p.coords[j][1]));
      const items = [];
      if (n > 1) {
        items.push({ type: 'path', lines: [line], stroke: '#ffffff', strokeOpacity: 0.85, width: 5, attrs: { class: 'halo' } });
        items.push({ type: 'path', lines: [line], stroke: run.color, width: 2.4, attrs: { class: 'trail' } });
      }
      paths.push({ type: 'group', items, attrs: { class: 'run', 'data-run': i } });
      heads.push({ type: 'poly', pts: markerPath(run.shape, line[line.length - 2], line[line.length - 1], 6.5),
        fill: run.color, stroke: '#ffffff', width: 1.8, attrs: { 'data-head': i } });
    });
    clip.push({ type: 'group', items: paths, attrs: { class: 'paths' } });
    clip.push({ type: 'group', items: heads, attrs: { class: 'heads' } });
  } else {
    // 1D interpolation: the loss along the line, each run's point on it
    const v = land.loss.filter(Number.isFinite);
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const { px, py } = mapper({ x: rect.x + 8, y: rect.y + 12, w: rect.w - 16, h: rect.h - 24 }, x0, x1, lo, hi);
    const line = [];
    land.xs.forEach((x, i) => { if (Number.isFinite(land.loss[i])) line.push(px(x), py(land.loss[i])); });
    clip.push({ type: 'rect', x: rect.x, y: rect.y, w: rect.w, h: rect.h, fill: '#ffffff' });
    clip.push({ type: 'path', lines: [line], stroke: '#333333', width: 2, attrs: { class: 'line' } });
    const heads = [];
    land.paths.forEach((p, i) => {
      const n = Math.min(k + 1, p.coords.length);
      const run = runs[i];
      if (!n || !run || !p.slice_loss) return;
      heads.push({ type: 'poly', pts: markerPath(run.shape, px(p.coords[n - 1][0]), py(p.slice_loss[n - 1]), 6.5),
        fill: run.color, stroke: '#ffffff', width: 1.8, attrs: { 'data-head': i } });
    });
    clip.push({ type: 'group', items: heads, attrs: { class: 'heads' } });
  }
  out.push({ type: 'group', items: clip, clip: rect, cap: 'round', join: 'round' });
  out.push(...frameMarks(rect, title));
  return [{ type: 'group', items: out, attrs: { class: 'slice' } }];
}

/** The decision boundary (or the regression fit) of one run with the data. */
export function boundaryMarks({ task, classes, data, grid, values, image = null, color = '#0072B2', title = '' }) {
  const rect = LAYOUT.boundary;
  const items = [];
  if (data && grid) {
    if (task === 'regression') {
      const ts = [...data.y, ...data.y_test, ...(values || [])].filter(Number.isFinite);
      const lo = Math.min(...ts) - 0.2;
      const hi = Math.max(...ts) + 0.2;
      const { px, py } = mapper(rect, grid.xs[0], grid.xs[grid.xs.length - 1], lo, hi);
      items.push({ type: 'rect', x: rect.x, y: rect.y, w: rect.w, h: rect.h, fill: '#ffffff' });
      const x = (p) => (Array.isArray(p) ? p[0] : p);
      data.X_test.forEach((p, i) => items.push({ type: 'circle', cx: px(x(p)), cy: py(data.y_test[i]), r: 3, stroke: '#555555', width: 1.2 }));
      const pts = [];
      data.X.forEach((p, i) => pts.push(px(x(p)), py(data.y[i])));
      items.push({ type: 'dots', pts, r: 3, fill: '#555555' });
      if (values) {
        const line = [];
        grid.xs.forEach((gx, i) => line.push(px(gx), py(values[i])));
        items.push({ type: 'path', lines: [line], stroke: color, width: 2.5, attrs: { class: 'fit' } });
      }
    } else {
      const { px, py } = mapper(rect, grid.xs[0], grid.xs[grid.xs.length - 1], grid.ys[0], grid.ys[grid.ys.length - 1]);
      if (values && image) items.push(imageOver(image, rect, grid.xs, grid.ys));
      data.X_test.forEach((p, i) => items.push({ type: 'circle', cx: px(p[0]), cy: py(p[1]), r: 3.2,
        stroke: CLASS_CSS[data.y_test[i] % 3], width: 1.5, attrs: { class: 'test' } }));
      data.X.forEach((p, i) => items.push({ type: 'circle', cx: px(p[0]), cy: py(p[1]), r: 3.2,
        fill: CLASS_CSS[data.y[i] % 3], stroke: '#ffffff', width: 0.8, attrs: { class: 'train' } }));
    }
  }
  return [{ type: 'group', items: [{ type: 'group', items, clip: rect }, ...frameMarks(rect, title)], attrs: { class: 'boundary' } }];
}

/** Training (solid) and test (dashed) loss of every run up to iterate k, log scale. */
export function lossMarks({ runs, k, steps, title = '' }) {
  const rect = LAYOUT.loss;
  const values = runs.flatMap((r) => [...r.train_loss, ...r.test_loss]).filter((v) => Number.isFinite(v) && v > 0);
  const out = [...frameMarks(rect, title)];
  if (!values.length) return [{ type: 'group', items: out, attrs: { class: 'loss' } }];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi <= lo) [lo, hi] = [lo / 2, hi * 2];
  const sx = scale([0, Math.max(1, steps)], [rect.x, rect.x + rect.w]);
  const sy = scale([lo, hi], [rect.y + rect.h - 4, rect.y + 4], true);
  let ticks = logTicks(lo, hi, 4).filter((v) => v >= lo && v <= hi);
  if (ticks.length < 2) ticks = niceTicks(lo, hi, 4).filter((v) => v > 0);
  const axes = [];
  for (const v of ticks) {
    const y = sy(v);
    axes.push({ type: 'line', x1: rect.x, y1: y, x2: rect.x + rect.w, y2: y, stroke: '#e3e3e3', width: 1 });
    axes.push(text(fmt(v, 2), rect.x - 5, y, { anchor: 'end', size: 11, fill: '#555555' }));
  }
  for (const v of niceTicks(0, steps, 6)) {
    axes.push(text(String(v), sx(v), rect.y + rect.h + 10, { anchor: 'middle', size: 11, fill: '#555555' }));
  }
  const curves = [];
  runs.forEach((r, i) => {
    for (const [key, dash, width] of [['train_loss', null, 1.8], ['test_loss', [4, 3], 1.2]]) {
      const lines = [];
      let cur = null;
      const n = Math.min(k + 1, r[key].length);
      for (let j = 0; j < n; j += 1) {
        const v = r[key][j];
        if (!(Number.isFinite(v) && v > 0)) { cur = null; continue; }
        if (!cur) lines.push((cur = []));
        cur.push(sx(j), sy(v));
      }
      curves.push({ type: 'path', lines: lines.filter((l) => l.length >= 4), stroke: r.color, width, dash,
        attrs: { class: key === 'train_loss' ? 'curve-train' : 'curve-test', 'data-run': i } });
    }
  });
  const cursor = { type: 'line', x1: sx(k), y1: rect.y, x2: sx(k), y2: rect.y + rect.h, stroke: '#333333', width: 1 };
  out.push({ type: 'group', items: axes, attrs: { class: 'axes' } });
  out.push({ type: 'group', items: [...curves, cursor], clip: rect, cap: 'round', join: 'round' });
  return [{ type: 'group', items: out, attrs: { class: 'loss' } }];
}

/** One row of run entries (line, marker, label) centred under the picture. */
export function legendRow(runs, y, measure = (t) => textWidth(t, 12)) {
  const widths = runs.map((r) => 30 + measure(r.label) + 18);
  let x = Math.max(8, (WIDTH - widths.reduce((a, b) => a + b, 0)) / 2);
  const items = [];
  runs.forEach((r, i) => {
    items.push({ type: 'line', x1: x, y1: y, x2: x + 22, y2: y, stroke: r.color, width: 2.4 });
    items.push({ type: 'poly', pts: markerPath(r.shape, x + 11, y, 4.5), fill: r.color, stroke: '#ffffff', width: 1.5 });
    items.push(text(r.label, x + 30, y, { attrs: { 'data-run': i } }));
    x += widths[i];
  });
  return [{ type: 'group', items, cap: 'round', join: 'miter', attrs: { class: 'legend' } }];
}

/**
 * The whole picture at iterate k: {width, height, title, marks}.
 * input: {k, steps, caption, title, labels: {slice, sliceEmpty, boundary, loss},
 *   runs: [{label, color, shape, train_loss, test_loss}], land, sliceImage,
 *   boundary: {task, classes, data, grid, values, image, color}, measure}.
 */
export function networkScene(input) {
  const { k, runs, labels = {} } = input;
  const marks = [
    { type: 'rect', x: 0, y: 0, w: WIDTH, h: HEIGHT, fill: PAPER },
    text(input.caption || '', 20, 22, { weight: 600, size: 14, attrs: { class: 'caption' } }),
    ...sliceMarks({ land: input.land, k, runs, image: input.sliceImage, title: labels.slice || '', empty: labels.sliceEmpty || '' }),
    ...boundaryMarks({ ...input.boundary, title: labels.boundary || '' }),
    ...lossMarks({ runs, k, steps: input.steps, title: labels.loss || '' }),
    ...legendRow(runs, HEIGHT - 22, input.measure),
  ];
  return { width: WIDTH, height: HEIGHT, title: input.title || input.caption || '', marks };
}

