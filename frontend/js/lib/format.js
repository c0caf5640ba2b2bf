// Numbers as people read them on a projector: a few significant digits, exponent notation
// only for very small or very large magnitudes, a dash for "no value" (null, NaN).

/** x with `digits` significant digits; "—" for null/NaN, "∞" / "-∞" for infinities. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0';
  const mag = Math.abs(x);
  if (mag >= 1e5 || mag < 1e-3) {
    const [mant, exp] = x.toExponential(Math.max(0, digits - 2)).split('e');
    return `${trimZeros(mant)}e${Number(exp)}`;
  }
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(mag)));
  return trimZeros(x.toFixed(Math.min(decimals, 12)));
}

function trimZeros(text) {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}

/** A coordinate: values within 1e-12 of zero (round-off of an exact 0) print as 0. */
export function fmtCoord(x, digits = 4) {
  return fmt(Number.isFinite(x) && Math.abs(x) < 1e-12 ? 0 : x, digits);
}

/** A point as "(x, y)" with fmtCoord. */
export function fmtPoint(p, digits = 4) {
  if (!p) return '—';
  return `(${fmtCoord(p[0], digits)}, ${fmtCoord(p[1], digits)})`;
}

/** A 2-vector as "(a, b)". */
export function fmtVec(v, digits = 4) {
  if (!v) return '—';
  return `(${fmt(v[0], digits)}, ${fmt(v[1], digits)})`;
}

/** A number for an editable box: enough digits to round-trip what a slider produced. */
export function fmtInput(x) {
  if (!Number.isFinite(x)) return '';
  return String(Number(x.toPrecision(6)));
}

/** "1,234" style step counts. */
export function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US');
}
