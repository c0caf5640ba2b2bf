// The contour view: two stacked canvases. The background (surface shading, contour lines,
// axes, critical points, gradient field, basin map) is drawn only when the surface or the
// view changes; the foreground (paths, current points, eigen-arrows, Taylor model) is cheap
// enough to redraw every animation frame, which keeps 6 animated runs far above 50 fps.

import { marchingSquares, gridToData } from '../lib/contours.js';
import {
  Viewport, eigenArrows, arrowHead, markerPath, nearestWithin, medianSpacing,
} from '../lib/geometry.js';
import {
  runColor, runShape, eigenStyle, CRITICAL_KINDS, basinColor,
} from '../lib/palette.js';
import { niceTicks } from '../lib/ticks.js';
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
    this.paths = new WeakMap(); // run -> its cached Path2D (see pathUpTo)
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

  /** target: {ctx, width, height} to draw elsewhere (the exports), else the background canvas. */
  drawBackground(target = null) {
    const { ctx, width, height } = target || fitCanvas(this.bgCanvas);
    this.viewport.width = width;
    this.viewport.height = height;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#f4f4f1';
    ctx.fillRect(0, 0, width, height);
    if (!this.grid) return;
    const vp = this.viewport;
    const image = this.basins ? this.basinImage : this.gridImage;
    const src = this.basins || this.grid;
    if (image) {
      // Pixel centres sit on the sample points: extend the image by half a cell each side.
      const nx = src.x.length;
      const ny = src.y.length;
      const hx = (src.x[nx - 1] - src.x[0]) / (2 * (nx - 1));
      const hy = (src.y[ny - 1] - src.y[0]) / (2 * (ny - 1));
      const [x0, y0] = vp.toPx(src.x[0] - hx, src.y[ny - 1] + hy);
      const [x1, y1] = vp.toPx(src.x[nx - 1] + hx, src.y[0] - hy);
      ctx.imageSmoothingEnabled = !this.basins;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(image, x0, y0, x1 - x0, y1 - y0);
    }
    // Contour lines: thin and dark, every fifth one a little stronger.
    ctx.lineCap = 'round';
    this.contours.forEach((c, i) => {
      const strong = i % 5 === 4;
      ctx.strokeStyle = strong ? 'rgba(25, 35, 55, 0.55)' : 'rgba(25, 35, 55, 0.28)';
      ctx.lineWidth = strong ? 1.3 : 0.9;
      strokeSegments(ctx, vp, c.segments);
    });
    if (this.overlays.field) this.drawField(ctx);
    this.drawAxes(ctx, width, height);
    if (this.overlays.critical) this.drawCritical(ctx);
    if (!this.painted) {
      this.painted = true;
      performance.mark('gradscape:scene-painted');
    }
  }

  drawField(ctx) {
    const vp = this.viewport;
    ctx.save();
    ctx.strokeStyle = 'rgba(40, 40, 40, 0.4)';
    ctx.fillStyle = 'rgba(40, 40, 40, 0.4)';
    ctx.lineWidth = 1.2;
    const cell = Math.min(vp.width, vp.height) / 20;
    for (const a of this.field) {
      const [px, py] = vp.toPx(a.x, a.y);
      const len = cell * (0.35 + 0.5 * a.strength);
      const x2 = px + a.dx * len;
      const y2 = py - a.dy * len;
      ctx.beginPath();
      ctx.moveTo(px, py);
      ctx.lineTo(x2, y2);
      ctx.stroke();
      const head = arrowHead(px, py, x2, y2, 5);
      ctx.beginPath();
      ctx.moveTo(...head[0]);
      ctx.lineTo(...head[1]);
      ctx.lineTo(...head[2]);
      ctx.fill();
    }
    ctx.restore();
  }

  drawAxes(ctx, width, height) {
    const vp = this.viewport;
    const [xmin, xmax, ymin, ymax] = vp.bounds();
    ctx.save();
    ctx.font = '12px system-ui, "Liberation Sans", sans-serif';
    ctx.fillStyle = 'rgba(20, 27, 38, 0.8)';
    ctx.strokeStyle = 'rgba(20, 27, 38, 0.5)';
    ctx.lineWidth = 1;
    const xt = niceTicks(xmin, xmax, Math.max(3, Math.round(width / 110)));
    const yt = niceTicks(ymin, ymax, Math.max(3, Math.round(height / 90)));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    for (const x of xt) {
      const [px] = vp.toPx(x, 0);
      if (px < 20 || px > width - 20) continue;
      ctx.beginPath();
      ctx.moveTo(px, height);
      ctx.lineTo(px, height - 5);
      ctx.stroke();
      labelText(ctx, fmt(x, 3), px, height - 6);
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const y of yt) {
      const [, py] = vp.toPx(0, y);
      if (py < 14 || py > height - 24) continue;
      // No tick mark before the label: a short horizontal tick reads as a minus sign
      // ("-4" for 4); the label is centred on its value's height.
      labelText(ctx, fmt(y, 3), 5, py);
    }
    ctx.restore();
  }

  drawCritical(ctx) {
    const vp = this.viewport;
    const shown = [];
    for (const cp of this.critical) {
      if (!cp.point || !cp.point.every(Number.isFinite)) continue;
      const [px, py] = vp.toPx(cp.point[0], cp.point[1]);
      if (px < -20 || py < -20 || px > vp.width + 20 || py > vp.height + 20) continue;
      shown.push({ cp, px, py });
    }
    // Many critical points close together (Rastrigin has hundreds): shorten every arrow so
    // neighbours' arrows do not run into each other; lengths stay proportional to |λ|.
    const maxLen = Math.max(6, Math.min(34, 0.42 * medianSpacing(shown.map((p) => [p.px, p.py]))));
    for (const { cp, px, py } of shown) {
      if (this.overlays.eigen && cp.eigenvalues) {
        drawEigen(ctx, eigenArrows(vp, cp.point, cp.eigenvalues, cp.eigenvectors,
          { lambdaRef: this.lambdaRef, minLen: Math.min(8, maxLen / 2), maxLen }), 0.75);
      }
      const style = CRITICAL_KINDS[cp.kind] || CRITICAL_KINDS.degenerate;
      drawMarker(ctx, style.shape, px, py, 5.5, cp.kind === 'minimum' ? '#ffffff' : style.color,
        style.color, 1.8);
    }
  }

  /**
   * scene: {race, cursor, selected, starts: [[x, y] per run], eigenAt(run, k), taylor,
   *         preview: {index, point}}
   */
  drawForeground(scene, target = null) {
    this.scene = scene;
    const { ctx, width, height } = target || fitCanvas(this.fgCanvas);
    ctx.clearRect(0, 0, width, height);
    // Until the surface's bounds are known (its grid or the catalog has not arrived yet) the
    // viewport is a placeholder: paths drawn with it would sit in the wrong place.
    if (!this.ready()) return;
    const vp = this.viewport;
    const race = scene.race;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';

    if (this.overlays.taylor && scene.taylor) this.drawTaylor(ctx, scene.taylor);

    // Start markers: hollow shapes where each run begins (draggable).
    scene.starts.forEach((p, i) => {
      if (!p) return;
      const [px, py] = vp.toPx(p[0], p[1]);
      drawMarker(ctx, runShape(i), px, py, 7, 'rgba(255,255,255,0.9)', runColor(i), 2.2);
    });

    if (race) {
      const order = race.runs.map((_, i) => i).filter((i) => i !== scene.selected);
      if (scene.selected < race.runs.length) order.push(scene.selected); // selected on top
      for (const i of order) this.drawPath(ctx, race.runs[i], scene.cursor, i === scene.selected);
      for (const i of order) {
        const run = race.runs[i];
        const k = run.indexAt(scene.cursor);
        if (k < 0) continue;
        const p = lastFinite(run, k);
        if (!p) continue;
        const [px, py] = vp.toPx(p.x, p.y);
        if (px < 0 || py < 0 || px > width || py > height) {
          drawOffscreen(ctx, px, py, width, height, runColor(i), run.f[p.k]);
          continue;
        }
        if (this.overlays.eigen) {
          const eig = scene.eigenAt(i, k);
          if (eig) {
            drawEigen(ctx, eigenArrows(vp, [p.x, p.y], eig.eigenvalues, eig.eigenvectors,
              { lambdaRef: this.lambdaRef, minLen: 10, maxLen: 52 }), 1);
          }
        }
        const diverged = run.stopped && run.status === 'diverged' && k >= run.length - 1;
        if (diverged || p.k < k) {
          drawDiverged(ctx, px, py, runColor(i));
        } else {
          drawMarker(ctx, runShape(i), px, py, i === scene.selected ? 8.5 : 7, runColor(i),
            '#ffffff', 2);
        }
      }
    }
    if (scene.preview) {
      const [px, py] = vp.toPx(scene.preview.point[0], scene.preview.point[1]);
      drawMarker(ctx, runShape(Math.max(0, scene.preview.index)), px, py, 8,
        'rgba(255,255,255,0.6)', '#222', 2);
    }
    if (race && !this.racePainted && race.runs.some((r) => r.length > 1)) {
      this.racePainted = true;
      performance.mark('gradscape:race-painted');
    }
  }

  drawPath(ctx, run, cursor, selected) {
    const vp = this.viewport;
    const k = run.indexAt(cursor);
    if (k < 1) return;
    const color = runColor(run.index);
    const path = this.pathUpTo(run, k);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.lineWidth = selected ? 6.5 : 5;
    ctx.stroke(path);
    ctx.strokeStyle = color;
    ctx.lineWidth = selected ? 3.2 : 2.4;
    ctx.stroke(path);
    // Small dots on each step show the step sizes (only while they are far enough apart).
    if (k < 400) {
      ctx.fillStyle = color;
      let px0 = -1e9;
      let py0 = -1e9;
      for (let j = 1; j < k; j += 1) {
        if (!Number.isFinite(run.x[j])) continue;
        const [px, py] = vp.toPx(run.x[j], run.y[j]);
        if (Math.hypot(px - px0, py - py0) < 9) continue;
        ctx.beginPath();
        ctx.arc(px, py, selected ? 2.6 : 2.1, 0, 2 * Math.PI);
        ctx.fill();
        px0 = px;
        py0 = py;
      }
    }
    // Where a hyperparameter changed mid-run: a ring with a bar across the path.
    for (const r of run.retunes) {
      if (r.step > k || !Number.isFinite(run.x[r.step])) continue;
      const [px, py] = vp.toPx(run.x[r.step], run.y[r.step]);
      ctx.beginPath();
      ctx.arc(px, py, 7.5, 0, 2 * Math.PI);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = color;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(px - 4, py + 4);
      ctx.lineTo(px + 4, py - 4);
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.8;
      ctx.stroke();
      if (r.params && r.params.lr !== undefined) {
        ctx.font = '600 12px system-ui, "Liberation Sans", sans-serif';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'bottom';
        ctx.fillStyle = '#111';
        labelText(ctx, `η=${fmt(r.params.lr, 3)}`, px + 9, py - 5);
      }
    }
  }

  /**
   * The run's polyline up to path index k in pixels. Path2D objects can be extended, so
   * each frame only appends the steps played since the last one (the view and the run
   * unchanged); going back in time or moving the view rebuilds it.
   */
  pathUpTo(run, k) {
    const vp = this.viewport;
    const key = `${vp.scale}:${vp.cx}:${vp.cy}:${vp.width}:${vp.height}`;
    let c = this.paths.get(run);
    if (!c || c.key !== key || k < c.built) {
      c = { key, path: new Path2D(), built: -1, pen: false, lx: -1e9, ly: -1e9, tail: null };
      this.paths.set(run, c);
    }
    for (let j = c.built + 1; j <= k; j += 1) {
      const x = run.x[j];
      const y = run.y[j];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        c.pen = false;
        continue;
      }
      const [px, py] = vp.toPx(x, y);
      if (!c.pen) {
        c.path.moveTo(px, py);
        c.pen = true;
      } else if (Math.abs(px - c.lx) + Math.abs(py - c.ly) >= 0.7) {
        c.path.lineTo(px, py);
      } else {
        c.tail = [px, py]; // too close to draw yet; kept so the line reaches the marker
        continue;
      }
      c.tail = null;
      c.lx = px;
      c.ly = py;
    }
    c.built = Math.max(c.built, k);
    if (!c.tail) return c.path;
    const path = new Path2D(c.path);
    path.lineTo(c.tail[0], c.tail[1]);
    return path;
  }

  drawTaylor(ctx, taylor) {
    // taylor: {center, grid, levels}: dashed contours of the quadratic model, in a disc.
    const vp = this.viewport;
    const [cx, cy] = vp.toPx(taylor.center[0], taylor.center[1]);
    const radius = taylor.half * vp.scale;
    ctx.save();
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.35)';
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.35)';
    ctx.setLineDash([2, 3]);
    ctx.stroke();
    ctx.clip();
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = '#5b2a86';
    ctx.lineWidth = 1.8;
    for (const level of taylor.levels) {
      const segs = gridToData(marchingSquares(taylor.grid.z, level), taylor.grid.x, taylor.grid.y);
      strokeSegments(ctx, vp, segs);
    }
    ctx.restore();
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

