// The SVG export: a well-formed document whose paths, markers, contours and ticks sit where
// the data says they should, computed here from the viewport's definition
// (px = width/2 + (x - cx)·scale, py = height/2 - (y - cy)·scale), not by the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sceneSvg, chainSegments, polylineData, legendItems, legendLayout, escapeXml,
} from '../../frontend/js/lib/svgscene.js';
import { contourSet } from '../../frontend/js/lib/contours.js';

const VIEW = { width: 400, height: 200, cx: 1, cy: 0.5, scale: 20 }; // x in [-9, 11], y in [-4.5, 5.5]
const toPx = (x, y) => [200 + (x - 1) * 20, 100 - (y - 0.5) * 20];

/** Tags balance (a tiny well-formedness check; the browser test parses with a real parser). */
function assertWellFormed(svg) {
  const stack = [];
  const body = svg.replace(/^<\?xml[^>]*\?>\s*/, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element closed');
  // Nothing outside tags but text: no stray "<" in attribute values or text.
  assert.equal(body.replace(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '').includes('<'), false);
}

/** Every "x y" pair of a path's d attribute. */
function pathPoints(d) {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

function grid(f, n, lo, hi) {
  const xs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  return { x: xs, y: xs, z: xs.map((y) => xs.map((x) => f(x, y))) };
}

function baseScene(extra = {}) {
  const g = grid((x, y) => (x - 1) ** 2 + (y - 0.5) ** 2, 61, -9, 11);
  return {
    view: VIEW,
    contours: contourSet(g, [4, 16]),
    critical: [
      { point: [1, 0.5], kind: 'minimum', eigenvalues: [2, 2], eigenvectors: [[1, 0], [0, 1]] },
      { point: [5, 3], kind: 'saddle', eigenvalues: [-1, 2], eigenvectors: [[1, 0], [0, 1]] },
    ],
    lambdaRef: 2,
    showCritical: true,
    showEigen: true,
    runs: [
      { index: 0, label: 'Adam · η=0.1', color: '#0072B2', shape: 'circle', x: [-5, -4, -3, -2], y: [3, 2, 1, 0.5], k: 2, status: 'running', retunes: [], eig: null },
      { index: 1, label: 'SGD <slow> & steady', color: '#D55E00', shape: 'square', x: [4, 6, 9, NaN], y: [-2, -3, -4, NaN], k: 3, status: 'diverged', retunes: [{ step: 1, params: { lr: 0.5 } }], eig: null },
    ],
    starts: [[-5, 3], [4, -2]],
    selected: 0,
    title: 'gradscape: test & <scene>',
    caption: 'step 3',
    labels: { min: 'minimum', max: 'maximum', saddle: 'saddle', pos: 'λ > 0', neg: 'λ < 0' },
    ...extra,
  };
}

test('segments sharing endpoints become one polyline, in any order and direction', () => {
  // A unit square's four sides, shuffled, two of them reversed.
  const segs = [1, 0, 1, 1, /**/ 0, 0, 1, 0, /**/ 0, 1, 1, 1, /**/ 0, 1, 0, 0];
  const lines = chainSegments(segs);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].length, 5); // closed: the first point comes back at the end
  assert.deepEqual(lines[0][0], lines[0][4]);
  const two = chainSegments([0, 0, 1, 0, 5, 5, 6, 6, 1, 0, 2, 0]);
  assert.deepEqual(two.map((l) => l.length).sort(), [2, 3]);
  assert.deepEqual(chainSegments([]), []);
  // Points closer than minStep are dropped, the ends kept.
  assert.equal(polylineData([[[0, 0], [0.1, 0], [0.2, 0], [5, 0]]], 0.6), 'M0 0L5 0');
});

test('the document is well formed, sized like the view, and escapes text', () => {
  const svg = sceneSvg(baseScene());
  assertWellFormed(svg);
  assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" version="1.1" width="400" height="200" viewBox="0 0 400 200">/);
  assert.ok(svg.includes('<title>gradscape: test &amp; &lt;scene&gt;</title>'));
  assert.ok(svg.includes('SGD &lt;slow&gt; &amp; steady'));
  assert.ok(!/NaN|undefined|Infinity/.test(svg), 'no bad numbers in the file');
  assert.equal(escapeXml(`a"b'c`), 'a&quot;b&apos;c');
});

