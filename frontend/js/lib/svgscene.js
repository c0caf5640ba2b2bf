// The scene (lib/scene.js) as a standalone SVG document (a string; no DOM, so node can test
// it): the same marks the canvas paints, written as vector elements. Lines stay vectors, so
// the file scales in a slide or a paper; only the surface shading (a raster on the canvas
// too) is embedded as an image when the caller passes one with an href.

import { buildScene, chainSegments, FONT } from './scene.js';

export { chainSegments };

export {
  legendItems, legendLayout, legendCorner, legendAvoid, textWidth,
} from './legendlayout.js';

/** A number for path data: one decimal (a tenth of a pixel), no "-0". */
function n1(v) {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** Attribute numbers: two decimals (opacities like 0.28 must survive). */
function n2(v) {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

export function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({
    '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;',
  })[c]);
}

function attrs(obj) {
  return Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? n2(v) : v)}"`).join('');
}

const el = (tag, a, body) => (body === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${body}</${tag}>`);


/** Path data for polylines, dropping points within `minStep` pixels of the last one kept. */
export function polylineData(lines, minStep = 0.6) {
  const parts = [];
  for (const line of lines) {
    if (line.length < 2) continue;
    let [lx, ly] = line[0];
    let d = `M${n1(lx)} ${n1(ly)}`;
    for (let i = 1; i < line.length; i += 1) {
      const [x, y] = line[i];
      const last = i === line.length - 1;
      if (!last && Math.abs(x - lx) + Math.abs(y - ly) < minStep) continue;
      d += `L${n1(x)} ${n1(y)}`;
      lx = x;
      ly = y;
    }
    parts.push(d);
  }
  return parts.join('');
}


const dash = (d) => (d && d.length ? d.join(' ') : undefined);

// Canvas text baselines as SVG's: the same em-box edges, so labels sit where the canvas puts
// them; dy evens out what Chromium rasterises a pixel or two apart at 12 px (measured: the
// glyphs' rows on a canvas and in an SVG image, tests/test_browser_export.py compares them).
const BASELINE = { middle: 'central', bottom: 'text-after-edge', top: 'text-before-edge' };
const BASELINE_DY = { middle: '-0.08em', top: '-0.17em' };

/** Presentation attributes in a fixed order (fill, stroke, widths, opacities), then names. */
function style(m, alpha = 1) {
  const times = (o) => (alpha === 1 ? o : alpha * (o ?? 1));
  return {
    fill: m.fill,
    stroke: m.stroke,
    'stroke-width': m.stroke ? m.width : undefined,
    'stroke-dasharray': dash(m.dash),
    'stroke-linecap': m.cap,
    'stroke-linejoin': m.join,
    'stroke-opacity': m.stroke ? times(m.strokeOpacity) : undefined,
    'fill-opacity': m.fill && m.fill !== 'none' ? times(m.fillOpacity) : undefined,
  };
}

function named(m) {
  const a = m.attrs || {};
  const data = Object.fromEntries(Object.entries(a).filter(([k]) => k.startsWith('data-')));
  return { data, cls: a.class };
}

function lineData(m) {
  if (!m.segments) {
    return polylineData(m.lines.map((l) => {
      const pts = [];
      for (let k = 0; k + 1 < l.length; k += 2) pts.push([l[k], l[k + 1]]);
      return pts;
    }), 0);
  }
  const all = [];
  for (const l of m.lines) for (const v of l) all.push(v);
  return polylineData(chainSegments(all));
}

let clipIds = 0;

// A group's opacity reaches its marks as alpha, multiplied into theirs: the canvas paints
// each mark at the group's alpha (a halo shows through its line), and so does the file.
function markSvg(m, defs, alpha) {
  const { data, cls } = named(m);
  switch (m.type) {
    case 'rect':
      return el('rect', {
        x: m.x, y: m.y, width: m.w, height: m.h, rx: m.rx, ...style(m, alpha), ...data, class: cls,
      });
    case 'image':
      if (!m.image.href) return '';
      return el('image', {
        href: m.image.href, x: m.x, y: m.y, width: m.w, height: m.h, preserveAspectRatio: 'none',
        style: m.pixelated ? 'image-rendering:pixelated;image-rendering:crisp-edges' : undefined,
      });
    case 'path': {
      const d = lineData(m);
      if (!d) return '';
      return el('path', { d, ...data, ...style({ ...m, fill: undefined }, alpha), class: cls });
    }
    case 'line':
      return el('line', {
        x1: m.x1, y1: m.y1, x2: m.x2, y2: m.y2, ...style({ ...m, fill: undefined }, alpha), ...data, class: cls,
      });
    case 'poly':
      return el('polygon', {
        points: m.pts.map((p) => `${n1(p[0])},${n1(p[1])}`).join(' '), ...style(m, alpha), ...data, class: cls,
      });
    case 'circle':
      return el('circle', { cx: m.cx, cy: m.cy, r: m.r, ...style(m, alpha), ...data, class: cls });
    case 'dots': {
      let out = '';
      for (let k = 0; k + 1 < m.pts.length; k += 2) out += el('circle', { cx: m.pts[k], cy: m.pts[k + 1], r: m.r });
      return el('g', { fill: m.fill, 'fill-opacity': alpha === 1 ? undefined : alpha, stroke: 'none' }, out);
    }
    case 'text':
      return el('text', {
        x: m.x,
        y: m.y,
        'text-anchor': m.anchor && m.anchor !== 'start' ? m.anchor : undefined,
        'dominant-baseline': BASELINE[m.baseline],
        dy: BASELINE_DY[m.baseline],
        'font-size': m.size || 12,
        'font-weight': m.weight && m.weight !== 400 ? m.weight : undefined,
        'font-family': FONT,
        fill: m.fill,
        'fill-opacity': alpha === 1 ? m.fillOpacity : alpha * (m.fillOpacity ?? 1),
        ...(m.halo ? {
          stroke: m.halo.color, 'stroke-width': m.halo.width, 'stroke-opacity': alpha * m.halo.opacity, 'paint-order': 'stroke', 'stroke-linejoin': 'round',
        } : {}),
      }, escapeXml(m.text));
    case 'group': {
      let clip;
      if (m.clip) {
        clipIds += 1;
        const id = `clip-${clipIds}`;
        const shape = m.clip.r !== undefined
          ? el('circle', { cx: m.clip.cx, cy: m.clip.cy, r: m.clip.r })
          : el('rect', { x: m.clip.x, y: m.clip.y, width: m.clip.w, height: m.clip.h });
        defs.push(el('clipPath', { id }, shape));
        clip = `url(#${id})`;
      }
      return el('g', {
        ...(m.attrs || {}), 'clip-path': clip, 'stroke-linecap': m.cap, 'stroke-linejoin': m.join,
      }, marksSvg(m.items, defs, alpha * (m.opacity ?? 1)));
    }
    default:
      return '';
  }
}

