// Presenter mode and the embed page's projector sizing: large type (CSS, html.presenter /
// html.embed in css/share.css) and thicker lines, bigger markers and labels on the canvases
// (one drawing scale for every canvas, dom.js), plus fullscreen of the stage.

import { setDrawScale, getDrawScale } from './dom.js';

/**
 * The canvases' drawing scale. In presenter mode a fixed step up (a projector shows a
 * laptop's 1280-1920 px to a room); on the embed page it follows the frame's size, so a
 * 960x540 slide iframe and the same page in fullscreen both read from the back row.
 */
export function presentScale({ mode = 'app', presenter = false, width = 1280, height = 800 } = {}) {
  if (mode === 'embed') return Math.min(2, Math.max(1, Math.min(width / 760, height / 430)));
  if (presenter) return width >= 1600 ? 1.5 : 1.25;
  return 1;
}

export class Presenter {
  /** onScale(): the drawing scale changed, canvases must be redrawn. */
  constructor(mode, onScale) {
    this.mode = mode;
    this.on = false;
    this.onScale = onScale;
    this.root = document.documentElement;
    if (mode === 'embed') this.root.classList.add('embed');
    window.addEventListener('resize', () => this.rescale());
  }

  set(on) {
    this.on = Boolean(on) && this.mode !== 'embed';
    this.root.classList.toggle('presenter', this.on);
    this.rescale();
  }

  rescale() {
    const scale = presentScale({
      mode: this.mode, presenter: this.on, width: window.innerWidth, height: window.innerHeight,
    });
    if (Math.abs(scale - getDrawScale()) < 1e-9) return;
    setDrawScale(scale);
    this.onScale?.();
  }
}

/** Fullscreen of an element (the stage), or leave it. Returns a promise; rejects where the
 *  browser or the embedding page does not allow it. */
export function toggleFullscreen(el) {
  if (document.fullscreenElement) return document.exitFullscreen();
  if (!el.requestFullscreen || document.fullscreenEnabled === false) {
    return Promise.reject(new Error('fullscreen unavailable'));
  }
  return el.requestFullscreen();
}
