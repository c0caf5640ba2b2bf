// The network's decision boundary (p(class) on a grid, shaded) with the training points
// (filled) and the test points (hollow); for regression the fitted curve over the data.

import { fitCanvas } from '../ui/dom.js';

export const CLASS_RGB = [[0, 114, 178], [213, 94, 0], [0, 158, 115]]; // Okabe-Ito blue, vermillion, green

/** The colour of one grid cell: a blend towards the likeliest class, white when unsure. */
export function cellColor(cell, classes) {
  const p = classes === 2 || typeof cell === 'number' ? [1 - cell, cell] : cell;
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  // confidence 0 at chance (1/C), 1 when sure
  const conf = Math.max(0, (p[best] - 1 / p.length) / (1 - 1 / p.length));
  const a = 0.15 + 0.5 * conf;
  return CLASS_RGB[best].map((v) => Math.round(255 + (v - 255) * a));
}

function bounds(xs, ys) {
  return { x0: xs[0], x1: xs[xs.length - 1], y0: ys ? ys[0] : 0, y1: ys ? ys[ys.length - 1] : 0 };
}

/** Draw; data is the `started` message's data, grid its boundary {xs, ys}, values the run's grid. */
export function drawBoundary(canvas, { task, classes, data, grid, values, color = '#0072B2' }) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  if (!data || !grid) return;
  if (task === 'regression') return drawFit(ctx, width, height, data, grid, values, color);
  const { x0, x1, y0, y1 } = bounds(grid.xs, grid.ys);
  const px = (x) => ((x - x0) / (x1 - x0)) * width;
  const py = (y) => height - ((y - y0) / (y1 - y0)) * height;
  if (values) {
    const nx = grid.xs.length;
    const ny = grid.ys.length;
    const img = ctx.createImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const rgb = cellColor(values[j * nx + i], classes);
        const o = ((ny - 1 - j) * nx + i) * 4; // ys go up, image rows go down
        img.data.set([...rgb, 255], o);
      }
    }
    // draw the small grid smoothly scaled up
    const off = new OffscreenCanvas(nx, ny);
    off.getContext('2d').putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    const hx = width / (nx - 1) / 2;
    const hy = height / (ny - 1) / 2;
    ctx.drawImage(off, -hx, -hy, width + 2 * hx, height + 2 * hy);
  }
  const dot = (x, y, c, hollow) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), 3.2, 0, 2 * Math.PI);
    const css = `rgb(${CLASS_RGB[c % 3].join(',')})`;
    if (hollow) { ctx.strokeStyle = css; ctx.lineWidth = 1.5; ctx.stroke(); } else {
      ctx.fillStyle = css; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.lineWidth = 0.8; ctx.stroke();
    }
  };
  data.X_test.forEach((p, k) => dot(p[0], p[1], data.y_test[k], true));
  data.X.forEach((p, k) => dot(p[0], p[1], data.y[k], false));
}

function drawFit(ctx, width, height, data, grid, values, color) {
  const xsAll = [...data.X, ...data.X_test].map((p) => (Array.isArray(p) ? p[0] : p));
  const ts = [...data.y, ...data.y_test, ...(values || [])].filter(Number.isFinite);
  const x0 = grid.xs[0];
  const x1 = grid.xs[grid.xs.length - 1];
  const lo = Math.min(...ts) - 0.2;
  const hi = Math.max(...ts) + 0.2;
  const px = (x) => ((x - x0) / (x1 - x0)) * width;
  const py = (y) => height - ((y - lo) / (hi - lo)) * height;
  const pts = (X, Y, hollow) => X.forEach((p, k) => {
    ctx.beginPath();
    ctx.arc(px(Array.isArray(p) ? p[0] : p), py(Y[k]), 3, 0, 2 * Math.PI);
    ctx.strokeStyle = '#555';
    ctx.fillStyle = '#555';
    if (hollow) ctx.stroke(); else ctx.fill();
  });
  pts(data.X_test, data.y_test, true);
  pts(data.X, data.y, false);
  if (values) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    grid.xs.forEach((x, i) => (i ? ctx.lineTo(px(x), py(values[i])) : ctx.moveTo(px(x), py(values[i]))));
    ctx.stroke();
  }
  return xsAll;
}
