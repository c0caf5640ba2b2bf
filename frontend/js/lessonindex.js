// The printable lesson index (lessons.html): every lesson of GET /api/lessons with its idea,
// its question, what to watch, what happens, and its links (the app, the embed page, an
// iframe for slides). Print CSS (css/lessonindex.css) keeps one lesson per block and prints
// the links as text.

import { t, setLang } from './lib/i18n.js';
import { galleryNumbers, groupByConcept, lessonText } from './lib/lessonsteps.js';
import { lessonLinks, iframeSnippet, pageLang } from './lib/lessonscene.js';
import { $, h, clear } from './ui/dom.js';


function renderTools(lang) {
  const print = h('button', { type: 'button', class: 'ix-button ix-print' }, t('index.print'));
  print.addEventListener('click', () => window.print());
  clear($('ix-tools')).append(
    h('a', { href: `./#lang=${lang}`, class: 'ix-back' }, `‹ ${t('index.back')}`),
    h('span', { class: 'ix-langs' },
      h('a', { href: '?lang=en', lang: 'en', 'aria-current': lang === 'en' ? 'page' : null }, 'English'),
      ' · ',
      h('a', { href: '?lang=zh', lang: 'zh-Hans', 'aria-current': lang === 'zh' ? 'page' : null }, '简体中文'),
      ' · ',
      h('a', { href: '?lang=zh-Hant', lang: 'zh-Hant', 'aria-current': lang === 'zh-Hant' ? 'page' : null }, '繁體中文')),
    print,
  );
  $('ix-tools').setAttribute('aria-label', t('index.tools'));
  document.documentElement.lang = { zh: 'zh-Hans', 'zh-Hant': 'zh-Hant' }[lang] || 'en';
}

async function copyText(text, pre) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission: select the snippet so Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents(pre);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return document.execCommand?.('copy') ?? false;
  }
}

function lessonBlock(lesson, number, lang) {
  const links = lessonLinks(lesson, location.origin, lang);
  const title = lessonText(lesson.title, lang);
  const snippet = iframeSnippet(links.embed, `gradscape · ${title}`);
  const code = h('code', {}, snippet);
  const pre = h('pre', { class: 'ix-snippet', id: `ix-snippet-${lesson.id}` }, code);
  // Fourteen "Copy" buttons and "Open" links: each names its lesson for screen readers.
  const copy = h('button', {
    type: 'button', class: 'ix-button ix-copy', 'aria-label': `${t('index.copy')}: ${t('index.iframe')} · ${title}`,
  }, t('index.copy'));
  copy.addEventListener('click', async () => {
    const ok = await copyText(snippet, pre);
    copy.textContent = ok ? t('index.copied') : t('index.copy');
    setTimeout(() => { copy.textContent = t('index.copy'); }, 2000);
  });
  const field = (key, text, cls) => [h('dt', {}, t(key)), h('dd', { class: cls }, text)];
  return h('article', { class: 'ix-lesson', id: `lesson-${lesson.id}`, 'data-lesson': lesson.id, 'aria-labelledby': `ix-h-${lesson.id}` },
    h('h3', { id: `ix-h-${lesson.id}` }, h('span', { class: 'ix-num' }, `${number}.`), ' ', title),
    h('p', { class: 'ix-summary' }, lessonText(lesson.summary, lang)),
    h('dl', { class: 'ix-fields' },
      field('index.idea', lessonText(lesson.explanation, lang), 'ix-idea'),
      field('index.predict', lessonText(lesson.predict, lang), 'ix-predict'),
      field('index.watch', lessonText(lesson.watch, lang), 'ix-watch'),
      field('index.claim', lessonText(lesson.claim, lang), 'ix-claim')),
    h('div', { class: 'ix-links' },
      h('a', {
        class: 'ix-link ix-open', href: links.app, 'data-print': links.short, 'aria-describedby': `ix-h-${lesson.id}`,
      }, t('index.open')),
      h('a', {
        class: 'ix-link ix-embed', href: links.embed, 'data-print': links.embed, 'aria-describedby': `ix-h-${lesson.id}`,
      }, t('index.embed'))),
    h('div', { class: 'ix-iframe' }, h('span', { class: 'ix-iframe-label' }, t('index.iframe')), pre, copy),
  );
}

async function main() {
  const lang = pageLang(location.search, location.hash);
  setLang(lang);
  document.title = t('index.title');
  $('ix-title').textContent = t('index.title');
  $('ix-intro').textContent = t('index.intro');
  renderTools(lang);
  const root = $('ix-lessons');
  let lessons;
  try {
    const res = await fetch('/api/lessons');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    lessons = await res.json();
  } catch (err) {
    clear(root).append(h('p', { class: 'ix-error', role: 'alert' }, t('index.error', { message: err.message })));
    return;
  }
  const number = galleryNumbers(lessons);
  clear(root).append(...groupByConcept(lessons).map(({ concept, lessons: items }) => h('section', { class: 'ix-concept', 'aria-labelledby': `ix-c-${concept}` },
    h('h2', { id: `ix-c-${concept}` }, `${concept} · ${t(`concept.${concept}`)}`),
    items.map((lesson) => lessonBlock(lesson, number.get(lesson.id), lang)))));
  document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', () => location.reload());
main();
