// What the exports draw, taken from a shot of the live picture: the scene input (lib/scene.js)
// the SVG export writes (lib/svgscene.js), the PNG (the two plot canvases composited, with the
// scene's legend), and GIF frames painted offscreen from the same marks at any step.
//
// A shot is a plain value the App builds at the moment of the export (App.exportShot), so
// nothing here reaches into the App:
//   {plot, plot3d: the views; view: 'contour' | '3d' | 'basins'; race (a RaceStore or null),
//    step, cursor, playing: the playback on screen; scene: the foreground's scene input;
//    starts: each run's start; surfaceName; steps: the state's step count;
//    optimizerName(id): the optimizer's display name}

import { legendAvoid } from '../lib/legendlayout.js';
import { legendMarks, FONT } from '../lib/scene.js';
import { drawMarks } from '../lib/scenecanvas.js';
import {
  runColor, runShape, RUN_COLORS, EIGEN_NEGATIVE, EIGEN_POSITIVE, surfaceColor,
  basinColor, basinCss, hexToRgb,
} from '../lib/palette.js';
import { fmt } from '../lib/format.js';
import { t } from '../lib/i18n.js';

/** "Adam · η=0.1": a run's name and learning rate as the legend shows it.
 *  optimizerName(id): the catalog's display name (undefined when unknown). */
export function runLabel(run, optimizerName) {
  const name = optimizerName(run.optimizer) || run.optimizer;
  const lr = run.initialParams?.lr ?? run.params?.lr;
  return Number.isFinite(lr) ? `${name} · η=${fmt(lr, 3)}` : name;
}

function legendLabels() {
  return {
    min: t('legend.min'), max: t('legend.max'), saddle: t('legend.saddle'),
    pos: t('legend.pos'), neg: t('legend.neg'),
  };
}

/** The surface's display name for captions (info: its catalog entry, if known). */
export function surfaceName(state, info) {
  if (state.surface === 'custom') return `f = ${state.formula}`;
  return info?.name || state.surface;
}

export function caption(shot, step) {
  const race = shot.race;
  const total = race ? (race.finalIndex ?? race.steps) : shot.steps;
  return `${shot.surfaceName} · ${t('play.step', { step, total })}`;
}

/** The basin map's colours as legend rows (as the live legend lists them), or []. */
export function basinSwatches(basins) {
  const b = basins;
  if (!b) return [];
  const counts = new Map();
  let total = 0;
  for (const row of b.labels) {
    for (const l of row) {
      counts.set(l, (counts.get(l) || 0) + 1);
      total += 1;
    }
  }
  const out = [];
  let m = 0;
  b.critical_points.forEach((cp, i) => {
    if (cp.kind !== 'minimum') return;
    const pct = Math.round((100 * (counts.get(i) || 0)) / Math.max(1, total));
    out.push({ color: basinCss(m), label: `(${fmt(cp.point[0], 3)}, ${fmt(cp.point[1], 3)}) · ${t('basins.share', { pct })}` });
    m += 1;
  });
  out.push({ color: basinCss(-1), label: t('basins.none') });
  out.push({ color: 'rgb(120, 120, 120)', label: t('basins.diverged') });
  return out;
}

/** The scene input for sceneSvg(): the plot's view, surface and overlays, the race on screen. */
export function svgScene(shot) {
  const plot = shot.plot;
  const bg = plot.backgroundInput();
  const image = bg.image?.canvas?.toDataURL ? { ...bg.image, href: bg.image.canvas.toDataURL('image/png') } : null;
  const fg = plot.foregroundInput({ ...shot.scene, preview: null }, (run) => runLabel(run, shot.optimizerName));
  const step = shot.step;
  return {
    ...bg,
    ...fg,
    image,
    title: `gradscape · ${caption(shot, step)}`,
    caption: caption(shot, step),
    labels: legendLabels(),
    swatches: basinSwatches(plot.basins),
  };
}

/** What the legend should not cover when `race` shows path index `step`: its paths so far,
 *  the start markers and the critical points drawn (none when that overlay is off). */
export function avoidAt(view, race, step, starts, critical) {
  const runs = (race?.runs || []).map((run) => ({ x: run.x, y: run.y, k: run.indexAt(step) }));
  return legendAvoid(view, runs, starts, critical);
}

