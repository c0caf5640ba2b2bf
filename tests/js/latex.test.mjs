import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latexToHtml, escapeHtml } from '../../frontend/js/lib/latex.js';

// The update rules and schedule formulas exactly as GET /api/optimizers and /api/schedules
// send them.
const SERVER_FORMULAS = [
  String.raw`b_t = \mu b_{t-1} + (1-\tau) g_t,\quad \theta_{t+1} = \theta_t - \eta\,(g_t + \mu b_t \text{ if Nesterov else } b_t)`,
  String.raw`S_t = S_{t-1} + g_t^2,\quad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{S_t} + \epsilon}\, g_t`,
  String.raw`\sigma_t^2 = \alpha \sigma_{t-1}^2 + (1-\alpha) g_t^2,\quad \theta_{t+1} = \theta_t - \frac{\eta}{\sigma_t + \epsilon}\, g_t`,
  String.raw`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\ v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\ \theta_{t+1} = \theta_t - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}`,
  String.raw`\theta' \sim U(\text{bounds}),\quad \theta \leftarrow \theta' \text{ if } f(\theta') < f(\theta)`,
  String.raw`\theta_{t+1} = \theta_t - \eta\,(H + \delta I)^{-1} g_t`,
  String.raw`\theta_{t+1} = \theta_t - \eta\,|H|^{-1} g_t,\quad |H| = Q|\Lambda|Q^T`,
  String.raw`\eta_t = \eta\,\gamma^{\lfloor e / s \rfloor}`,
  String.raw`\eta_t = \eta_{min} + \tfrac12(\eta - \eta_{min})(1 + \cos(\pi e / T))`,
];

test('every server formula renders: no backslashes, braces or raw < left', () => {
  for (const src of SERVER_FORMULAS) {
    const html = latexToHtml(src);
    const text = html.replace(/<\/?[a-z]+( class="[a-z-]+")?>/g, '');
    assert.ok(!text.includes('\\'), `${src} -> ${text}`);
    assert.ok(!/[{}]/.test(text), `${src} -> ${text}`);
    assert.ok(!text.includes('<'), `${src} -> ${text}`);
  }
});

test('structures', () => {
  assert.equal(latexToHtml('x^2'), '<i>x</i><sup>2</sup>');
  assert.equal(latexToHtml('\\theta_{t+1}'), 'θ<sub><i>t</i>+1</sub>');
  assert.match(latexToHtml('\\frac{a}{b}'), /tex-frac.*tex-num"><i>a<\/i>.*tex-den"><i>b<\/i>/);
  assert.match(latexToHtml('\\sqrt{v}'), /√<span class="tex-radicand"><i>v<\/i>/);
  assert.match(latexToHtml('\\hat m_t'), /tex-hat"><i>m<\/i><\/span><sub>/);
  assert.equal(latexToHtml('a - b'), '<i>a</i>−<i>b</i>');
  assert.equal(latexToHtml('\\text{if x<1}'), '<span class="tex-text">if x&lt;1</span>');
  assert.equal(latexToHtml('\\unknowncmd'), 'unknowncmd');
  assert.equal(latexToHtml(''), '');
  assert.equal(latexToHtml('{a'), '<i>a</i>'); // unbalanced input does not throw
});

test('escapeHtml', () => {
  assert.equal(escapeHtml('<a href="x">&'), '&lt;a href=&quot;x&quot;&gt;&amp;');
});
