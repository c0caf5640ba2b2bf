// The Network mode's exports, behind the same Export menu as the 2D plot (ui/exportmenu.js
// takes this as its `source`): PNG, SVG and GIF paint the one picture network/netscene.js
// describes (lib/scenecanvas.js, lib/svgscene.js); CSV is the numbers the page received
// (network/netcsv.js); HTML is the server's standalone plotly page (POST
// /api/network/export, gradscape/netfigures.py), which trains the same race again.
//
// It reads what is on screen through `view()`: {scene, data (NetRaceData), land (the slice
// message), step, selected, playing, optName(id)}, so it needs nothing else of the mode's app.

import { t } from '../lib/i18n.js';
import { runColor, runShape } from '../lib/palette.js';
import { drawMarks } from '../lib/scenecanvas.js';
import { svgDocument } from '../lib/svgscene.js';
import { exportFilename } from '../lib/exportname.js';
import { canvasMeasure, PNG_SCALE, paletteAnchors } from '../ui/exportscene.js';
import { encodeFrames, withFallback } from '../ui/gifexport.js';
import { serverExport } from '../ui/exportmenu.js';
import { networkScene, sliceShade, boundaryShade, WIDTH, HEIGHT } from './netscene.js';
import { cellColor } from './boundary.js';
import { networkCsv } from './netcsv.js';
import { SERVER_PLANE, raceRequest, runLabel } from './scene.js';

export const NET_GIF_FRAMES = 90;

// Shaded pictures as {canvas, href}, made once per slice or boundary grid.
const images = new WeakMap();

function imageOf(key, shade) {
  let im = images.get(key);
  if (!im) {
    const { width, height, pixels } = shade();
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    c.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
    im = { canvas: c, href: c.toDataURL('image/png') };
    images.set(key, im);
  }
  return im;
}

