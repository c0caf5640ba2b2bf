// Touch screens: one finger scrolls the page, not the plot (css/phone.css: touch-action), and
// a switch at the end of the play bar hands one finger to the plot (pan it, drag a start
// marker) while it is on. A tap sets a start either way.

import { t } from '../lib/i18n.js';
import { h, s as svg } from './dom.js';

const MOVE = 'M12 2l3 3h-2v6h6V9l3 3-3 3v-2h-6v6h2l-3 3-3-3h2v-6H5v2l-3-3 3-3v2h6V5H9z';

export function mountPanToggle(canvas, playbar, media = globalThis.matchMedia?.('(pointer: coarse)')) {
  if (!media?.matches || !canvas || !playbar) return null;
  const button = h('button', {
    type: 'button', class: 'icon-btn pan-toggle', 'aria-pressed': 'false',
    'aria-label': t('phone.pan'), title: t('phone.pan.tip'),
    'data-i18n-aria': 'phone.pan', 'data-i18n-title': 'phone.pan.tip',
  }, svg('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: MOVE })));
  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(on));
    canvas.classList.toggle('plot-pan', on);
  });
  playbar.append(button);
  return button;
}
