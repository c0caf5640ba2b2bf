// A network race as it arrives: the `started` message and every `frame` joined per run into
// arrays indexed by iterate (points, losses, accuracies) or by update (gradient norm, effective
// step, the optimizer's state norms). Boundary grids arrive every few frames; `boundaryAt(run, k)`
// is the newest one at or before iterate k. Pure: tested under node (tests/js/network_scene.test.mjs).

const PER_ITERATE = ['points', 'distance', 'train_loss', 'test_loss', 'train_acc', 'test_acc'];
const PER_UPDATE = ['grad_norm', 'step_norm'];

/**
 * Epochs completed after u updates of batch size b over n samples: each epoch is ceil(n/b)
 * batches, the last one short (core/training.py, torch's DataLoader without drop_last).
 */
export function epochOf(u, n, b) {
  const size = Math.max(1, Math.min(b || n, n));
  const perEpoch = Math.ceil(n / size);
  const full = Math.floor(u / perEpoch);
  return (full * n + Math.min((u - full * perEpoch) * size, n)) / n;
}

export class NetRaceData {
  constructor(started) {
    this.started = started;
    this.task = started.network.task;
    this.classes = started.network.classes;
    this.steps = started.steps;
    this.runs = started.runs.map((r) => ({
      config: r, status: 'running', stopStep: null, lr: null, epoch: null,
      ...Object.fromEntries([...PER_ITERATE, ...PER_UPDATE].map((k) => [k, []])),
      sharpness: [], boundaries: [], // [{step, grid}], ascending
      state: {}, // torch.optim buffer name -> its norm after each update (null before it existed)
    }));
    this.done = false;
  }

  /** Add one `frame` message. */
  add(frame) {
    frame.runs.forEach((fr, i) => {
      const run = this.runs[i];
      if (!run) return;
      for (const key of PER_ITERATE) if (fr[key]) run[key].push(...fr[key]);
      const before = run.grad_norm.length; // updates of earlier frames
      for (const key of PER_UPDATE) if (fr[key]) run[key].push(...fr[key]);
      for (const [name, values] of Object.entries(fr.state_norms || {})) {
        // a buffer that appears mid-race (momentum switched on) lines up with its updates
        const list = run.state[name] || (run.state[name] = []);
        while (list.length < before) list.push(null);
        list.push(...values);
      }
      if (fr.sharpness) run.sharpness.push(...fr.sharpness);
      if (fr.lr !== undefined) run.lr = fr.lr;
      if (fr.epoch !== undefined) run.epoch = fr.epoch;
      run.status = fr.status;
      run.stopStep = fr.stop_step;
      const last = run.points.length - 1;
      const grid = fr.boundary ?? (fr.boundary_of !== undefined ? frame.runs[fr.boundary_of]?.boundary : undefined);
      if (grid && last >= 0) run.boundaries.push({ step: last, grid });
    });
  }

  /** The last iterate every run has (the playback may go this far). */
  available() {
    const live = this.runs.filter((r) => r.points.length);
    return live.length ? Math.max(...live.map((r) => r.points.length - 1)) : 0;
  }

  /** The last iterate there will ever be, once every run has stopped; else null. */
  final() {
    return this.runs.every((r) => r.status !== 'running') ? this.available() : null;
  }

  /** The boundary grid of run i shown at iterate k: the newest one sent at or before k. */
  boundaryAt(i, k) {
    const list = this.runs[i]?.boundaries || [];
    let best = null;
    for (const b of list) {
      if (b.step <= k) best = b;
      else break;
    }
    return best || list[0] || null;
  }

  /** Run i's epochs completed at each iterate it has (its x values on an epoch axis). */
  epochs(i) {
    const r = this.runs[i];
    const n = this.started.data?.X?.length || 1;
    return r.points.map((_, j) => epochOf(j, n, r.config.batch_size));
  }

  /** The numbers of run i at iterate k (clamped to what the run has). */
  at(i, k) {
    const r = this.runs[i];
    const n = r.points.length;
    if (!n) return null;
    const j = Math.max(0, Math.min(k, n - 1));
    const u = j - 1; // update j moved iterate j-1 to j
    let sharp = null;
    for (const row of r.sharpness) if (row[0] <= j) sharp = row;
    return {
      step: j, train_loss: r.train_loss[j], test_loss: r.test_loss[j],
      train_acc: r.train_acc[j] ?? null, test_acc: r.test_acc[j] ?? null,
      grad_norm: u >= 0 ? r.grad_norm[u] ?? null : null,
      step_norm: u >= 0 ? r.step_norm[u] ?? null : null,
      distance: r.distance[j], point: r.points[j],
      // the optimizer's state after the update that produced iterate j (none at the start)
      state: Object.fromEntries(Object.entries(r.state).map(([name, v]) => [name, u >= 0 ? v[u] ?? null : null])),
      sharpness: sharp, // [step, λmax, threshold, preconditioned]
    };
  }
}
