// Formulas are never wrapped in the middle of a term: each equation of a rule is one
// unbreakable piece (lines break only between equations), and a piece wider than its box
// is set in a smaller type until it fits, instead of being cut off or scrolled.

const MIN_SCALE = 0.6;

/** Split a rendered rule's equations (joined by ", " and a wide space) into unbreakable pieces;
 *  words in \text{...} ("if Nesterov else") may still wrap between them (css/app.css). */
export function splitEquations(el) {
  if (el.dataset.split) return;
  el.dataset.split = '1';
  const parts = el.innerHTML.split(/,(?:&nbsp;|&emsp;|\u00a0|\u2003|\s)+/);
  if (parts.length < 2) {
    el.innerHTML = `<span class="eq">${el.innerHTML}</span>`;
    return;
  }
  el.innerHTML = parts.map((p, i) => `<span class="eq">${p}${i < parts.length - 1 ? ',' : ''}</span>`).join(' ');
}

/** Shrink each element's type until its widest unbreakable piece fits its box. */
export function fitWidth(elements) {
  for (const el of elements) {
    el.style.fontSize = '';
    const box = el.clientWidth;
    if (!box) continue; // hidden: measured when shown
    // (an .eq is an inline-block capped at the box's width: its scrollWidth is its own)
    const widest = Math.max(el.scrollWidth, ...[...el.querySelectorAll('.eq')].map((p) => p.scrollWidth));
    if (widest <= box) continue;
    // (a little under: glyph widths do not scale exactly with the font size)
    const scale = Math.max(MIN_SCALE, (0.97 * box) / widest);
    el.style.fontSize = `${(scale * 100).toFixed(1)}%`;
  }
}

/** The inspector's update rule: equations unbreakable, lines fitted to the panel. */
export function fitRule(rule) {
  const lines = [...rule.querySelectorAll('.tex, .sym, .live')];
  lines.filter((el) => el.classList.contains('tex')).forEach(splitEquations);
  fitWidth(lines);
}
