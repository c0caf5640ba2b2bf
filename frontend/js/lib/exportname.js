// Download names for exports: gradscape-<surface>-<optimizers>.<ext>, e.g.
// gradscape-himmelblau-adam-sgd.png, safe on every file system.

function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** state: the scene (lib/state.js); ext: 'png', 'svg', 'gif', 'html', 'csv'. */
export function exportFilename(state, ext) {
  const surface = slug(state.surface === 'custom' ? 'formula' : state.surface) || 'surface';
  const seen = new Set();
  const optimizers = [];
  for (const run of state.runs || []) {
    const id = slug(run.optimizer);
    if (id && !seen.has(id)) {
      seen.add(id);
      optimizers.push(id);
    }
  }
  let stem = ['gradscape', surface, ...optimizers].join('-');
  if (stem.length > 80) stem = stem.slice(0, 80).replace(/[-_]+$/, '');
  return `${stem}.${slug(ext) || 'dat'}`;
}
