// The scene as a value: one pure function turns what is on screen (the surface's shading and
// contours, the gradient field, axes, critical points with their eigen-arrows, the runs'
// paths, starts and current points, the Taylor model, the legend) into a list of marks in the
// view's pixels, each with every colour, width and size it is drawn with. The canvas view
// (ui/plotview.js via lib/scenecanvas.js), the SVG export (lib/svgscene.js) and the PNG/GIF
// exports (ui/exportscene.js) only paint these marks, so they cannot drift apart: every
// magic number of the picture lives in this file.
//
// A mark is one of (x, y in CSS pixels of the view; colours as #rrggbb, opacities apart):
//   {type: 'rect', x, y, w, h, rx, fill, fillOpacity, stroke, strokeOpacity, width}
//   {type: 'image', image, x, y, w, h, pixelated}   image: {canvas, href} of the shading
//   {type: 'path', lines: [[x0, y0, x1, y1, ...]], segments, stroke, strokeOpacity, width,
//          dash, cap, join}   segments: each line is separate pairs (contour pieces)
//   {type: 'line', x1, y1, x2, y2, stroke, strokeOpacity, width, dash}
//   {type: 'poly', pts: [[x, y]], fill, fillOpacity, stroke, width}
//   {type: 'circle', cx, cy, r, fill, fillOpacity, stroke, strokeOpacity, width, dash}
//   {type: 'dots', pts: [x0, y0, ...], r, fill}
//   {type: 'text', text, x, y, anchor: start|middle|end, baseline: middle|bottom|top, size,
//          weight, fill, fillOpacity, halo}
//   {type: 'group', items, opacity, clip: {cx, cy, r}}
// and may carry attrs ({class, 'data-…'}): names the SVG keeps so files and tests can find
// a run, a level or a kind.

import { eigenArrows, arrowHead, markerPath, medianSpacing } from './geometry.js';
import { CRITICAL_KINDS, eigenStyle, EIGEN_NEGATIVE, EIGEN_POSITIVE } from './palette.js';
import { SURFACE_STOPS } from './palette_data.js';
import { marchingSquares, gridToData, sortedFinite, rankOf } from './contours.js';
import { niceTicks } from './ticks.js';
import { fmt } from './format.js';
import {
  viewportOf, legendItems, legendLayout, legendAvoid, textWidth,
} from './legendlayout.js';

export const FONT = 'system-ui, "Liberation Sans", sans-serif';
export const PAPER = '#f4f4f1';
const INK = '#141b26';
const LEGEND_INK = '#161b26';
const HALO = { color: '#ffffff', opacity: 0.85, width: 3 };

/** The data-space rectangle a shading image covers (pixel centres on the samples). */
export function imageRect(src) {
  const nx = src.x.length;
  const ny = src.y.length;
  const hx = (src.x[nx - 1] - src.x[0]) / (2 * (nx - 1));
  const hy = (src.y[ny - 1] - src.y[0]) / (2 * (ny - 1));
  return { x0: src.x[0] - hx, x1: src.x[nx - 1] + hx, y0: src.y[0] - hy, y1: src.y[ny - 1] + hy };
}

// --- the styles both the 2D marks and the 3D scene take (one choice of colour, shape, size) ---

/** Contour line i (every fifth one a little stronger). */
export function contourStyle(i) {
  const strong = i % 5 === 4;
  return { stroke: '#192337', strokeOpacity: strong ? 0.55 : 0.28, width: strong ? 1.3 : 0.9, strong };
}

/** A critical point's marker: a minimum hollow (white inside), the others filled. */
export function criticalStyle(kind) {
  const style = CRITICAL_KINDS[kind] || CRITICAL_KINDS.degenerate;
  return { shape: style.shape, r: 5.5, fill: kind === 'minimum' ? '#ffffff' : style.color, stroke: style.color, width: 1.8 };
}

/** A run's start: its shape, hollow, in its colour. */
export function startStyle(run) {
  return { shape: run?.shape || 'circle', r: 7, fill: '#ffffff', fillOpacity: 0.9, stroke: run?.color || '#000000', width: 2.2 };
}

