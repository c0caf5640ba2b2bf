// The contour view as a standalone SVG document (a string; no DOM, so node can test it),
// built from the same data the canvases draw: the contour segments of lib/contours.js, the
// critical points, each run's path up to the step on screen with its colour and marker
// shape, the start points, eigen-arrows, axis ticks and a legend. Lines stay vectors, so the
// file scales in a slide or a paper; only the surface shading (a raster on the canvas too)
// is embedded as an image when the caller passes one.

import { Viewport, eigenArrows, arrowHead, markerPath } from './geometry.js';
import { CRITICAL_KINDS, eigenStyle, EIGEN_NEGATIVE, EIGEN_POSITIVE } from './palette.js';
import { niceTicks } from './ticks.js';
import { fmt } from './format.js';

const FONT = 'system-ui, -apple-system, \'Segoe UI\', Roboto, \'Liberation Sans\', \'DejaVu Sans\', sans-serif';

/** A number for path data: one decimal (a tenth of a pixel), no "-0". */
function n1(v) {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** Attribute numbers: two decimals (opacities like 0.28 must survive). */
function n2(v) {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

export function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({
    '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;',
  })[c]);
}

function attrs(obj) {
  return Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? n2(v) : v)}"`).join('');
}

const el = (tag, a, body) => (body === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${body}</${tag}>`);

function polygon(pts, a) {
  return el('polygon', { points: pts.map((p) => `${n1(p[0])},${n1(p[1])}`).join(' '), ...a });
}

/**
 * Join segments [x1, y1, x2, y2, ...] (pixels) that share endpoints into polylines, so a
 * contour is one long line instead of thousands of two-point ones. Endpoints match after
 * rounding to a tenth of a pixel (marching squares computes a shared edge's crossing the
 * same way from both cells, so they match exactly anyway).
 */
export function chainSegments(segs) {
  const count = Math.floor(segs.length / 4);
  const key = (x, y) => `${Math.round(x * 10)},${Math.round(y * 10)}`;
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

/** Path data for polylines, dropping points within `minStep` pixels of the last one kept. */
export function polylineData(lines, minStep = 0.6) {
  const parts = [];
  for (const line of lines) {
    if (line.length < 2) continue;
    let [lx, ly] = line[0];
    let d = `M${n1(lx)} ${n1(ly)}`;
    for (let i = 1; i < line.length; i += 1) {
      const [x, y] = line[i];
      const last = i === line.length - 1;
      if (!last && Math.abs(x - lx) + Math.abs(y - ly) < minStep) continue;
      d += `L${n1(x)} ${n1(y)}`;
      lx = x;
      ly = y;
    }
    parts.push(d);
  }
  return parts.join('');
}

/** The legend's rows: one per run, then the critical-point kinds and curvature signs shown. */
export function legendItems({
  runs = [], showCritical = false, showEigen = false, labels = {}, swatches = [],
}) {
  const items = runs.map((r) => ({ kind: 'run', color: r.color, shape: r.shape, label: r.label || r.name || '' }));
  // Colour swatches (the basin map's minima) come right after the runs.
  for (const sw of swatches) items.push({ kind: 'swatch', color: sw.color, label: sw.label });
  if (showCritical) {
    items.push({ kind: 'minimum', label: labels.min || 'minimum' });
    items.push({ kind: 'maximum', label: labels.max || 'maximum' });
    items.push({ kind: 'saddle', label: labels.saddle || 'saddle' });
  }
  if (showEigen) {
    items.push({ kind: 'eigen+', label: labels.pos || 'λ > 0 (curves up)' });
    items.push({ kind: 'eigen-', label: labels.neg || 'λ < 0 (curves down)' });
  }
  return items;
}

/** The median distance from each point ({px, py}) to its nearest neighbour. */
function medianSpacing(points) {
  if (points.length < 2) return Infinity;
  const nearest = points.map((a) => {
    let best = Infinity;
    for (const b of points) if (b !== a) best = Math.min(best, Math.hypot(a.px - b.px, a.py - b.py));
    return best;
  }).sort((a, b) => a - b);
  return nearest[Math.floor(nearest.length / 2)];
}

function viewportOf(view) {
  const vp = new Viewport([0, 1, 0, 1], view.width, view.height, 0);
  vp.scale = view.scale;
  vp.cx = view.cx;
  vp.cy = view.cy;
  return vp;
}

function eigenSvg(arrows, opacity) {
  let out = '';
  for (const a of arrows) {
    const style = eigenStyle(a.lambda);
    const line = { x1: a.x1, y1: a.y1, x2: a.x2, y2: a.y2 };
    out += el('line', { ...line, stroke: '#ffffff', 'stroke-opacity': 0.8, 'stroke-width': 4.2 });
    out += el('line', { ...line, stroke: style.color, 'stroke-width': 2, 'stroke-dasharray': style.dash.length ? style.dash.join(' ') : undefined });
    for (const [x1, y1, x2, y2] of [[a.x1, a.y1, a.x2, a.y2], [a.x2, a.y2, a.x1, a.y1]]) {
      const head = a.negative ? arrowHead(x2, y2, x1, y1, 7) : arrowHead(x1, y1, x2, y2, 7);
      out += polygon(head, { fill: style.color });
    }
  }
  return el('g', { class: 'eigen', opacity: opacity === 1 ? undefined : opacity }, out);
}

function marker(shape, x, y, r, fill, stroke, width, extra = {}) {
  return polygon(markerPath(shape, x, y, r), { fill, stroke, 'stroke-width': width, 'stroke-linejoin': 'round', ...extra });
}

function textWithHalo(text, x, y, a) {
  return el('text', {
    x, y, stroke: '#ffffff', 'stroke-width': 3, 'stroke-opacity': 0.85, 'paint-order': 'stroke', 'stroke-linejoin': 'round', ...a,
  }, escapeXml(text));
}

/**
 * The SVG document for a scene:
 * {
 *   view: {width, height, cx, cy, scale}  the contour view's viewport (CSS pixels)
 *   image: {href, x0, x1, y0, y1, pixelated}  the shading's data-space corners (optional)
 *   contours: [{level, segments}]  segments in data units, as lib/contours.js makes them
 *   field: [{x, y, dx, dy, strength}] or null
 *   critical: [{point, kind, eigenvalues, eigenvectors}], lambdaRef
 *   showCritical, showEigen
 *   runs: [{index, label, color, shape, x, y, f, k, status, retunes, eig}]  k = the path index
 *         on screen; eig = {eigenvalues, eigenvectors} at point k or null
 *   starts: [[x, y] or null per run], selected
 *   swatches: [{color, label}]  extra legend rows (the basin map's colours)
 *   title, caption, labels: {min, max, saddle, pos, neg}, legend (default true)
 * }
 */
export function sceneSvg(scene) {
  const vp = viewportOf(scene.view);
  const W = vp.width;
  const H = vp.height;
  const body = [];
  body.push(el('rect', { x: 0, y: 0, width: W, height: H, fill: '#f4f4f1' }));
  const plot = [];

  if (scene.image?.href) {
    const im = scene.image;
    const [x0, y0] = vp.toPx(im.x0, im.y1);
    const [x1, y1] = vp.toPx(im.x1, im.y0);
    plot.push(el('image', {
      href: im.href, x: x0, y: y0, width: x1 - x0, height: y1 - y0, preserveAspectRatio: 'none',
      style: im.pixelated ? 'image-rendering:pixelated;image-rendering:crisp-edges' : undefined,
    }));
  }

  // Contours, every fifth one stronger (as on the canvas); segments outside the view dropped.
  const s = vp.scale;
  const ox = W / 2 - vp.cx * s;
  const oy = H / 2 + vp.cy * s;
  let contourPaths = '';
  (scene.contours || []).forEach((c, i) => {
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
    const data = polylineData(chainSegments(px));
    if (!data) return;
    const strong = i % 5 === 4;
    contourPaths += el('path', {
      d: data, 'data-level': String(c.level), stroke: '#192337', 'stroke-opacity': strong ? 0.55 : 0.28,
      'stroke-width': strong ? 1.3 : 0.9,
    });
  });
  plot.push(el('g', { class: 'contours', fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }, contourPaths));

  if (scene.field?.length) {
    const cell = Math.min(W, H) / 20;
    let out = '';
    for (const a of scene.field) {
      const [px, py] = vp.toPx(a.x, a.y);
      const len = cell * (0.35 + 0.5 * a.strength);
      const x2 = px + a.dx * len;
      const y2 = py - a.dy * len;
      out += el('line', { x1: px, y1: py, x2, y2 });
      out += polygon(arrowHead(px, py, x2, y2, 5), { stroke: 'none' });
    }
    plot.push(el('g', { class: 'field', stroke: '#282828', fill: '#282828', 'stroke-opacity': 0.4, 'fill-opacity': 0.4, 'stroke-width': 1.2 }, out));
  }

  // Axis ticks and labels, the same nice values as the canvas.
  const [xmin, xmax, ymin, ymax] = vp.bounds();
  let axes = '';
  for (const x of niceTicks(xmin, xmax, Math.max(3, Math.round(W / 110)))) {
    const [px] = vp.toPx(x, 0);
    if (px < 20 || px > W - 20) continue;
    axes += el('line', { x1: px, y1: H, x2: px, y2: H - 5, stroke: '#141b26', 'stroke-opacity': 0.5 });
    axes += textWithHalo(fmt(x, 3), px, H - 7, { 'text-anchor': 'middle' });
  }
  for (const y of niceTicks(ymin, ymax, Math.max(3, Math.round(H / 90)))) {
    const [, py] = vp.toPx(0, y);
    if (py < 14 || py > H - 24) continue;
    // As on the canvas: no tick mark before a y label (it would read as a minus sign).
    axes += textWithHalo(fmt(y, 3), 5, py + 4, {});
  }
  plot.push(el('g', { class: 'axes', 'font-size': 12, 'font-family': FONT, fill: '#141b26', 'fill-opacity': 0.85 }, axes));

  if (scene.showCritical) {
    let out = '';
    const shown = [];
    for (const cp of scene.critical || []) {
      if (!cp.point || !cp.point.every(Number.isFinite)) continue;
      const [px, py] = vp.toPx(cp.point[0], cp.point[1]);
      if (px < -20 || py < -20 || px > W + 20 || py > H + 20) continue;
      shown.push({ cp, px, py });
    }
    // Arrows shortened where critical points crowd (Rastrigin), as the canvas does.
    const maxLen = Math.max(6, Math.min(34, 0.42 * medianSpacing(shown)));
    for (const { cp, px, py } of shown) {
      if (scene.showEigen && cp.eigenvalues) {
        out += eigenSvg(eigenArrows(vp, cp.point, cp.eigenvalues, cp.eigenvectors,
          { lambdaRef: scene.lambdaRef || 1, minLen: Math.min(8, maxLen / 2), maxLen }), 0.75);
      }
      const style = CRITICAL_KINDS[cp.kind] || CRITICAL_KINDS.degenerate;
      out += marker(style.shape, px, py, 5.5, cp.kind === 'minimum' ? '#ffffff' : style.color, style.color, 1.8,
        { 'data-kind': cp.kind });
    }
    plot.push(el('g', { class: 'critical' }, out));
  }

  // Start markers, then the paths (the selected one on top), then the current points.
  const runs = scene.runs || [];
  let starts = '';
  (scene.starts || []).forEach((p, i) => {
    if (!p || !p.every(Number.isFinite)) return;
    const run = runs[i];
    const [px, py] = vp.toPx(p[0], p[1]);
    starts += marker(run?.shape || 'circle', px, py, 7, '#ffffff', run?.color || '#000000', 2.2,
      { 'fill-opacity': 0.9, 'data-start': i });
  });
  plot.push(el('g', { class: 'starts' }, starts));

  const order = runs.map((_, i) => i).filter((i) => i !== scene.selected);
  if (scene.selected >= 0 && scene.selected < runs.length) order.push(scene.selected);
  let paths = '';
  let heads = '';
  for (const i of order) {
    const run = runs[i];
    const selected = i === scene.selected;
    const k = Math.min(run.k ?? run.x.length - 1, run.x.length - 1);
    // Pieces of finite points (a diverged run can end in NaN or infinity).
    const lines = [];
    let cur = null;
    let last = null;
    for (let j = 0; j <= k; j += 1) {
      const x = run.x[j];
      const y = run.y[j];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        cur = null;
        continue;
      }
      const p = vp.toPx(x, y);
      if (!cur) lines.push((cur = []));
      cur.push(p);
      last = { p, j };
    }
    const d = polylineData(lines, 0.7);
    let g = '';
    if (d) {
      g += el('path', { d, stroke: '#ffffff', 'stroke-opacity': 0.85, 'stroke-width': selected ? 6.5 : 5, class: 'halo' });
      g += el('path', { d, stroke: run.color, 'stroke-width': selected ? 3.2 : 2.4, class: 'trail' });
    }
    if (k < 400) {
      let px0 = -1e9;
      let py0 = -1e9;
      let dots = '';
      for (let j = 1; j < k; j += 1) {
        if (!Number.isFinite(run.x[j]) || !Number.isFinite(run.y[j])) continue;
        const [px, py] = vp.toPx(run.x[j], run.y[j]);
        if (Math.hypot(px - px0, py - py0) < 9) continue;
        dots += el('circle', { cx: px, cy: py, r: selected ? 2.6 : 2.1 });
        px0 = px;
        py0 = py;
      }
      g += el('g', { fill: run.color, stroke: 'none' }, dots);
    }
    for (const r of run.retunes || []) {
      if (r.step > k || !Number.isFinite(run.x[r.step]) || !Number.isFinite(run.y[r.step])) continue;
      const [px, py] = vp.toPx(run.x[r.step], run.y[r.step]);
      g += el('circle', { cx: px, cy: py, r: 7.5, fill: '#ffffff', stroke: run.color, 'stroke-width': 2.5 });
      g += el('line', { x1: px - 4, y1: py + 4, x2: px + 4, y2: py - 4, stroke: '#222222', 'stroke-width': 1.8 });
      if (r.params && r.params.lr !== undefined) {
        g += textWithHalo(`η=${fmt(r.params.lr, 3)}`, px + 9, py - 5, { 'font-size': 12, 'font-weight': 600, 'font-family': FONT, fill: '#111111' });
      }
    }
    paths += el('g', { class: 'run', 'data-run': i, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }, g);
    if (last && (last.p[0] < 0 || last.p[1] < 0 || last.p[0] > W || last.p[1] > H)) {
      // Off the view (a diverging run): an arrow head on the border pointing at it, with
      // its value, as the canvas draws it.
      heads += el('g', { 'data-head': i, class: 'offscreen' }, offscreenSvg(last.p[0], last.p[1], W, H, run.color, run.f?.[last.j]));
    } else if (last) {
      const [px, py] = last.p;
      let h = '';
      if (scene.showEigen && run.eig) {
        h += eigenSvg(eigenArrows(vp, [run.x[last.j], run.y[last.j]], run.eig.eigenvalues, run.eig.eigenvectors,
          { lambdaRef: scene.lambdaRef || 1, minLen: 10, maxLen: 52 }), 1);
      }
      const diverged = (run.status === 'diverged' && k >= run.x.length - 1) || last.j < k;
      if (diverged) {
        const cross = `M${n1(px - 8)} ${n1(py - 8)}L${n1(px + 8)} ${n1(py + 8)}M${n1(px + 8)} ${n1(py - 8)}L${n1(px - 8)} ${n1(py + 8)}`;
        h += el('path', { d: cross, stroke: '#ffffff', 'stroke-width': 5, 'stroke-linecap': 'round' });
        h += el('path', { d: cross, stroke: run.color, 'stroke-width': 2.6, 'stroke-linecap': 'round', class: 'diverged' });
      } else {
        h += marker(run.shape, px, py, selected ? 8.5 : 7, run.color, '#ffffff', 2, { class: 'head' });
      }
      heads += el('g', { 'data-head': i }, h);
    }
  }
  plot.push(el('g', { class: 'paths' }, paths));
  plot.push(el('g', { class: 'heads' }, heads));

  body.push(el('g', { 'clip-path': 'url(#plot-clip)' }, plot.join('')));
  if (scene.legend !== false) body.push(legendSvg(scene, W));

  const title = scene.title ? el('title', {}, escapeXml(scene.title)) : '';
  const defs = el('defs', {}, el('clipPath', { id: 'plot-clip' }, el('rect', { x: 0, y: 0, width: W, height: H })));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el('svg', {
    xmlns: 'http://www.w3.org/2000/svg', version: '1.1', width: W, height: H, viewBox: `0 0 ${n1(W)} ${n1(H)}`,
  }, title + defs + body.join(''))}\n`;
}

