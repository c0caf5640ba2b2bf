// Traditional Chinese: which browsers get it, its strings, and its fallbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRINGS, t, setLang } from '../../frontend/js/lib/i18n.js';
import { opWord } from '../../frontend/js/lib/catalog_i18n.js';
import { chineseScript, initialLanguage } from '../../frontend/js/ui/language.js';

test('a Taiwan, Hong Kong or Macau browser gets Traditional; mainland and Singapore Simplified', () => {
  for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-TW', 'zh-hk']) {
    assert.equal(initialLanguage('', [tag], null), 'zh-Hant', tag);
  }
  for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans', 'zh-Hans-HK']) {
    assert.equal(initialLanguage('', [tag], null), 'zh', tag);
  }
  assert.equal(chineseScript('zh-Hans-TW'), 'zh'); // the script named wins over the region
  assert.equal(initialLanguage('', ['en-US', 'zh-TW'], null), 'zh-Hant'); // any Chinese preference
  assert.equal(initialLanguage('lang=zh-Hant', ['en'], null), 'zh-Hant');
  assert.equal(initialLanguage('s=bowl&lang=zh', ['zh-TW'], null), 'zh'); // the link wins
  assert.equal(initialLanguage('', ['zh-CN'], 'zh-Hant'), 'zh-Hant'); // the switch remembered
});

test('zh-Hant has every key of zh, with the same placeholders, in Traditional characters', () => {
  const hant = STRINGS['zh-Hant'];
  assert.deepEqual(Object.keys(hant).sort(), Object.keys(STRINGS.zh).sort());
  const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, text] of Object.entries(STRINGS.zh)) assert.deepEqual(ph(hant[key]), ph(text), key);
  assert.match(hant['lesson.step.predict'], /預測/);
  setLang('zh-Hant');
  assert.equal(t('lesson.next'), STRINGS['zh-Hant']['lesson.next']);
  // a key no Chinese table has yet falls back to English, then to the key
  assert.equal(t('no.such.key'), 'no.such.key');
  setLang('en');
});

test('graph words in Traditional (catalog names and errors come from the server in it)', () => {
  assert.equal(opWord('sub', 'zh-Hant'), '減');
  assert.equal(opWord('sin', 'zh-Hant'), 'sin');
});
