// The Network mode's export picture (network/netscene.js) and CSV (network/netcsv.js), pure.
// Expected pixels come from the layout's rectangles and the data ranges (a linear map worked
// out here), expected CSV cells from the race data fed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  networkScene, sliceMarks, boundaryMarks, lossMarks, LAYOUT, WIDTH, HEIGHT, sliceShade, boundaryShade,
} from '../../frontend/js/network/netscene.js';
import { networkCsv, NET_CSV_COLUMNS } from '../../frontend/js/network/netcsv.js';
import { NetRaceData } from '../../frontend/js/network/racedata.js';
import { svgDocument } from '../../frontend/js/lib/svgscene.js';

// a 3 x 3 slice over [-1, 1] x [-2, 2], two runs of 4 iterates
const land = {
  xs: [-1, 0, 1], ys: [-2, 0, 2], loss: [[3, 2, 3], [2, 1, 2], [3, 2, 3]], explained_variance: [0.6, 0.3],
  paths: [
    { coords: [[-1, -2], [-0.5, -1], [0, 0], [0.5, 1]], true_loss: [3, 2, 1, 1.5], slice_loss: [3, 2.1, 1, 1.4], distance: [0, 0.1, 0.2, 0.3] },
    { coords: [[-1, -2], [-1, 0], [0, 1], [1, 2]], true_loss: [3, 2, 1.8, 3], slice_loss: [3, 2, 1.7, 3], distance: [0, 0, 0.4, 0.5] },
  ],
};
const runs = [
  { label: 'SGD η=0.5', color: '#0072B2', shape: 'circle', train_loss: [1, 0.5, 0.25, 0.2], test_loss: [1.1, 0.6, 0.3, 0.3] },
  { label: 'Adam η=0.01', color: '#D55E00', shape: 'square', train_loss: [1, 0.8, 0.4, 0.1], test_loss: [1.2, 0.9, 0.5, 0.2] },
];

function find(marks, pred, out = []) {
  for (const m of marks) {
    if (pred(m)) out.push(m);
    if (m.type === 'group') find(m.items, pred, out);
  }
  return out;
}

const slicePx = (a, b) => {
  const r = LAYOUT.slice;
  return [r.x + ((a + 1) / 2) * r.w, r.y + r.h - ((b + 2) / 4) * r.h];
};

test('each run\'s projected path runs from its start to its iterate k on the slice', () => {
  const marks = sliceMarks({ land, k: 2, runs });
  const trails = find(marks, (m) => m.attrs?.class === 'trail');
  assert.equal(trails.length, 2);
  trails.forEach((tr, i) => {
    const line = tr.lines[0];
    assert.equal(line.length, 2 * 3, 'iterates 0..2');
    assert.equal(tr.stroke, runs[i].color);
    const [x0, y0] = slicePx(...land.paths[i].coords[0]);
    const [x2, y2] = slicePx(...land.paths[i].coords[2]);
    assert.ok(Math.abs(line[0] - x0) < 1e-9 && Math.abs(line[1] - y0) < 1e-9);
    assert.ok(Math.abs(line[4] - x2) < 1e-9 && Math.abs(line[5] - y2) < 1e-9);
  });
  // heads: the run's marker centred on iterate k
  const heads = find(marks, (m) => m.attrs?.['data-head'] !== undefined);
  heads.forEach((hd, i) => {
    const cx = hd.pts.reduce((s, p) => s + p[0], 0) / hd.pts.length;
    const cy = hd.pts.reduce((s, p) => s + p[1], 0) / hd.pts.length;
    const [x, y] = slicePx(...land.paths[i].coords[2]);
    assert.ok(Math.hypot(cx - x, cy - y) < 1.5, `head ${i} at (${cx}, ${cy}) not (${x}, ${y})`);
    assert.equal(hd.fill, runs[i].color);
  });
  // contour lines of the slice stay inside its panel
  const contours = find(marks, (m) => m.attrs?.class === 'contours')[0];
  assert.ok(contours.lines.length > 0);
  for (const l of contours.lines) {
    for (let j = 0; j < l.length; j += 2) {
      assert.ok(l[j] >= LAYOUT.slice.x - 1e-9 && l[j] <= LAYOUT.slice.x + LAYOUT.slice.w + 1e-9);
    }
  }
});

