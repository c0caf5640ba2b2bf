// The backprop view: the formula's computational graph at the inspected point, each gate
// with its forward value and the gradient ∂f/∂node flowing back into it (POST /api/graph).

import { layoutGraph } from '../lib/graphlayout.js';
import { fmt } from '../lib/format.js';
import { t, getLang } from '../lib/i18n.js';
import { gateNote, opWord } from '../lib/catalog_i18n.js';
import { h, s, clear } from './dom.js';

const OPS = {
  add: '+', sub: '−', mul: '×', div: '÷', pow: '^', neg: '−x', var: '', const: '',
  square: 'x²', max: 'max', min: 'min',
};
const W = 86;
const H = 48;
const GX = 112;
const GY = 60;
// Top-to-bottom spacing, for narrow panels: a formula is usually deeper than it is wide,
// so layers stacked downwards read at nearly full size where left-to-right would shrink.
const VX = 98;
const VY = 76;

/**
 * The "Backprop graph" side panel (lib/registry.js): the graph at view.point, asked for with
 * callbacks.graph(point) and drawn if the step is still the one on screen.
 */
export async function render(el, view, callbacks) {
  if (!view.point) {
    renderGraph(el, null);
    return;
  }
  let graph = null;
  try {
    graph = await callbacks.graph(view.point);
  } catch {
    graph = null;
  }
  if (callbacks.current()) renderGraph(el, graph, view.point);
}

export function renderGraph(el, graph, point) {
  clear(el);
  if (!graph || !graph.nodes?.length) {
    el.append(h('p', { class: 'hint' }, t('graph.none')));
    return;
  }
  el.append(h('p', { class: 'graph-hint' }, t('graph.hint'),
    point ? ` θ = (${fmt(point[0], 4)}, ${fmt(point[1], 4)}).` : ''));
  const { pos, cols, rows } = layoutGraph(graph.nodes, graph.output);
  const lang = getLang();
  // Inputs left and output right when that fits the panel; else inputs on top, output at
  // the bottom (whichever shows the gates larger). The panel scrolls for the rest.
  const avail = Math.max(200, el.clientWidth || 360);
  const fit = (w) => Math.min(1, avail / w);
  const vertical = fit(rows * VX + 10) > 1.15 * fit(cols * GX + 10);
  const width = vertical ? rows * VX + 10 : cols * GX + 10;
  const height = vertical ? cols * VY + 10 : rows * GY + 10;
  // Fit the panel's width down to 60% of the natural size; larger graphs scroll.
  const svg = s('svg', {
    class: 'graph-svg', width: '100%', viewBox: `0 0 ${width} ${height}`, role: 'img',
    style: `max-width:${width}px;min-width:${Math.round(width * 0.6)}px`,
    'aria-label': t('graph.aria', { n: graph.nodes.length }),
  });
  svg.append(s('defs', {}, s('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse',
  }, s('path', { d: 'M0 0L10 5L0 10z', fill: '#9aa6b5' }))));
  const at = (id) => {
    const p = pos.get(id);
    return vertical ? [6 + p.row * VX, 8 + p.col * VY] : [8 + p.col * GX, 6 + p.row * GY];
  };
  for (const [from, to] of graph.edges) {
    if (!pos.has(from) || !pos.has(to)) continue;
    const [x1, y1] = at(from);
    const [x2, y2] = at(to);
    if (vertical) {
      const [sx, sy, tx, ty] = [x1 + W / 2, y1 + H, x2 + W / 2, y2];
      const my = (sy + ty) / 2;
      svg.append(s('path', { class: 'edge', d: `M${sx},${sy} C${sx},${my} ${tx},${my} ${tx},${ty}`, 'marker-end': 'url(#arrow)' }));
      continue;
    }
    const sx = x1 + W;
    const sy = y1 + H / 2;
    const tx = x2;
    const ty = y2 + H / 2;
    const mx = (sx + tx) / 2;
    svg.append(s('path', { class: 'edge', d: `M${sx},${sy} C${mx},${sy} ${mx},${ty} ${tx},${ty}`, 'marker-end': 'url(#arrow)' }));
  }
  const notes = new Map();
  for (const n of graph.nodes) {
    if (!pos.has(n.id)) continue;
    const [x, y] = at(n.id);
    const cls = ['node', n.op === 'var' ? 'var' : '', n.op === 'const' ? 'const' : '', n.id === graph.output ? 'output' : ''].join(' ');
    const sym = OPS[n.op];
    const label = n.op === 'var' || n.op === 'const' ? n.label : (sym && sym.length <= 2 ? `${sym} ${opWord(n.op, lang)}` : n.label || n.op);
    const note = gateNote(n, lang);
    const g = s('g', { class: cls, transform: `translate(${x},${y})`, 'data-node': n.id, 'data-op': n.op });
    const head = n.op === 'var' || n.op === 'const' ? `${n.label} (${opWord(n.op, lang)})` : label;
    g.append(s('title', {}, `${t('graph.node', {
      label: head, value: fmt(n.value, 6), grad: fmt(n.grad, 6),
    })}${note ? ` · ${note}` : ''}`));
    g.append(s('rect', { width: W, height: H }));
    g.append(s('text', { x: W / 2, y: 14, 'text-anchor': 'middle', class: 'op' }, label));
    g.append(s('text', { x: 6, y: 29, class: 'val' }, `${fmt(n.value, 4)}`));
    if (n.op !== 'const') g.append(s('text', { x: 6, y: 42, class: 'grad' }, `∂ ${fmt(n.grad, 4)}`));
    svg.append(g);
    if (note) notes.set(note, true);
  }
  el.append(h('div', { style: { overflow: 'auto' } }, svg));
  if (notes.size) {
    el.append(h('ul', { class: 'graph-notes' }, [...notes.keys()].map((note) => h('li', {}, note))));
  }
}
