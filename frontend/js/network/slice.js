// The loss-landscape slice: the loss on a plane through the runs' paths as a shaded contour
// plot, every run's projected path up to the step on screen; for the 1D interpolation a curve
// of the loss along the line. The projection error (true loss minus the slice's loss at the
// projected point) is a number under the plot (ui: netapp.js), never hidden.

import { fitCanvas } from '../ui/dom.js';
import { sortedFinite, quantileLevels, contourSet, shadeGrid } from '../lib/contours.js';
import { surfaceColor } from '../lib/palette.js';

/** Largest |true - slice| loss over the paths' iterates up to k (pure; tested under node);
 * null while a coarse picture's paths have no slice_loss yet (the fine one brings it). */
export function projectionError(paths, k) {
  if (paths.some((p) => !p.slice_loss)) return null;
  let worst = 0;
  for (const p of paths) {
    const n = Math.min(k + 1, p.true_loss.length);
    for (let i = 0; i < n; i++) {
      const e = Math.abs(p.true_loss[i] - p.slice_loss[i]);
      if (Number.isFinite(e) && e > worst) worst = e;
    }
  }
  return worst;
}

// The shaded slice and its contour lines, drawn once per landscape and canvas size (playback
// redraws only the paths on top of it).
const backgrounds = new WeakMap(); // land -> {key, canvas}

function background(land, canvas, width, height) {
  const key = `${canvas.width}x${canvas.height}`;
  const hit = backgrounds.get(land);
  if (hit && hit.key === key) return hit.canvas;
  const bg = new OffscreenCanvas(canvas.width, canvas.height);
  const ctx = bg.getContext('2d');
  ctx.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
  const grid = { x: land.xs, y: land.ys, z: land.loss };
  const sorted = sortedFinite(grid.z);
  const img = shadeGrid(grid, sorted, surfaceColor);
  const off = new OffscreenCanvas(img.width, img.height);
  off.getContext('2d').putImageData(new ImageData(img.pixels, img.width, img.height), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, width, height);
  const { px, py } = mapping(land, width, height);
  ctx.strokeStyle = 'rgba(40,40,40,0.45)';
  ctx.lineWidth = 0.8;
  for (const { segments } of contourSet(grid, quantileLevels(sorted, 12))) {
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(px(segments[s]), py(segments[s + 1]));
      ctx.lineTo(px(segments[s + 2]), py(segments[s + 3]));
    }
    ctx.stroke();
  }
  backgrounds.set(land, { key, canvas: bg });
  return bg;
}

function mapping(land, width, height) {
  const x0 = land.xs[0]; const x1 = land.xs[land.xs.length - 1];
  const y0 = land.ys[0]; const y1 = land.ys[land.ys.length - 1];
  return { px: (x) => ((x - x0) / (x1 - x0)) * width, py: (y) => height - ((y - y0) / (y1 - y0)) * height };
}

export function drawSlice(canvas, land, k, colors) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  if (!land) return;
  if (!land.ys) return drawLine(ctx, width, height, land, k, colors);
  ctx.drawImage(background(land, canvas, width, height), 0, 0, width, height);
  const { px, py } = mapping(land, width, height);
  land.paths.forEach((p, i) => {
    const n = Math.min(k + 1, p.coords.length);
    if (!n) return;
    ctx.strokeStyle = colors[i];
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let j = 0; j < n; j++) {
      const [a, b] = p.coords[j];
      if (j) ctx.lineTo(px(a), py(b)); else ctx.moveTo(px(a), py(b));
    }
    ctx.stroke();
    const [a, b] = p.coords[n - 1];
    ctx.fillStyle = colors[i];
    ctx.beginPath(); ctx.arc(px(a), py(b), 4.5, 0, 2 * Math.PI); ctx.fill();
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.2; ctx.stroke();
  });
}

function drawLine(ctx, width, height, land, k, colors) {
  const v = land.loss.filter(Number.isFinite);
  const lo = Math.min(...v); const hi = Math.max(...v);
  const x0 = land.xs[0]; const x1 = land.xs[land.xs.length - 1];
  const px = (x) => 6 + ((x - x0) / (x1 - x0)) * (width - 12);
  const py = (y) => height - 10 - ((y - lo) / (hi - lo || 1)) * (height - 20);
  ctx.strokeStyle = '#333';
  ctx.lineWidth = 2;
  ctx.beginPath();
  land.xs.forEach((x, i) => (i ? ctx.lineTo(px(x), py(land.loss[i])) : ctx.moveTo(px(x), py(land.loss[i]))));
  ctx.stroke();
  land.paths.forEach((p, i) => {
    const n = Math.min(k + 1, p.coords.length);
    if (!n) return;
    const a = p.coords[n - 1][0];
    ctx.fillStyle = colors[i];
    ctx.beginPath(); ctx.arc(px(a), py(p.slice_loss[n - 1]), 4.5, 0, 2 * Math.PI); ctx.fill();
  });
}
