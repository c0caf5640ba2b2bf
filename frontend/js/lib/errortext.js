// What the interface says about a failed request: the server's own message, except when it
// refused for now (429: beyond this client's fair share or a full queue; 503: shutting
// down), where it says, in the interface's language, when to try again.

import { t } from './i18n.js';

/** err: an ApiError ({status, retryAfter, message}) or a stream error message
 *  ({code, retry_after, message}); returns the text for a toast. */
export function errorText(err) {
  const busy = err?.status === 429 || err?.status === 503 || err?.code === 'busy';
  if (busy) {
    const seconds = Math.max(1, Math.round(Number(err.retryAfter ?? err.retry_after) || 5));
    return t('toast.busy', { seconds });
  }
  return t('toast.error', { message: err?.message ?? String(err) });
}
