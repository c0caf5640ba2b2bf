// The catalog in the reader's language. The server sends every name and description of the
// catalog (surfaces, data sets and their options, optimizers and their update rules,
// schedules, hyperparameter docs, the backprop gates' notes) as {en, zh, zh-Hant} beside the
// English field (server/catalogtext.py); this module only picks one, it keeps no table of
// catalog words. What remains here are the interface's own words for the graph's operators.
// Traditional Chinese for those comes from i18n.zh_hant.js (scripts/make_zh_hant.py).

import { TEMPLATES_HANT } from './i18n.zh_hant.js';
import { t } from './i18n.js';

// The op's word after its symbol in the backprop graph ("+ add"). Functions (sin, exp) keep
// their formula name.
const OP_WORDS = {
  en: {
    add: 'add', sub: 'sub', mul: 'mul', div: 'div', pow: 'pow', neg: 'neg', square: 'square',
    var: 'var', const: 'const',
  },
  zh: {
    add: '加', sub: '减', mul: '乘', div: '除', pow: '幂', neg: '取负', square: '平方',
    var: '变量', const: '常数',
  },
};

/** A served {en, zh, zh-Hant} text in `lang` (English when that language is missing). */
export const inLanguage = (text, lang) => (text ? text[lang] ?? text.en : undefined);
/** A Simplified template in `lang` (Traditional from the generated table). */
const inLang = (text, lang) => (lang === 'zh-Hant' ? TEMPLATES_HANT[text] ?? text : text);

/** Localize a catalog entry's field in place from its served texts. */
function swap(obj, field, texts, lang) {
  const text = inLanguage(texts, lang);
  if (text !== undefined) obj[field] = text;
}

function localizeSchema(schema, lang) {
  for (const p of Object.values(schema?.properties || {})) swap(p, 'description', p.descriptions, lang);
}

/**
 * Names and descriptions of the catalog (surfaces, datasets, optimizers, schedules) in
 * `lang`, in place, from the {en, zh, zh-Hant} texts the server sends beside each English
 * field (server/catalogtext.py); 'en' restores the English. Data-set options also get a
 * `label`.
 */
export function localizeCatalog(catalog, lang) {
  for (const s of catalog.surfaces || []) swap(s, 'name', s.names, lang);
  for (const d of catalog.datasets || []) {
    swap(d, 'name', d.names, lang);
    for (const [key, opt] of Object.entries(d.options || {})) {
      swap(opt, 'doc', opt.docs, lang);
      opt.label = inLanguage(opt.labels, lang) ?? key;
    }
  }
  for (const o of catalog.optimizers || []) {
    swap(o, 'name', o.names, lang);
    swap(o, 'rule', o.rules, lang);
    swap(o, 'rule_mathml', o.rule_mathmls, lang); // MathML made from that language's rule
    localizeSchema(o.params, lang);
  }
  for (const s of catalog.schedules || []) {
    swap(s, 'name', s.names, lang);
    localizeSchema(s.params, lang);
  }
  return catalog;
}

/** A surface's kind ('convex', 'saddle', ...) in words (a typed formula's is 'custom'). */
export function kindName(info, lang) {
  return inLanguage(info?.kind_names, lang) ?? (info?.kind === 'custom' ? t('surface.kind.custom') : info?.kind);
}

/** The text of a data-set option's choice. */
export function choiceLabel(option, value, lang) {
  return inLanguage(option?.choice_names?.[String(value)], lang) ?? String(value);
}

/** What a backprop gate does with gradients, from the graph node's served notes. */
export function gateNote(node, lang) {
  return inLanguage(node?.notes, lang) ?? node?.note;
}

/** The word shown after an operator's symbol in the graph. */
export function opWord(op, lang) {
  if (lang === 'zh-Hant') return inLang(OP_WORDS.zh[op], lang) ?? op;
  return (OP_WORDS[lang] || OP_WORDS.en)[op] ?? op;
}

/** Every Simplified template above, for scripts/make_zh_hant.py to convert. */
export const ZH_TEMPLATES = [...Object.values(OP_WORDS.zh)];
