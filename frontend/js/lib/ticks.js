// Axis ticks for the small charts (loss by step, η(t)): "nice" linear steps and decades.

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const out = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten within [lo, hi] (lo > 0), thinned to at most `count`. */
export function logTicks(lo, hi, count = 6) {
  if (!(lo > 0) || !(hi > 0)) return [];
  // the powers of ten inside [lo, hi], thinned to about `count`, counted from the first one
  // inside (counting from below lo could skip every one inside: 1.1..3800 gave only 100)
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((b - a + 1) / count));
  const out = [];
  for (let e = a; e <= b; e += every) out.push(10 ** e);
  return out;
}

/** A linear or log mapping from data to pixels. */
export function scale(domain, range, log = false) {
  const [d0, d1] = log ? domain.map((v) => Math.log10(v)) : domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => {
    const u = log ? Math.log10(v) : v;
    return r0 + (u - d0) * k;
  };
}
