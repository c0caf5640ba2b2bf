// Contour lines and surface shading from a sampled grid, without the DOM.
//
// Loss surfaces span many orders of magnitude (Rosenbrock: 0 in the valley, 2500 at the
// corners), so evenly spaced levels would put every line on the walls and none in the
// valley where the optimizers are. Levels and colours are therefore histogram-equalised:
// level i sits at the i-th quantile of the sampled values, and a point's colour is the
// fraction of the grid below it. Any surface, typed or registered, gets readable contours.

/** The grid's finite values, sorted ascending (a Float64Array). */
export function sortedFinite(z) {
  const out = [];
  for (const row of z) {
    for (const v of row) if (v !== null && Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Fraction of `sorted` below v (0..1): the equalised colour coordinate. */
export function rankOf(sorted, v) {
  const n = sorted.length;
  if (n === 0 || !Number.isFinite(v)) return NaN;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return n === 1 ? 0.5 : Math.min(1, lo / (n - 1));
}

/** `count` strictly increasing contour levels at evenly spaced quantiles (ends excluded). */
export function quantileLevels(sorted, count) {
  const n = sorted.length;
  if (n === 0 || count <= 0) return [];
  const levels = [];
  for (let i = 1; i <= count; i += 1) {
    const q = i / (count + 1);
    // The valley floor deserves more lines than the walls: bias quantiles towards the low end.
    const biased = q * q * 0.35 + q * 0.65;
    const pos = biased * (n - 1);
    const k = Math.floor(pos);
    const v = k + 1 < n ? sorted[k] + (pos - k) * (sorted[k + 1] - sorted[k]) : sorted[n - 1];
    if (levels.length === 0 || v > levels[levels.length - 1] * (1 + 1e-12) + 1e-300) {
      levels.push(v);
    }
  }
  return levels;
}

/**
 * Marching squares for one level. z is rows of columns: z[i][j] = f(x[j], y[i]).
 * Returns segment endpoints in fractional grid coordinates [j1, i1, j2, i2, ...].
 * Cells with a missing (null / non-finite) corner are skipped.
 */
export function marchingSquares(z, level) {
  const ny = z.length;
  const nx = ny ? z[0].length : 0;
  const out = [];
  const edge = (a, b) => (level - a) / (b - a);
  for (let i = 0; i + 1 < ny; i += 1) {
    const r0 = z[i];
    const r1 = z[i + 1];
    for (let j = 0; j + 1 < nx; j += 1) {
      const a = r0[j]; // (j, i)       bottom-left
      const b = r0[j + 1]; // (j+1, i) bottom-right
      const c = r1[j + 1]; // (j+1, i+1) top-right
      const d = r1[j]; // (j, i+1)     top-left
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) {
        continue;
      }
      const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0)
        | (d > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // Crossing points on the four edges, computed lazily.
      const bottom = () => [j + edge(a, b), i];
      const right = () => [j + 1, i + edge(b, c)];
      const top = () => [j + edge(d, c), i + 1];
      const left = () => [j, i + edge(a, d)];
      const seg = (p, q) => out.push(p[0], p[1], q[0], q[1]);
      switch (code) {
        case 1: case 14: seg(left(), bottom()); break;
        case 2: case 13: seg(bottom(), right()); break;
        case 3: case 12: seg(left(), right()); break;
        case 4: case 11: seg(right(), top()); break;
        case 6: case 9: seg(bottom(), top()); break;
        case 7: case 8: seg(left(), top()); break;
        case 5: case 10: {
          // Saddle cell: the centre value decides which corners connect.
          const centre = (a + b + c + d) / 4;
          const centreHigh = centre > level;
          if ((code === 5) === centreHigh) {
            seg(left(), top());
            seg(bottom(), right());
          } else {
            seg(left(), bottom());
            seg(right(), top());
          }
          break;
        }
        default: break;
      }
    }
  }
  return out;
}

/** Grid coordinates -> data coordinates, in place, for a segment list of a regular grid. */
export function gridToData(segments, x, y) {
  const dx = x.length > 1 ? (x[x.length - 1] - x[0]) / (x.length - 1) : 0;
  const dy = y.length > 1 ? (y[y.length - 1] - y[0]) / (y.length - 1) : 0;
  const out = new Float64Array(segments.length);
  for (let k = 0; k < segments.length; k += 2) {
    out[k] = x[0] + segments[k] * dx;
    out[k + 1] = y[0] + segments[k + 1] * dy;
  }
  return out;
}

/** Every level's segments in data coordinates: [{level, segments}]. */
export function contourSet(grid, levels) {
  return levels.map((level) => ({
    level,
    segments: gridToData(marchingSquares(grid.z, level), grid.x, grid.y),
  }));
}

/**
 * RGBA pixels (row 0 = top = largest y) for an image of the grid, coloured by `colorOf(t)`
 * where t is the equalised rank; missing values get `missing`.
 */
export function shadeGrid(grid, sorted, colorOf, missing = [225, 225, 225]) {
  const ny = grid.z.length;
  const nx = ny ? grid.z[0].length : 0;
  const pixels = new Uint8ClampedArray(nx * ny * 4);
  for (let i = 0; i < ny; i += 1) {
    const row = grid.z[i];
    const base = (ny - 1 - i) * nx * 4;
    for (let j = 0; j < nx; j += 1) {
      const v = row[j];
      const rgb = v === null || !Number.isFinite(v) ? missing : colorOf(rankOf(sorted, v));
      const p = base + j * 4;
      pixels[p] = rgb[0];
      pixels[p + 1] = rgb[1];
      pixels[p + 2] = rgb[2];
      pixels[p + 3] = 255;
    }
  }
  return { width: nx, height: ny, pixels };
}
