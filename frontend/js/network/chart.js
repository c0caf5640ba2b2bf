// A small line chart on a canvas: several series over steps, optional log scale, a cursor at
// the step on screen. The network mode's loss/accuracy and sharpness charts are two of these.

import { niceTicks, logTicks, scale } from '../lib/ticks.js';
import { fitCanvas } from '../ui/dom.js';
import { fmt } from '../lib/format.js';

/**
 * series: [{points: [[x, y], ...], color, dash?: [..], width?}]; options: {log, cursor,
 * xMax, yLabel, yRange: [lo, hi] (fixed, e.g. accuracy), empty: text when there is no data}.
 */
export function drawChart(canvas, series, { log = false, cursor = null, xMax = null, yRange = null, empty = '' } = {}) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const pad = { l: 46, r: 14, t: 8, b: 20 };
  const finite = (v) => Number.isFinite(v) && (!log || v > 0);
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter(finite));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#555';
  if (!ys.length) {
    ctx.textAlign = 'center';
    ctx.fillText(empty, width / 2, height / 2);
    return null;
  }
  let [lo, hi] = yRange || [Math.min(...ys), Math.max(...ys)];
  if (hi <= lo) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  const x1 = Math.max(1, xMax ?? Math.max(...xs));
  const sx = scale([0, x1], [pad.l, width - pad.r]);
  const sy = scale([lo, hi], [height - pad.b, pad.t], log);
  ctx.strokeStyle = '#e3e3e3';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  // a log axis over less than a decade has no power of ten inside: label it linearly
  let ticks = log ? logTicks(lo, hi, 4).filter((v) => v >= lo && v <= hi) : [];
  // over several decades, the powers of ten alone (2000 and 3000 next to 1000 crowd)
  const decades = ticks.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  if (decades.length >= 2) ticks = decades;
  if (ticks.length < 2) ticks = niceTicks(lo, hi, 4);
  for (const v of ticks) {
    const y = sy(v);
    if (y < pad.t - 1 || y > height - pad.b + 1) continue;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(width - pad.r, y); ctx.stroke();
    ctx.fillText(fmt(v, 2), pad.l - 4, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of niceTicks(0, x1, 5)) ctx.fillText(String(v), sx(v), height - pad.b + 4);
  ctx.save();
  ctx.beginPath(); ctx.rect(pad.l, pad.t, width - pad.l - pad.r, height - pad.t - pad.b); ctx.clip();
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width || 1.6;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let pen = false;
    for (const [x, y] of s.points) {
      if (!finite(y)) { pen = false; continue; }
      if (pen) ctx.lineTo(sx(x), sy(y)); else ctx.moveTo(sx(x), sy(y));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (cursor !== null) {
    ctx.strokeStyle = '#333';
    ctx.beginPath(); ctx.moveTo(sx(cursor), pad.t); ctx.lineTo(sx(cursor), height - pad.b); ctx.stroke();
  }
  ctx.restore();
  return { sx, sy };
}