test('each run is a path through its points up to the step on screen, in its colour', () => {
  const svg = sceneSvg(baseScene());
  const trails = [...svg.matchAll(/<g class="run" data-run="(\d)"[^>]*>.*?<path d="([^"]+)"[^>]*class="halo"\/><path d="([^"]+)" stroke="([^"]+)"/g)];
  assert.equal(trails.length, 2);
  const byRun = Object.fromEntries(trails.map((m) => [m[1], { d: m[3], color: m[4] }]));
  // Run 0 is shown at k = 2: three points, not four.
  assert.deepEqual(pathPoints(byRun[0].d), [toPx(-5, 3), toPx(-4, 2), toPx(-3, 1)]);
  assert.equal(byRun[0].color, '#0072B2');
  // Run 1 diverged: its finite points only, then a cross at the last finite point.
  assert.deepEqual(pathPoints(byRun[1].d), [toPx(4, -2), toPx(6, -3), toPx(9, -4)]);
  assert.equal(byRun[1].color, '#D55E00');
  const cross = svg.match(/<path d="([^"]+)" stroke="#D55E00" stroke-width="2.6" stroke-linecap="round" class="diverged"/);
  assert.ok(cross, 'the diverged run ends in a cross');
  const [cx, cy] = toPx(9, -4);
  assert.deepEqual(pathPoints(cross[1])[0], [cx - 8, cy - 8]);
  // The selected run (0) is drawn last, on top, and thicker.
  assert.ok(svg.indexOf('data-run="0"') > svg.indexOf('data-run="1"'));
  assert.ok(/class="run" data-run="0".*?stroke="#0072B2" stroke-width="3.2"/.test(svg));
  // The retune of run 1 at step 1 is marked with its new η.
  assert.ok(svg.includes('η=0.5'));
});

test('markers: start points hollow, the current point filled, at the right pixels', () => {
  const svg = sceneSvg(baseScene());
  const centroid = (points) => {
    const p = points.split(' ').map((q) => q.split(',').map(Number));
    return [p.reduce((s, q) => s + q[0], 0) / p.length, p.reduce((s, q) => s + q[1], 0) / p.length];
  };
  const starts = [...svg.matchAll(/<polygon points="([^"]+)" fill="#ffffff" stroke="([^"]+)"[^>]*data-start="(\d)"/g)];
  assert.equal(starts.length, 2);
  for (const [, pts, color, i] of starts) {
    const [x, y] = baseScene().starts[i];
    const [ex, ey] = toPx(x, y);
    const [gx, gy] = centroid(pts);
    assert.ok(Math.abs(gx - ex) < 0.6 && Math.abs(gy - ey) < 0.6, `start ${i} at ${gx},${gy}, expected ${ex},${ey}`);
    assert.equal(color, ['#0072B2', '#D55E00'][i]);
  }
  const head = svg.match(/<g data-head="0"><polygon points="([^"]+)" fill="#0072B2"/);
  assert.ok(head);
  const [hx, hy] = centroid(head[1]);
  const [ex, ey] = toPx(-3, 1); // point k = 2
  assert.ok(Math.abs(hx - ex) < 0.6 && Math.abs(hy - ey) < 0.6);
});

test('a run that left the view is pointed at from the border, with its value', () => {
  const scene = baseScene();
  scene.runs[1] = { ...scene.runs[1], x: [4, 40], y: [-2, 0.5], f: [1, 15000000], k: 1, status: 'diverged' };
  const svg = sceneSvg(scene);
  const head = svg.match(/<g data-head="1" class="offscreen"><polygon points="([^"]+)" fill="#D55E00"/);
  assert.ok(head, 'an arrow head for run 1');
  // (40, 0.5) is straight right of the centre (1, 0.5): the arrow sits on the right border,
  // 14 px in, at the centre's height.
  const pts = head[1].split(' ').map((q) => q.split(',').map(Number));
  assert.deepEqual(pts[1], [400 - 14, 100]);
  assert.ok(svg.includes('>f=1.5e7</text>'));
});

