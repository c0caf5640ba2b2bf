// What the server serves and lib/state.js needs before a hash means anything: the default
// runs (GET /api/limits default_runs; tests/test_catalog_served.py checks the server serves
// exactly data/default_runs.json, the runs a link without r= has always meant) and limits.
// Importing this module sets them, as the page does when its catalog arrives.

import { readFileSync } from 'node:fs';
import { setDefaultRuns } from '../../frontend/js/lib/state.js';

export const DEFAULT_RUNS = JSON.parse(readFileSync(new URL('./data/default_runs.json', import.meta.url), 'utf8'));

setDefaultRuns(DEFAULT_RUNS);
