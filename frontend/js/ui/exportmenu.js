// The "Export" menu of the stage toolbar: PNG and SVG of the plot, an animated GIF of the
// race, the self-contained HTML page and CSV of the trajectories (both from POST
// /api/export with the race's own request). A menu button in the WAI-ARIA pattern: Enter,
// Space or the arrow keys open it, the arrows move, Escape closes it. Progress and errors
// show in a status line under it; nothing is left to the console.

import { t } from '../lib/i18n.js';
import { sceneSvg } from '../lib/svgscene.js';
import { exportFilename } from '../lib/exportname.js';
import { h, s as svg, clear } from './dom.js';
import { plotPng, svgScene, canvasMeasure } from './exportscene.js';
import { makeGif, gifEnd, Cancelled } from './gifexport.js';

export const FORMATS = ['png', 'svg', 'gif', 'html', 'csv'];

const ICON = 'M11 4h2v8.6l3.3-3.3 1.4 1.4L12 16.4l-5.7-5.7 1.4-1.4 3.3 3.3zM5 18h14v2H5z';

/** Save a Blob under a name (an <a download> click; the URL is released afterwards). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** POST /api/export: the file as a Blob, or an Error with the server's reason. */
export async function serverExport(body, format, url = '/api/export') {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, format }),
    });
  } catch {
    throw new Error(t('export.error.offline'));
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const data = await response.json();
      if (typeof data?.detail === 'string') detail = data.detail;
      else if (Array.isArray(data?.detail) && data.detail[0]?.msg) detail = data.detail[0].msg;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(detail);
  }
  return response.blob();
}

/**
 * The 2D race's exports as an export source: PNG and SVG of the picture on screen, the GIF of
 * the race, and the server's HTML and CSV of the race's own request. shot(): the picture
 * (ui/exportscene.js); state(): the scene state (the file's name); raceBody(): the request.
 */
export function raceExports({ shot, state, raceBody }) {
  return {
    ready: () => Boolean(shot().race),
    gifEnd: () => { const s = shot(); return s.race ? gifEnd(s) : null; },
    filename: (format) => exportFilename(state(), format),
    note: (format) => ((format === 'svg' || format === 'gif') && shot().view === '3d' ? t('export.note.contour') : ''),
    async make(format, opts = {}) {
      const s = shot();
      if ((format === 'svg' || format === 'gif') && !s.plot.grid) throw new Error(t('export.error.empty'));
      if (format === 'png') return { blob: await plotPng(s) };
      if (format === 'svg') return { blob: new Blob([sceneSvg(svgScene(s), { measure: canvasMeasure() })], { type: 'image/svg+xml' }) };
      if (format === 'gif') return makeGif(s, opts);
      // The scene as on screen: its mid-race changes are replayed at their steps.
      return { blob: await serverExport(raceBody(), format) };
    },
  };
}

