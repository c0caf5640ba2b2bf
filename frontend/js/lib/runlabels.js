// Names that tell a race's runs apart. A run's optimizer name is enough when it is the only
// run of that optimizer; the learning-rate lesson races four SGD runs, and "SGD: diverged"
// four times says nothing, so runs that share an optimizer get the settings that differ
// between them ("SGD · η=0.03"), or a number when they differ only in their start.

import { fmt } from './format.js';

// The symbols the run cards and the update rules use for these parameters.
const SYMBOLS = { lr: 'η', momentum: 'μ', alpha: 'α', betas: 'β', weight_decay: 'λ', eps: 'ε' };
const MAX_SHOWN = 2;

function valueText(v) {
  if (Array.isArray(v)) return v.map((x) => fmt(x, 3)).join(', ');
  if (typeof v === 'number') return fmt(v, 3);
  return String(v);
}

function settingsOf(run) {
  const params = run.initialParams || run.params || {};
  const out = { ...params };
  if (run.schedule && run.schedule !== 'constant') out.schedule = run.schedule;
  return out;
}

/**
 * runs: [{optimizer, params?, initialParams?, schedule?}], nameOf: id -> display name.
 * Returns one label per run, in order.
 */
export function runLabels(runs, nameOf) {
  const groups = new Map();
  runs.forEach((run, i) => {
    if (!groups.has(run.optimizer)) groups.set(run.optimizer, []);
    groups.get(run.optimizer).push(i);
  });
  const labels = runs.map((run) => nameOf(run.optimizer));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const settings = members.map((i) => settingsOf(runs[i]));
    const keys = [...new Set(settings.flatMap(Object.keys))].filter((key) => {
      const texts = settings.map((s) => (key in s ? valueText(s[key]) : ''));
      return new Set(texts).size > 1;
    });
    // The learning rate first: it is what a class compares most often.
    keys.sort((a, b) => (a === 'lr' ? -1 : b === 'lr' ? 1 : 0));
    members.forEach((i, n) => {
      const shown = keys.slice(0, MAX_SHOWN).filter((key) => key in settings[n]);
      labels[i] = shown.length
        ? `${labels[i]} · ${shown.map((key) => `${SYMBOLS[key] || key}=${valueText(settings[n][key])}`).join(', ')}`
        : `${labels[i]} #${n + 1}`;
    });
  }
  return labels;
}