test('before the slice has come its panel says why it is empty', () => {
  const marks = sliceMarks({ land: null, k: 3, runs, title: 'slice', empty: 'after the race' });
  const texts = find(marks, (m) => m.type === 'text').map((m) => m.text);
  assert.deepEqual(texts, ['slice', 'after the race']);
  assert.equal(find(marks, (m) => m.attrs?.class === 'trail').length, 0);
});

test('on the 1D line each run sits on the slice loss at its projection', () => {
  const line = { xs: [0, 0.5, 1], ys: null, loss: [2, 1, 3], explained_variance: null,
    paths: [{ coords: [[0], [0.5], [1]], slice_loss: [2, 1, 3] }] };
  const heads = find(sliceMarks({ land: line, k: 1, runs }), (m) => m.attrs?.['data-head'] !== undefined);
  assert.equal(heads.length, 1);
  const r = LAYOUT.slice;
  const cy = heads[0].pts.reduce((s, p) => s + p[1], 0) / heads[0].pts.length;
  // loss 1 is the lowest: the bottom of the inset plot area
  assert.ok(Math.abs(cy - (r.y + 12 + r.h - 24)) < 1.5);
});

test('the boundary shows every training point filled and every test point as a ring', () => {
  const data = { X: [[0, 0], [1, 1], [2, 0]], y: [0, 1, 1], X_test: [[0.5, 0.5]], y_test: [1] };
  const grid = { xs: [0, 1, 2], ys: [0, 1] };
  const marks = boundaryMarks({ task: 'classification', classes: 2, data, grid, values: [0, 0.5, 1, 0, 0.5, 1], image: { canvas: null, href: 'data:' } });
  const train = find(marks, (m) => m.attrs?.class === 'train');
  const tst = find(marks, (m) => m.attrs?.class === 'test');
  assert.equal(train.length, 3);
  assert.equal(tst.length, 1);
  assert.equal(tst[0].fill, undefined);
  const r = LAYOUT.boundary;
  assert.ok(Math.abs(train[2].cx - (r.x + r.w)) < 1e-9 && Math.abs(train[2].cy - (r.y + r.h)) < 1e-9);
  assert.equal(train[1].fill.toLowerCase(), '#d55e00'); // class 1
  // the shaded cells: white blended 15% towards a class at chance, 65% when sure
  // (Okabe-Ito blue 0,114,178 and vermillion 213,94,0); image rows run top-down
  const shade = boundaryShade([0, 0.5, 1, 0, 0.5, 0.75], 3, 2, 2);
  const mix = (rgb, a) => rgb.map((v) => Math.round(255 + (v - 255) * a));
  assert.deepEqual([...shade.pixels.slice(4, 8)], [...mix([0, 114, 178], 0.15), 255], 'p = 0.5 (top row)');
  assert.deepEqual([...shade.pixels.slice(8, 11)], mix([213, 94, 0], 0.15 + 0.5 * 0.5), 'p = 0.75');
  assert.deepEqual([...shade.pixels.slice(20, 23)], mix([213, 94, 0], 0.65), 'p = 1 (bottom row)');
});

test('loss curves stop at iterate k and the test loss is dashed', () => {
  const marks = lossMarks({ runs, k: 1, steps: 3 });
  const trains = find(marks, (m) => m.attrs?.class === 'curve-train');
  const tests = find(marks, (m) => m.attrs?.class === 'curve-test');
  assert.equal(trains.length, 2);
  assert.equal(tests.length, 2);
  assert.equal(trains[0].lines[0].length, 4, 'iterates 0 and 1');
  assert.ok(tests[0].dash && !trains[0].dash);
  // log scale: 1 at the top of the range, halving moves down by the same pixels each time
  const [, y0, , y1] = trains[0].lines[0];
  assert.ok(y1 > y0);
});

test('the whole scene writes a valid SVG with one path group per run', () => {
  const scene = networkScene({ k: 3, steps: 3, caption: 'moons · step 3', runs, land, sliceImage: null,
    labels: { slice: 'slice', boundary: 'boundary', loss: 'loss' }, boundary: { task: 'classification' } });
  assert.equal(scene.width, WIDTH);
  assert.equal(scene.height, HEIGHT);
  const svg = svgDocument(scene);
  assert.ok(svg.startsWith('<?xml'));
  assert.equal((svg.match(/<g class="run" data-run="\d"/g) || []).length, 2);
  assert.equal((svg.match(/class="trail"/g) || []).length, 2);
  assert.ok(svg.includes('<clipPath id="clip-1"><rect'), 'panels are clipped to their rectangles');
  assert.ok(svg.includes('moons · step 3'));
  // balanced tags (a cheap well-formedness check; the browser test parses the file)
  const open = (svg.match(/<g[ >]/g) || []).length;
  assert.equal(open, (svg.match(/<\/g>/g) || []).length);
});

