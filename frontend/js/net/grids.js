// Surface grids, fetched and prepared in a module Web Worker (main-thread fallback).

import { request, ApiError } from './api.js';
import { prepareGrid } from '../lib/surfacegrid.js';

/** The grid ready to draw, with the server's default start on it (GridResponse.start). */
const prepared = (grid) => ({ ...prepareGrid(grid), start: grid.start });

export class GridLoader {
  constructor() {
    this.pending = new Map();
    this.next = 1;
    try {
      this.worker = new Worker(new URL('../workers/grid-worker.js', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e) => {
        const job = this.pending.get(e.data.id);
        if (!job) return;
        this.pending.delete(e.data.id);
        if (e.data.error) job.reject(new ApiError(e.data.status || 0, e.data.error, null, e.data.retryAfter, e.data.body));
        else job.resolve(e.data.grid);
      };
      this.worker.onerror = () => {
        // No module workers here (or the worker failed to load): finish on the main thread.
        this.worker = null;
        for (const job of this.pending.values()) {
          request('/grid', { body: job.body }).then(prepared).then(job.resolve, job.reject);
        }
        this.pending.clear();
      };
    } catch {
      this.worker = null;
    }
  }

  /** A prepared grid of `surface` (an API surface spec) with `resolution` points a side. */
  load(surface, resolution) {
    const body = { surface, resolution };
    if (!this.worker) return request('/grid', { body }).then(prepared);
    const id = this.next;
    this.next += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, body });
      this.worker.postMessage({ id, body });
    });
  }
}