export class ExportMenu {
  /**
   * source: what is exported, asked at the moment of each export: {ready(), gifEnd(),
   * filename(format), make(format, opts) -> {blob, ...}, note?(format)}: the 2D race's
   * (raceExports above) or the Network mode's (network/netexport.js). root: #export-menu.
   */
  constructor(source, root) {
    this.source = source;
    this.root = root;
    this.busy = false;
    this.abort = null;
    if (!root) return;
    root.classList.add('export-menu');
    this.button = h('button', {
      type: 'button', class: 'btn btn-small export-button', id: 'export-button',
      'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'export-list',
    }, svg('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: ICON })),
    h('span', { class: 'export-label' }));
    this.menu = h('div', { class: 'export-list', id: 'export-list', role: 'menu', hidden: true });
    this.items = FORMATS.map((format) => {
      const item = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'data-format': format },
        h('span', { class: 'export-fmt' }, format.toUpperCase()), h('span', { class: 'export-desc' }));
      item.addEventListener('click', () => this.choose(format));
      this.menu.append(item);
      return item;
    });
    this.status = h('div', { class: 'export-status', id: 'export-status', role: 'status', 'aria-live': 'polite', hidden: true });
    root.append(this.button, this.menu, this.status);
    this.button.addEventListener('click', () => (this.isOpen() ? this.close(true) : this.open(0)));
    this.button.addEventListener('keydown', (e) => this.onButtonKey(e));
    this.menu.addEventListener('keydown', (e) => this.onMenuKey(e));
    this.menu.addEventListener('focusout', (e) => {
      if (this.isOpen() && !root.contains(e.relatedTarget)) this.close(false);
    });
    document.addEventListener('pointerdown', (e) => {
      if (this.isOpen() && !root.contains(e.target)) this.close(false);
    });
    window.addEventListener('gradscape:language', () => this.relabel());
    this.relabel();
  }

  relabel() {
    this.button.querySelector('.export-label').textContent = t('export.button');
    this.button.title = t('export.title');
    this.menu.setAttribute('aria-label', t('export.title'));
    for (const item of this.items) {
      const format = item.dataset.format;
      const desc = t(`export.${format}`);
      // No aria-label: the name is the visible text ("PNG image of the plot"), so what a
      // speech user reads on screen is what the item answers to (axe's
      // label-content-name-mismatch; "PNG: ..." did not contain "PNGimage of...").
      item.querySelector('.export-desc').textContent = desc;
    }
  }

  isOpen() {
    return !this.menu.hidden;
  }

  open(index) {
    this.relabel();
    const gif = this.items[FORMATS.indexOf('gif')];
    const end = this.source.gifEnd();
    if (end !== null && end !== undefined) {
      const desc = t('export.gif.range', { end });
      gif.querySelector('.export-desc').textContent = desc;
    }
    for (const item of this.items) item.setAttribute('aria-disabled', String(this.busy));
    this.menu.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    const i = (index + this.items.length) % this.items.length;
    this.items[i].focus();
  }

  close(focusButton) {
    this.menu.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (focusButton) this.button.focus();
  }

  onButtonKey(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      this.open(e.key === 'ArrowDown' ? 0 : -1);
    }
  }

  onMenuKey(e) {
    const i = this.items.indexOf(document.activeElement);
    const move = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: this.items.length - 1 }[e.key];
    // Keys used here must not reach the page's shortcuts (Home would rewind the race).
    if (move !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      this.items[(move + this.items.length) % this.items.length].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close(true);
    } else if (e.key === 'Tab') {
      this.close(false);
    } else if (e.key === ' ' || e.key === 'Enter' || e.key.length === 1) {
      e.stopPropagation();
    }
  }

  choose(format) {
    if (this.busy) return;
    this.close(true);
    this.run(format);
  }

  // --- status line --------------------------------------------------------------------------
  show(text, { progress = null, cancel = false, error = false, dismiss = false } = {}) {
    const el = this.status;
    clearTimeout(this.hideTimer);
    el.hidden = false;
    // Progress updates change the text and the bar in place (a focused Cancel button stays).
    if (progress !== null && this.bar && el.contains(this.bar)) {
      el.querySelector('.export-msg').textContent = text;
      this.bar.value = Math.round(progress * 100);
      return;
    }
    clear(el);
    this.bar = null;
    el.classList.toggle('error', error);
    el.append(h('span', { class: 'export-msg' }, text));
    if (progress !== null) {
      this.bar = h('progress', { max: 100, value: Math.round(progress * 100), 'aria-label': t('export.progress') });
      el.append(this.bar);
    }
    if (cancel) {
      const b = h('button', { type: 'button', class: 'btn btn-small export-cancel' }, t('export.cancel'));
      b.addEventListener('click', () => this.abort?.abort());
      el.append(b);
    }
    if (dismiss) {
      const b = h('button', { type: 'button', class: 'btn btn-small export-dismiss', 'aria-label': t('export.dismiss'), title: t('export.dismiss') }, '×');
      b.addEventListener('click', () => {
        el.hidden = true;
        this.button.focus();
      });
      el.append(b);
    }
  }

  hideLater(ms = 4000) {
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => { this.status.hidden = true; }, ms);
  }

  // --- the exports ------------------------------------------------------------------------------
  async run(format) {
    const name = this.source.filename(format);
    this.busy = true;
    this.button.setAttribute('aria-busy', 'true');
    try {
      if (!this.source.ready()) throw new Error(t('export.error.norace'));
      let blob;
      if (format === 'gif') { // with progress and Cancel
        this.abort = new AbortController();
        const progress = (f) => this.show(t('export.working.gif', { pct: Math.round(f * 100) }), { progress: f, cancel: true });
        progress(0);
        const result = await this.source.make('gif', { signal: this.abort.signal, onProgress: progress });
        blob = result.blob;
        this.lastGif = { frames: result.frames, width: result.width, height: result.height, end: result.end, bytes: blob.size };
      } else {
        this.show(t('export.working', { name }));
        blob = (await this.source.make(format)).blob;
      }
      download(blob, name);
      let text = t('export.saved', { name, size: sizeText(blob.size) });
      const note = this.source.note?.(format);
      if (note) text += ` ${note}`;
      this.show(text);
      this.hideLater(4000);
      this.last = { format, name, bytes: blob.size };
    } catch (err) {
      if (err instanceof Cancelled) {
        this.show(t('export.cancelled'));
        this.hideLater(2500);
      } else {
        this.show(t('export.failed', { format: format.toUpperCase(), message: err?.message || String(err) }), { error: true, dismiss: true });
        this.lastError = err?.message || String(err);
      }
    } finally {
      this.busy = false;
      this.abort = null;
      this.button.removeAttribute('aria-busy');
    }
  }
}