test('the slice shading is the live view\'s: lowest loss darkest blue-grey, rows top-down', () => {
  const shade = sliceShade(land);
  assert.equal(shade.width, 3);
  const centre = [...shade.pixels.slice(16, 19)]; // row 1, column 1: loss 1, the minimum
  const corner = [...shade.pixels.slice(0, 3)]; // loss 3, the maximum
  assert.ok(centre.reduce((a, b) => a + b) < corner.reduce((a, b) => a + b));
});

function race() {
  const data = new NetRaceData({
    steps: 2, network: { task: 'classification', classes: 2, n_params: 9 },
    data: { X: [[0, 0], [1, 1], [2, 2], [3, 3]], y: [0, 1, 0, 1], X_test: [], y_test: [] },
    runs: [{ optimizer: 'sgd', params: { lr: 0.5 }, batch_size: null }, { optimizer: 'adam', params: { lr: 0.01 }, batch_size: 2 }],
  });
  data.add({ runs: [
    { points: [[0, 0], [1, 0], [2, 0]], distance: [0, 0, 0], train_loss: [0.7, 0.5, 0.1 + 0.2], test_loss: [0.8, 0.6, 0.4],
      train_acc: [0.5, 0.75, 1], test_acc: [0.5, 0.5, 1], grad_norm: [1.5, 0.25], step_norm: [0.75, 0.125],
      sharpness: [[0, 3.5, 4, null]], status: 'max_steps', stop_step: 2 },
    { points: [[0, 0], [0, 1], [0, 2]], distance: [0, 0, 0], train_loss: [0.7, 0.6, 0.55], test_loss: [0.8, 0.7, 0.65],
      train_acc: [0.5, 0.5, 0.75], test_acc: [0.5, 0.5, 0.5], grad_norm: [2, 1], step_norm: [0.01, 0.01],
      sharpness: [[0, 3.5, 200, 150]], status: 'max_steps', stop_step: 2,
      state_norms: { exp_avg: [0.5, 0.75], exp_avg_sq: [0.25, 0.5] } },
  ] });
  return data;
}

test('CSV: a row per run and iterate, update columns from the update leaving it', () => {
  const text = networkCsv(race(), land, 'pca');
  const lines = text.trim().split('\n');
  const columns = [...NET_CSV_COLUMNS, 'state_exp_avg', 'state_exp_avg_sq'];
  assert.deepEqual(lines[0].split(','), columns);
  assert.equal(lines.length, 1 + 2 * 3);
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
  // Adam's state after the update leaving each iterate; SGD has none
  assert.deepEqual(rows.map((r) => r.state_exp_avg), ['', '', '', '0.5', '0.75', '']);
  assert.equal(rows[4].state_exp_avg_sq, '0.5');
  assert.equal(rows[0].lr_start, '0.5');
  assert.equal(rows[0].batch_size, '4', 'full batch is the training set');
  assert.equal(rows[3].batch_size, '2');
  assert.equal(Number(rows[2].train_loss), 0.1 + 0.2, 'a double reads back exactly');
  assert.equal(rows[0].grad_norm, '1.5');
  assert.equal(rows[1].step_norm, '0.125');
  assert.equal(rows[2].grad_norm, '', 'no update leaves the last iterate');
  assert.deepEqual([rows[0].sharpness, rows[0].threshold, rows[0].preconditioned], ['3.5', '4', '']);
  assert.equal(rows[1].sharpness, '');
  assert.equal(rows[3].preconditioned, '150');
  assert.deepEqual([rows[4].plane, rows[4].a, rows[4].b, rows[4].slice_loss, rows[4].plane_distance], ['pca', '-1', '0', '2', '0']);
  // before the slice has come the plane columns are empty
  const bare = networkCsv(race(), null, 'pca').trim().split('\n')[1].split(',');
  assert.deepEqual(bare.slice(14, 19), ['', '', '', '', '']);
});
