// The Network mode's share tools in the top bar: the Export menu (ui/exportmenu.js with the
// mode's exports as its source), "Copy link" and the embed code for a slide (an <iframe> of
// embed.html playing this very scene, from the start or paused at the step on screen).

import { t } from '../lib/i18n.js';
import { h, clear } from '../ui/dom.js';
import { ExportMenu } from '../ui/exportmenu.js';
import { embedCode, writeClipboard } from '../ui/share.js';
import { NetExports } from './netexport.js';
import { sceneToHash } from './scene.js';

export class NetTools {
  /** view(): what is on screen (network/netexport.js); link(extra): the scene's hash. */
  constructor({ view, lang }) {
    this.view = view;
    this.lang = lang;
    this.exports = new NetExports(view);
  }

  /** Build the tools into `root` (again after a language switch rebuilt the page). */
  mount(root) {
    if (!root) return;
    clear(root);
    const menu = h('div', { class: 'export-menu', id: 'net-export-menu' });
    this.status = h('span', { class: 'net-tools-status', id: 'net-tools-status', role: 'status', 'aria-live': 'polite' });
    root.append(menu,
      h('button', { type: 'button', class: 'btn btn-small', id: 'net-copy-link', onclick: () => this.copyLink() }, t('share.copy')),
      h('button', { type: 'button', class: 'btn btn-small', id: 'net-embed', onclick: () => this.openEmbed() }, t('share.embed')),
      this.status);
    this.menu = new ExportMenu(this.exports, menu);
    if (document.documentElement.classList.contains('embed')) this.mountOpenLink();
  }

  /** The embed page: a link to the full app on the same scene, at the play bar's end. */
  mountOpenLink() {
    const link = h('a', { class: 'open-full', id: 'net-open-full', target: '_blank', rel: 'noopener', href: '#',
      onfocus: () => this.aimOpenLink(link), onpointerenter: () => this.aimOpenLink(link) },
    h('span', {}, t('share.open')), h('span', { 'aria-hidden': 'true' }, ' ↗'));
    this.aimOpenLink(link);
    document.getElementById('net-playbar')?.append(link);
  }

  aimOpenLink(link) {
    const v = this.view();
    link.href = `${new URL('index.html', location.href).href}#${this.hash(v.playing ? null : v.step)}`;
  }

  /** The scene's hash; `step` null plays from the start. */
  hash(step) {
    const v = this.view();
    return sceneToHash({ ...v.scene, step }, { lang: this.lang() });
  }

  async copyLink() {
    const v = this.view();
    const url = `${location.origin}${location.pathname}#${this.hash(v.playing ? null : v.step)}`;
    const ok = await writeClipboard(url);
    this.status.textContent = ok ? t('share.copied') : '';
    if (!ok) this.openEmbed(url);
  }

  embedText() {
    const d = this.dialog;
    const here = d.querySelector('input[value="here"]').checked;
    return embedCode(this.hash(here ? this.view().step : null), location.href, { loop: false });
  }

  /** The embed dialog (also the manual copy of a link the clipboard refused: `text`). */
  openEmbed(text = null) {
    this.dialog?.remove();
    const v = this.view();
    const radio = (value, label, checked) => h('label', { class: 'embed-choice' },
      h('input', { type: 'radio', name: 'net-embed-start', value, checked, onchange: () => { code.value = this.embedText(); } }),
      h('span', {}, label));
    const code = h('textarea', { id: 'net-embed-code', readonly: true, rows: 4, spellcheck: 'false', 'aria-label': t('embed.code') });
    const copy = h('button', { type: 'button', class: 'btn btn-primary', id: 'net-embed-copy', onclick: async () => {
      if (await writeClipboard(code.value)) { this.status.textContent = t('share.embedCopied'); this.dialog.close(); } else {
        code.focus(); code.select();
      }
    } }, t('embed.copy'));
    const close = h('button', { type: 'button', class: 'btn', onclick: () => this.dialog.close() }, t('embed.close'));
    const d = h('dialog', { id: 'net-embed-dialog', class: 'embed-dialog', 'aria-labelledby': 'net-embed-title' },
      h('h2', { id: 'net-embed-title' }, text ? t('share.manual') : t('embed.title')),
      text ? null : h('fieldset', {}, h('legend', {}, t('embed.start')),
        radio('autoplay', t('embed.start.autoplay'), true),
        radio('here', t('embed.start.here', { step: v.step }), false)),
      code, h('div', { class: 'dialog-actions' }, copy, close));
    document.body.append(d);
    this.dialog = d;
    code.value = text || this.embedText();
    d.showModal();
    code.focus();
    code.select();
  }
}
