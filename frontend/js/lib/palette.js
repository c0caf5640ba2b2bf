// Colours, chosen to stay distinguishable for colour-blind viewers and on a washed-out
// projector. Runs use the Okabe-Ito palette (Okabe & Ito 2008) and, as a second cue that
// needs no colour at all, a marker shape each. Curvature sign is coded by colour *and* dash.

// The tables (colours, markers, each optimizer's slot) come from gradscape/palette.py, the
// one source the plotly exports use too, through the generated palette_data.js.
import {
  OKABE_ITO, RUN_COLORS, RUN_SHAPES, OPTIMIZER_SLOTS, EIGEN_POSITIVE, EIGEN_NEGATIVE,
  CRITICAL_KINDS, SURFACE_STOPS, BASIN_BASE,
} from './palette_data.js';

export { OKABE_ITO, RUN_COLORS, RUN_SHAPES, OPTIMIZER_SLOTS, EIGEN_POSITIVE, EIGEN_NEGATIVE,
  CRITICAL_KINDS };

// Each optimizer keeps one colour and marker in every scene and export (Adam is the blue
// circle whether it is the first run or the third): a run's style slot comes from its
// optimizer, not from its place in the list. A second run of the same optimizer takes the
// slot nine further on (another colour and marker pair, never one another optimizer has).

/** The style slot of every run, from the runs' optimizer ids in order. */
export function styleSlots(optimizers) {
  const n = OPTIMIZER_SLOTS.length;
  const seen = new Map();
  const unknown = [];
  return optimizers.map((id) => {
    let base = OPTIMIZER_SLOTS.indexOf(id);
    if (base < 0) {
      if (!unknown.includes(id)) unknown.push(id);
      base = n * 2 + unknown.indexOf(id); // past the known ones' first duplicates
    }
    const copy = seen.get(id) || 0;
    seen.set(id, copy + 1);
    return base + copy * n;
  });
}

// The slots of the scene on screen (set by the app when its runs change); the views and
// exports keep asking runColor(i) / runShape(i) by run index. Unset: index = slot.
let slots = null;

/** Make run i's colour and marker those of its optimizer (optimizer ids in run order). */
export function setRunStyles(optimizers) {
  slots = optimizers ? styleSlots(optimizers) : null;
}

function slotOf(index) {
  return slots && index >= 0 && index < slots.length ? slots[index] : index;
}

export function runColor(index) {
  return RUN_COLORS[slotOf(index) % RUN_COLORS.length];
}

// Colours and shapes both cycle every seven runs; the shapes shift by one each cycle, so run 8
// (the first colour again) is a square, not a second blue circle: up to 49 runs, no two share
// both colour and shape.
export function runShape(index) {
  const n = RUN_SHAPES.length;
  const slot = slotOf(index);
  return RUN_SHAPES[(slot + Math.floor(slot / n)) % n];
}

// Positive curvature (the surface bends up): near-black solid arrows. Negative curvature (the
// escape directions of a saddle): wine-red dashed arrows.
export function eigenStyle(lambda) {
  return lambda >= 0
    ? { color: EIGEN_POSITIVE, dash: [] }
    : { color: EIGEN_NEGATIVE, dash: [7, 4] };
}

/** [r, g, b] (0-255) for t in [0, 1] on the surface ramp. */
export function surfaceColor(t) {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < SURFACE_STOPS.length; i += 1) {
    const [t1, c1] = SURFACE_STOPS[i];
    if (u <= t1) {
      const [t0, c0] = SURFACE_STOPS[i - 1];
      const f = (u - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k] + f * (c1[k] - c0[k])));
    }
  }
  return SURFACE_STOPS[SURFACE_STOPS.length - 1][1].slice();
}

// Basin map: light tints of the Okabe-Ito colours, one per minimum reached.
export function basinColor(index) {
  if (index < 0) return [200, 200, 200];
  const rgb = hexToRgb(BASIN_BASE[index % BASIN_BASE.length]);
  // Later cycles are lighter, so that two basins never share exactly one colour.
  const mix = 0.45 + 0.15 * (Math.floor(index / BASIN_BASE.length) % 3);
  return rgb.map((c) => Math.round(c + (255 - c) * mix));
}

export function basinCss(index) {
  const [r, g, b] = basinColor(index);
  return `rgb(${r}, ${g}, ${b})`;
}

export function hexToRgb(hex) {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

// --- colour-vision checks (used by the tests to keep the palette honest) ---------------------
// Viénot, Brettel & Mollon (1999) simulation matrices in linear RGB.
const CVD = {
  protanopia: [[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]],
  deuteranopia: [[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]],
  tritanopia: [[1, 0.14461, -0.14461], [0, 0.85924, 0.14076], [0, 0.85924, 0.14076]],
};

const toLinear = (c) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (l) => {
  const v = Math.min(1, Math.max(0, l));
  return 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
};

/** How an [r, g, b] colour looks with the given colour-vision deficiency ('none' = as is). */
export function simulateCvd(rgb, kind) {
  if (kind === 'none') return rgb.slice();
  const m = CVD[kind];
  const lin = rgb.map(toLinear);
  return m.map((row) => toSrgb(row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]));
}

/** CIE L*a*b* of an sRGB colour (D65). */
export function toLab(rgb) {
  const [r, g, b] = rgb.map(toLinear);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference between two sRGB colours. */
export function deltaE(a, b) {
  const p = toLab(a);
  const q = toLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
