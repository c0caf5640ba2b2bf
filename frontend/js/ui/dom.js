// Tiny DOM helpers shared by the views.

import { markerPath } from '../lib/geometry.js';

/** h('div', {class: 'x', onclick: f}, child, 'text', ...) */
/** The element with this id. */
export const $ = (id) => document.getElementById(id);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'html') el.innerHTML = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'style' && typeof v === 'object') {
      // Custom properties (--run) need setProperty: Object.assign silently drops them.
      for (const [name, value] of Object.entries(v)) {
        if (name.startsWith('--')) el.style.setProperty(name, value);
        else el.style[name] = value;
      }
    }
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A small SVG of a run's marker shape in its colour (the same shapes as on the plot). */
export function shapeIcon(shape, color, size = 16) {
  const r = size * 0.3;
  const pts = markerPath(shape, size / 2, size / 2, r).map((p) => p.map((v) => v.toFixed(2)).join(',')).join(' ');
  return s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'run-swatch', 'aria-hidden': 'true' },
    s('polygon', { points: pts, fill: color, stroke: '#fff', 'stroke-width': 1 }));
}

// Drawing scale of every canvas (presenter mode and the embed page draw lines, markers and
// labels larger for a projector): canvases draw in CSS px / scale units. Set by presenter.js.
let drawScale = 1;

export function setDrawScale(scale) {
  drawScale = Number.isFinite(scale) && scale > 0 ? scale : 1;
}

export function getDrawScale() {
  return drawScale;
}

/** Canvas sized to its CSS box at the device pixel ratio; returns {ctx, width, height} in
 *  drawing units (CSS px divided by the drawing scale). */
export function fitCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const cssWidth = Math.max(1, Math.round(rect.width));
  const cssHeight = Math.max(1, Math.round(rect.height));
  if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
  }
  const ctx = canvas.getContext('2d');
  const k = dpr * drawScale;
  ctx.setTransform(k, 0, 0, k, 0, 0);
  return { ctx, width: cssWidth / drawScale, height: cssHeight / drawScale, dpr };
}

/** Call fn at most once per `ms`, always with the latest arguments (trailing call kept). */
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  let pending = null;
  return (...args) => {
    pending = args;
    const now = performance.now();
    const wait = last + ms - now;
    if (wait <= 0 && !timer) {
      last = now;
      fn(...pending);
      pending = null;
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = performance.now();
        if (pending) fn(...pending);
        pending = null;
      }, Math.max(0, wait));
    }
  };
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export const ICONS = {
  copy: 'M8 3h11v13h-2V5H8zM4 7h11v14H4zm2 2v10h7V9z',
  remove: 'M6 6l12 12M18 6L6 18',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
};

export function icon(name) {
  if (name === 'remove') {
    return s('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' },
      s('path', { d: ICONS.remove, stroke: 'currentColor', 'stroke-width': 2.4, fill: 'none', 'stroke-linecap': 'round' }));
  }
  return s('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' }, s('path', { d: ICONS[name] }));
}
