// Plot geometry without the DOM: the data <-> pixel mapping of the contour view, zooming,
// and the arrows the view draws (Hessian eigen-directions, the gradient field).

/**
 * A view of the plane with equal aspect (one data unit is as long in x as in y, so the
 * gradient really is perpendicular to the contour lines on screen).
 */
export class Viewport {
  constructor(bounds, width, height, margin = 0) {
    this.width = width;
    this.height = height;
    this.margin = margin;
    this.setBounds(bounds);
  }

  /** Show at least `bounds` = [xmin, xmax, ymin, ymax]; the other axis grows to fit. */
  setBounds(bounds) {
    const [xmin, xmax, ymin, ymax] = bounds;
    const w = Math.max(1, this.width - 2 * this.margin);
    const h = Math.max(1, this.height - 2 * this.margin);
    const sx = w / Math.max(xmax - xmin, 1e-12);
    const sy = h / Math.max(ymax - ymin, 1e-12);
    this.scale = Math.min(sx, sy);
    this.cx = (xmin + xmax) / 2;
    this.cy = (ymin + ymax) / 2;
  }

  resize(width, height) {
    const b = this.bounds();
    this.width = width;
    this.height = height;
    this.setBounds(b);
  }

  /** The data rectangle the whole canvas shows. */
  bounds() {
    const hw = this.width / 2 / this.scale;
    const hh = this.height / 2 / this.scale;
    return [this.cx - hw, this.cx + hw, this.cy - hh, this.cy + hh];
  }

  toPx(x, y) {
    return [this.width / 2 + (x - this.cx) * this.scale,
      this.height / 2 - (y - this.cy) * this.scale];
  }

  toData(px, py) {
    return [this.cx + (px - this.width / 2) / this.scale,
      this.cy - (py - this.height / 2) / this.scale];
  }

  /** Zoom by `factor` (> 1 zooms in) keeping the data point under (px, py) fixed. */
  zoomAt(px, py, factor) {
    const [x, y] = this.toData(px, py);
    this.scale *= factor;
    this.cx = x - (px - this.width / 2) / this.scale;
    this.cy = y + (py - this.height / 2) / this.scale;
  }

  panBy(dpx, dpy) {
    this.cx -= dpx / this.scale;
    this.cy += dpy / this.scale;
  }
}

/**
 * Double-headed arrows along the Hessian's eigenvectors at a point, in pixels.
 * eigenvectors are columns (eigenvectors[i][k] = component i of vector k), as the API sends.
 * Length grows with |lambda| relative to `lambdaRef` (a per-surface reference, so arrows are
 * comparable across the plot), between minLen and maxLen pixels.
 */
export function eigenArrows(viewport, point, eigenvalues, eigenvectors, opts = {}) {
  const { lambdaRef = 1, minLen = 10, maxLen = 56 } = opts;
  if (!point || !eigenvalues || !eigenvectors) return [];
  const [px, py] = viewport.toPx(point[0], point[1]);
  const arrows = [];
  for (let k = 0; k < 2; k += 1) {
    const lambda = eigenvalues[k];
    const vx = eigenvectors[0]?.[k];
    const vy = eigenvectors[1]?.[k];
    if (![lambda, vx, vy, px, py].every(Number.isFinite)) continue;
    const norm = Math.hypot(vx, vy) || 1;
    const len = arrowLength(Math.abs(lambda), lambdaRef, minLen, maxLen);
    // Screen y points down: flip the vector's y component.
    const ux = vx / norm;
    const uy = -vy / norm;
    arrows.push({
      lambda, x1: px - ux * len, y1: py - uy * len, x2: px + ux * len, y2: py + uy * len,
      length: len, negative: lambda < 0,
    });
  }
  return arrows;
}

/** Pixel half-length for an eigenvalue magnitude: square-root growth, clamped. */
export function arrowLength(absLambda, lambdaRef, minLen, maxLen) {
  if (!(absLambda > 0) || !(lambdaRef > 0)) return minLen;
  const f = Math.sqrt(Math.min(1, absLambda / lambdaRef));
  return minLen + (maxLen - minLen) * f;
}