function strokeSegments(ctx, vp, segs) {
  ctx.beginPath();
  const s = vp.scale;
  const ox = vp.width / 2 - vp.cx * s;
  const oy = vp.height / 2 + vp.cy * s;
  for (let k = 0; k < segs.length; k += 4) {
    ctx.moveTo(ox + segs[k] * s, oy - segs[k + 1] * s);
    ctx.lineTo(ox + segs[k + 2] * s, oy - segs[k + 3] * s);
  }
  ctx.stroke();
}

function drawMarker(ctx, shape, x, y, r, fill, stroke, width) {
  const pts = markerPath(shape, x, y, r);
  ctx.beginPath();
  ctx.moveTo(pts[0][0], pts[0][1]);
  for (let i = 1; i < pts.length; i += 1) ctx.lineTo(pts[i][0], pts[i][1]);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = width;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

/** A run outside the view: an arrow head on the border pointing at it, with its value. */
function drawOffscreen(ctx, px, py, width, height, color, value) {
  const cx = width / 2;
  const cy = height / 2;
  const dx = px - cx;
  const dy = py - cy;
  const s = Math.min((width / 2 - 14) / Math.abs(dx || 1e-9), (height / 2 - 14) / Math.abs(dy || 1e-9));
  const ex = cx + dx * s;
  const ey = cy + dy * s;
  const head = arrowHead(ex - dx * 0.01, ey - dy * 0.01, ex, ey, 14, 0.5);
  ctx.beginPath();
  ctx.moveTo(...head[0]);
  ctx.lineTo(...head[1]);
  ctx.lineTo(...head[2]);
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#fff';
  ctx.stroke();
  ctx.font = '600 12px system-ui, "Liberation Sans", sans-serif';
  ctx.textAlign = ex > cx ? 'right' : 'left';
  ctx.textBaseline = ey > cy ? 'bottom' : 'top';
  ctx.fillStyle = '#111';
  labelText(ctx, `f=${fmt(value, 3)}`, ex + (ex > cx ? -16 : 16), ey + (ey > cy ? -8 : 8));
}

function drawDiverged(ctx, x, y, color) {
  ctx.save();
  ctx.lineWidth = 5;
  ctx.strokeStyle = '#fff';
  for (const w of [5, 2.6]) {
    ctx.lineWidth = w;
    ctx.strokeStyle = w === 5 ? '#fff' : color;
    ctx.beginPath();
    ctx.moveTo(x - 8, y - 8);
    ctx.lineTo(x + 8, y + 8);
    ctx.moveTo(x + 8, y - 8);
    ctx.lineTo(x - 8, y + 8);
    ctx.stroke();
  }
  ctx.restore();
}

function drawEigen(ctx, arrows, alpha) {
  ctx.save();
  ctx.globalAlpha = alpha;
  for (const a of arrows) {
    const style = eigenStyle(a.lambda);
    for (const pass of [0, 1]) {
      ctx.setLineDash(pass ? style.dash : []);
      ctx.strokeStyle = pass ? style.color : 'rgba(255,255,255,0.8)';
      ctx.lineWidth = pass ? 2 : 4.2;
      ctx.beginPath();
      ctx.moveTo(a.x1, a.y1);
      ctx.lineTo(a.x2, a.y2);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = style.color;
    for (const [x1, y1, x2, y2] of [[a.x1, a.y1, a.x2, a.y2], [a.x2, a.y2, a.x1, a.y1]]) {
      // Outward heads for λ > 0 (curving up), inward for λ < 0 (the surface falls away).
      const head = a.negative ? arrowHead(x2, y2, x1, y1, 7) : arrowHead(x1, y1, x2, y2, 7);
      ctx.beginPath();
      ctx.moveTo(...head[0]);
      ctx.lineTo(...head[1]);
      ctx.lineTo(...head[2]);
      ctx.closePath();
      ctx.fill();
    }
  }
  ctx.restore();
}

function labelText(ctx, text, x, y) {
  ctx.save();
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.strokeText(text, x, y);
  ctx.restore();
  ctx.fillText(text, x, y);
}

function lastFinite(run, k) {
  for (let j = k; j >= 0; j -= 1) {
    if (Number.isFinite(run.x[j]) && Number.isFinite(run.y[j])) return { x: run.x[j], y: run.y[j], k: j };
  }
  return null;
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
