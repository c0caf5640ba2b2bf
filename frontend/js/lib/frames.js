// The race as received so far: streamed frames appended into per-run columns.
//
// Frame layout (see the README's stream section): `step` is the path index of the first
// point in the frame. Per-point arrays (points, values, grads, eigen-decompositions) start
// at that index; per-step arrays (lrs, updates, inspector) describe the update *leaving*
// point `step + i`. A run that has stopped sends empty lists; its last point stays put.

const NUM = (v) => (v === null || v === undefined ? NaN : v);

/** One run's path and records, in plain arrays indexed by path position. */
export class RunTrack {
  constructor(info, index) {
    this.index = index;
    this.optimizer = info.optimizer;
    this.params = { ...(info.params || {}) };
    this.schedule = info.schedule || 'constant';
    this.start = info.start ? info.start.slice() : null;
    this.x = [];
    this.y = [];
    this.f = [];
    this.gx = [];
    this.gy = [];
    this.lr = [];
    this.ux = [];
    this.uy = [];
    this.inspector = {}; // name -> [[a, b] per step]
    this.eigenvalues = []; // per point: [l1, l2] or undefined
    this.eigenvectors = []; // per point: [[v00, v01], [v10, v11]] (columns are vectors)
    this.status = 'running';
    this.stopStep = null;
    this.retunes = []; // [{step, params}]
  }

  /** Points received so far (path length). */
  get length() {
    return this.x.length;
  }

  get stopped() {
    return this.status !== 'running';
  }

  /** The path index shown at playback position `cursor` (a run that stopped stays put). */
  indexAt(cursor) {
    if (this.length === 0) return -1;
    return Math.max(0, Math.min(Math.floor(cursor), this.length - 1));
  }

  point(k) {
    return [this.x[k], this.y[k]];
  }

  /** Everything known about path index k (the update is the one leaving point k). */
  record(k) {
    if (k < 0 || k >= this.length) return null;
    const ins = {};
    for (const [name, rows] of Object.entries(this.inspector)) ins[name] = rows[k] || null;
    const hasStep = k < this.ux.length && Number.isFinite(this.ux[k]);
    return {
      k,
      theta: [this.x[k], this.y[k]],
      value: this.f[k],
      grad: k < this.gx.length ? [this.gx[k], this.gy[k]] : null,
      lr: k < this.lr.length ? this.lr[k] : null,
      update: hasStep ? [this.ux[k], this.uy[k]] : null,
      next: k + 1 < this.length ? [this.x[k + 1], this.y[k + 1]] : null,
      nextValue: k + 1 < this.length ? this.f[k + 1] : null,
      inspector: ins,
      eigenvalues: this.eigenvalues[k] || null,
      eigenvectors: this.eigenvectors[k] || null,
      params: this.paramsAt(k),
    };
  }

  /** The hyperparameters in force for the update leaving point k. */
  paramsAt(k) {
    let params = this.initialParams || this.params;
    for (const r of this.retunes) if (r.step <= k) params = r.params;
    return params;
  }

  /** Lowest finite value reached by path index k (inclusive) and where. */
  bestUpTo(k) {
    let best = Infinity;
    let at = -1;
    const end = Math.min(k, this.length - 1);
    for (let i = 0; i <= end; i += 1) {
      if (this.f[i] < best) {
        best = this.f[i];
        at = i;
      }
    }
    return { value: at < 0 ? NaN : best, step: at };
  }
}

function put(column, index, value) {
  while (column.length < index) column.push(NaN);
  column[index] = value;
}

/** All runs of one race. */
export class RaceStore {
  /** @param started the server's "started" message */
  constructor(started) {
    this.race = started.race;
    this.steps = started.steps;
    this.bounds = started.bounds;
    this.runs = started.runs.map((info, i) => new RunTrack(info, i));
    for (const run of this.runs) run.initialParams = { ...run.params };
    this.done = false;
    this.doneReason = null;
    this.frames = 0;
  }