/** A reference |lambda| for a surface: the largest magnitude among its critical points. */
export function lambdaReference(criticalPoints, fallback = 1) {
  let ref = 0;
  for (const cp of criticalPoints || []) {
    for (const l of cp.eigenvalues || []) if (Number.isFinite(l)) ref = Math.max(ref, Math.abs(l));
  }
  return ref > 0 ? ref : fallback;
}

/** The two barbs of an arrow head at (x2, y2) pointing away from (x1, y1). */
export function arrowHead(x1, y1, x2, y2, size = 8, spread = 0.45) {
  const a = Math.atan2(y2 - y1, x2 - x1);
  return [
    [x2 - size * Math.cos(a - spread), y2 - size * Math.sin(a - spread)],
    [x2, y2],
    [x2 - size * Math.cos(a + spread), y2 - size * Math.sin(a + spread)],
  ];
}

/**
 * Downhill arrows (−∇f) from the exact gradients the server sends with a grid (its `field`:
 * lattice x, y and gx[i][j], gy[i][j] at (x[j], y[i]), computed by core's autodiff).
 * Returns [{x, y, dx, dy, norm, strength}] in data units, dx/dy a unit vector, strength in
 * [0, 1] from the gradient norm (log-scaled), so both steep and gentle regions show.
 */
export function gradientField(grid) {
  const field = grid && grid.field;
  if (!field) return [];
  const out = [];
  for (let i = 0; i < field.y.length; i += 1) {
    for (let j = 0; j < field.x.length; j += 1) {
      const gx = field.gx[i][j];
      const gy = field.gy[i][j];
      const n = Math.hypot(gx, gy); // null (non-finite on the server) makes n NaN: skipped
      if (gx === null || gy === null || !Number.isFinite(n) || n === 0) continue;
      out.push({ x: field.x[j], y: field.y[i], dx: -gx / n, dy: -gy / n, norm: n });
    }
  }
  const logs = out.map((a) => Math.log(a.norm));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  for (let k = 0; k < out.length; k += 1) {
    out[k].strength = hi > lo ? (logs[k] - lo) / (hi - lo) : 1;
  }
  return out;
}

/** Closed polygon (pixels) of a marker shape of radius r centred at (x, y). */
export function markerPath(shape, x, y, r) {
  const poly = (n, rot, radius = r) => Array.from({ length: n }, (_, k) => {
    const a = rot + (2 * Math.PI * k) / n;
    return [x + radius * Math.cos(a), y + radius * Math.sin(a)];
  });
  switch (shape) {
    case 'square': return poly(4, Math.PI / 4, r * 1.2);
    case 'triangle': return poly(3, -Math.PI / 2, r * 1.3);
    case 'diamond': return poly(4, 0, r * 1.3);
    case 'hexagon': return poly(6, 0, r * 1.1);
    case 'star': return Array.from({ length: 10 }, (_, k) => {
      const a = -Math.PI / 2 + (Math.PI * k) / 5;
      const rr = k % 2 ? r * 0.55 : r * 1.35;
      return [x + rr * Math.cos(a), y + rr * Math.sin(a)];
    });
    case 'cross': {
      const t = r * 0.38;
      const R = r * 1.2;
      return [[x - t, y - R], [x + t, y - R], [x + t, y - t], [x + R, y - t], [x + R, y + t],
        [x + t, y + t], [x + t, y + R], [x - t, y + R], [x - t, y + t], [x - R, y + t],
        [x - R, y - t], [x - t, y - t]];
    }
    default: return poly(20, 0, r);
  }
}

/** Index of the point nearest (px, py) within `radius` pixels, or -1. */
export function nearestWithin(points, px, py, radius) {
  let best = -1;
  let bestD = radius;
  points.forEach((p, k) => {
    if (!p) return;
    const d = Math.hypot(p[0] - px, p[1] - py);
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  });
  return best;
}

/**
 * The median distance from each point ([px, py]) to its nearest neighbour: how much room
 * the arrows at a crowd of critical points have. Infinity for fewer than two points.
 */
export function medianSpacing(points) {
  if (points.length < 2) return Infinity;
  const nearest = points.map((a, i) => {
    let best = Infinity;
    points.forEach((b, j) => {
      if (j !== i) best = Math.min(best, Math.hypot(a[0] - b[0], a[1] - b[1]));
    });
    return best;
  }).sort((a, b) => a - b);
  return nearest[Math.floor(nearest.length / 2)];
}