function offscreenSvg(px, py, width, height, color, value) {
  const cx = width / 2;
  const cy = height / 2;
  const dx = px - cx;
  const dy = py - cy;
  const k = Math.min((width / 2 - 14) / Math.abs(dx || 1e-9), (height / 2 - 14) / Math.abs(dy || 1e-9));
  const ex = cx + dx * k;
  const ey = cy + dy * k;
  let out = polygon(arrowHead(ex - dx * 0.01, ey - dy * 0.01, ex, ey, 14, 0.5), { fill: color, stroke: '#ffffff', 'stroke-width': 1.5 });
  if (Number.isFinite(value)) {
    out += textWithHalo(`f=${fmt(value, 3)}`, ex + (ex > cx ? -16 : 16), ey + (ey > cy ? -8 : 18), {
      'text-anchor': ex > cx ? 'end' : 'start', 'font-size': 12, 'font-weight': 600, 'font-family': FONT, fill: '#111111',
    });
  }
  return out;
}

/** Rough text width for laying out the legend box (no font metrics without a DOM). */
export function textWidth(text, size = 12) {
  let w = 0;
  for (const ch of String(text)) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? size : size * 0.58;
  return w;
}

// A start or a critical point outweighs any path: the legend covers one only when every
// corner does. Its corner then does not depend on how much of the path had streamed in when
// it was placed (a slow machine placed it over a start when paths were weighed alike).
const MARK_WEIGHT = 10000;