/** A run's current point: its shape filled with its colour, larger when selected. */
export function headStyle(run, selected) {
  return { shape: run.shape, r: selected ? 8.5 : 7, fill: run.color, stroke: '#ffffff', width: 2 };
}

/** A run's path: its colour over a white halo, wider when selected. */
export function trailStyle(run, selected) {
  return { stroke: run.color, width: selected ? 3.2 : 2.4, halo: '#ffffff', haloOpacity: 0.85, haloWidth: selected ? 6.5 : 5 };
}

function styled(style, x, y, extra = {}) {
  const out = marker(style.shape, x, y, style.r, style.fill, style.stroke, style.width, extra);
  if (style.fillOpacity !== undefined) out.fillOpacity = style.fillOpacity;
  return out;
}

function marker(shape, x, y, r, fill, stroke, width, extra = {}) {
  return { type: 'poly', pts: markerPath(shape, x, y, r), fill, stroke, width, ...extra };
}

function eigenGroup(arrows, opacity) {
  const items = [];
  for (const a of arrows) {
    const style = eigenStyle(a.lambda);
    const ends = { x1: a.x1, y1: a.y1, x2: a.x2, y2: a.y2 };
    items.push({ type: 'line', ...ends, stroke: '#ffffff', strokeOpacity: 0.8, width: 4.2 });
    items.push({ type: 'line', ...ends, stroke: style.color, width: 2, dash: style.dash });
    for (const [x1, y1, x2, y2] of [[a.x1, a.y1, a.x2, a.y2], [a.x2, a.y2, a.x1, a.y1]]) {
      // Outward heads for λ > 0 (curving up), inward for λ < 0 (the surface falls away).
      const head = a.negative ? arrowHead(x2, y2, x1, y1, 7) : arrowHead(x1, y1, x2, y2, 7);
      items.push({ type: 'poly', pts: head, fill: style.color });
    }
  }
  return { type: 'group', items, opacity, attrs: { class: 'eigen' } };
}

function label(text, x, y, extra = {}) {
  return {
    type: 'text', text, x, y, size: 12, fill: INK, fillOpacity: 0.8, halo: HALO, ...extra,
  };
}

/**
 * The background layer (redrawn when the surface or the view changes):
 * input {view, image: {canvas, href, x0, x1, y0, y1, pixelated} or null, contours,
 *        field or null, critical, lambdaRef, showCritical, showEigen}.
 */
