// Keyboard access to regions that scroll (WCAG 2.1.1; axe "scrollable-region-focusable"):
// a box whose content overflows it gets tabindex=0, so a keyboard user can focus it and
// scroll it with the arrows; once it fits again it leaves the tab order. Checked after DOM
// changes and resizes, for the page's known scroll boxes only (cheap: no style of every
// element is read).

const SCROLLERS = ['.panels', '.insp-rule .tex', '.rule', '.lesson-step > p', '.results',
  '.notes .formula', '.runs-panel', '.lesson-gallery', '.keys-dialog'];

function overflows(el) {
  const style = getComputedStyle(el);
  const scrollY = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
  const scrollX = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  return scrollX || scrollY;
}

/** Set or clear tabindex on the scroll boxes under root (returns how many are focusable). */
export function updateScrollFocus(root = document) {
  let n = 0;
  for (const el of root.querySelectorAll(SCROLLERS.join(','))) {
    const own = el.dataset.scrollFocus === '1';
    if (el.hasAttribute('tabindex') && !own) continue; // focusable by its own design
    if (overflows(el)) {
      n += 1;
      if (!own) {
        el.setAttribute('tabindex', '0');
        el.dataset.scrollFocus = '1';
      }
    } else if (own) {
      el.removeAttribute('tabindex');
      delete el.dataset.scrollFocus;
    }
  }
  return n;
}

/** Keep it so while the page changes. */
export function watchScrollFocus(root = document.body) {
  let pending = false;
  const run = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      updateScrollFocus();
    });
  };
  new MutationObserver(run).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'class'] });
  window.addEventListener('resize', run);
  run();
}