/**
 * Points the legend should not cover, in pixels with a weight: samples along each run's path
 * up to its step k, the current points and starts (heavier), the critical points.
 */
export function legendAvoid(view, runs = [], starts = [], critical = []) {
  const vp = viewportOf(view);
  const out = [];
  for (const run of runs) {
    const k = Math.min(run.k ?? run.x.length - 1, run.x.length - 1);
    const every = Math.max(1, Math.floor(k / 300));
    let last = null;
    for (let j = 0; j <= k; j += 1) {
      if (!Number.isFinite(run.x[j]) || !Number.isFinite(run.y[j])) continue;
      last = j;
      if (j % every === 0) out.push([...vp.toPx(run.x[j], run.y[j]), 1]);
    }
    if (last !== null) out.push([...vp.toPx(run.x[last], run.y[last]), 40]);
  }
  const seen = new Set(); // runs sharing a start count it once
  for (const p of starts) {
    if (!p || !p.every(Number.isFinite) || seen.has(`${p[0]},${p[1]}`)) continue;
    seen.add(`${p[0]},${p[1]}`);
    out.push([...vp.toPx(p[0], p[1]), MARK_WEIGHT]);
  }
  for (const cp of critical) if (cp.point?.every(Number.isFinite)) out.push([...vp.toPx(cp.point[0], cp.point[1]), MARK_WEIGHT]);
  return out;
}

