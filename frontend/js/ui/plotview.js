// The contour view: two stacked canvases painting the scene's marks (lib/scene.js builds
// them, lib/scenecanvas.js paints them; the exports paint the same marks). The background
// (surface shading, contour lines, axes, critical points, gradient field, basin map) is
// drawn only when the surface or the view changes; the foreground (paths, current points,
// eigen-arrows, Taylor model) is cheap enough to redraw every animation frame. This module
// keeps the view's data and turns pointer input into callbacks.

import { Viewport, nearestWithin } from '../lib/geometry.js';
import { runColor, runShape, basinColor } from '../lib/palette.js';
import {
  backgroundMarks, foregroundMarks, runsAt, imageRect, PAPER,
} from '../lib/scene.js';
import { drawMarks } from '../lib/scenecanvas.js';
import { fmt } from '../lib/format.js';
import { fitCanvas, getDrawScale } from './dom.js';

const DRAG_THRESHOLD = 5;

export class PlotView {
  constructor({ wrap, bg, fg, readout, onClick, onStartDrag, onViewChange, onHoverStart }) {
    this.wrap = wrap;
    this.bgCanvas = bg;
    this.fgCanvas = fg;
    this.readout = readout;
    this.onClick = onClick;
    this.onStartDrag = onStartDrag;
    this.onViewChange = onViewChange;
    this.onHoverStart = onHoverStart;
    this.viewport = new Viewport([-1, 1, -1, 1], 10, 10, 0);
    this.homeBounds = null;
    this.grid = null;
    this.gridImage = null;
    this.contours = [];
    this.levels = [];
    this.critical = [];
    this.lambdaRef = 1;
    this.field = [];
    this.basins = null;
    this.overlays = { eigen: true, critical: true, taylor: false, field: false };
    this.scene = null;
    this.drag = null;
    this.painted = false;
    this.installEvents();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(wrap);
  }

  // --- data -------------------------------------------------------------------------------
  /** A new surface: the view returns home to its bounds. */
  setHome(bounds) {
    this.homeBounds = bounds.slice();
    this.userZoomed = false;
    this.viewport.setBounds(this.paddedHome());
  }

  paddedHome() {
    const [a, b, c, d] = this.homeBounds;
    const px = (b - a) * 0.02;
    const py = (d - c) * 0.02;
    return [a - px, b + px, c - py, d + py];
  }

  /** Whether the view knows the surface's bounds, so pixels map to the right data points. */
  ready() {
    return this.homeBounds !== null;
  }

  resetView() {
    if (!this.homeBounds) return;
    this.userZoomed = false;
    this.viewport.setBounds(this.paddedHome());
    this.drawBackground();
    if (this.scene) this.drawForeground(this.scene);
    this.onViewChange?.(this.viewport.bounds(), true);
  }

  /** A prepared grid (lib/surfacegrid.js): shading, contour levels and lines, field. */
  setGrid(grid) {
    this.grid = grid;
    this.levels = grid.levels;
    this.contours = grid.contours;
    this.gridImage = imageCanvas(grid.image);
    this.field = grid.field;
    this.drawBackground();
  }

  /** Critical points with eigen-decompositions (POST /api/critical-points). */
  setCritical(points, lambdaRef) {
    this.critical = points || [];
    this.lambdaRef = lambdaRef || 1;
    this.drawBackground();
  }

  /** Basin map (POST /api/basins) or null to go back to the shaded surface. */
  setBasins(basins) {
    this.basins = basins;
    this.basinImage = basins ? basinCanvas(basins) : null;
    this.drawBackground();
  }

  setOverlays(overlays) {
    this.overlays = { ...this.overlays, ...overlays };
    this.drawBackground();
  }

