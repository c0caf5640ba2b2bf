import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../frontend/js/lib/errortext.js';
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