/**
 * The corner for a width x height legend box in a W x H view (H null: the top two only)
 * covering the least weight of `avoid` ([px, py, weight]), clear of the axis labels (40 from
 * the left, 26 from the bottom); top right on a tie. Returns {x, y, score}: the box's top left.
 * The exports (legendLayout) and the on-screen legend (ui/legend.js) both place it so.
 */
export function legendCorner(W, H, width, height, avoid = []) {
  const corners = [[W - width - 10, 10], [40, 10]];
  if (H !== null && H !== undefined) corners.push([W - width - 10, H - height - 26], [40, H - height - 26]);
  let best = null;
  for (const [x, y] of corners) {
    let score = 0;
    for (const [px, py, w] of avoid) {
      if (px > x - 6 && px < x + width + 6 && py > y - 6 && py < y + height + 6) score += w;
    }
    if (!best || score < best.score) best = { x, y, score };
  }
  return best;
}

/** Legend entries that share one row (the critical-point kinds, the two curvature signs). */
const ROW_GROUP = { minimum: 'critical', maximum: 'critical', saddle: 'critical', 'eigen+': 'eigen', 'eigen-': 'eigen' };

/**
 * Where the legend's box and entries go, shared by the SVG and the canvas exports: {x0, y0,
 * width, height, caption: {text, tx, cy} or null, entries: [{item, ix (icon centre), tx
 * (text start), cy (row centre)}]}. Runs and swatches get a row each; the critical-point
 * kinds share one, the curvature signs another. measure(text) gives a text's width in
 * pixels. With the view's height H and `avoid` points ([px, py, weight]) the box goes to
 * the corner covering the least of them (top right on a tie), clear of the axis labels.
 */
