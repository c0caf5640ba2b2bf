// The "?" dialog: every keyboard shortcut, read from the same table the key handler uses
// (lib/keys.js). A modal <dialog>: focus moves into it, Esc closes it and focus returns.

import { SHORTCUTS } from '../lib/keys.js';
import { t, getLang } from '../lib/i18n.js';
import { h } from './dom.js';

export class KeyHelp {
  constructor() {
    this.dialog = null;
  }

  build() {
    const close = h('button', { type: 'button', class: 'btn', 'data-close': '' }, t('keys.close.button'));
    close.addEventListener('click', () => this.close());
    const rows = SHORTCUTS.map((sc) => h('tr', { 'data-action': sc.action },
      h('th', { scope: 'row' }, ...sc.keys.flatMap((k, i) => [i ? ' + ' : '', h('kbd', {}, k === 'Space' ? t('keys.space') : k)])),
      h('td', {}, t(sc.label))));
    const dialog = h('dialog', { id: 'keys-dialog', class: 'keys-dialog', 'aria-labelledby': 'keys-title' },
      h('h2', { id: 'keys-title' }, t('keys.title')),
      h('table', { class: 'keys-table' }, h('tbody', {}, rows)),
      h('p', { class: 'hint' }, t('keys.note')),
      h('p', { class: 'hint' }, t('keys.plot')), // ui/a11y.js: the plot's start cursor
      h('div', { class: 'dialog-actions' }, close));
    // A click on the backdrop (outside the box) closes it too.
    dialog.addEventListener('click', (e) => { if (e.target === dialog) this.close(); });
    document.body.append(dialog);
    this.dialog = dialog;
    this.lang = getLang();
    return dialog;
  }

  get open() {
    return Boolean(this.dialog?.open);
  }

  show() {
    if (this.dialog && this.lang !== getLang()) { // built in another language: build anew
      this.dialog.remove();
      this.dialog = null;
    }
    const d = this.dialog || this.build();
    if (!d.open) d.showModal();
    d.querySelector('[data-close]').focus();
  }

  close() {
    if (this.dialog?.open) this.dialog.close();
  }

  toggle() {
    if (this.open) this.close();
    else this.show();
  }
}
