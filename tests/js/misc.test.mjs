import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutGraph, topological } from '../../frontend/js/lib/graphlayout.js';
import { niceTicks, logTicks, scale } from '../../frontend/js/lib/ticks.js';
import { taylorGrid, taylorValue, levelsNear } from '../../frontend/js/lib/taylor.js';
import { splitAtColumn, caretLine } from '../../frontend/js/lib/formula.js';
import { t, setLang, STRINGS } from '../../frontend/js/lib/i18n.js';
import { StreamClient } from '../../frontend/js/net/stream.js';

// Himmelblau's graph as POST /api/graph sends it (ids, ops, inputs).
const HIMMELBLAU = [
  [0, 'var', []], [1, 'const', []], [2, 'pow', [0, 1]], [3, 'var', []], [4, 'add', [2, 3]],
  [5, 'const', []], [6, 'sub', [4, 5]], [7, 'pow', [6, 1]], [8, 'pow', [3, 1]], [9, 'add', [0, 8]],
  [10, 'const', []], [11, 'sub', [9, 10]], [12, 'pow', [11, 1]], [13, 'add', [7, 12]],
].map(([id, op, inputs]) => ({ id, op, inputs }));

test('graph layout: every edge goes left to right, no two nodes share a cell', () => {
  const { pos, cols, rows } = layoutGraph(HIMMELBLAU, 13);
  assert.equal(pos.size, HIMMELBLAU.length);
  for (const n of HIMMELBLAU) {
    for (const i of n.inputs) assert.ok(pos.get(i).col < pos.get(n.id).col, `${i} -> ${n.id}`);
  }
  const cells = new Set([...pos.values()].map((p) => `${p.col},${p.row}`));
  assert.equal(cells.size, HIMMELBLAU.length);
  assert.equal(pos.get(13).col, cols - 1); // output last
  assert.ok(rows >= 2);
  assert.equal(pos.get(0).col, 0); // variables first
});

test('topological order puts inputs first, even for long chains (no recursion)', () => {
  const chain = Array.from({ length: 5000 }, (_, i) => ({ id: i, op: i ? 'sin' : 'var', inputs: i ? [i - 1] : [] }));
  const order = topological(chain);
  assert.equal(order.length, 5000);
  assert.equal(order[0], 0);
  const { cols } = layoutGraph(chain, 4999);
  assert.equal(cols, 5000);
});

test('ticks', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.013, 0.051, 4), [0.02, 0.03, 0.04, 0.05]);
  assert.deepEqual(logTicks(0.001, 100), [0.001, 0.01, 0.1, 1, 10, 100]);
  assert.ok(logTicks(1e-12, 1e12, 6).length <= 7);
  assert.deepEqual(logTicks(0, 1), []);
  // every power of ten inside the range, thinned from the first one inside: a sharpness chart
  // from 1.1 to 3800 gets 10, 100, 1000, not 100 alone
  assert.deepEqual(logTicks(1.1, 3800, 4), [10, 100, 1000]);
  assert.deepEqual(logTicks(1.1, 3800, 2), [10, 1000]);
  assert.deepEqual(logTicks(2, 9), []);
  const s = scale([1, 100], [0, 200], true);
  assert.equal(s(10), 100);
  assert.equal(scale([0, 10], [100, 0])(5), 50);
});

test('the Taylor model matches a quadratic exactly and is tangent to any surface', () => {
  const H = [[2, 1], [1, 4]];
  const f = (x, y) => 3 + x + 2 * y + 0.5 * (2 * x * x + 2 * x * y + 4 * y * y);
  const g = taylorGrid([0, 0], 3, [1, 2], H, 1, 11);
  for (let i = 0; i < 11; i += 1) {
    for (let j = 0; j < 11; j += 1) assert.ok(Math.abs(g.z[i][j] - f(g.x[j], g.y[i])) < 1e-12);
  }
  assert.equal(taylorValue([1, 1], 5, [0, 0], H, 1, 1), 5);
  const near = levelsNear([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], g, 4);
  assert.ok(near.length <= 4 && near.every((l) => l > 0));
});

test('formula error pointers', () => {
  assert.deepEqual(splitAtColumn('x^2 + (y', 7), { before: 'x^2 + ', at: '(', after: 'y' });
  assert.deepEqual(splitAtColumn('x', 5), { before: 'x', at: ' ', after: '' });
  assert.equal(caretLine(3), '  ^');
});

test('strings: every key has English text; missing keys fall back', () => {
  for (const [key, text] of Object.entries(STRINGS.en)) assert.ok(text.length > 0, key);
  assert.equal(t('play.step', { step: 3, total: 10 }), 'step 3 / 10');
  assert.equal(t('no.such.key'), 'no.such.key');
  setLang('xx');
  assert.equal(t('runs.add'), 'Add run');
  setLang('en');
});

test('stream client queues messages until open and keeps only the newest start', () => {
  const sent = [];
  class FakeSocket {
    constructor() {
      this.readyState = 0;
      FakeSocket.last = this;
    }

    send(text) { sent.push(JSON.parse(text)); }

    close() {}
  }
  const got = [];
  const client = new StreamClient('ws://x', { frame: (m) => got.push(m) }, FakeSocket);
  client.connect();
  client.send({ type: 'start', n: 1 });
  client.send({ type: 'start', n: 2 });
  client.send({ type: 'step', n: 10 });
  FakeSocket.last.readyState = 1;
  FakeSocket.last.onopen();
  assert.deepEqual(sent, [{ type: 'start', n: 2 }, { type: 'step', n: 10 }]);
  FakeSocket.last.onmessage({ data: '{"type":"frame","race":1}' });
  FakeSocket.last.onmessage({ data: 'not json' });
  assert.deepEqual(got, [{ type: 'frame', race: 1 }]);
  client.close();
});
