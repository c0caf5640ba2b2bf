// Paints the scene's marks (lib/scene.js) on a 2D canvas context, in the context's current
// units (the caller sets the transform: CSS pixels times the device or export scale). It
// decides nothing about the picture: every colour, width and place comes with the mark.

import { FONT } from './scene.js';

const ALIGN = { start: 'left', middle: 'center', end: 'right' };

function tracePoly(ctx, pts) {
  ctx.beginPath();
  ctx.moveTo(pts[0][0], pts[0][1]);
  for (let i = 1; i < pts.length; i += 1) ctx.lineTo(pts[i][0], pts[i][1]);
  ctx.closePath();
}

function traceLines(ctx, lines, segments) {
  ctx.beginPath();
  for (const l of lines) {
    if (segments) {
      for (let k = 0; k + 3 < l.length; k += 4) {
        ctx.moveTo(l[k], l[k + 1]);
        ctx.lineTo(l[k + 2], l[k + 3]);
      }
    } else {
      ctx.moveTo(l[0], l[1]);
      for (let k = 2; k + 1 < l.length; k += 2) ctx.lineTo(l[k], l[k + 1]);
    }
  }
}

/** Fill and stroke the current path as the mark says, each with its own opacity. */
function paint(ctx, m, alpha) {
  if (m.fill && m.fill !== 'none') {
    ctx.globalAlpha = alpha * (m.fillOpacity ?? 1);
    ctx.fillStyle = m.fill;
    ctx.fill();
  }
  if (m.stroke && m.stroke !== 'none') {
    ctx.globalAlpha = alpha * (m.strokeOpacity ?? 1);
    ctx.strokeStyle = m.stroke;
    ctx.lineWidth = m.width ?? 1;
    ctx.setLineDash(m.dash || []);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.globalAlpha = alpha;
}

function drawText(ctx, m, alpha) {
  ctx.font = `${m.weight && m.weight !== 400 ? `${m.weight} ` : ''}${m.size || 12}px ${FONT}`;
  ctx.textAlign = ALIGN[m.anchor || 'start'];
  ctx.textBaseline = m.baseline || 'alphabetic';
  if (m.halo) {
    ctx.globalAlpha = alpha * m.halo.opacity;
    ctx.lineWidth = m.halo.width;
    ctx.strokeStyle = m.halo.color;
    ctx.lineJoin = 'round';
    ctx.strokeText(m.text, m.x, m.y);
  }
  ctx.globalAlpha = alpha * (m.fillOpacity ?? 1);
  ctx.fillStyle = m.fill;
  ctx.fillText(m.text, m.x, m.y);
  ctx.globalAlpha = alpha;
}

function drawMark(ctx, m, alpha) {
  switch (m.type) {
    case 'rect':
      ctx.beginPath();
      if (m.rx) ctx.roundRect(m.x, m.y, m.w, m.h, m.rx);
      else ctx.rect(m.x, m.y, m.w, m.h);
      paint(ctx, m, alpha);
      break;
    case 'image':
      if (!m.image.canvas) break;
      ctx.imageSmoothingEnabled = !m.pixelated;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(m.image.canvas, m.x, m.y, m.w, m.h);
      break;
    case 'path':
      traceLines(ctx, m.lines, m.segments);
      if (m.cap) ctx.lineCap = m.cap;
      paint(ctx, { ...m, fill: null }, alpha);
      break;
    case 'line':
      ctx.beginPath();
      ctx.moveTo(m.x1, m.y1);
      ctx.lineTo(m.x2, m.y2);
      paint(ctx, { ...m, fill: null }, alpha);
      break;
    case 'poly':
      tracePoly(ctx, m.pts);
      paint(ctx, m, alpha);
      break;
    case 'circle':
      ctx.beginPath();
      ctx.arc(m.cx, m.cy, m.r, 0, 2 * Math.PI);
      paint(ctx, m, alpha);
      break;
    case 'dots':
      ctx.beginPath();
      for (let k = 0; k + 1 < m.pts.length; k += 2) {
        ctx.moveTo(m.pts[k] + m.r, m.pts[k + 1]);
        ctx.arc(m.pts[k], m.pts[k + 1], m.r, 0, 2 * Math.PI);
      }
      paint(ctx, m, alpha);
      break;
    case 'text':
      drawText(ctx, m, alpha);
      break;
    case 'group':
      drawGroup(ctx, m, alpha);
      break;
    default:
      break;
  }
}

function drawGroup(ctx, g, alpha) {
  ctx.save();
  if (g.cap) ctx.lineCap = g.cap;
  if (g.join) ctx.lineJoin = g.join;
  if (g.clip) {
    ctx.beginPath();
    if (g.clip.r !== undefined) ctx.arc(g.clip.cx, g.clip.cy, g.clip.r, 0, 2 * Math.PI);
    else ctx.rect(g.clip.x, g.clip.y, g.clip.w, g.clip.h); // a panel of a picture
    ctx.clip();
  }
  const a = alpha * (g.opacity ?? 1);
  for (const m of g.items) drawMark(ctx, m, a);
  ctx.restore();
}

/** Paint marks on ctx (its transform and clip untouched afterwards). */
export function drawMarks(ctx, marks) {
  drawGroup(ctx, { items: marks }, 1);
}
