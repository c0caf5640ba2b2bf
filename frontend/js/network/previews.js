// Small pictures of the data sets for the picker, drawn from the server's own samples of each
// set (GET /api/network/datasets `preview`): the thumbnail is the data, not a sketch of it.

import { CLASS_RGB } from './boundary.js';

const FIT = '#444';

/** Canvas positions of a preview's points: its bounding box, kept square, fills the canvas. */
export function previewLayout(preview, width, height, pad = 3) {
  const xs = preview.x.map((p) => p[0]);
  const ys = preview.x.map((p) => p[1]);
  const lo = [Math.min(...xs), Math.min(...ys)];
  const span = Math.max(Math.max(...xs) - lo[0], Math.max(...ys) - lo[1]) || 1;
  const scale = (Math.min(width, height) - 2 * pad) / span;
  const off = [(width - (Math.max(...xs) - lo[0]) * scale) / 2, (height - (Math.max(...ys) - lo[1]) * scale) / 2];
  return preview.x.map(([a, b]) => [off[0] + (a - lo[0]) * scale, height - off[1] - (b - lo[1]) * scale]);
}

/** Draw a data set's preview; `task` decides whether y is a class or a regression target. */
export function drawPreview(canvas, { task, preview }) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  // a regression set is drawn as its (x, target) curve; a classification set's inputs are 2D
  const pts = task === 'regression'
    ? { x: preview.x.map((p, i) => [p[0], preview.y[i]]), y: preview.y } : preview;
  previewLayout(pts, canvas.width, canvas.height).forEach(([px, py], i) => {
    ctx.fillStyle = task === 'regression' ? FIT : `rgb(${CLASS_RGB[Math.round(preview.y[i]) % 3].join(',')})`;
    ctx.beginPath();
    ctx.arc(px, py, 1.8, 0, 2 * Math.PI);
    ctx.fill();
  });
}