export function legendLayout(items, caption, W, measure = (text) => textWidth(text, 12), { H = null, avoid = [] } = {}) {
  const rowH = 18;
  const pad = 8;
  const icon = 30;
  const gap = 14;
  const rows = [];
  for (const item of items) {
    const group = ROW_GROUP[item.kind];
    const last = rows[rows.length - 1];
    if (group && last?.group === group) last.items.push(item);
    else rows.push({ group, items: [item] });
  }
  const rowWidth = (row) => row.items.reduce((w, it) => w + icon + measure(it.label), 0) + gap * (row.items.length - 1);
  // A shared row too wide for a narrow view goes back to one entry per row.
  for (let r = rows.length - 1; r >= 0; r -= 1) {
    if (rows[r].items.length > 1 && pad * 2 + rowWidth(rows[r]) > W * 0.6) {
      rows.splice(r, 1, ...rows[r].items.map((item) => ({ group: null, items: [item] })));
    }
  }
  const count = rows.length + (caption ? 1 : 0);
  if (!count) return null;
  const widest = Math.max(caption ? measure(caption) : 0, ...rows.map(rowWidth));
  const width = Math.min(W * 0.6, pad * 2 + widest);
  const height = pad * 2 + count * rowH - 4;
  const { x: x0, y: y0 } = legendCorner(W, H, width, height, avoid);
  const rowY = (i) => y0 + pad + i * rowH + 6;
  const entries = [];
  rows.forEach((row, r) => {
    const cy = rowY(r + (caption ? 1 : 0));
    let x = x0 + pad;
    for (const item of row.items) {
      entries.push({ item, ix: x + 12, tx: x + icon, cy });
      x += icon + measure(item.label) + gap;
    }
  });
  return {
    x0, y0, width, height, entries, caption: caption ? { text: caption, tx: x0 + pad, cy: rowY(0) } : null,
  };
}