export function backgroundMarks(input) {
  const vp = viewportOf(input.view);
  const W = vp.width;
  const H = vp.height;
  const out = [{ type: 'rect', x: 0, y: 0, w: W, h: H, fill: PAPER }];
  const im = input.image;
  if (im && (im.canvas || im.href)) {
    const [x0, y0] = vp.toPx(im.x0, im.y1);
    const [x1, y1] = vp.toPx(im.x1, im.y0);
    out.push({ type: 'image', image: im, x: x0, y: y0, w: x1 - x0, h: y1 - y0, pixelated: Boolean(im.pixelated) });
  }
  // Contour lines: thin and dark, every fifth one a little stronger; pieces wholly outside
  // the view are left out.
  const s = vp.scale;
  const ox = W / 2 - vp.cx * s;
  const oy = H / 2 + vp.cy * s;
  const contours = [];
  (input.contours || []).forEach((c, i) => {
    const seg = c.segments;
    const px = [];
    for (let k = 0; k + 3 < seg.length; k += 4) {
      const a = ox + seg[k] * s;
      const b = oy - seg[k + 1] * s;
      const cc = ox + seg[k + 2] * s;
      const d = oy - seg[k + 3] * s;
      if ((a < -2 && cc < -2) || (a > W + 2 && cc > W + 2) || (b < -2 && d < -2) || (b > H + 2 && d > H + 2)) continue;
      px.push(a, b, cc, d);
    }
    if (!px.length) return;
    const style = contourStyle(i);
    contours.push({
      type: 'path', lines: [px], segments: true, stroke: style.stroke, strokeOpacity: style.strokeOpacity,
      width: style.width, attrs: { 'data-level': String(c.level) },
    });
  });
  out.push({ type: 'group', items: contours, attrs: { class: 'contours' } });

  if (input.field?.length) {
    const cell = Math.min(W, H) / 20;
    const items = [];
    for (const a of input.field) {
      const [px, py] = vp.toPx(a.x, a.y);
      const len = cell * (0.35 + 0.5 * a.strength);
      const x2 = px + a.dx * len;
      const y2 = py - a.dy * len;
      items.push({ type: 'line', x1: px, y1: py, x2, y2, stroke: '#282828', strokeOpacity: 0.4, width: 1.2 });
      items.push({ type: 'poly', pts: arrowHead(px, py, x2, y2, 5), fill: '#282828', fillOpacity: 0.4 });
    }
    out.push({ type: 'group', items, attrs: { class: 'field' } });
  }

  const [xmin, xmax, ymin, ymax] = vp.bounds();
  const axes = [];
  for (const x of niceTicks(xmin, xmax, Math.max(3, Math.round(W / 110)))) {
    const [px] = vp.toPx(x, 0);
    if (px < 20 || px > W - 20) continue;
    axes.push({ type: 'line', x1: px, y1: H, x2: px, y2: H - 5, stroke: INK, strokeOpacity: 0.5, width: 1 });
    axes.push(label(fmt(x, 3), px, H - 6, { anchor: 'middle', baseline: 'bottom' }));
  }
  for (const y of niceTicks(ymin, ymax, Math.max(3, Math.round(H / 90)))) {
    const [, py] = vp.toPx(0, y);
    if (py < 14 || py > H - 24) continue;
    // No tick mark before the label: a short horizontal tick reads as a minus sign ("-4"
    // for 4); the label is centred on its value's height.
    axes.push(label(fmt(y, 3), 5, py, { anchor: 'start', baseline: 'middle' }));
  }
  out.push({ type: 'group', items: axes, attrs: { class: 'axes' } });

  if (input.showCritical) {
    const shown = [];
    for (const cp of input.critical || []) {
      if (!cp.point || !cp.point.every(Number.isFinite)) continue;
      const [px, py] = vp.toPx(cp.point[0], cp.point[1]);
      if (px < -20 || py < -20 || px > W + 20 || py > H + 20) continue;
      shown.push({ cp, px, py });
    }
    // Many critical points close together (Rastrigin has hundreds): shorten every arrow so
    // neighbours' arrows do not run into each other; lengths stay proportional to |λ|.
    const maxLen = Math.max(6, Math.min(34, 0.42 * medianSpacing(shown.map((p) => [p.px, p.py]))));
    const items = [];
    for (const { cp, px, py } of shown) {
      if (input.showEigen && cp.eigenvalues) {
        items.push(eigenGroup(eigenArrows(vp, cp.point, cp.eigenvalues, cp.eigenvectors,
          { lambdaRef: input.lambdaRef || 1, minLen: Math.min(8, maxLen / 2), maxLen }), 0.75));
      }
      items.push(styled(criticalStyle(cp.kind), px, py, { attrs: { 'data-kind': cp.kind } }));
    }
    out.push({ type: 'group', items, attrs: { class: 'critical' } });
  }
  return [{ type: 'group', items: out, cap: 'round', join: 'miter' }];
}

/**
 * The runs of a race as the scene shows them at playback position `cursor`: the path index
 * k on screen, whether the run ended diverged, and its eigen-decomposition at k (eigenAt(i,
 * k) or null). label(run, i), color(i) and shape(i) name and style each run.
 */
export function runsAt(race, cursor, { eigenAt = null, label = () => '', color, shape } = {}) {
  return (race?.runs || []).map((run, i) => {
    const k = run.indexAt(cursor);
    return {
      index: i, label: label(run, i), color: color(i), shape: shape(i),
      x: run.x, y: run.y, f: run.f, k, length: run.length, status: run.stopped ? run.status : 'running',
      retunes: run.retunes, eig: k >= 0 && eigenAt ? eigenAt(i, k) : null,
    };
  });
}

function lastFinite(run, k) {
  for (let j = k; j >= 0; j -= 1) {
    if (Number.isFinite(run.x[j]) && Number.isFinite(run.y[j])) return j;
  }
  return -1;
}

