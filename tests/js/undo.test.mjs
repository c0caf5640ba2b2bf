import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UndoStack } from '../../frontend/js/lib/undo.js';

test('undo walks back through the edits, redo forward, a new edit forgets redo', () => {
  const u = new UndoStack();
  assert.equal(u.undo('a'), null);
  u.record('a'); // a -> b
  u.record('b'); // b -> c
  assert.equal(u.undo('c'), 'b');
  assert.equal(u.undo('b'), 'a');
  assert.equal(u.undo('a'), null);
  assert.equal(u.redo('a'), 'b');
  assert.equal(u.redo('b'), 'c');
  assert.equal(u.redo('c'), null);
  assert.equal(u.undo('c'), 'b');
  u.record('b'); // b -> d: c can no longer be redone
  assert.equal(u.canRedo, false);
  assert.equal(u.undo('d'), 'b');
});

test('the stack keeps the newest scenes up to its limit', () => {
  const u = new UndoStack(3);
  for (const s of ['a', 'b', 'c', 'd', 'e']) u.record(s);
  assert.deepEqual([u.undo('f'), u.undo('e'), u.undo('d'), u.undo('c')], ['e', 'd', 'c', null]);
});
