import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, serverText } from '../../frontend/js/lib/errortext.js';
import { setLang } from '../../frontend/js/lib/i18n.js';

test('a 429 says when to try again, in the interface language, not the server text', () => {
  setLang('en');
  const err = { status: 429, retryAfter: 7, message: 'you already have 2 heavy requests' };
  assert.match(errorText(err), /busy.*try again in 7 s/);
  assert.doesNotMatch(errorText(err), /heavy requests/);
  setLang('zh');
  assert.match(errorText(err), /7 秒后再试/);
  setLang('en');
});

test('a busy error frame on the stream reads the same, with its retry_after', () => {
  setLang('en');
  assert.match(errorText({ code: 'busy', retry_after: 12, message: 'x' }), /try again in 12 s/);
  // no figure given: a sane default rather than "NaN s"
  assert.match(errorText({ status: 503, message: 'shutting down' }), /try again in 5 s/);
});

test('other errors show the server message as before', () => {
  setLang('en');
  assert.equal(errorText({ status: 422, message: 'resolution 900 is too large' }),
    'Server: resolution 900 is too large');
});

test('an error with the server texts reads in the interface language, by no parsing of prose', () => {
  const err = { status: 422, message: 'unknown name q at column 3; use x',
    text: { en: 'unknown name q at column 3; use x', zh: '未知的名称 q（第 3 列）；请使用 x', 'zh-Hant': '未知的名稱 q（第 3 列）；請使用 x' } };
  setLang('zh');
  assert.equal(errorText(err), '服务器：未知的名称 q（第 3 列）；请使用 x');
  setLang('zh-Hant');
  assert.match(errorText(err), /未知的名稱/);
  setLang('en');
  assert.equal(errorText(err), 'Server: unknown name q at column 3; use x');
  // a language the server did not send falls back to its English
  assert.equal(serverText(err, 'fr'), 'unknown name q at column 3; use x');
  assert.equal(serverText({ message: 'offline' }, 'zh'), null);
});