/** avoidAt for a shot: its race, its starts and the critical points its plot shows. */
function shotAvoid(shot, view, step) {
  return avoidAt(view, shot.race, step, shot.starts, shot.plot.overlays.critical ? shot.plot.critical : []);
}

function viewOf(vp) {
  return { width: vp.width, height: vp.height, cx: vp.cx, cy: vp.cy, scale: vp.scale };
}

/** Draw the scene's legend onto a canvas in the view's drawing units. */
export function drawLegend(ctx, shot, view, captionText, avoid = []) {
  const runs = (shot.race?.runs || []).map((run, i) => ({
    label: runLabel(run, shot.optimizerName), color: runColor(i), shape: runShape(i),
  }));
  const plot = shot.plot;
  drawMarks(ctx, legendMarks({
    view, runs, showCritical: plot.overlays.critical, showEigen: plot.overlays.eigen,
    labels: legendLabels(), swatches: basinSwatches(plot.basins), caption: captionText, avoid,
  }, canvasMeasure()));
}

/** Text widths as the canvas draws the legend's text (12 px, the caption bold). */
export function canvasMeasure() {
  const ctx = document.createElement('canvas').getContext('2d');
  return (text, weight) => {
    ctx.font = `${weight === 600 ? '600 ' : ''}12px ${FONT}`;
    return ctx.measureText(text).width;
  };
}

function canvas(width, height) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

function toBlob(c, type) {
  return new Promise((resolve, reject) => {
    c.toBlob((b) => (b ? resolve(b) : reject(new Error(t('export.error.encode')))), type);
  });
}

/** A data: URL (plotly's toImage) as a Blob, decoded here: fetching it would need
 * `connect-src data:` in the server's Content-Security-Policy. */
export function dataUrlBlob(url) {
  const comma = url.indexOf(',');
  const head = url.slice(5, comma); // after "data:"
  const type = head.split(';')[0] || 'application/octet-stream';
  const body = url.slice(comma + 1);
  if (!head.endsWith(';base64')) return new Blob([decodeURIComponent(body)], { type });
  const text = atob(body);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return new Blob([bytes], { type });
}

export const PNG_SCALE = 2;

/** The contour (or basin) view as on screen, at least PNG_SCALE x its CSS size, + legend. */
export async function plotPng(shot) {
  const bg = shot.plot.bgCanvas;
  const fg = shot.plot.fgCanvas;
  const vp = shot.plot.viewport;
  if (!bg.width || !bg.height || !shot.plot.grid) throw new Error(t('export.error.empty'));
  // In the 3D view the canvases are hidden and the paths not kept up to date: redraw the
  // contour view offscreen at the same size instead.
  if (shot.view === '3d') {
    const plotly = window.Plotly;
    if (plotly && shot.plot3d?.ready) {
      const rect = shot.plot3d.div.getBoundingClientRect();
      const url = await plotly.toImage(shot.plot3d.div, {
        format: 'png', width: Math.round(rect.width), height: Math.round(rect.height), scale: Math.max(PNG_SCALE, window.devicePixelRatio || 1),
      });
      return dataUrlBlob(url);
    }
  }
  if (shot.view === '3d') {
    const frames = new FrameRenderer(shot, Math.max(bg.width, bg.height));
    frames.render(shot.cursor);
    return toBlob(frames.out, 'image/png');
  }
  // A slide needs pixels: at least twice the plot's CSS size (a 1x screen's canvases are
  // 1x; a 577x450 image is small on a 1080p slide), redrawn offscreen at that size.
  if (bg.width < PNG_SCALE * vp.width - 1) {
    const frames = new FrameRenderer(shot, PNG_SCALE * Math.max(vp.width, vp.height), { live: true });
    frames.render(shot.cursor);
    return toBlob(frames.out, 'image/png');
  }
  const out = canvas(bg.width, bg.height);
  const ctx = out.getContext('2d');
  ctx.drawImage(bg, 0, 0);
  ctx.drawImage(fg, 0, 0, bg.width, bg.height);
  ctx.setTransform(bg.width / vp.width, 0, 0, bg.height / vp.height, 0, 0);
  const cursor = shot.cursor;
  drawLegend(ctx, shot, viewOf(vp), caption(shot, shot.step), shotAvoid(shot, viewOf(vp), cursor));
  return toBlob(out, 'image/png');
}

