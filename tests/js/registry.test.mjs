// lib/registry.js is the one list of panels, views and overlays: the link format follows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PANELS, VIEWS, OVERLAYS, registerPanel, viewOf } from '../../frontend/js/lib/registry.js';
import { defaultState, toHash, fromHash } from '../../frontend/js/lib/state.js';

test('the links of before the registry still mean the same panels, views and overlays', () => {
  // Written by hand in lessons, slides and README links: p=, v=, e=, c=, t=, g=.
  const s = fromHash('p=graph&v=3d&e=0&c=0&t=1&g=1');
  assert.deepEqual([s.panel, s.view, s.eigen, s.critical, s.taylor, s.field], ['graph', '3d', false, false, true, true]);
  assert.equal(fromHash('p=notes&v=basins').view, 'basins');
  assert.deepEqual([defaultState().eigen, defaultState().critical, defaultState().taylor, defaultState().field],
    [true, true, false, false]);
  assert.equal(toHash(fromHash('t=1&p=notes')), 't=1&p=notes');
});

test('an unknown panel or view in a link falls back to the default', () => {
  const s = fromHash('p=nosuchpanel&v=4d');
  assert.equal(s.panel, 'inspector');
  assert.equal(s.view, 'contour');
});

test('a registered panel round-trips in the link', () => {
  assert.equal(fromHash('p=scratch').panel, 'inspector');
  registerPanel({ id: 'scratch', label: 'panel.scratch', load: async () => ({ render() {} }) });
  assert.equal(PANELS.at(-1).id, 'scratch');
  const s = { ...defaultState(), panel: 'scratch' };
  assert.equal(toHash(s), 'p=scratch');
  assert.equal(fromHash('p=scratch').panel, 'scratch');
  assert.throws(() => registerPanel({ id: 'scratch', label: 'x', load: async () => ({}) }), /registered already/);
  assert.throws(() => registerPanel({ id: 'Bad Id', label: 'x', load: async () => ({}) }), /lower-case/);
});

test('every entry names its i18n keys, and ids are unique', () => {
  for (const list of [PANELS, VIEWS, OVERLAYS]) {
    const ids = list.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const e of list) assert.match(e.label, /^[a-z]+\.[a-z0-9]+$/);
  }
  assert.equal(new Set(OVERLAYS.map((o) => o.url)).size, OVERLAYS.length);
  assert.equal(viewOf('3d').canvas, false);
  assert.equal(viewOf('unknown').id, 'contour');
});
