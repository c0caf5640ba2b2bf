// Formulas are never wrapped in the middle of a term: each equation of a rule is one
// unbreakable piece (an .eq holding one <math>, lib/mathml.js; lines break only between
// equations), and a piece wider than its box is set in a smaller type until it fits, instead
// of being cut off or scrolled.

const MIN_SCALE = 0.6;

/** Shrink each element's type until its widest unbreakable piece fits its box. */
export function fitWidth(elements) {
  for (const el of elements) {
    el.style.fontSize = '';
    const box = el.clientWidth;
    if (!box) continue; // hidden: measured when shown
    // (an .eq is an inline-block capped at the box's width: its scrollWidth is its own)
    const widest = () => Math.max(el.scrollWidth,
      ...[...el.querySelectorAll('.eq')].map((p) => p.scrollWidth));
    // Glyph widths do not scale exactly with the font size (hinting, a math font's script
    // sizes): measure again after each step, a few steps at most.
    let scale = 1;
    for (let pass = 0; pass < 3; pass += 1) {
      const wide = widest();
      if (wide <= box || scale <= MIN_SCALE) break;
      scale = Math.max(MIN_SCALE, (scale * 0.98 * box) / wide);
      el.style.fontSize = `${(scale * 100).toFixed(1)}%`;
    }
  }
}

/** The inspector's update rule: equations unbreakable, lines fitted to the panel. */
export function fitRule(rule) {
  fitWidth([...rule.querySelectorAll('.tex, .sym, .live')]);
}

/**
 * Keep boxes fitted whenever their width changes (a card's details opened, the window
 * resized). Refitted on the next frame, not inside the observer's callback: changing the
 * type there would resize the box again within the same frame.
 */
export function keepFitted(elements) {
  if (typeof ResizeObserver === 'undefined') return;
  for (const el of elements) {
    let width = -1;
    new ResizeObserver(() => {
      if (el.clientWidth === width) return; // only the height changed (our own refit)
      width = el.clientWidth;
      requestAnimationFrame(() => fitWidth([el]));
    }).observe(el);
  }
}
