// The second-order Taylor model at a point θ′:
//   q(θ) = f(θ′) + (θ − θ′)ᵀ g + ½ (θ − θ′)ᵀ H (θ − θ′)
// sampled on a small grid around θ′, so its contour lines can be drawn over the true ones.

export function taylorValue(center, value, grad, hessian, x, y) {
  const dx = x - center[0];
  const dy = y - center[1];
  return value + grad[0] * dx + grad[1] * dy
    + 0.5 * (hessian[0][0] * dx * dx + (hessian[0][1] + hessian[1][0]) * dx * dy
      + hessian[1][1] * dy * dy);
}

/** A grid {x, y, z} of the quadratic model over [cx ± half] × [cy ± half]. */
export function taylorGrid(center, value, grad, hessian, half, n = 41) {
  const x = Array.from({ length: n }, (_, j) => center[0] - half + (2 * half * j) / (n - 1));
  const y = Array.from({ length: n }, (_, i) => center[1] - half + (2 * half * i) / (n - 1));
  const z = y.map((yy) => x.map((xx) => taylorValue(center, value, grad, hessian, xx, yy)));
  return { x, y, z };
}

/** The surface's own contour levels that fall inside the model's range near θ′ (at most max). */
export function levelsNear(levels, grid, max = 8) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of grid.z) {
    for (const v of row) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const inside = levels.filter((l) => l > lo && l < hi);
  if (inside.length <= max) return inside;
  const every = inside.length / max;
  return Array.from({ length: max }, (_, k) => inside[Math.floor(k * every)]);
}
