// Loss by step for every run, on a canvas (redrawn per animation frame, so no plotting
// library sits on the hot path). Log scale plots f − f* when the minimum value f* is known
// (or the lowest value seen), so that negative losses and exact zeros still have a place.

import { niceTicks, logTicks, scale } from '../lib/ticks.js';
import { runColor } from '../lib/palette.js';
import { fmt } from '../lib/format.js';
import { fitCanvas } from './dom.js';

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.log = true;
    this.fStar = null; // the surface's known global minimum value, if any
    this.lastKey = '';
  }

  draw(race, cursor, selected, force = false) {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const key = `${race?.race}:${race?.frames}:${Math.floor(cursor)}:${selected}:${this.log}:${width}x${height}`;
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    ctx.clearRect(0, 0, width, height);
    if (!race || !race.runs.length) return;
    const left = 52;
    const right = 10;
    const top = 8;
    const bottom = 22;
    const total = Math.max(race.finalIndex ?? race.steps, 10);
    const k = Math.floor(cursor);

    // Value range over what has been shown so far (the axes settle as the race plays).
    let lo = Infinity;
    let hi = -Infinity;
    let minSeen = Infinity;
    for (const run of race.runs) {
      const end = Math.min(run.length - 1, Math.max(k, 0));
      for (let j = 0; j <= end; j += 1) {
        const v = run.f[j];
        if (Number.isFinite(v)) {
          if (v < minSeen) minSeen = v;
          if (v > hi) hi = v;
          if (v < lo) lo = v;
        }
      }
    }
    if (!Number.isFinite(lo)) return;
    const shift = this.log ? (Number.isFinite(this.fStar) ? Math.min(this.fStar, minSeen) : minSeen) : 0;
    const tiny = Math.max(1e-12, Math.abs(hi - shift) * 1e-12);
    const yv = (v) => (this.log ? Math.max(v - shift, tiny) : v);
    let y0 = this.log ? Infinity : lo;
    let y1 = this.log ? -Infinity : hi;
    if (this.log) {
      for (const run of race.runs) {
        const end = Math.min(run.length - 1, Math.max(k, 0));
        for (let j = 0; j <= end; j += 1) {
          const v = run.f[j];
          if (!Number.isFinite(v)) continue;
          const w = yv(v);
          if (w < y0) y0 = w;
          if (w > y1) y1 = w;
        }
      }
      y0 = Math.max(y0, y1 * 1e-14, 1e-300);
      if (y1 <= y0) y1 = y0 * 10;
    } else if (y1 <= y0) {
      y1 = y0 + 1;
    }
    const sx = scale([0, total], [left, width - right]);
    const sy = scale([y0, y1], [height - bottom, top], this.log);

    // Axes and grid.
    ctx.font = '11px system-ui, "Liberation Sans", sans-serif';
    ctx.fillStyle = '#4f5a6b';
    ctx.strokeStyle = '#e3e7ed';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const yt = this.log ? logTicks(y0, y1, 5) : niceTicks(y0, y1, 4);
    for (const v of yt) {
      const py = sy(v);
      ctx.beginPath();
      ctx.moveTo(left, py);
      ctx.lineTo(width - right, py);
      ctx.stroke();
      ctx.fillText(fmt(v, 2), left - 4, py);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(0, total, Math.max(3, Math.round(width / 90)))) {
      const px = sx(v);
      ctx.fillText(String(v), px, height - bottom + 4);
    }
    ctx.save();
    ctx.translate(10, (top + height - bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.log ? (shift !== 0 ? `f − (${fmt(shift, 3)})` : 'f') : 'f', 0, 0);
    ctx.restore();

    // Curves up to the cursor; the selected run on top and thicker.
    const order = race.runs.map((_, i) => i).filter((i) => i !== selected);
    if (selected < race.runs.length) order.push(selected);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 2, width - left - right, height - top - bottom + 4);
    ctx.clip();
    for (const i of order) {
      const run = race.runs[i];
      const end = Math.min(run.length - 1, k);
      if (end < 0) continue;
      ctx.beginPath();
      let pen = false;
      let lastPx = -1;
      for (let j = 0; j <= end; j += 1) {
        const v = run.f[j];
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        const px = sx(j);
        if (pen && px - lastPx < 0.5 && j !== end) continue;
        const py = sy(yv(v));
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
        lastPx = px;
      }
      ctx.strokeStyle = runColor(i);
      ctx.lineWidth = i === selected ? 2.6 : 1.7;
      ctx.stroke();
    }
    ctx.restore();
    // The playback position.
    const cx = sx(Math.min(k, total));
    ctx.strokeStyle = 'rgba(20, 27, 38, 0.55)';
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx, height - bottom);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