  // --- drawing --------------------------------------------------------------------------------
  resize() {
    const rect = this.wrap.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) return;
    this.viewport.resize(rect.width / getDrawScale(), rect.height / getDrawScale());
    if (this.homeBounds && !this.userZoomed) this.viewport.setBounds(this.paddedHome());
    this.drawBackground();
    if (this.scene) this.drawForeground(this.scene);
    if (this.grid && !this.covers(this.grid, this.viewport.bounds())) {
      this.onViewChange?.(this.viewport.bounds(), false, 'resize');
    }
  }

  /** Whether a sampled grid covers the rectangle (so no blank margin shows). */
  covers(grid, [xmin, xmax, ymin, ymax]) {
    const tx = (xmax - xmin) * 0.01;
    const ty = (ymax - ymin) * 0.01;
    const n = grid.x.length - 1;
    const m = grid.y.length - 1;
    return grid.x[0] <= xmin + tx && grid.x[n] >= xmax - tx && grid.y[0] <= ymin + ty && grid.y[m] >= ymax - ty;
  }

  /** The view as a plain value {width, height, cx, cy, scale} (lib/scene.js's input). */
  view() {
    const vp = this.viewport;
    return { width: vp.width, height: vp.height, cx: vp.cx, cy: vp.cy, scale: vp.scale };
  }

  /** The background's scene input: shading, contours, overlays, critical points. */
  backgroundInput() {
    const src = this.basins || this.grid;
    const canvas = this.basins ? this.basinImage : this.gridImage;
    return {
      view: this.view(),
      image: src && canvas ? { canvas, ...imageRect(src), pixelated: Boolean(this.basins) } : null,
      contours: this.contours,
      field: this.overlays.field ? this.field : null,
      critical: this.critical,
      lambdaRef: this.lambdaRef,
      showCritical: Boolean(this.overlays.critical),
      showEigen: Boolean(this.overlays.eigen),
    };
  }

  /**
   * The foreground's scene input from the app's scene {race, cursor, selected, starts,
   * eigenAt(run, k), taylor, preview: {index, point}}; label(run, i) names a run.
   */
  foregroundInput(scene, label = undefined) {
    const preview = scene.preview
      ? { point: scene.preview.point, shape: runShape(Math.max(0, scene.preview.index)) } : null;
    return {
      view: this.view(),
      runs: runsAt(scene.race, scene.cursor, {
        eigenAt: this.overlays.eigen ? scene.eigenAt : null, label, color: runColor, shape: runShape,
      }),
      starts: scene.starts,
      selected: scene.selected,
      showEigen: Boolean(this.overlays.eigen),
      lambdaRef: this.lambdaRef,
      taylor: this.overlays.taylor ? scene.taylor : null,
      preview,
    };
  }

  /** target: {ctx, width, height} to draw elsewhere (the exports), else the background canvas. */
  drawBackground(target = null) {
    const { ctx, width, height } = target || fitCanvas(this.bgCanvas);
    this.viewport.width = width;
    this.viewport.height = height;
    ctx.clearRect(0, 0, width, height);
    if (!this.grid) {
      ctx.fillStyle = PAPER;
      ctx.fillRect(0, 0, width, height);
      return;
    }
    drawMarks(ctx, backgroundMarks(this.backgroundInput()));
    if (!this.painted) {
      this.painted = true;
      performance.mark('gradscape:scene-painted');
    }
  }

  /** scene: the app's scene (see foregroundInput); target as for drawBackground. */
  drawForeground(scene, target = null) {
    this.scene = scene;
    const { ctx, width, height } = target || fitCanvas(this.fgCanvas);
    ctx.clearRect(0, 0, width, height);
    // Until the surface's bounds are known (its grid or the catalog has not arrived yet) the
    // viewport is a placeholder: paths drawn with it would sit in the wrong place.
    if (!this.ready()) return;
    drawMarks(ctx, foregroundMarks(this.foregroundInput(scene)));
    const race = scene.race;
    if (race && !this.racePainted && race.runs.some((r) => r.length > 1)) {
      this.racePainted = true;
      performance.mark('gradscape:race-painted');
    }
  }

  // --- interaction ----------------------------------------------------------------------------
  installEvents() {
    const el = this.fgCanvas;
    el.addEventListener('contextmenu', (e) => e.preventDefault());
    el.addEventListener('pointerdown', (e) => {
      // Before the bounds are known a pixel maps to no meaningful point: ignore the press
      // (a click on the still-blank plot must not restart the race somewhere arbitrary).
      if (!this.ready()) return;
      el.setPointerCapture(e.pointerId);
      const [px, py] = local(e, el);
      const starts = (this.scene?.starts || []).map((p) => (p ? this.viewport.toPx(p[0], p[1]) : null));
      const reach = e.pointerType === 'touch' ? 22 : 12;
      let hit = nearestWithin(starts, px, py, reach);
      // Runs sharing a start have their markers on one spot: grab the selected run's.
      const sel = this.scene?.selected ?? -1;
      if (hit >= 0 && sel !== hit && starts[sel] && starts[hit]
        && Math.hypot(starts[sel][0] - px, starts[sel][1] - py)
          <= Math.hypot(starts[hit][0] - px, starts[hit][1] - py) + 0.5) hit = sel;
      const pan = e.button === 2 || e.button === 1 || e.shiftKey;
      // A finger on a touch screen scrolls the page unless the pan switch gave it to the plot
      // (css/phone.css sets touch-action): then it only taps, never pans or drags.
      const scrolls = e.pointerType === 'touch' && getComputedStyle(el).touchAction !== 'none';
      this.drag = {
        x: px, y: py, moved: false, start: pan || scrolls ? -1 : hit, pan, id: e.pointerId, scrolls,
      };
      if (this.drag.start >= 0) el.classList.add('grabbing');
    });
    el.addEventListener('pointermove', (e) => {
      const [px, py] = local(e, el);
      const d = this.drag;
      if (!d) {
        this.hover(px, py);
        return;
      }
      if (!d.moved && Math.hypot(px - d.x, py - d.y) < DRAG_THRESHOLD) return;
      d.moved = true;
      if (d.scrolls) return; // the page's scroll, not the plot's
      if (d.start >= 0) {
        const [x, y] = this.viewport.toData(px, py);
        this.onStartDrag?.(d.start, [x, y], false);
      } else {
        this.viewport.panBy(px - d.x, py - d.y);
        d.x = px;
        d.y = py;
        d.panned = true;
        this.userZoomed = true;
        this.drawBackground();
        if (this.scene) this.drawForeground(this.scene);
      }
    });
    const end = (e) => {
      const d = this.drag;
      if (!d || d.id !== e.pointerId) return;
      this.drag = null;
      el.classList.remove('grabbing');
      const [px, py] = local(e, el);
      const [x, y] = this.viewport.toData(px, py);
      if (d.start >= 0 && d.moved) this.onStartDrag?.(d.start, [x, y], true);
      else if (!d.moved && !d.pan && e.type === 'pointerup') this.onClick?.([x, y]);
      else if (d.panned) this.onViewChange?.(this.viewport.bounds(), false);
    };
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
    el.addEventListener('pointerleave', () => {
      if (!this.drag) this.readout.textContent = '';
    });
    el.addEventListener('wheel', (e) => {
      e.preventDefault();
      if (!this.ready()) return;
      const [px, py] = local(e, el);
      const factor = Math.exp(-Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 120) / 500);
      this.viewport.zoomAt(px, py, factor);
      this.userZoomed = true;
      this.drawBackground();
      if (this.scene) this.drawForeground(this.scene);
      this.onViewChange?.(this.viewport.bounds(), false);
    }, { passive: false });
  }

  hover(px, py) {
    if (!this.ready()) return;
    const [x, y] = this.viewport.toData(px, py);
    const f = this.grid ? sampleGrid(this.grid, x, y) : NaN;
    this.readout.textContent = `x ${fmt(x, 3)}  y ${fmt(y, 3)}  f≈${fmt(f, 3)}`;
    const starts = (this.scene?.starts || []).map((p) => (p ? this.viewport.toPx(p[0], p[1]) : null));
    this.fgCanvas.classList.toggle('grab', nearestWithin(starts, px, py, 12) >= 0);
  }
}