/** The marks as SVG elements; clip paths they need are pushed onto defs. */
export function marksSvg(marks, defs = [], alpha = 1) {
  return marks.map((m) => markSvg(m, defs, alpha)).join('');
}

/**
 * The SVG document for a scene input (lib/scene.js buildScene: view, image, contours,
 * field, critical, lambdaRef, showCritical, showEigen, runs, starts, selected, taylor,
 * labels, swatches, caption, title, legend). options.measure(text, weight): text widths for
 * the legend's layout (the browser passes the canvas's, so the box is the PNG's; without it
 * widths are estimated).
 */
export function sceneSvg(input, options = {}) {
  const scene = buildScene(input, options);
  return svgDocument({ width: scene.width, height: scene.height, title: scene.title,
    marks: [...scene.background, ...scene.foreground], overlay: scene.legend });
}

/** An SVG document of marks in a width x height picture (clipped to it), `overlay` marks
 *  (a legend) on top unclipped: the 2D scene's file and the network scene's
 *  (network/netscene.js) are written by this one function. */
export function svgDocument({ width: W, height: H, title: name = '', marks, overlay = [] }) {
  const defs = [el('clipPath', { id: 'plot-clip' }, el('rect', { x: 0, y: 0, width: W, height: H }))];
  clipIds = 0;
  const plot = marksSvg(marks, defs);
  const legend = marksSvg(overlay, defs);
  const title = name ? el('title', {}, escapeXml(name)) : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el('svg', {
    xmlns: 'http://www.w3.org/2000/svg', version: '1.1', width: W, height: H, viewBox: `0 0 ${n1(W)} ${n1(H)}`,
  }, title + el('defs', {}, defs.join('')) + el('g', { 'clip-path': 'url(#plot-clip)', fill: 'none' }, plot) + legend)}\n`;
}