/** A run's polyline up to index k in pixels: pieces of finite points, steps under 0.7 px merged. */
function trailLines(vp, run, k) {
  const lines = [];
  let cur = null;
  let lx = 0;
  let ly = 0;
  let tail = false;
  for (let j = 0; j <= k; j += 1) {
    const x = run.x[j];
    const y = run.y[j];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      cur = null;
      continue;
    }
    const [px, py] = vp.toPx(x, y);
    if (!cur) {
      lines.push((cur = [px, py]));
      tail = false;
    } else if (Math.abs(px - lx) + Math.abs(py - ly) >= 0.7) {
      if (tail) cur.length -= 2;
      cur.push(px, py);
      tail = false;
    } else {
      // Too close to the last point kept; kept as the end so the line reaches the marker.
      if (tail) cur.length -= 2;
      cur.push(px, py);
      tail = true;
      continue;
    }
    lx = px;
    ly = py;
  }
  return lines.filter((l) => l.length >= 4);
}

function runMarks(vp, run, selected) {
  const k = Math.min(run.k ?? run.x.length - 1, (run.length ?? run.x.length) - 1);
  const items = [];
  if (k < 1) return { k, items };
  const lines = trailLines(vp, run, k);
  const style = trailStyle(run, selected);
  items.push({ type: 'path', lines, stroke: style.halo, strokeOpacity: style.haloOpacity, width: style.haloWidth, attrs: { class: 'halo' } });
  items.push({ type: 'path', lines, stroke: style.stroke, width: style.width, attrs: { class: 'trail' } });
  // Small dots on each step show the step sizes (only while they are far enough apart).
  if (k < 400) {
    const pts = [];
    let px0 = -1e9;
    let py0 = -1e9;
    for (let j = 1; j < k; j += 1) {
      if (!Number.isFinite(run.x[j]) || !Number.isFinite(run.y[j])) continue;
      const [px, py] = vp.toPx(run.x[j], run.y[j]);
      if (Math.hypot(px - px0, py - py0) < 9) continue;
      pts.push(px, py);
      px0 = px;
      py0 = py;
    }
    items.push({ type: 'dots', pts, r: selected ? 2.6 : 2.1, fill: run.color });
  }
  // Where a hyperparameter changed mid-run: a ring with a bar across the path.
  for (const r of run.retunes || []) {
    if (r.step > k || !Number.isFinite(run.x[r.step]) || !Number.isFinite(run.y[r.step])) continue;
    const [px, py] = vp.toPx(run.x[r.step], run.y[r.step]);
    items.push({ type: 'circle', cx: px, cy: py, r: 7.5, fill: '#ffffff', stroke: run.color, width: 2.5 });
    items.push({ type: 'line', x1: px - 4, y1: py + 4, x2: px + 4, y2: py - 4, stroke: '#222222', width: 1.8 });
    if (r.params && r.params.lr !== undefined) {
      items.push({
        type: 'text', text: `η=${fmt(r.params.lr, 3)}`, x: px + 9, y: py - 5, anchor: 'start', baseline: 'bottom',
        size: 12, weight: 600, fill: '#111111', halo: HALO,
      });
    }
  }
  return { k, items };
}

/** A run outside the view: an arrow head on the border pointing at it, with its value. */
function offscreenMarks(px, py, W, H, color, value) {
  const cx = W / 2;
  const cy = H / 2;
  const dx = px - cx;
  const dy = py - cy;
  const k = Math.min((W / 2 - 14) / Math.abs(dx || 1e-9), (H / 2 - 14) / Math.abs(dy || 1e-9));
  const ex = cx + dx * k;
  const ey = cy + dy * k;
  const out = [{
    type: 'poly', pts: arrowHead(ex - dx * 0.01, ey - dy * 0.01, ex, ey, 14, 0.5), fill: color, stroke: '#ffffff', width: 1.5,
  }];
  if (Number.isFinite(value)) {
    out.push({
      type: 'text', text: `f=${fmt(value, 3)}`, x: ex + (ex > cx ? -16 : 16), y: ey + (ey > cy ? -8 : 8),
      anchor: ex > cx ? 'end' : 'start', baseline: ey > cy ? 'bottom' : 'top', size: 12, weight: 600, fill: '#111111', halo: HALO,
    });
  }
  return out;
}

