import { test } from 'node:test';
import assert from 'node:assert/strict';
import './served.mjs'; // the server's default runs, as the page has them
import {
  LessonWalk, galleryNumbers, groupByConcept, lessonSteps, lessonText, racePlayed, STEP_KINDS,
} from '../../frontend/js/lib/lessonsteps.js';
import {
  sceneToState, sceneHash, lessonLinks, iframeSnippet, pageLang,
} from '../../frontend/js/lib/lessonscene.js';
import { fromHash, defaultState } from '../../frontend/js/lib/state.js';

const words = (en, zh) => ({ en, zh });

// Two lessons shaped like GET /api/lessons items (scenes copied from lessons/catalog.py).
const SADDLE = {
  id: 'saddle_point', concept: '6',
  scene: {
    surface: { formula: 'x^2 - y^2 + 0.25*y^4', bounds: [-2, 2, -2.5, 2.5] },
    runs: [
      { optimizer: 'sgd', start: [1.5, 0], params: { lr: 0.05 } },
      { optimizer: 'sgd', start: [1.5, 0.0001], params: { lr: 0.05 } },
      { optimizer: 'newton', start: [1.5, 0.0001], params: {} },
      { optimizer: 'saddle_free_newton', start: [1.5, 0], params: {} },
    ],
    steps: 500, seed: 0, view: 'contour', eigen: true,
  },
  title: words('Escaping a saddle point', '逃离鞍点'),
  summary: words('GD stalls; saddle-free Newton walks out.', '梯度下降停滞。'),
  explanation: words('At a saddle the gradient is zero.', '在鞍点处梯度为零。'),
  watch: words('The eigen-arrows.', '特征方向箭头。'),
  predict: words('Where will GD stop?', '梯度下降会停在哪里？'),
  claim: words('GD converges to the saddle.', '梯度下降收敛到鞍点。'),
};
const BATCHES = {
  id: 'mini_batch_noise', concept: '3',
  scene: {
    surface: { dataset: 'linear_regression', options: { standardize: true } },
    runs: [
      { optimizer: 'sgd', start: [3.5, 6.5], params: { lr: 0.05 }, batch_size: 1 },
      { optimizer: 'sgd', start: [3.5, 6.5], params: { lr: 0.05 }, batch_size: 16 },
      { optimizer: 'sgd', start: [3.5, 6.5], params: { lr: 0.05 } },
    ],
    steps: 300, seed: 7, view: 'inspector',
  },
  title: words('Mini-batch noise', '小批量噪声'),
};

test('steps come in teaching order, in the asked language with English as fallback', () => {
  const steps = lessonSteps(SADDLE, 'zh');
  assert.deepEqual(steps.map((s) => s.kind), ['see', 'predict', 'watch', 'answer']);
  assert.deepEqual(STEP_KINDS, ['see', 'predict', 'watch', 'answer']);
  assert.equal(steps[1].text, '梯度下降会停在哪里？');
  assert.equal(steps[3].text, '梯度下降收敛到鞍点。');
  assert.equal(lessonText({ en: 'only English' }, 'zh'), 'only English');
  assert.equal(lessonText(undefined, 'en'), '');
});

test('the gallery groups by concept section in numeric order, keeping the gallery order', () => {
  const l = (id, concept) => ({ id, concept });
  const groups = groupByConcept([l('a', '6'), l('b', '1'), l('c', '10'), l('d', '6'), l('e', '2')]);
  assert.deepEqual(groups.map((g) => g.concept), ['1', '2', '6', '10']);
  assert.deepEqual(groups[2].lessons.map((x) => x.id), ['a', 'd']);
  // Numbers follow the gallery's order, so they count up down the page.
  assert.deepEqual([...galleryNumbers([l('a', '6'), l('b', '1'), l('c', '10'), l('d', '6'), l('e', '2')])],
    [['b', 1], ['e', 2], ['a', 3], ['d', 4], ['c', 5]]);
});

test('the walk holds the scene until the prediction is in, then plays it', () => {
  const walk = new LessonWalk(lessonSteps(SADDLE, 'en'));
  assert.equal(walk.step.kind, 'see');
  assert.equal(walk.canBack(), false);
  assert.equal(walk.holdsScene(), true);
  assert.equal(walk.goTo(2), false); // no skipping past the prediction
  assert.equal(walk.next(), 'next');
  assert.equal(walk.step.kind, 'predict');
  assert.equal(walk.holdsScene(), true);
  assert.equal(walk.goTo(3), false);
  assert.equal(walk.nextAction(), 'play');
  assert.equal(walk.next(), 'play'); // "play to find out": commits without a guess
  assert.equal(walk.step.kind, 'watch');
  assert.equal(walk.holdsScene(), false);
  assert.equal(walk.guess, '');
  walk.back();
  assert.equal(walk.step.kind, 'predict');
  assert.equal(walk.nextAction(), 'next'); // committed: no second play
  assert.equal(walk.goTo(2), true);
  assert.equal(walk.next(), 'next');
  assert.equal(walk.step.kind, 'answer');
  assert.equal(walk.answerShown(false), false); // the race has not played to its end yet
  assert.equal(walk.answerShown(true), true);
  assert.equal(walk.nextAction(), 'none');
  assert.equal(walk.next(), 'none');
  assert.equal(walk.goTo(0), true); // any step seen can be revisited
  assert.equal(walk.answerShown(true), false); // only on the answer step
  walk.goTo(3);
  assert.equal(walk.answerShown(false), true); // once revealed, a new race does not hide it
});