test('critical points and eigen-arrows follow the overlays', () => {
  const on = sceneSvg(baseScene());
  assert.deepEqual([...on.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1]), ['minimum', 'saddle']);
  // The saddle's negative direction is dashed wine red; the minimum's arrows solid.
  assert.ok(on.includes('stroke="#882255" stroke-width="2" stroke-dasharray="7 4"'));
  const off = sceneSvg(baseScene({ showCritical: false, showEigen: false }));
  assert.ok(!off.includes('data-kind='));
  assert.ok(!off.includes('class="eigen"'));
  // Eigen-arrows at the current point when the run carries them.
  const scene = baseScene();
  scene.runs[0].eig = { eigenvalues: [3, 1], eigenvectors: [[1, 0], [0, 1]] };
  const withEig = sceneSvg(scene);
  assert.ok(/<g data-head="0"><g class="eigen">/.test(withEig));
});

test('contour lines lie on the level sets and only inside the view', () => {
  const svg = sceneSvg(baseScene());
  const paths = [...svg.matchAll(/<path d="([^"]+)" data-level="([\d.]+)"/g)];
  assert.deepEqual(paths.map((m) => Number(m[2])), [4, 16]);
  for (const [, d, level] of paths) {
    const r = Math.sqrt(Number(level)); // circles of radius 2 and 4 around (1, 0.5)
    const pts = pathPoints(d);
    assert.ok(pts.length > 20);
    for (const [px, py] of pts) {
      const x = 1 + (px - 200) / 20;
      const y = 0.5 - (py - 100) / 20;
      // Linear interpolation on a grid of spacing 1/3 cuts corners by at most ~h²/(8r).
      assert.ok(Math.abs(Math.hypot(x - 1, y - 0.5) - r) < 0.05, `(${x}, ${y}) off the circle of radius ${r}`);
    }
    // One closed line per circle.
    assert.equal((d.match(/M/g) || []).length, 1);
  }
  // Zoomed in (scale 40: y from -2 to 3) the radius-4 circle leaves the view: segments wholly
  // outside are dropped, so what is left stays within one grid cell (1/3 · 40 px) of the view.
  const small = sceneSvg(baseScene({ view: { ...VIEW, scale: 40 } }));
  const d16 = small.match(/<path d="([^"]+)" data-level="16"/)[1];
  const full = pathPoints(paths[1][1]).length;
  assert.ok(pathPoints(d16).length < full);
  for (const [px, py] of pathPoints(d16)) assert.ok(px > -14 && px < 414 && py > -14 && py < 214, `${px},${py}`);
});

test('axis ticks are round numbers inside the view, and the legend lists every run', () => {
  const svg = sceneSvg(baseScene());
  const axes = svg.match(/<g class="axes"[^>]*>(.*?)<\/g>/)[1];
  const labels = [...axes.matchAll(/>(-?[\d.]+)<\/text>/g)].map((m) => Number(m[1]));
  for (const v of [-5, 0, 5, 10]) assert.ok(labels.includes(v), `tick ${v} in ${labels}`);
  // The x tick at 0 sits at px = 200 + (0 - 1)·20 = 180.
  assert.ok(axes.includes('<line x1="180" y1="200" x2="180" y2="195"'));
  const legend = svg.match(/<g class="legend"[^>]*>(.*?)<\/g><\/svg>/)[1];
  for (const text of ['step 3', 'Adam · η=0.1', 'SGD &lt;slow&gt; &amp; steady', 'minimum', 'saddle', 'λ &lt; 0']) {
    assert.ok(legend.includes(`>${text}</text>`), text);
  }
  assert.ok(!sceneSvg(baseScene({ legend: false })).includes('class="legend"'));
  // The basin map's colours as swatches, after the runs.
  const basins = sceneSvg(baseScene({ swatches: [{ color: 'rgb(1, 2, 3)', label: '(3, 2) · 25% of starts' }] }));
  const lg = basins.match(/<g class="legend"[^>]*>(.*?)<\/g><\/svg>/)[1];
  assert.ok(/<rect [^>]*fill="rgb\(1, 2, 3\)"/.test(lg));
  assert.ok(lg.indexOf('(3, 2) · 25% of starts') > lg.indexOf('SGD &lt;slow&gt;'));
  assert.ok(lg.indexOf('(3, 2) · 25% of starts') < lg.indexOf('>minimum<'));
  assert.deepEqual(legendItems({ runs: [{ color: '#000', shape: 'circle', label: 'A' }] }).map((i) => i.kind), ['run']);
});

