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
      self.postMessage({ id, error: data?.detail || `HTTP ${response.status}`, status: response.status, retryAfter });
      return;
    }
    const prepared = prepareGrid(data);
    self.postMessage({ id, grid: prepared }, transferables(prepared));
  } catch (err) {
    self.postMessage({ id, error: String(err?.message || err) });
  }
};
