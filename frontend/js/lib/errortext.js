// What the interface says about a failed request: the server's own message, except when it
// refused for now (429: beyond this client's fair share or a full queue; 503: shutting
// down), where it says, in the interface's language, when to try again.

import { t, tOr } from './i18n.js';

/** err: an ApiError ({status, retryAfter, message}) or a stream error message
 *  ({code, retry_after, message}); returns the text for a toast. */
export function errorText(err) {
  const retry = err?.retryAfter ?? err?.retry_after;
  const busy = err?.status === 429 || err?.status === 503 || (err?.code === 'busy' && retry);
  if (busy) {
    const seconds = Math.max(1, Math.round(Number(retry) || 5));
    return t('toast.busy', { seconds });
  }
  const message = err?.message ?? String(err);
  // A stream's refusal (server/streamguard.py) is said in the reader's language by its code.
  if (err?.code) return tOr(`stream.refused.${err.code}`, t('toast.error', { message }));
  return t('toast.error', { message });
}
