import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRINGS, t, tOr, setLang, getLang } from '../../frontend/js/lib/i18n.js';
import {
  localizeCatalog, kindName, choiceLabel, gateNote,
} from '../../frontend/js/lib/catalog_i18n.js';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('zh has exactly the keys of en: none missing, none left over', () => {
  const en = new Set(Object.keys(STRINGS.en));
  const zh = new Set(Object.keys(STRINGS.zh));
  const missing = [...en].filter((k) => !zh.has(k));
  const extra = [...zh].filter((k) => !en.has(k));
  assert.deepEqual(missing, [], `keys without a Chinese text: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `Chinese keys that English does not have: ${extra.join(', ')}`);
});

test('no Chinese text is empty or whitespace', () => {
  for (const [key, text] of Object.entries(STRINGS.zh)) {
    assert.equal(typeof text, 'string', key);
    assert.ok(text.trim().length > 0, key);
  }
});

test('every placeholder of the English text survives in the Chinese one (and no new ones)', () => {
  for (const [key, text] of Object.entries(STRINGS.en)) {
    if (!(key in STRINGS.zh)) continue; // reported by the key test
    assert.deepEqual(placeholders(STRINGS.zh[key]), placeholders(text), key);
  }
});

test('a sentence in Chinese is really Chinese: prose keys contain CJK characters', () => {
  // Keys whose English text has a word of four letters or more must not be copied over
  // untranslated (symbols, names and formulas such as "3D" or "f(θ)" may stay the same).
  const NAMES = /^(gradscape|Shift|Enter)$/;
  for (const [key, text] of Object.entries(STRINGS.en)) {
    const words = (text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{4,}/g) || []).filter((w) => !NAMES.test(w));
    if (!words.length || !(key in STRINGS.zh)) continue;
    assert.match(STRINGS.zh[key], /[\u3400-\u9fff]/, `${key}: "${STRINGS.zh[key]}"`);
  }
});

test('t() switches tables, fills placeholders, and falls back to English for unknown languages', () => {
  setLang('zh');
  assert.equal(getLang(), 'zh');
  assert.equal(t('play.step', { step: 3, total: 10 }), '第 3 / 10 步');
  assert.equal(t('kind.saddle'), '鞍点');
  assert.equal(tOr('sym.lr_decay', 'x'), 'η 衰减');
  assert.equal(tOr('sym.nothing', 'fallback'), 'fallback');
  setLang('xx');
  assert.equal(getLang(), 'en');
  assert.equal(t('runs.add'), 'Add run');
  setLang('en');
});

// Picking from the served texts; the texts themselves are checked against the live server's
// catalog by tests/test_catalog_served.py.
const T = (en, zh) => ({ en, zh, 'zh-Hant': `${zh}(繁)` });
function catalog() {
  return {
    surfaces: [{ id: 'saddle', name: 'Saddle', kind: 'saddle', names: T('Saddle', '马鞍面'), kind_names: T('saddle', '鞍面') }],
    datasets: [{
      id: 'single_neuron', name: 'Single neuron (w, b)', names: T('Single neuron (w, b)', '单个神经元 (w, b)'),
      options: { loss: { doc: 'mse or cross-entropy', docs: T('mse or cross-entropy', '均方误差或交叉熵'), labels: T('loss', '损失函数'),
        choices: ['mse'], choice_names: { mse: T('mse', '均方误差') } } },
    }],
    optimizers: [{ id: 'momentum', name: 'Momentum', names: T('Momentum', '动量法'), rule: 'a \\text{ if } b', rules: T('a \\text{ if } b', 'a \\text{ 若 } b'),
      params: { properties: { lr: { description: 'the learning rate η', descriptions: T('the learning rate η', '学习率 η') } } } },
    { id: 'old_server', name: 'Old', params: { properties: { zeta: { description: 'a knob' } } } }],
    schedules: [{ id: 'cosine', name: 'Cosine annealing', names: T('Cosine annealing', '余弦退火'), params: {} }],
  };
}

test('localizeCatalog picks the served language, and English again', () => {
  const c = catalog();
  for (const lang of ['zh', 'zh-Hant', 'zh', 'en']) {
    localizeCatalog(c, lang);
    const pick = (text) => text[lang];
    assert.equal(c.surfaces[0].name, pick(c.surfaces[0].names));
    assert.equal(c.datasets[0].name, pick(c.datasets[0].names));
    assert.equal(c.datasets[0].options.loss.doc, pick(c.datasets[0].options.loss.docs));
    assert.equal(c.datasets[0].options.loss.label, pick(c.datasets[0].options.loss.labels));
    assert.equal(c.optimizers[0].name, pick(c.optimizers[0].names));
    assert.equal(c.optimizers[0].rule, pick(c.optimizers[0].rules));
    assert.equal(c.optimizers[0].params.properties.lr.description, pick(c.optimizers[0].params.properties.lr.descriptions));
    assert.equal(c.schedules[0].name, pick(c.schedules[0].names));
    // An entry without served texts keeps its English rather than going blank.
    assert.equal(c.optimizers[1].name, 'Old');
    assert.equal(c.optimizers[1].params.properties.zeta.description, 'a knob');
    assert.equal(kindName(c.surfaces[0], lang), pick(c.surfaces[0].kind_names));
    assert.equal(choiceLabel(c.datasets[0].options.loss, 'mse', lang), pick(c.datasets[0].options.loss.choice_names.mse));
  }
  assert.equal(c.surfaces[0].name, 'Saddle');
});

test('kinds, choices and gate notes fall back to what the server said', () => {
  assert.equal(kindName({ kind: 'unheard_of' }, 'zh'), 'unheard_of');
  assert.equal(choiceLabel({ choices: [true] }, true, 'zh'), 'true');
  const node = { op: 'mul', note: 'multiply gate', notes: T('multiply gate', '乘法门') };
  assert.equal(gateNote(node, 'zh'), '乘法门');
  assert.equal(gateNote(node, 'en'), 'multiply gate');
  assert.equal(gateNote({ op: 'sin', note: '' }, 'zh'), '');
  setLang('zh');
  assert.equal(kindName({ kind: 'custom' }, 'zh'), '自定义公式');
  setLang('en');
});

// Server errors (formula errors included) come with their texts in each language, by code:
// tests/test_error_codes.py checks them against the live server and this page's errortext.js.
