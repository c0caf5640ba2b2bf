// Which scene changes deserve their own entry in the browser's history. Back should return
// to the previous *scene* (another surface, other runs, settings, start, view or lesson),
// not to the previous animation frame: the step, overlays, speed and panel only replace the
// current entry. A setting is applied once it is committed (a slider released, a box's
// Enter), so an eta edit is one entry, not one per pixel of a drag.

/** Everything that makes a run race another way. */
function runKey(run) {
  return [run.optimizer, run.params || {}, run.schedule || 'constant', run.schedule_params || {},
    run.noise || 0, run.batch_size || null, run.start || null, run.changes || []];
}

/** The race's identity: what an undo takes back (lib/undo.js). */
export function raceKey(state) {
  return JSON.stringify([
    state.surface, state.surface === 'custom' ? state.formula : '', state.bounds || null,
    state.options || {}, (state.runs || []).map(runKey), state.start, state.steps, state.seed,
  ]);
}

/** The scene's identity: what a Back button should undo. */
export function sceneKey(state) {
  return JSON.stringify([
    state.surface, state.surface === 'custom' ? state.formula : '', state.bounds || null,
    state.options || {}, (state.runs || []).map(runKey), state.start, state.steps,
    state.seed, state.view, state.lesson || '', Boolean(state.presenter), state.lang,
  ]);
}

/**
 * 'push' when the scene itself changed (a setting too), 'replace' when only its details
 * did (the step, an overlay, the speed), 'none' when the hash is the same.
 * prev and next are scene states (lib/state.js); prevHash/nextHash their hashes.
 */
export function historyAction(prev, next, prevHash, nextHash) {
  if (prevHash === nextHash) return 'none';
  return sceneKey(prev) === sceneKey(next) ? 'replace' : 'push';
}