function crossMarks(px, py, color) {
  const lines = [[px - 8, py - 8, px + 8, py + 8], [px + 8, py - 8, px - 8, py + 8]];
  return [
    { type: 'path', lines, segments: true, stroke: '#ffffff', width: 5, cap: 'round' },
    { type: 'path', lines, segments: true, stroke: color, width: 2.6, cap: 'round', attrs: { class: 'diverged' } },
  ];
}

/**
 * Join segments [x1, y1, x2, y2, ...] (pixels) that share endpoints into polylines, so a
 * contour is one long line instead of thousands of two-point ones. Endpoints match after
 * rounding to 1/perUnit of a unit: a tenth of a pixel by default; pass a finer one for data
 * units (marching squares computes a shared edge's crossing the same way from both cells,
 * so they match exactly anyway).
 */
export function chainSegments(segs, perUnit = 10) {
  const count = Math.floor(segs.length / 4);
  const key = (x, y) => `${Math.round(x * perUnit)},${Math.round(y * perUnit)}`;
  const ends = new Map();
  const add = (k, s) => {
    const list = ends.get(k);
    if (list) list.push(s);
    else ends.set(k, [s]);
  };
  for (let s = 0; s < count; s += 1) {
    add(key(segs[4 * s], segs[4 * s + 1]), s);
    add(key(segs[4 * s + 2], segs[4 * s + 3]), s);
  }
  const used = new Uint8Array(count);
  const next = (x, y) => {
    const list = ends.get(key(x, y));
    if (!list) return null;
    for (const s of list) {
      if (used[s]) continue;
      used[s] = 1;
      // The segment's other end from (x, y).
      const a = key(segs[4 * s], segs[4 * s + 1]) === key(x, y);
      return a ? [segs[4 * s + 2], segs[4 * s + 3]] : [segs[4 * s], segs[4 * s + 1]];
    }
    return null;
  };
  const lines = [];
  for (let s = 0; s < count; s += 1) {
    if (used[s]) continue;
    used[s] = 1;
    const head = [[segs[4 * s], segs[4 * s + 1]]];
    const tail = [[segs[4 * s + 2], segs[4 * s + 3]]];
    for (let p = tail[0]; (p = next(p[0], p[1]));) tail.push(p);
    for (let p = head[0]; (p = next(p[0], p[1]));) head.push(p);
    lines.push(head.reverse().concat(tail));
  }
  return lines;
}

// The Taylor model's contours in data units, chained into polylines once per model (it is
// drawn every frame; a dash pattern needs whole lines, not the marching squares' pieces).
const taylorLines = new WeakMap();

function taylorData(taylor) {
  let lines = taylorLines.get(taylor);
  if (!lines) {
    lines = [];
    for (const level of taylor.levels) {
      const segs = gridToData(marchingSquares(taylor.grid.z, level), taylor.grid.x, taylor.grid.y);
      for (const line of chainSegments(segs, 1e9)) lines.push(line.flat());
    }
    taylorLines.set(taylor, lines);
  }
  return lines;
}

function taylorMarks(vp, taylor) {
  // taylor: {center, half, grid, levels}: dashed contours of the quadratic model, in a disc.
  const [cx, cy] = vp.toPx(taylor.center[0], taylor.center[1]);
  const r = taylor.half * vp.scale;
  const s = vp.scale;
  const ox = vp.width / 2 - vp.cx * s;
  const oy = vp.height / 2 + vp.cy * s;
  const lines = taylorData(taylor).map((l) => {
    const px = new Array(l.length);
    for (let i = 0; i < l.length; i += 2) {
      px[i] = ox + l[i] * s;
      px[i + 1] = oy - l[i + 1] * s;
    }
    return px;
  });
  return [
    {
      type: 'circle', cx, cy, r, fill: '#ffffff', fillOpacity: 0.35, stroke: '#000000', strokeOpacity: 0.35, width: 1, dash: [2, 3],
    },
    {
      type: 'group',
      clip: { cx, cy, r },
      attrs: { class: 'taylor' },
      items: [{ type: 'path', lines, stroke: '#5b2a86', width: 1.8, dash: [6, 4] }],
    },
  ];
}

