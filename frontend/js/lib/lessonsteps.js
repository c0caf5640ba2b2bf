// A lesson as a short walk of steps (what you see, predict, what to watch, what happens),
// and the gallery's grouping by CONCEPTS.md section. No DOM: the lessons panel renders it.

/** A lesson text ({en, zh}) in `lang`, falling back to English. */
export function lessonText(field, lang) {
  return field?.[lang] || field?.en || '';
}

export const STEP_KINDS = ['see', 'predict', 'watch', 'answer'];

/** The steps of a lesson in `lang`: [{kind, text}] in STEP_KINDS order. */
export function lessonSteps(lesson, lang) {
  const source = { see: lesson.explanation, predict: lesson.predict, watch: lesson.watch, answer: lesson.claim };
  return STEP_KINDS.map((kind) => ({ kind, text: lessonText(source[kind], lang) }));
}

/** Lessons grouped by concept section, sections in numeric order, lessons in gallery order. */
export function groupByConcept(lessons) {
  const groups = new Map();
  for (const lesson of lessons) {
    const key = String(lesson.concept);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(lesson);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (Number(a) - Number(b)) || a.localeCompare(b))
    .map(([concept, items]) => ({ concept, lessons: items }));
}

/** Lesson id -> its number in the gallery's order (1-based, as the gallery lists them). */
export function galleryNumbers(lessons) {
  const order = groupByConcept(lessons).flatMap((g) => g.lessons);
  return new Map(order.map((lesson, i) => [lesson.id, i + 1]));
}

/**
 * Where a student is in a lesson. The scene waits (paused at step 0) until the student has
 * committed to a prediction, typed or not; the answer shows only once the race has played.
 */
export class LessonWalk {
  constructor(steps) {
    this.steps = steps;
    this.index = 0;
    this.furthest = 0; // the step indicator lets the student go back to any step seen
    this.committed = false;
    this.guess = '';
    this.revealed = false;
  }

  get step() {
    return this.steps[this.index];
  }

  get count() {
    return this.steps.length;
  }

  indexOf(kind) {
    return this.steps.findIndex((s) => s.kind === kind);
  }

  canBack() {
    return this.index > 0;
  }

  canNext() {
    return this.index < this.count - 1;
  }

  /** What Next does here: on the predict step, before a commitment, it plays the scene. */
  nextAction() {
    if (!this.canNext()) return 'none';
    return this.step.kind === 'predict' && !this.committed ? 'play' : 'next';
  }

  /** Move on; returns the action taken ('play' means: start the scene now). */
  next() {
    const action = this.nextAction();
    if (action === 'none') return action;
    if (action === 'play') this.committed = true;
    this.goTo(this.index + 1);
    return action;
  }

  back() {
    if (this.canBack()) this.index -= 1;
  }

  /** Go to step i if it has been reached (or is the next one and needs no commitment). */
  goTo(i) {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return false;
    if (i > this.furthest + 1) return false;
    if (i > this.indexOf('predict') && !this.committed) return false;
    this.index = i;
    this.furthest = Math.max(this.furthest, i);
    return true;
  }

  /** The student commits to a guess (possibly empty): the scene plays, on to "watch". */
  commit(guess = '') {
    this.guess = String(guess).trim();
    this.committed = true;
    const watch = this.indexOf('watch');
    this.furthest = Math.max(this.furthest, watch);
    this.index = watch;
    return 'play';
  }

  /** Whether the scene should stay paused (the prediction is not in yet). */
  holdsScene() {
    return !this.committed;
  }

  /** Whether the answer may be shown: on its step, once the race has played to its end.
   *  Once shown it stays shown (a later race, such as the lesson's variant, does not hide it). */
  answerShown(finished) {
    if (this.step.kind !== 'answer') return false;
    if (finished) this.revealed = true;
    return Boolean(this.revealed);
  }
}

/** Whether a race has played: it has every step and the playback reached its last one. */
export function racePlayed(race, cursor) {
  if (!race || !race.complete) return false;
  return cursor >= race.finalIndex;
}
