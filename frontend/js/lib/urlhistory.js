// Which scene changes deserve their own entry in the browser's history. Back should return
// to the previous *scene* (another surface, other runs, another start, view or lesson), not
// to the previous animation frame or slider position: those only replace the current entry.

/** The parts of a run that make it another run (hyperparameter values do not). */
function runShapeKey(run) {
  return [run.optimizer, run.schedule || 'constant', Boolean(run.noise), run.batch_size || null,
    run.start || null];
}

/** The scene's identity: what a Back button should undo. */
export function sceneKey(state) {
  return JSON.stringify([
    state.surface, state.surface === 'custom' ? state.formula : '', state.bounds || null,
    state.options || {}, (state.runs || []).map(runShapeKey), state.start, state.steps,
    state.seed, state.view, state.lesson || '', Boolean(state.presenter), state.lang,
  ]);
}

/**
 * 'push' when the scene itself changed, 'replace' when only its details did (the step,
 * a learning rate being dragged, an overlay, the speed), 'none' when the hash is the same.
 * prev and next are scene states (lib/state.js); prevHash/nextHash their hashes.
 */
export function historyAction(prev, next, prevHash, nextHash) {
  if (prevHash === nextHash) return 'none';
  return sceneKey(prev) === sceneKey(next) ? 'replace' : 'push';
}