/**
 * The foreground layer (redrawn every animation frame):
 * input {view, runs (runsAt), starts: [[x, y] or null per run], selected, showEigen,
 *        lambdaRef, taylor or null, preview: {index, point, shape} or null}.
 */
export function foregroundMarks(input) {
  const vp = viewportOf(input.view);
  const W = vp.width;
  const H = vp.height;
  const runs = input.runs || [];
  const out = [];
  if (input.taylor) out.push(...taylorMarks(vp, input.taylor));

  // Start markers: hollow shapes where each run begins (draggable).
  const starts = [];
  (input.starts || []).forEach((p, i) => {
    if (!p || !p.every(Number.isFinite)) return;
    const run = runs[i];
    const [px, py] = vp.toPx(p[0], p[1]);
    starts.push(styled(startStyle(run), px, py, { attrs: { 'data-start': i } }));
  });
  out.push({ type: 'group', items: starts, attrs: { class: 'starts' } });

  // The paths (the selected one on top), then the current points.
  const order = runs.map((_, i) => i).filter((i) => i !== input.selected);
  if (input.selected >= 0 && input.selected < runs.length) order.push(input.selected);
  const paths = [];
  const heads = [];
  for (const i of order) {
    const run = runs[i];
    const selected = i === input.selected;
    const { k, items } = runMarks(vp, run, selected);
    paths.push({ type: 'group', items, attrs: { class: 'run', 'data-run': i } });
    if (k < 0) continue;
    const j = lastFinite(run, k);
    if (j < 0) continue;
    const [px, py] = vp.toPx(run.x[j], run.y[j]);
    if (px < 0 || py < 0 || px > W || py > H) {
      heads.push({ type: 'group', items: offscreenMarks(px, py, W, H, run.color, run.f?.[j]), attrs: { 'data-head': i, class: 'offscreen' } });
      continue;
    }
    const h = [];
    if (input.showEigen && run.eig) {
      h.push(eigenGroup(eigenArrows(vp, [run.x[j], run.y[j]], run.eig.eigenvalues, run.eig.eigenvectors,
        { lambdaRef: input.lambdaRef || 1, minLen: 10, maxLen: 52 }), 1));
    }
    const length = run.length ?? run.x.length;
    const diverged = (run.status === 'diverged' && k >= length - 1) || j < k;
    if (diverged) h.push(...crossMarks(px, py, run.color));
    else h.push(styled(headStyle(run, selected), px, py, { attrs: { class: 'head' } }));
    heads.push({ type: 'group', items: h, attrs: { 'data-head': i } });
  }
  out.push({ type: 'group', items: paths, attrs: { class: 'paths' } });
  out.push({ type: 'group', items: heads, attrs: { class: 'heads' } });
  if (input.preview) {
    const [px, py] = vp.toPx(input.preview.point[0], input.preview.point[1]);
    out.push(marker(input.preview.shape || 'circle', px, py, 8, '#ffffff', '#222222', 2, { fillOpacity: 0.6 }));
  }
  return [{ type: 'group', items: out, cap: 'round', join: 'round' }];
}

/**
 * The legend box: input {view, runs, starts, critical, showCritical, showEigen, labels,
 * swatches, caption, avoid (optional: [px, py, weight] the box should not cover)};
 * measure(text, weight) gives a text's width in pixels. [] when there is nothing to list.
 */
