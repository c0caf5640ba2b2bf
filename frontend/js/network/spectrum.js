// The Hessian spectrum at the selected step as a histogram of eigenvalues (negative ones in
// the eigen-negative colour), with the minimum ratio and the count of negative eigenvalues.

import { fitCanvas } from '../ui/dom.js';
import { fmt } from '../lib/format.js';
import { EIGEN_NEGATIVE } from '../lib/palette.js';

/** Bin counts of values over [lo, hi] in `bins` equal bins (pure; tested under node). */
export function histogram(values, bins = 40) {
  const v = values.filter(Number.isFinite);
  if (!v.length) return { lo: 0, hi: 0, counts: [] };
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const counts = new Array(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))] += 1;
  return { lo, hi, counts };
}

export function drawSpectrum(canvas, eigenvalues) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  if (!eigenvalues?.length) return;
  const { lo, hi, counts } = histogram(eigenvalues);
  const pad = { l: 8, r: 8, t: 6, b: 18 };
  const w = (width - pad.l - pad.r) / counts.length;
  // square-root heights: the bulk near zero would flatten the few large eigenvalues
  const top = Math.sqrt(Math.max(...counts));
  counts.forEach((c, i) => {
    if (!c) return;
    const mid = lo + ((i + 0.5) / counts.length) * (hi - lo);
    const bh = (Math.sqrt(c) / top) * (height - pad.t - pad.b);
    ctx.fillStyle = mid < 0 ? EIGEN_NEGATIVE : '#0072B2';
    ctx.fillRect(pad.l + i * w + 0.5, height - pad.b - bh, Math.max(1, w - 1), bh);
  });
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(fmt(lo, 3), pad.l, height - pad.b + 4);
  ctx.textAlign = 'right';
  ctx.fillText(fmt(hi, 3), width - pad.r, height - pad.b + 4);
  if (lo < 0 && hi > 0) {
    const x0 = pad.l + ((0 - lo) / (hi - lo)) * (width - pad.l - pad.r);
    ctx.strokeStyle = '#333';
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(x0, pad.t); ctx.lineTo(x0, height - pad.b); ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = 'center';
    // (no "0" label crowding the end labels)
    if (x0 - pad.l > 40 && width - pad.r - x0 > 40) ctx.fillText('0', x0, height - pad.b + 4);
  }
}