function canvas(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function toBlob(c) {
  return new Promise((resolve, reject) => {
    c.toBlob((b) => (b ? resolve(b) : reject(new Error(t('export.error.encode')))), 'image/png');
  });
}

/** Run i as the legend names it (network/scene.js runLabel). */
export function netRunLabel(v, i) {
  const c = v.data.runs[i].config;
  return runLabel(c, v.optName(c.optimizer), v.data.started.data.X.length);
}

/** The GIF palette's known colours: the 2D ones (runs, the slice's ramp) and the decision
 *  boundary's tints of each class from unsure to sure, so its shading does not band. */
function gifAnchors() {
  const out = paletteAnchors();
  for (const cell of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
    for (let p = 0.34; p <= 1.001; p += 0.03) {
      const q = (1 - p) / 2;
      out.push(cellColor(cell.map((c) => (c ? p : q)), 3));
    }
  }
  for (let p = 0.5; p <= 1.001; p += 0.02) out.push(cellColor(p, 2), cellColor(1 - p, 2));
  return out;
}

export class NetExports {
  /** view(): what is on screen now (see the file's head). */
  constructor(view) {
    this.view = view;
  }

  ready() {
    return Boolean(this.view().data);
  }

  /** The last iterate the GIF shows: the paused step, else what has arrived; null before. */
  gifEnd() {
    const v = this.view();
    if (!v.data) return null;
    return !v.playing && v.step > 0 ? Math.min(v.step, v.data.available()) : v.data.available();
  }

  /** Said after the file is saved: a picture made before the slice came has none. */
  note(format) {
    return ['png', 'svg', 'gif'].includes(format) && !this.view().land ? t('net.slice.after') : '';
  }

  filename(format) {
    const req = this.view().scene.request;
    return exportFilename({ surface: `network ${req.network.dataset}`, runs: req.runs }, format);
  }

  /** The picture's description at iterate k (network/netscene.js's input). */
  sceneAt(k, measure = canvasMeasure()) {
    const v = this.view();
    const d = v.data;
    const req = v.scene.request;
    const sel = Math.min(v.selected, d.runs.length - 1);
    const runs = d.runs.map((r, i) => ({
      label: netRunLabel(v, i), color: runColor(i), shape: runShape(i), train_loss: r.train_loss, test_loss: r.test_loss,
    }));
    const b = d.boundaryAt(sel, k);
    const grid = d.started.boundary;
    const classify = d.task === 'classification';
    const boundaryImage = b && classify && grid?.ys
      ? imageOf(b.grid, () => boundaryShade(b.grid, grid.xs.length, grid.ys.length, d.classes)) : null;
    const land = v.land;
    let sliceTitle = `${t('net.slice')} · ${t(`net.plane.${v.scene.plane}`)}`;
    if (land?.explained_variance) {
      sliceTitle += ` (${land.explained_variance.map((x) => `${(100 * x).toFixed(1)}%`).join(' + ')})`;
    }
    const net = req.network;
    const caption = `gradscape · ${net.dataset} · ${[...net.hidden].join('-')} ${net.activation} · ${t('net.stepof', { k, n: d.steps })}`;
    return {
      k, steps: d.steps, caption, runs, land, measure,
      sliceImage: land?.ys ? imageOf(land, () => sliceShade(land)) : null,
      labels: { slice: sliceTitle, sliceEmpty: t('net.slice.after'), boundary: t(classify ? 'net.export.boundary' : 'net.export.fit', { run: netRunLabel(v, sel) }), loss: t('net.curves') },
      boundary: { task: d.task, classes: d.classes, data: d.started.data, grid, values: b?.grid, image: boundaryImage, color: runColor(sel) },
    };
  }

  /** The picture at iterate k painted on a canvas `scale` times its CSS size. */
  paint(k, scale, target = null) {
    const scene = networkScene(this.sceneAt(k));
    const c = target || canvas(Math.round(WIDTH * scale), Math.round(HEIGHT * scale));
    const ctx = c.getContext('2d', { willReadFrequently: Boolean(target) });
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    drawMarks(ctx, scene.marks);
    return c;
  }

  svg(k) {
    return svgDocument(networkScene(this.sceneAt(k)));
  }

  /** A file of the scene: {blob, ...} (the GIF adds frames, width, height, end). */
  async make(format, { signal, onProgress } = {}) {
    const v = this.view();
    if (!v.data) throw new Error(t('export.error.norace'));
    const k = v.step;
    if (format === 'png') return { blob: await toBlob(this.paint(k, PNG_SCALE)) };
    if (format === 'svg') return { blob: new Blob([this.svg(k)], { type: 'image/svg+xml' }) };
    if (format === 'csv') {
      return { blob: new Blob([networkCsv(v.data, v.land, v.scene.plane)], { type: 'text/csv' }) };
    }
    if (format === 'gif') return this.gif({ signal, onProgress });
    // the race as the stream ran it, its mid-run changes replayed at their steps
    const body = { ...raceRequest(v.scene), plane: SERVER_PLANE[v.scene.plane], title: this.title() };
    return { blob: await serverExport(body, format, '/api/network/export') };
  }

  title() {
    const v = this.view();
    const names = v.data.runs.map((_, i) => netRunLabel(v, i)).join(', ');
    return `gradscape · ${v.scene.request.network.dataset} · ${names}`;
  }

  async gif({ signal, onProgress, worker } = {}) {
    const end = this.gifEnd();
    const out = canvas(WIDTH, HEIGHT);
    const renderer = {
      width: WIDTH,
      height: HEIGHT,
      render: (step) => {
        this.paint(step, 1, out);
        return out.getContext('2d').getImageData(0, 0, WIDTH, HEIGHT).data;
      },
    };
    return withFallback((o) => encodeFrames(renderer, { ...o, end, frames: NET_GIF_FRAMES, anchors: gifAnchors() }),
      { signal, onProgress, worker });
  }
}
