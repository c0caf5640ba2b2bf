// The first open's pure parts: which scene a bare address opens, and which lessons show the
// curvature read-outs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './served.mjs'; // the server's default runs, as the page has them
import { openingHash, WELCOME_HASH } from '../../frontend/js/ui/firstopen.js';
import { fromHash, toHash } from '../../frontend/js/lib/state.js';
import { sceneToState, sceneHash } from '../../frontend/js/lib/lessonscene.js';

test('a bare address opens the welcome scene; a link, or the embed page, its own', () => {
  assert.equal(openingHash(''), WELCOME_HASH);
  assert.equal(openingHash('#'), WELCOME_HASH);
  assert.equal(openingHash('#s=bowl'), 's=bowl');
  assert.equal(openingHash('', 'embed'), '');
});

test('the welcome scene is gentle: paused, stable learning rates, no Himmelblau', () => {
  const st = fromHash(WELCOME_HASH);
  assert.equal(st.autoplay, false);
  assert.notEqual(st.surface, 'himmelblau');
  assert.equal(st.surface, 'elongated_bowl');
  // 0.5x² + 10y²: λmax = 20, plain gradient descent is stable for η < 2/20
  for (const run of st.runs) assert.ok(run.params.lr < 2 / 20, JSON.stringify(run));
  assert.equal(st.advanced, false);
  assert.equal(toHash(st), WELCOME_HASH); // it round-trips: the URL shows it as it is
});

test('lessons on curvature turn the Advanced read-outs on; their embed hash does not', () => {
  const lesson = (concept) => ({
    id: 'x', concept, scene: { surface: 'bowl', runs: [{ optimizer: 'sgd', start: [1, 1], params: {} }], steps: 10 },
  });
  assert.equal(sceneToState(lesson('6')).advanced, true);
  assert.equal(sceneToState(lesson('3')).advanced, true);
  assert.equal(sceneToState(lesson('1')).advanced, false);
  assert.match(sceneHash(lesson('6')), /adv=1/);
  assert.doesNotMatch(sceneHash(lesson('6'), { withLesson: false }), /adv=/);
});
