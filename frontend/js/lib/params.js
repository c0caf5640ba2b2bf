// Controls from the JSON Schema of an optimizer's (or schedule's) hyperparameters: which
// kind of control, its slider range, and slider <-> value mappings. Learning rates get a
// logarithmic slider that still lands on ordinary numbers (0.0123, not only powers of ten),
// and every slider has a typed box beside it for exact values.

import { t } from './i18n.js';

export const SLIDER_STEPS = 1000;

// Shown on the run card without opening "more"; the rest go behind a disclosure.
const MAIN = new Set(['lr', 'momentum', 'step_size', 'alpha', 'betas', 'damping',
  'T_max', 'gamma', 'warmup_steps', 'step_size', 'total_steps']);

/** Control specs for a JSON Schema object: [{key, kind, min, max, default, doc, main, ...}]. */
export function controlsFromSchema(schema) {
  const props = schema?.properties || {};
  return Object.entries(props).map(([key, p]) => controlSpec(key, p));
}

export function controlSpec(key, p) {
  const base = { key, default: p.default, doc: p.description || '', main: MAIN.has(key) };
  if (p.type === 'boolean') return { ...base, kind: 'bool' };
  if (p.type === 'array') {
    const item = p.items || {};
    return {
      ...base, kind: 'pair', min: item.minimum ?? 0, max: item.maximum ?? item.exclusiveMaximum ?? 1,
      length: p.minItems || (p.default ? p.default.length : 2),
    };
  }
  if (p.enum) return { ...base, kind: 'choice', choices: p.enum };
  const integer = p.type === 'integer';
  const exclusiveMin = p.exclusiveMinimum !== undefined;
  const min = p.minimum ?? p.exclusiveMinimum ?? (integer ? 0 : -1e6);
  const max = p.maximum ?? p.exclusiveMaximum ?? 1e6;
  const log = Boolean(p['x-log-scale']);
  const spec = { ...base, kind: integer ? 'int' : 'number', min, max, exclusiveMin,
    exclusiveMax: p.exclusiveMaximum !== undefined, log };
  // The slider spans a useful range; the typed box accepts the schema's whole range.
  if (log) {
    const d = Number(p.default) > 0 ? Number(p.default) : 1e-3;
    const lo = Math.max(exclusiveMin || min <= 0 ? 1e-6 : min, Math.min(1e-5, d / 1000));
    const hi = Math.min(max, Math.max(10, d * 100));
    Object.assign(spec, { sliderMin: lo, sliderMax: hi });
  } else if (integer) {
    Object.assign(spec, { sliderMin: min, sliderMax: Math.min(max, Math.max(1000, 4 * (p.default || 0))) });
  } else {
    const span = Math.min(max, 10);
    Object.assign(spec, { sliderMin: min, sliderMax: max > 10 ? Math.max(span, 2 * Math.abs(p.default || 0)) : max });
  }
  return spec;
}

/** Round to 3 significant digits so that a dragged slider gives 0.0123, not 0.012345678. */
export function niceRound(x, digits = 3) {
  if (!Number.isFinite(x) || x === 0) return x;
  const p = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * p) / p;
}

/** Slider position (0..SLIDER_STEPS) -> value. */
export function sliderToValue(spec, pos) {
  const f = Math.min(1, Math.max(0, pos / SLIDER_STEPS));
  if (spec.log) {
    const lo = Math.log10(spec.sliderMin);
    const hi = Math.log10(spec.sliderMax);
    return niceRound(10 ** (lo + f * (hi - lo)));
  }
  const v = spec.sliderMin + f * (spec.sliderMax - spec.sliderMin);
  if (spec.kind === 'int') return Math.round(v);
  const span = spec.sliderMax - spec.sliderMin;
  // Quantise to 1/1000 of the span, then drop float noise (0.30000000000000004).
  return Number((Math.round(v / (span / SLIDER_STEPS)) * (span / SLIDER_STEPS)).toPrecision(6));
}

/** Value -> slider position, clamped to the slider's range. */
export function valueToSlider(spec, value) {
  if (!Number.isFinite(value)) return 0;
  let f;
  if (spec.log) {
    const lo = Math.log10(spec.sliderMin);
    const hi = Math.log10(spec.sliderMax);
    f = value > 0 ? (Math.log10(value) - lo) / (hi - lo) : 0;
  } else {
    f = (value - spec.sliderMin) / ((spec.sliderMax - spec.sliderMin) || 1);
  }
  return Math.round(Math.min(1, Math.max(0, f)) * SLIDER_STEPS);
}

/** Parse a typed value; returns {value} or {error} saying what to change. */
export function parseTyped(spec, text) {
  const trimmed = String(text).trim();
  const { min, max } = spec;
  const key = spec.label ?? spec.key; // the name the row shows (η, not lr), when given
  if (trimmed === '') return { error: t('param.err.empty', { key }) };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: t('param.err.nan', { key, text: trimmed }) };
  if (spec.kind === 'int' && !Number.isInteger(value)) {
    return { error: t('param.err.int', { key }) };
  }
  if (spec.exclusiveMin ? value <= min : value < min) {
    return { error: t(spec.exclusiveMin ? 'param.err.above' : 'param.err.atleast', { key, min }) };
  }
  if (spec.exclusiveMax ? value >= max : value > max) {
    return { error: t(spec.exclusiveMax ? 'param.err.below' : 'param.err.atmost', { key, max }) };
  }
  return { value };
}

/** An optimizer's hyperparameters: its defaults with the user's overrides on top. */
export function resolveParams(schema, overrides) {
  const out = {};
  for (const [key, p] of Object.entries(schema?.properties || {})) {
    out[key] = overrides && key in overrides ? overrides[key] : p.default;
  }
  return out;
}

/** Only the values that differ from the schema's defaults (what a link needs to carry). */
export function overridesOf(schema, params) {
  const out = {};
  for (const [key, value] of Object.entries(params || {})) {
    const d = schema?.properties?.[key]?.default;
    if (JSON.stringify(d) !== JSON.stringify(value)) out[key] = value;
  }
  return out;
}
