// Fetches a surface grid and prepares it (contours, shading, gradient field) off the main
// thread: JSON parsing and marching squares never hold up the animation.

import { prepareGrid, transferables } from '../lib/surfacegrid.js';

self.onmessage = async (event) => {
  const { id, body } = event.data;
  try {
    const response = await fetch('/api/grid', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const retryAfter = data?.retry_after ?? (Number(response.headers.get('retry-after')) || null);
      // The error's code and texts travel with it (server/errorcodes.py): the page shows the
      // reader's language.
      const body = data && { code: data.code, params: data.params, text: data.text };
      self.postMessage({ id, error: data?.detail || `HTTP ${response.status}`, status: response.status, retryAfter, body });
      return;
    }
    const prepared = { ...prepareGrid(data), start: data.start }; // the server's default start
    self.postMessage({ id, grid: prepared }, transferables(prepared));
  } catch (err) {
    self.postMessage({ id, error: String(err?.message || err) });
  }
};
