// What the interface says about a failed request. The server sends every error with its
// text in each language (server/errorcodes.py: `text` = {en, zh, zh-Hant}, by a stable
// code); this picks the reader's. Refused for now (429: beyond this client's fair share or a
// full queue; 503: shutting down) it says when to try again.

import { t, getLang } from './i18n.js';

/** The server's text of an error in `lang` (English if that language is missing); null when
 *  the error has no texts (a network failure, say). */
export function serverText(err, lang = getLang()) {
  const text = err?.text;
  if (!text || typeof text !== 'object') return null;
  return text[lang] ?? text.en ?? null;
}

/** err: an ApiError ({status, retryAfter, message, text}) or a stream error message
 *  ({code, retry_after, message, text}); returns the text for a toast. */
export function errorText(err, lang = getLang()) {
  const retry = err?.retryAfter ?? err?.retry_after;
  const busy = err?.status === 429 || err?.status === 503 || (retry && /busy|shutting/.test(err?.code ?? ''));
  if (busy) {
    const seconds = Math.max(1, Math.round(Number(retry) || 5));
    return t('toast.busy', { seconds });
  }
  const message = serverText(err, lang) ?? err?.message ?? String(err);
  return t('toast.error', { message });
}
