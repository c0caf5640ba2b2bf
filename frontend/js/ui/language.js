// The interface language: the EN / 中文 switch in the top bar, the page's static texts
// (data-i18n, data-i18n-aria, data-i18n-title, data-i18n-placeholder), and re-rendering every
// panel in the new language without touching the race that is running.

import { t, getLang } from '../lib/i18n.js';
import { h, clear } from './dom.js';

// Each language's name in its own language (marked with lang=, so a screen reader says it
// right and a reader of the other language still finds their way back).
export const LANGUAGES = [
  { id: 'en', label: 'English', tag: 'en' },
  { id: 'zh', label: '简体中文', tag: 'zh-Hans' },
  { id: 'zh-Hant', label: '繁體中文', tag: 'zh-Hant' },
];

export function languageTag(lang) {
  return (LANGUAGES.find((l) => l.id === lang) || LANGUAGES[0]).tag;
}

const STORE = 'gradscape.lang';

function storedLanguage() {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null; // storage blocked (a sandboxed iframe): the link and the browser decide
  }
}

/**
 * The language to open in: the link's `lang=` if it has one, else the one this browser
 * picked last time on the switch, else the browser's own preference when it is Chinese (the
 * course notes are Chinese), else English.
 */
export function initialLanguage(hash, preferred = [], stored = storedLanguage()) {
  const known = (id) => LANGUAGES.some((l) => l.id === id);
  const m = /(?:^|[#&])lang=([A-Za-z-]+)/.exec(hash || '');
  if (m) return known(m[1]) ? m[1] : 'en';
  if (known(stored)) return stored;
  const zh = preferred.find((p) => /^zh\b/i.test(p));
  return zh ? chineseScript(zh) : 'en';
}

/** Which Chinese a browser's language tag asks for: Traditional for zh-Hant and for Taiwan,
 *  Hong Kong and Macau (zh-TW, zh-HK, zh-MO), unless the tag names Simplified script. */
export function chineseScript(tag) {
  if (/-hans\b/i.test(tag)) return 'zh';
  return /-(hant|tw|hk|mo)\b/i.test(tag) ? 'zh-Hant' : 'zh';
}

/** Texts written into the page's HTML: the data-i18n* attributes name their keys. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  document.documentElement.lang = languageTag(getLang());
}

/** Fill the language <select>; onChange(lang) when the user picks another. */
export function mountLanguageSwitch(select, onChange) {
  clear(select);
  for (const l of LANGUAGES) {
    select.append(h('option', { value: l.id, lang: l.tag, selected: l.id === getLang() }, l.label));
  }
  select.value = getLang();
  select.addEventListener('change', () => {
    try {
      localStorage.setItem(STORE, select.value);
    } catch {
      // not remembered; the URL still carries it
    }
    onChange(select.value);
  });
}

/**
 * The page's own words in the current language (after setLang): the static texts, the
 * switch, the plot's and the playback bar's labels. The panels drawn from the catalog are
 * the App's to redraw (App.setLanguage); the race, the playback and the selection stay.
 */
export function translatePage() {
  translateStatic();
  const select = document.getElementById('lang-select');
  if (select) select.value = getLang();
  const canvas = document.getElementById('fg-canvas');
  canvas?.setAttribute('aria-label', t('plot.aria'));
  if (canvas) canvas.title = t('plot.zoom');
  const zoom = document.getElementById('zoom-reset');
  if (zoom) zoom.textContent = t('play.zoom');
  for (const [id, key] of [['pb-reset', 'play.reset'], ['pb-back', 'play.back'], ['pb-forward', 'play.forward']]) {
    const b = document.getElementById(id);
    if (!b) continue;
    b.setAttribute('aria-label', t(key));
    b.title = t(key);
  }
}

/** Rebuild the run cards with render(), keeping their "more settings" open where they were. */
export function keepingOpenCards(render) {
  const open = [...document.querySelectorAll('#runs .run-card details.more')].map((d) => d.open);
  render();
  document.querySelectorAll('#runs .run-card details.more').forEach((d, i) => { if (open[i]) d.open = true; });
}

/** Tell the modules that relabel themselves (the export menu, the network lab...). */
export function announceLanguage(lang) {
  window.dispatchEvent(new CustomEvent('gradscape:language', { detail: { lang } }));
}