function legendSvg(scene, W) {
  const items = legendItems({
    runs: scene.runs, showCritical: scene.showCritical, showEigen: scene.showEigen, labels: scene.labels,
    swatches: scene.swatches || [],
  });
  const box = legendLayout(items, scene.caption, W, undefined, {
    H: scene.view.height,
    avoid: legendAvoid(scene.view, scene.runs, scene.starts, scene.showCritical ? scene.critical : []),
  });
  if (!box) return '';
  let out = el('rect', { x: box.x0, y: box.y0, width: box.width, height: box.height, rx: 6, fill: '#ffffff', 'fill-opacity': 0.9, stroke: '#b8c1ce' });
  if (box.caption) out += el('text', { x: box.caption.tx, y: box.caption.cy + 4, 'font-weight': 600 }, escapeXml(box.caption.text));
  for (const { item: r, cy, ix, tx } of box.entries) {
    if (r.kind === 'run') {
      out += el('line', { x1: ix - 11, y1: cy, x2: ix + 11, y2: cy, stroke: r.color, 'stroke-width': 2.4 });
      out += marker(r.shape, ix, cy, 4.5, r.color, '#ffffff', 1.5);
    } else if (r.kind === 'swatch') {
      out += el('rect', { x: ix - 6, y: cy - 6, width: 12, height: 12, rx: 3, fill: r.color, stroke: '#000000', 'stroke-opacity': 0.2 });
    } else if (r.kind === 'minimum') out += marker('circle', ix, cy, 4.5, '#ffffff', '#1a1a1a', 1.8);
    else if (r.kind === 'maximum') out += marker('triangle', ix, cy, 4.5, '#1a1a1a', '#1a1a1a', 1.8);
    else if (r.kind === 'saddle') out += marker('cross', ix, cy, 4.5, EIGEN_NEGATIVE, EIGEN_NEGATIVE, 1);
    else {
      const neg = r.kind === 'eigen-';
      out += el('line', {
        x1: ix - 11, y1: cy, x2: ix + 11, y2: cy, stroke: neg ? EIGEN_NEGATIVE : EIGEN_POSITIVE, 'stroke-width': 2.2,
        'stroke-dasharray': neg ? '5 3' : undefined,
      });
    }
    out += el('text', { x: tx, y: cy + 4 }, escapeXml(r.label));
  }
  return el('g', { class: 'legend', 'font-size': 12, 'font-family': FONT, fill: '#161b26' }, out);
}
