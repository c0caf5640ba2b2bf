// Each run's marker, name and settings on the plot itself ("Adam · η=0.1"), for a slide
// (the embed dialog's "show each run's settings", rs=1): the class reads which path is
// which without the run cards. A list in the plot's bottom-left corner.

import { runColor, runShape } from '../lib/palette.js';
import { h, clear, shapeIcon } from './dom.js';

export class RunKey {
  constructor(wrap) {
    this.el = h('ul', { class: 'run-key', id: 'run-key', hidden: true });
    wrap?.append(this.el);
  }

  /** items: [{i, label}] (empty hides it). */
  render(items) {
    const key = items.map((x) => `${x.i}:${x.label}`).join('|');
    if (key === this.key) return;
    this.key = key;
    clear(this.el);
    this.el.hidden = !items.length;
    for (const { i, label } of items) {
      this.el.append(h('li', { 'data-run': i }, shapeIcon(runShape(i), runColor(i), 14), h('span', {}, label)));
    }
  }
}
