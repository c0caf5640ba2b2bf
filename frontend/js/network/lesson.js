// A lesson opened in the Network mode (a lesson whose scene has mode "network"): its title,
// idea and question above the plot; the answer (the lesson's claim) only once the race has
// played to its end, predict-then-reveal as in the 2D lessons.

import { h, clear } from '../ui/dom.js';
import { t } from '../lib/i18n.js';

/** A lesson text {en, zh, zh-Hant} in the language, English when it has none. */
export function pick(text, lang) {
  if (!text || typeof text !== 'object') return text || '';
  return text[lang] || (lang === 'zh-Hant' ? text.zh : null) || text.en || '';
}

/** onPlay: the "play to find out" button (shown until the race plays; null once it does). */
export function renderLesson(box, lesson, lang, revealed, onPlay = null) {
  clear(box);
  if (!lesson) { box.hidden = true; return; }
  box.hidden = false;
  // (Element.append writes a null as the text "null": the button's slot is filtered out)
  box.append(...[h('h2', {}, pick(lesson.title, lang)),
    h('p', {}, pick(lesson.explanation, lang)),
    h('p', {}, h('strong', {}, `${t('lesson.step.predict')}: `), pick(lesson.predict, lang)),
    revealed ? h('p', { class: 'net-lesson-claim' }, h('strong', {}, `${t('lesson.step.answer')}: `), pick(lesson.claim, lang))
      : h('p', { class: 'hint' }, t('lesson.waiting')),
    onPlay && !revealed ? h('button', { type: 'button', class: 'btn', id: 'net-lesson-play', onclick: onPlay }, t('lesson.play')) : null].filter(Boolean));
}
