import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRINGS, t, tOr, setLang, getLang } from '../../frontend/js/lib/i18n.js';
import {
  localizeCatalog, kindName, choiceLabel, gateNote, ZH_NAMES,
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

// A catalog shaped like GET /api/surfaces, /api/optimizers, /api/schedules, /api/datasets.
function catalog() {
  return {
    surfaces: [{ id: 'saddle', name: 'Saddle', kind: 'saddle' }, { id: 'himmelblau', name: 'Himmelblau' }],
    datasets: [{
      id: 'single_neuron', name: 'Single neuron (w, b)',
      options: { loss: { doc: 'mean squared error or cross-entropy', choices: ['mse', 'cross_entropy'] } },
    }],
    optimizers: [
      { id: 'momentum', name: 'Momentum', params: { properties: { lr: { description: 'the learning rate η' }, momentum: { description: 'momentum factor μ' } } } },
      { id: 'newton', name: 'Newton', params: { properties: { lr: { description: 'step factor η' } } } },
      { id: 'brand_new', name: 'Brand new', params: { properties: { zeta: { description: 'a new knob' } } } },
    ],
    schedules: [{ id: 'cosine', name: 'Cosine annealing', params: { properties: { T_max: { description: 'steps to reach the floor' } } } }],
  };
}

test('localizeCatalog: Chinese names and docs, and back to the server English', () => {
  const c = catalog();
  localizeCatalog(c, 'zh');
  assert.equal(c.surfaces[0].name, '马鞍面');
  assert.equal(c.surfaces[1].name, 'Himmelblau'); // a name, kept
  assert.equal(c.optimizers[0].name, '动量法');
  assert.match(c.optimizers[0].params.properties.lr.description, /学习率/);
  // The same key can mean something else for another optimizer: Newton's lr is a step factor.
  assert.match(c.optimizers[1].params.properties.lr.description, /步长系数/);
  assert.equal(c.schedules[0].name, '余弦退火');
  assert.equal(c.datasets[0].name, '单个神经元 (w, b)');
  assert.match(c.datasets[0].options.loss.doc, /交叉熵/);
  assert.equal(c.datasets[0].options.loss.label, '损失函数');
  // Something the table does not know yet keeps the server's text rather than going blank.
  assert.equal(c.optimizers[2].name, 'Brand new');
  assert.equal(c.optimizers[2].params.properties.zeta.description, 'a new knob');
  localizeCatalog(c, 'zh'); // twice is harmless
  assert.equal(c.optimizers[0].name, '动量法');
  localizeCatalog(c, 'en');
  assert.equal(c.surfaces[0].name, 'Saddle');
  assert.equal(c.optimizers[0].name, 'Momentum');
  assert.equal(c.optimizers[1].params.properties.lr.description, 'step factor η');
  assert.equal(c.datasets[0].options.loss.doc, 'mean squared error or cross-entropy');
  assert.equal(c.datasets[0].options.loss.label, 'loss');
});

test('kinds, choices and gate notes have Chinese words; unknown ones fall back', () => {
  assert.equal(kindName('convex', 'zh'), '凸函数');
  assert.equal(kindName('convex', 'en'), 'convex');
  assert.equal(kindName('unheard_of', 'zh'), 'unheard_of');
  assert.equal(choiceLabel('cross_entropy', 'zh'), '交叉熵');
  assert.equal(choiceLabel('cross_entropy', 'en'), 'cross_entropy');
  assert.equal(choiceLabel(true, 'zh'), 'true');
  assert.match(gateNote('mul', 'multiply gate: ...', 'zh'), /乘法门/);
  assert.equal(gateNote('mul', 'multiply gate: ...', 'en'), 'multiply gate: ...');
  assert.equal(gateNote('sin', '', 'zh'), '');
});

test('the Chinese name tables have no empty entries', () => {
  for (const [group, table] of Object.entries(ZH_NAMES)) {
    for (const [id, text] of Object.entries(table)) assert.ok(String(text).trim(), `${group}.${id}`);
  }
});

test('words inside update rules are translated, the mathematics is not', async () => {
  const { localizeTex } = await import('../../frontend/js/lib/catalog_i18n.js');
  const sgd = '\\theta_{t+1} = \\theta_t - \\eta\\,(g_t + \\mu b_t \\text{ if Nesterov else } b_t)';
  const zh = localizeTex(sgd, 'zh');
  assert.equal(zh, '\\theta_{t+1} = \\theta_t - \\eta\\,(g_t + \\mu b_t \\text{ 若用 Nesterov，否则 } b_t)');
  assert.equal(localizeTex(sgd, 'en'), sgd);
  assert.equal(localizeTex('\\text{unknown words}', 'zh'), '\\text{unknown words}');
  const c = { optimizers: [{ id: 'sgd', name: 'SGD', rule: sgd, params: {} }] };
  localizeCatalog(c, 'zh');
  assert.equal(c.optimizers[0].rule, zh);
  localizeCatalog(c, 'en');
  assert.equal(c.optimizers[0].rule, sgd);
});

// Server errors (formula errors included) come with their texts in each language, by code:
// tests/test_error_codes.py checks them against the live server and this page's errortext.js.
