// The lesson banner above the plot: a ready-made classroom scene (GET /api/lessons) with
// what it teaches, what to watch, a question to predict before playing, and the answer.

import { t, getLang } from '../lib/i18n.js';
import { h, clear, icon } from './dom.js';

const text = (field) => field?.[getLang()] || field?.en || '';

export function renderLessonBanner(el, lesson, onClose) {
  clear(el);
  el.hidden = !lesson;
  if (!lesson) return;
  const answer = h('p', { class: 'lesson-answer', hidden: true },
    h('b', {}, `${t('lesson.answer')}: `), text(lesson.claim));
  const reveal = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false' }, t('lesson.reveal'));
  reveal.addEventListener('click', () => {
    answer.hidden = !answer.hidden;
    reveal.setAttribute('aria-expanded', String(!answer.hidden));
  });
  const close = h('button', { type: 'button', class: 'lesson-close', 'aria-label': t('lesson.close'), title: t('lesson.close') }, icon('remove'));
  close.addEventListener('click', onClose);
  const more = h('details', { class: 'lesson-more' }, h('summary', {}, t('lesson.more')),
    h('p', {}, text(lesson.explanation)), h('p', {}, h('b', {}, `${t('lesson.watch')}: `), text(lesson.watch)));
  el.append(
    h('div', { class: 'lesson-top' }, h('h2', {}, text(lesson.title)), close),
    h('p', { class: 'lesson-predict' }, h('b', {}, `${t('lesson.predict')}: `), text(lesson.predict), ' ', reveal),
    answer, more,
  );
}
