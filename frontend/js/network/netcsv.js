// The network race as CSV: one row per run and iterate (0..the run's last), from the numbers
// the page received (network/racedata.js) and, once the slice has come, each iterate's
// coordinates on the slice's plane with the slice's loss there and the distance from the
// plane. Pure: tested under node (tests/js/network_export.test.mjs). Conventions as in the 2D
// CSV (server/export.py): a row's grad_norm and step_norm belong to the update that leaves
// that iterate (the last iterate has none), and so do the optimizer's state norms
// (state_<torch buffer name>, e.g. state_exp_avg: its norm after that update); sharpness columns
// only at the sampled steps. lr_start is the run's η as set at step 0: a schedule and mid-run
// changes act on it (POST /api/network/train reports every update's rate).

export const NET_CSV_COLUMNS = ['run', 'optimizer', 'lr_start', 'batch_size', 'step', 'train_loss', 'test_loss',
  'train_acc', 'test_acc', 'grad_norm', 'step_norm', 'sharpness', 'threshold', 'preconditioned',
  'plane', 'a', 'b', 'slice_loss', 'plane_distance', 'status'];

/** A number as the shortest text that reads back to the same double; '' when missing. */
function num(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

function cell(v) {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * data: a NetRaceData; land: the landscape message on screen (or null); plane: its name as
 * the scene says it ('pca', 'random', 'hessian', 'interp'). Returns the CSV text.
 */
export function networkCsv(data, land = null, plane = '') {
  // every optimizer state any run has, one column each (empty for a run without it)
  const states = [...new Set(data.runs.flatMap((r) => Object.keys(r.state || {})))].sort();
  const lines = [[...NET_CSV_COLUMNS, ...states.map((n) => `state_${n}`)].join(',')];
  const samples = data.started.data?.X?.length ?? null;
  data.runs.forEach((run, i) => {
    const c = run.config;
    const sharp = new Map(run.sharpness.map((row) => [row[0], row]));
    const path = land?.paths?.[i] || null;
    const batch = c.batch_size ?? samples;
    for (let k = 0; k < run.points.length; k += 1) {
      const s = sharp.get(k);
      const xy = path?.coords?.[k] || null;
      lines.push([
        i, cell(c.optimizer), num(c.params?.lr), num(batch), k,
        num(run.train_loss[k]), num(run.test_loss[k]), num(run.train_acc[k]), num(run.test_acc[k]),
        num(run.grad_norm[k]), num(run.step_norm[k]),
        num(s?.[1]), num(s?.[2]), num(s?.[3]),
        path ? plane : '', num(xy?.[0]), num(xy?.[1]), num(path?.slice_loss?.[k]), num(path?.distance?.[k]),
        run.status,
        ...states.map((n) => num(run.state?.[n]?.[k])),
      ].join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}