test('a typed guess is kept and jumps to the watch step', () => {
  const walk = new LessonWalk(lessonSteps(SADDLE, 'en'));
  walk.next();
  assert.equal(walk.commit('  at the saddle  '), 'play');
  assert.equal(walk.guess, 'at the saddle');
  assert.equal(walk.step.kind, 'watch');
  assert.equal(walk.goTo(3), true);
});

test('a race has played once it is complete and the cursor reached its last step', () => {
  assert.equal(racePlayed(null, 0), false);
  assert.equal(racePlayed({ complete: false, finalIndex: null }, 300), false);
  assert.equal(racePlayed({ complete: true, finalIndex: 375 }, 374), false);
  assert.equal(racePlayed({ complete: true, finalIndex: 375 }, 375), true);
});

/** Each run's start as the app races it: its own, or the scene's shared start. */
const starts = (state) => state.runs.map((r) => r.start || state.start);

test('a lesson scene becomes a normal state that survives the URL round trip', () => {
  for (const lesson of [SADDLE, BATCHES]) {
    const back = fromHash(sceneHash(lesson));
    const sc = lesson.scene;
    assert.deepEqual(starts(back), sc.runs.map((r) => r.start), lesson.id);
    assert.deepEqual(back.runs.map((r) => r.optimizer), sc.runs.map((r) => r.optimizer));
    assert.deepEqual(back.runs.map((r) => r.params), sc.runs.map((r) => r.params));
    assert.deepEqual(back.runs.map((r) => r.batch_size), sc.runs.map((r) => r.batch_size ?? null));
    assert.equal(back.steps, sc.steps);
    assert.equal(back.seed, sc.seed);
    assert.equal(back.lesson, lesson.id);
  }
  const saddle = fromHash(sceneHash(SADDLE));
  assert.equal(saddle.surface, 'custom');
  assert.equal(saddle.formula, 'x^2 - y^2 + 0.25*y^4');
  assert.deepEqual(saddle.bounds, [-2, 2, -2.5, 2.5]);
  assert.equal(saddle.eigen, true);
  const batches = fromHash(sceneHash(BATCHES));
  assert.equal(batches.surface, 'linear_regression');
  assert.deepEqual(batches.options, { standardize: true });
  assert.equal(batches.panel, 'inspector');
  assert.equal(fromHash(sceneHash(SADDLE, { withLesson: false })).lesson, '');
});

test('opening a lesson keeps the viewer\'s own settings and replaces the scene', () => {
  const base = { ...defaultState(), lang: 'zh', speed: 4, taylor: true, surface: 'rosenbrock', options: { x: 1 } };
  const st = sceneToState(BATCHES, base);
  assert.equal(st.lang, 'zh');
  assert.equal(st.speed, 4);
  assert.equal(st.taylor, true);
  assert.equal(st.surface, 'linear_regression');
  assert.deepEqual(st.options, { standardize: true });
  assert.equal(st.step, 0);
  assert.equal(base.surface, 'rosenbrock'); // pure
  // A scene can ask for the Taylor model (and cannot switch off the viewer's).
  const asks = { ...SADDLE, scene: { ...SADDLE.scene, taylor: true } };
  assert.equal(sceneToState(asks, defaultState()).taylor, true);
  assert.equal(sceneToState(SADDLE, defaultState()).taylor, false);
  assert.equal(sceneToState(SADDLE, base).taylor, true);
  // A scene can hide the critical-point markers (hundreds of them on Rastrigin), nothing else.
  const hides = { ...SADDLE, scene: { ...SADDLE.scene, critical: false } };
  assert.equal(sceneToState(hides, defaultState()).critical, false);
  assert.equal(sceneToState(SADDLE, defaultState()).critical, true);
  assert.equal(fromHash(sceneHash(hides)).critical, false); // and the link keeps it
});

test('links: the app link carries the scene and the lesson, the embed link only the scene', () => {
  const links = lessonLinks(SADDLE, 'http://host:1', 'zh');
  assert.ok(links.app.startsWith('http://host:1/#'));
  assert.match(links.app, /(^|[#&])l=saddle_point(&|$)/);
  assert.match(links.app, /(^|[#&])lang=zh(&|$)/);
  assert.equal(links.short, 'http://host:1/#l=saddle_point&lang=zh');
  assert.ok(links.embed.startsWith('http://host:1/embed.html#'));
  assert.doesNotMatch(links.embed, /(^|[#&])l=/);
  const embedded = fromHash(links.embed.split('#')[1]);
  assert.deepEqual(starts(embedded), SADDLE.scene.runs.map((r) => r.start));
});

test('the iframe snippet escapes what would break out of its attributes', () => {
  const html = iframeSnippet('http://h/embed.html#s=a&r=b', 'Say "hi" <now>');
  assert.match(html, /^<iframe src="http:\/\/h\/embed\.html#s=a&amp;r=b" /);
  assert.match(html, /title="Say &quot;hi&quot; &lt;now&gt;"/);
  assert.match(html, /><\/iframe>$/);
});

test('the index page takes its language from ?lang or #lang (the hash wins), else English', () => {
  assert.equal(pageLang('', ''), 'en');
  assert.equal(pageLang('?lang=zh', ''), 'zh');
  assert.equal(pageLang('', '#lang=zh'), 'zh');
  assert.equal(pageLang('?lang=zh', '#lang=en'), 'en');
  assert.equal(pageLang('?lang=fr', ''), 'en');
  assert.equal(pageLang('?x=1&lang=zh', '#s=booth'), 'zh');
});