// --- helpers ----------------------------------------------------------------------------------
function local(e, el) {
  const r = el.getBoundingClientRect();
  const k = getDrawScale(); // the canvas draws in CSS px / scale (presenter mode)
  return [(e.clientX - r.left) / k, (e.clientY - r.top) / k];
}

function imageCanvas(img) {
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d').putImageData(new ImageData(img.pixels, img.width, img.height), 0, 0);
  return c;
}

function basinCanvas(b) {
  const ny = b.y.length;
  const nx = b.x.length;
  const pixels = new Uint8ClampedArray(nx * ny * 4);
  // Colour by which *minimum* was reached: index among the critical points that are minima.
  const minimumIndex = new Map();
  b.critical_points.forEach((cp, i) => {
    if (cp.kind === 'minimum') minimumIndex.set(i, minimumIndex.size);
  });
  for (let i = 0; i < ny; i += 1) {
    for (let j = 0; j < nx; j += 1) {
      const label = b.labels[i][j];
      const diverged = b.status_names?.[b.status[i][j]] === 'diverged';
      const idx = minimumIndex.has(label) ? minimumIndex.get(label) : -1;
      const rgb = diverged ? [120, 120, 120] : basinColor(idx);
      const p = ((ny - 1 - i) * nx + j) * 4;
      pixels[p] = rgb[0];
      pixels[p + 1] = rgb[1];
      pixels[p + 2] = rgb[2];
      pixels[p + 3] = 255;
    }
  }
  return imageCanvas({ width: nx, height: ny, pixels });
}

/** Bilinear interpolation of the grid at (x, y) (NaN outside). */
export function sampleGrid(grid, x, y) {
  const { x: xs, y: ys, z } = grid;
  const nx = xs.length;
  const ny = ys.length;
  const fj = ((x - xs[0]) / (xs[nx - 1] - xs[0])) * (nx - 1);
  const fi = ((y - ys[0]) / (ys[ny - 1] - ys[0])) * (ny - 1);
  if (!(fj >= 0 && fi >= 0 && fj <= nx - 1 && fi <= ny - 1)) return NaN;
  const j = Math.min(nx - 2, Math.floor(fj));
  const i = Math.min(ny - 2, Math.floor(fi));
  const u = fj - j;
  const v = fi - i;
  const a = z[i][j];
  const b = z[i][j + 1];
  const c = z[i + 1][j];
  const d = z[i + 1][j + 1];
  if ([a, b, c, d].some((q) => q === null)) return NaN;
  return (1 - v) * ((1 - u) * a + u * b) + v * ((1 - u) * c + u * d);
}
