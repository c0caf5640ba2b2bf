// Everything the contour view needs from a sampled grid, computed once per grid (in a Web
// Worker when the browser has them, so the page stays responsive while it is prepared):
// equalised colours, contour levels and their line segments, and the gradient field's arrows.

import { sortedFinite, quantileLevels, contourSet, shadeGrid } from './contours.js';
import { surfaceColor } from './palette.js';
import { gradientField } from './geometry.js';

export const CONTOUR_LEVELS = 26;

/** A /api/grid answer -> {x, y, z, bounds, levels, contours, image, field}. */
export function prepareGrid(grid, levelsCount = CONTOUR_LEVELS) {
  const sorted = sortedFinite(grid.z);
  const levels = quantileLevels(sorted, levelsCount);
  return {
    x: grid.x,
    y: grid.y,
    z: grid.z,
    bounds: grid.bounds,
    levels,
    contours: contourSet(grid, levels),
    image: shadeGrid(grid, sorted, surfaceColor, [214, 214, 214]),
    field: gradientField(grid), // exact gradients from the server's answer
  };
}

/** The buffers a prepared grid can hand over to another thread without copying. */
export function transferables(prepared) {
  return [prepared.image.pixels.buffer, ...prepared.contours.map((c) => c.segments.buffer)];
}