export function legendMarks(input, measure = (text) => textWidth(text, 12)) {
  const items = legendItems({
    runs: input.runs, showCritical: input.showCritical, showEigen: input.showEigen, labels: input.labels,
    swatches: input.swatches || [],
  });
  const caption = input.caption || '';
  const avoid = input.avoid || legendAvoid(input.view, input.runs, input.starts, input.showCritical ? input.critical : []);
  const box = legendLayout(items, caption, input.view.width, (text) => measure(text, text === caption ? 600 : 400),
    { H: input.view.height, avoid });
  if (!box) return [];
  const out = [{
    type: 'rect', x: box.x0, y: box.y0, w: box.width, h: box.height, rx: 6, fill: '#ffffff', fillOpacity: 0.9, stroke: '#b8c1ce', width: 1,
  }];
  const text = (t, x, y, weight) => ({
    type: 'text', text: t, x, y, anchor: 'start', baseline: 'middle', size: 12, weight, fill: LEGEND_INK,
  });
  const swatchLine = (ix, cy, color, width, dash) => ({
    type: 'line', x1: ix - 11, y1: cy, x2: ix + 11, y2: cy, stroke: color, width, dash,
  });
  if (box.caption) out.push(text(box.caption.text, box.caption.tx, box.caption.cy, 600));
  for (const { item: r, cy, ix, tx } of box.entries) {
    if (r.kind === 'run') {
      out.push(swatchLine(ix, cy, r.color, 2.4));
      out.push(marker(r.shape, ix, cy, 4.5, r.color, '#ffffff', 1.5));
    } else if (r.kind === 'swatch') {
      out.push({
        type: 'rect', x: ix - 6, y: cy - 6, w: 12, h: 12, rx: 3, fill: r.color, stroke: '#000000', strokeOpacity: 0.2, width: 1,
      });
    } else if (r.kind === 'minimum') out.push(marker('circle', ix, cy, 4.5, '#ffffff', CRITICAL_KINDS.minimum.color, 1.8));
    else if (r.kind === 'maximum') out.push(marker('triangle', ix, cy, 4.5, CRITICAL_KINDS.maximum.color, CRITICAL_KINDS.maximum.color, 1.8));
    else if (r.kind === 'saddle') out.push(marker('cross', ix, cy, 4.5, EIGEN_NEGATIVE, EIGEN_NEGATIVE, 1));
    else if (r.kind === 'eigen-') out.push(swatchLine(ix, cy, EIGEN_NEGATIVE, 2.2, [5, 3]));
    else out.push(swatchLine(ix, cy, EIGEN_POSITIVE, 2.2));
    out.push(text(r.label, tx, cy, 400));
  }
  return [{ type: 'group', items: out, cap: 'round', join: 'miter', attrs: { class: 'legend' } }];
}

/**
 * The whole scene: {width, height, title, background, foreground, legend} (marks). The
 * input is backgroundMarks' and foregroundMarks' together, plus the legend's (labels,
 * swatches, caption, legend: false to leave it out) and a title.
 */
export function buildScene(input, { measure } = {}) {
  return {
    width: input.view.width,
    height: input.view.height,
    title: input.title || '',
    background: backgroundMarks(input),
    foreground: foregroundMarks(input),
    legend: input.legend === false ? [] : legendMarks(input, measure),
  };
}

// --- the 3D view --------------------------------------------------------------------------------
// The same scene in data units for ui/surface3d.js (plotly): the grid the contour view shades,
// its equalised colours and its contour levels, the critical points, starts, paths and current
// points, each in the style above. Heights are f clipped at the 97% quantile of the grid (the
// towering walls, Rosenbrock's 2500, would flatten the valley the optimizers walk in) and
// lifted a little above the surface, where lines drawn exactly on it would sink into its
// triangles and show only in pieces.

const CLIP_QUANTILE = 0.97;
const LIFT = 0.015; // of the clipped height range
const MARKER_LIFT = 2.5; // times LIFT

/** The heights' scale of a grid: {zmin, cap, lift}; z(v) puts a value on it. */
export function heights3d(grid) {
  const sorted = sortedFinite(grid.z);
  const zmin = sorted.length ? sorted[0] : 0;
  const cap = sorted.length ? sorted[Math.floor(sorted.length * CLIP_QUANTILE)] ?? sorted[sorted.length - 1] : 1;
  const lift = LIFT * (cap - zmin);
  // Markers sit higher than lines: a disc drawn at a point's own height is half inside the hill.
  const up = (by) => (v) => (Number.isFinite(v) ? Math.min(v, cap) + by : null);
  return { sorted, zmin, cap, lift, z: up(lift), zMarker: up(MARKER_LIFT * lift) };
}

/** Contour pieces (data units) of the kept levels chained into lines: x, y, z with a null between lines. */
function contourLines3d(contours, keep, zOf) {
  const x = [];
  const y = [];
  const z = [];
  (contours || []).forEach((c, i) => {
    if (!keep(i, c.level)) return;
    const zc = zOf(c.level);
    for (const line of chainSegments(c.segments, 1e6)) {
      for (const [px, py] of line) {
        x.push(px);
        y.push(py);
        z.push(zc);
      }
      x.push(null);
      y.push(null);
      z.push(null);
    }
  });
  return { x, y, z };
}

