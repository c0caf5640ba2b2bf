// How a race starts playing: autoplay, paused, or (for people who asked their system for
// reduced motion) no animation at all, the whole path shown at once when it has arrived.
// Pressing play still animates: that is the viewer's own choice.

/** The user's reduced-motion setting (false where matchMedia is missing, e.g. in node). */
export function prefersReducedMotion(win = globalThis) {
  return Boolean(win.matchMedia && win.matchMedia('(prefers-reduced-motion: reduce)').matches);
}

/**
 * {autoplay, instant} for the next race. `first`: the race a link opened (its step k, if
 * any, is shown paused); `autoplay`: the link's play option (null = default on);
 * `reduced`: prefers-reduced-motion; `lesson`: the open lesson's id, if any.
 * instant = no animation: the whole path is shown at once, when the race is complete.
 */
export function playPolicy({
  first, step = 0, autoplay = null, reduced = false, lesson = '',
}) {
  if (first && step > 0) return { autoplay: false, instant: false };
  // A lesson waits for the class's prediction before anything moves (its panel plays it).
  if (lesson) return { autoplay: false, instant: false };
  if (reduced) return { autoplay: false, instant: true };
  return { autoplay: autoplay !== false, instant: false };
}