  /** Append one "frame" message. Frames of another race are ignored (returns false). */
  addFrame(msg) {
    if (msg.race !== this.race) return false;
    this.frames += 1;
    msg.runs.forEach((r, i) => {
      const run = this.runs[i];
      if (!run) return;
      const base = msg.step;
      (r.points || []).forEach((p, k) => {
        put(run.x, base + k, NUM(p?.[0]));
        put(run.y, base + k, NUM(p?.[1]));
      });
      (r.values || []).forEach((v, k) => put(run.f, base + k, NUM(v)));
      const n = (r.points || []).length;
      if (r.grads) {
        r.grads.forEach((g, k) => {
          put(run.gx, base + k, NUM(g?.[0]));
          put(run.gy, base + k, NUM(g?.[1]));
        });
      } else if (r.grad && n) { // detail "last": the gradient of the last step only
        put(run.gx, base + n - 1, NUM(r.grad[0]));
        put(run.gy, base + n - 1, NUM(r.grad[1]));
      }
      if (r.lrs) r.lrs.forEach((v, k) => put(run.lr, base + k, NUM(v)));
      if (r.updates) {
        r.updates.forEach((u, k) => {
          put(run.ux, base + k, NUM(u?.[0]));
          put(run.uy, base + k, NUM(u?.[1]));
        });
      }
      if (r.inspector) {
        for (const [name, rows] of Object.entries(r.inspector)) {
          const column = run.inspector[name] || (run.inspector[name] = []);
          if (Array.isArray(rows) && Array.isArray(rows[0])) {
            rows.forEach((row, k) => { column[base + k] = row.map(NUM); });
          } else if (Array.isArray(rows) && rows.length && n) {
            column[base + n - 1] = rows.map(NUM); // detail "last": the last step only
          }
        }
      }
      if (!r.lrs && r.lr !== undefined && n) put(run.lr, base + n - 1, NUM(r.lr));
      if (r.eigenvalues) r.eigenvalues.forEach((l, k) => { run.eigenvalues[base + k] = l; });
      if (r.eigenvectors) r.eigenvectors.forEach((v, k) => { run.eigenvectors[base + k] = v; });
      if (r.status) run.status = r.status;
      if (r.stop_step !== undefined) run.stopStep = r.stop_step;
    });
    return true;
  }

  /** A "set" reply: run `run` uses `params` from path index `step` on. */
  addRetune(msg) {
    if (msg.race !== this.race) return false;
    const run = this.runs[msg.run];
    if (!run) return false;
    // The same settings again (a slider released where it was dragged to) change nothing.
    if (JSON.stringify(msg.params) === JSON.stringify(run.params)) return false;
    run.params = { ...msg.params };
    // msg.step is the point whose update first uses the new settings (the server's steps
    // taken); that point itself may arrive with the next frame.
    const step = msg.step;
    const last = run.retunes[run.retunes.length - 1];
    if (last && last.step === step) last.params = run.params;
    else run.retunes.push({ step, params: run.params });
    return true;
  }

  /** The mid-race changes the race was started with (replayed by the server, which sends
   *  no "set" for them): marked like live ones. changes[i] = [{step, params}] of run i. */
  markChanges(changes) {
    changes.forEach((list, i) => {
      const run = this.runs[i];
      if (!run || !list?.length) return;
      let params = { ...run.initialParams };
      for (const c of list) {
        params = { ...params, ...c.params };
        run.retunes.push({ step: c.step, params });
      }
      run.params = params;
    });
  }

  /** A "done" message. */
  finish(msg) {
    if (msg.race !== this.race) return false;
    this.done = true;
    this.doneReason = msg.reason;
    (msg.runs || []).forEach((r, i) => {
      const run = this.runs[i];
      if (!run) return;
      // A race stopped by us leaves running runs "running"; call them stopped here.
      run.status = r.status === 'running' ? 'stopped' : r.status;
      run.stopStep = r.stop_step;
    });
    return true;
  }

  /** The furthest path index any run has reached (the playback's horizon). */
  get available() {
    let k = 0;
    for (const run of this.runs) k = Math.max(k, run.length - 1);
    return k;
  }

  /** True when every run has stopped: nothing more will arrive. */
  get complete() {
    return this.done || this.runs.every((r) => r.stopped);
  }

  /** The last path index the playback will ever show (null while unknown). */
  get finalIndex() {
    return this.complete ? this.available : null;
  }
}