/**
 * The 3D background (rebuilt when the grid changes): input {grid (lib/surfacegrid.js's
 * prepared grid: x, y, z, levels, contours), critical, showCritical}. Returns {surface: {x, y,
 * z, shade (0..1, the contour view's equalised colour coordinate), stops}, contours: [{lines,
 * stroke, strokeOpacity, width}], critical: [{x, y, z, kind, ...criticalStyle}], heights}.
 */
export function background3d(input) {
  const grid = input.grid;
  const h = heights3d(grid);
  const z = grid.z.map((row) => row.map((v) => (Number.isFinite(v) ? Math.min(v, h.cap) : null)));
  const shade = grid.z.map((row) => row.map((v) => (Number.isFinite(v) ? rankOf(h.sorted, v) : null)));
  // One line list per style, the plain lines and every fifth, stronger one (contourStyle),
  // each line at its level's height (lifted a little, like the paths: on the surface itself it
  // would flicker); the levels above the clip would float over the cut-off walls.
  const contours = [false, true].map((strong) => {
    const style = contourStyle(strong ? 4 : 0);
    const lines = contourLines3d(grid.contours, (i, level) => contourStyle(i).strong === strong && level <= h.cap,
      (level) => level + h.lift / 3);
    return { lines, stroke: style.stroke, strokeOpacity: style.strokeOpacity, width: style.width, strong };
  });
  const critical = [];
  if (input.showCritical) {
    for (const cp of input.critical || []) {
      if (!cp.point || !cp.point.every(Number.isFinite) || !Number.isFinite(cp.value)) continue;
      critical.push({ x: cp.point[0], y: cp.point[1], z: h.zMarker(cp.value), kind: cp.kind, ...criticalStyle(cp.kind) });
    }
  }
  return {
    surface: { x: grid.x, y: grid.y, z, shade, stops: SURFACE_STOPS },
    contours, critical, heights: { zmin: h.zmin, cap: h.cap, lift: h.lift },
  };
}

/**
 * The 3D foreground (every frame): input {runs (runsAt), starts, selected} and the
 * background's heights. Returns {starts: [marker], runs: [{index, path: {x, y, z, ...trailStyle},
 * head: marker or null}]}, a marker being {x, y, z, shape, r, fill, stroke, width, diverged}.
 */
export function foreground3d(input, heights) {
  const z = (v) => (Number.isFinite(v) ? Math.min(v, heights.cap) + heights.lift : null);
  const zm = (v) => (Number.isFinite(v) ? Math.min(v, heights.cap) + MARKER_LIFT * heights.lift : null);
  const runs = input.runs || [];
  const starts = [];
  (input.starts || []).forEach((p, i) => {
    const run = runs[i];
    if (!p || !p.every(Number.isFinite) || !run) return;
    // A start's height: f there, which the run's first point carries.
    starts.push({ index: i, x: p[0], y: p[1], z: zm(run.f?.[0]), ...startStyle(run) });
  });
  const out = runs.map((run, i) => {
    const selected = i === input.selected;
    const k = Math.min(run.k ?? run.x.length - 1, (run.length ?? run.x.length) - 1);
    const path = { x: [], y: [], z: [], ...trailStyle(run, selected) };
    for (let j = 0; j <= k; j += 1) {
      const ok = Number.isFinite(run.x[j]) && Number.isFinite(run.y[j]);
      path.x.push(ok ? run.x[j] : null);
      path.y.push(ok ? run.y[j] : null);
      path.z.push(ok ? z(run.f?.[j]) : null);
    }
    const j = k >= 0 ? lastFinite(run, k) : -1;
    let head = null;
    if (j >= 0) {
      const length = run.length ?? run.x.length;
      const diverged = (run.status === 'diverged' && k >= length - 1) || j < k;
      head = { x: run.x[j], y: run.y[j], z: zm(run.f?.[j]), diverged, ...headStyle(run, selected) };
    }
    return { index: i, selected, path, head };
  });
  return { starts, runs: out };
}