/**
 * A copy of the plot view that draws into offscreen canvases: the same drawing code and
 * data (grid, contours, critical points, overlays) and the live view's viewport, so frames
 * show exactly the picture on screen.
 */
export function offscreenPlot(plot) {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(plot)), plot);
  const vp = plot.viewport;
  copy.viewport = Object.assign(Object.create(Object.getPrototypeOf(vp)), vp);
  copy.painted = true;
  copy.racePainted = true;
  copy.scene = null;
  return copy;
}

/** Colours the frames are made of, for the GIF palette: every run colour with its lighter
 *  and darker shades, the surface ramp, basin tints, the eigen and critical-point inks. */
export function paletteAnchors() {
  const out = [[255, 255, 255], [0, 0, 0], [244, 244, 241], [22, 27, 38], [184, 193, 206], [17, 17, 17], [34, 34, 34]];
  for (const hex of [...RUN_COLORS, EIGEN_NEGATIVE, EIGEN_POSITIVE, '#555555', '#5b2a86']) {
    const rgb = hexToRgb(hex);
    out.push(rgb);
    for (const f of [0.5, 0.8]) out.push(rgb.map((c) => c + (255 - c) * f));
  }
  for (let i = 0; i <= 24; i += 1) out.push(surfaceColor(i / 24));
  for (let i = -1; i < 8; i += 1) out.push(basinColor(i));
  return out;
}

/**
 * Renders the race at chosen steps into RGBA frames of `width` px on the long side (the
 * view's aspect ratio kept). render(step) -> Uint8ClampedArray.
 */
export class FrameRenderer {
  /** live: the picture on screen now (its Taylor model and eigen answers), not a frame. */
  constructor(shot, longSide = 640, { live = false } = {}) {
    this.shot = shot;
    this.plot = offscreenPlot(shot.plot);
    const vp = this.plot.viewport;
    this.units = [vp.width, vp.height];
    const k = longSide / Math.max(vp.width, vp.height);
    this.k = k;
    this.width = Math.max(2, Math.round(vp.width * k));
    this.height = Math.max(2, Math.round(vp.height * k));
    const race = shot.race;
    // The race as it is now (a restart meanwhile makes a new RaceStore; this one stays).
    const live0 = shot.scene;
    this.scene = {
      ...live0,
      race,
      taylor: live ? live0.taylor : null,
      preview: null,
      // Only eigen-decompositions the stream sent for that very point: the live view's
      // latest answer belongs to the step on screen, not to the frame's.
      eigenAt: live ? live0.eigenAt : (i, step) => {
        const run = race?.runs[i];
        return run?.eigenvalues[step] ? { eigenvalues: run.eigenvalues[step], eigenvectors: run.eigenvectors[step] } : null;
      },
    };
    this.bg = canvas(this.width, this.height);
    this.fg = canvas(this.width, this.height);
    this.out = canvas(this.width, this.height);
    const bctx = this.bg.getContext('2d');
    bctx.setTransform(k, 0, 0, k, 0, 0);
    this.plot.drawBackground({ ctx: bctx, width: vp.width, height: vp.height });
    this.octx = this.out.getContext('2d', { willReadFrequently: true });
    this.view = viewOf(vp);
    this.avoid = null;
  }

  /** Keep the legend in one place for the whole animation: clear of the paths at `end`. */
  placeLegend(end) {
    this.avoid = shotAvoid(this.shot, this.view, end);
  }

  render(step) {
    const ctx = this.fg.getContext('2d');
    const [w, h] = this.units;
    ctx.setTransform(this.k, 0, 0, this.k, 0, 0);
    this.plot.drawForeground({ ...this.scene, cursor: step }, { ctx, width: w, height: h });
    drawLegend(ctx, this.shot, this.view, caption(this.shot, step), this.avoid || shotAvoid(this.shot, this.view, step));
    const o = this.octx;
    o.clearRect(0, 0, this.width, this.height);
    o.drawImage(this.bg, 0, 0);
    o.drawImage(this.fg, 0, 0);
    return o.getImageData(0, 0, this.width, this.height).data;
  }
}
