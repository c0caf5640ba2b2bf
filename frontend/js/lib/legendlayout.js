// The legend's content and where it goes, shared by every renderer of the scene (lib/scene.js
// builds its marks; the on-screen legend, ui/legend.js, picks its corner with legendCorner).
// Pure: widths come from a measure(text) callback (canvas metrics, or textWidth's estimate).

import { Viewport } from './geometry.js';

/** A Viewport from a plain view {width, height, cx, cy, scale} (CSS pixels). */
export function viewportOf(view) {
  const vp = new Viewport([0, 1, 0, 1], view.width, view.height, 0);
  vp.scale = view.scale;
  vp.cx = view.cx;
  vp.cy = view.cy;
  return vp;
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

