// Words and live numbers for the step inspector and the results line. Pure: records in,
// strings (HTML-safe: only numbers and fixed symbols are interpolated) out.

import { fmt } from './format.js';
import { t } from './i18n.js';

/** How an optimizer's update is written: its catalog entry's `family` (GET /api/optimizers:
 *  plain, adaptive, newton, search), 'other' when unknown. */
export function optimizerFamily(optimizer) {
  return optimizer?.family || 'other';
}

const AXES = ['x', 'y'];

/**
 * The update of one step with its numbers substituted, one line per coordinate, in the
 * unified form θ(t+1) = θ(t) − (η(t)/σ(t)) · m(t). The right-hand side is the point the run
 * actually moved to (θ + Δθ from the server), so the arithmetic on screen is the real one.
 * Returns {symbolic, lines: [html], note} or null when no update leaves this point.
 */
export function substitutedRule(optimizer, rec) {
  if (!rec || !rec.update) return null;
  const family = optimizerFamily(optimizer);
  const { m, sigma } = rec.inspector || {};
  const eta = rec.lr;
  const lines = [];
  let symbolic;
  let note = '';
  for (let i = 0; i < 2; i += 1) {
    const th = rec.theta[i];
    const next = th + rec.update[i];
    const ax = AXES[i];
    if (family === 'adaptive' && m && sigma) {
      symbolic = 'θ<sub>t+1</sub> = θ<sub>t</sub> − (η / σ<sub>t</sub>) · m<sub>t</sub>';
      lines.push(`${ax}: ${fmt(th)} − (${fmt(eta)} / ${fmt(sigma[i])}) × ${fmt(m[i])} = <b>${fmt(next)}</b>`);
    } else if (family === 'plain' && m) {
      symbolic = 'θ<sub>t+1</sub> = θ<sub>t</sub> − η · m<sub>t</sub>';
      lines.push(`${ax}: ${fmt(th)} − ${fmt(eta)} × ${fmt(m[i])} = <b>${fmt(next)}</b>`);
    } else if (family === 'newton' && m) {
      symbolic = `θ<sub>t+1</sub> = θ<sub>t</sub> − η · d<sub>t</sub>,  ${t('insp.newton.d')}`;
      lines.push(`${ax}: ${fmt(th)} − ${fmt(eta)} × ${fmt(m[i])} = <b>${fmt(next)}</b>`);
      if (sigma) note = t('insp.newton.note', { a: fmt(sigma[0]), b: fmt(sigma[1]) });
    } else {
      symbolic = 'θ<sub>t+1</sub> = θ<sub>t</sub> + Δθ';
      lines.push(`${ax}: ${fmt(th)} + ${fmt(rec.update[i])} = <b>${fmt(next)}</b>`);
    }
  }
  if (family === 'search') {
    const accepted = rec.inspector?.accepted?.[0];
    if (accepted !== undefined && accepted !== null) {
      note = accepted > 0 ? t('insp.accepted') : t('insp.rejected');
    }
  }
  return { symbolic, lines, note, family };
}

/** One results line per run, in words (also read by screen readers). */
export function resultLine(name, run, k) {
  const last = Math.max(0, Math.min(k ?? run.length - 1, run.length - 1));
  const atEnd = last >= run.length - 1 && run.stopped;
  const status = atEnd ? run.status : 'running';
  const value = fmt(run.f[last]);
  const key = {
    converged: 'result.converged', diverged: 'result.diverged', max_steps: 'result.max_steps',
    stopped: 'result.stopped',
  }[status] || 'result.running';
  return t(key, { name, value, step: last });
}

/** Curvature read-outs at a point: λmax, λmin, κ, 2/λmax and how η compares. */
export function curvatureSummary(eigenvalues, lr) {
  if (!eigenvalues || !eigenvalues.every(Number.isFinite)) return null;
  const lmin = Math.min(eigenvalues[0], eigenvalues[1]);
  const lmax = Math.max(eigenvalues[0], eigenvalues[1]);
  const absMin = Math.min(Math.abs(lmin), Math.abs(lmax));
  const absMax = Math.max(Math.abs(lmin), Math.abs(lmax));
  const cond = absMin > 0 ? absMax / absMin : Infinity;
  const bound = lmax > 0 ? 2 / lmax : Infinity;
  let verdict = 'concave';
  if (lmax > 0 && Number.isFinite(lr)) verdict = lr < bound ? 'stable' : 'unstable';
  return { lmin, lmax, cond, bound, verdict };
}
