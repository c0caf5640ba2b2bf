// REST calls to the server (/api). Errors come back as ApiError with the server's message,
// its code and texts in each language (server/errorcodes.py) and a formula error's column,
// so the interface can say what to change in the reader's language.

export class ApiError extends Error {
  constructor(status, detail, column, retryAfter, body = null) {
    super(detail);
    this.status = status;
    this.column = column ?? null;
    this.retryAfter = retryAfter ?? null; // seconds, on 429 and 503
    this.code = body?.code ?? null;
    this.params = body?.params ?? null;
    this.text = body?.text ?? null; // {en, zh, 'zh-Hant'}
  }
}

export async function request(path, { body, signal, method } = {}) {
  const init = { method: method || (body === undefined ? 'GET' : 'POST'), signal };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`/api${path}`, init);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = typeof data?.detail === 'string' ? data.detail : `HTTP ${response.status}`;
    const retry = data?.retry_after ?? Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, detail, data?.column, Number.isFinite(retry) && retry > 0 ? retry : null, data);
  }
  return data;
}

export const api = {
  surfaces: () => request('/surfaces'),
  datasets: () => request('/datasets'),
  optimizers: () => request('/optimizers'),
  schedules: () => request('/schedules'),
  limits: () => request('/limits'),
  lessons: () => request('/lessons'),
  grid: (surface, resolution, signal) => request('/grid', { body: { surface, resolution }, signal }),
  formula: (formula, signal) => request('/formula', { body: { formula }, signal }),
  analyze: (surface, point, signal) => request('/analyze', { body: { surface, point }, signal }),
  critical: (surface, signal) => request('/critical-points', { body: { surface }, signal }),
  graph: (surface, point, signal) => request('/graph', { body: { surface, point }, signal }),
  curve: (body, signal) => request('/schedules/curve', { body, signal }),
  basins: (body, signal) => request('/basins', { body, signal }),
};

/** A small memo of promises by key (analyze/graph at the same point twice = one request). */
export class PromiseCache {
  constructor(size = 256) {
    this.size = size;
    this.map = new Map();
  }

  get(key, make) {
    if (this.map.has(key)) {
      const hit = this.map.get(key);
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const p = make();
    p.catch(() => this.map.delete(key));
    this.map.set(key, p);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value);
    return p;
  }

  clear() {
    this.map.clear();
  }
}