test('an embedded shading image covers its data rectangle', () => {
  const svg = sceneSvg(baseScene({ image: { href: 'data:image/png;base64,AAAA', x0: -9, x1: 11, y0: -4.5, y1: 5.5, pixelated: true } }));
  const m = svg.match(/<image href="data:image\/png;base64,AAAA" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/);
  assert.ok(m);
  assert.deepEqual(m.slice(1).map(Number), [0, 0, 400, 200]);
  assert.ok(svg.includes('image-rendering:pixelated'));
});

test('legend layout: shared rows, narrow views, and the corner that covers least', () => {
  const measure = (text) => 7 * text.length; // a fixed-width font for the test
  const items = legendItems({
    runs: [{ color: '#000', shape: 'circle', label: 'Adam' }, { color: '#111', shape: 'square', label: 'SGD' }],
    showCritical: true, showEigen: true,
    labels: { min: 'minimum', max: 'maximum', saddle: 'saddle', pos: 'λ > 0', neg: 'λ < 0' },
  });
  const wide = legendLayout(items, 'step 3', 800, measure, { H: 600 });
  const rowOf = (box, label) => box.entries.find((e) => e.item.label === label).cy;
  // caption, Adam, SGD, the three kinds in one row, the two signs in one row: 5 rows.
  assert.equal(new Set(wide.entries.map((e) => e.cy)).size, 4);
  assert.equal(rowOf(wide, 'minimum'), rowOf(wide, 'saddle'));
  assert.equal(rowOf(wide, 'λ > 0'), rowOf(wide, 'λ < 0'));
  assert.ok(rowOf(wide, 'SGD') > rowOf(wide, 'Adam') && wide.caption.cy < rowOf(wide, 'Adam'));
  assert.equal(wide.height, 8 * 2 + 5 * 18 - 4);
  // Every entry's text ends inside the box; entries in a row do not overlap.
  for (const e of wide.entries) assert.ok(e.tx + measure(e.item.label) <= wide.x0 + wide.width + 1e-9);
  const kinds = wide.entries.filter((e) => e.cy === rowOf(wide, 'minimum')).sort((a, b) => a.ix - b.ix);
  for (let i = 1; i < kinds.length; i += 1) assert.ok(kinds[i].ix - 12 >= kinds[i - 1].tx + measure(kinds[i - 1].item.label));
  // Top right by default; something heavy there sends it to the top left.
  assert.equal(wide.x0, 800 - wide.width - 10);
  assert.equal(wide.y0, 10);
  const moved = legendLayout(items, 'step 3', 800, measure, { H: 600, avoid: [[800 - 30, 30, 40]] });
  assert.equal(moved.x0, 40);
  assert.equal(moved.y0, 10);
  // Crowded top corners: a bottom one, above the x-axis labels.
  const low = legendLayout(items, 'step 3', 800, measure, { H: 600, avoid: [[770, 30, 40], [60, 30, 40]] });
  assert.equal(low.y0, 600 - low.height - 26);
  // A narrow view splits the shared rows: one entry per row again.
  const narrow = legendLayout(items, 'step 3', 200, measure, { H: 600 });
  assert.equal(new Set(narrow.entries.map((e) => e.cy)).size, items.length);
  assert.equal(legendLayout([], '', 800, measure), null);
});
