// The keyboard shortcuts: one table, read by the dispatcher (ui/share.js, Sharing.onKey) and by the "?"
// dialog that lists them, so the list shown is always the list that works.

export const SHORTCUTS = [
  { keys: ['Space'], action: 'play', label: 'keys.play' },
  { keys: ['→'], action: 'forward', label: 'keys.forward' },
  { keys: ['←'], action: 'back', label: 'keys.back' },
  { keys: ['Shift', '→'], action: 'forward10', label: 'keys.forward10' },
  { keys: ['Shift', '←'], action: 'back10', label: 'keys.back10' },
  { keys: ['Home'], action: 'home', label: 'keys.home' },
  { keys: ['r'], action: 'restart', label: 'keys.restart' },
  { keys: ['f'], action: 'fullscreen', label: 'keys.fullscreen' },
  { keys: ['p'], action: 'presenter', label: 'keys.presenter' },
  { keys: ['PageDown'], action: 'lessonNext', label: 'keys.lessonNext' },
  { keys: ['PageUp'], action: 'lessonBack', label: 'keys.lessonBack' },
  { keys: ['Ctrl', 'Z'], action: 'undo', label: 'keys.undo' },
  { keys: ['Ctrl', 'Shift', 'Z'], action: 'redo', label: 'keys.redo' },
  { keys: ['Ctrl', 'Y'], action: 'redo', label: 'keys.redo' },
  { keys: ['?'], action: 'help', label: 'keys.help' },
  { keys: ['Esc'], action: 'close', label: 'keys.close' },
];

const ARROW_ROLES = new Set(['tab', 'radio', 'menuitem', 'menuitemradio', 'option', 'slider', 'spinbutton']);
const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'url', 'tel', 'password', 'range']);

/** Whether keys typed here belong to the element (a text box, a slider, a select). */
export function ownsKeys(target) {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return TEXT_INPUTS.has(String(target.type || 'text').toLowerCase());
  return false;
}

/**
 * The action for a keydown event ({key, shiftKey, ctrlKey, metaKey, altKey, target}) or
 * null. Esc is left to the browser (it closes dialogs and leaves fullscreen by itself).
 */
export function shortcutFor(e) {
  // A clicker's PageDown/PageUp mean nothing in a one-line text box (the lesson's guess box
  // has the focus while the class predicts): they still move the lesson. Not in a slider,
  // a list or a text area, where they have a job.
  const oneLine = e.target?.tagName === 'INPUT' && /^(text|search)$/i.test(e.target.type || 'text');
  if ((e.key === 'PageDown' || e.key === 'PageUp') && oneLine && !e.ctrlKey && !e.metaKey && !e.altKey) {
    return e.key === 'PageDown' ? 'lessonNext' : 'lessonBack';
  }
  if (ownsKeys(e.target)) return null; // a text box undoes its own typing
  if ((e.ctrlKey || e.metaKey) && !e.altKey) {
    const k = String(e.key).toLowerCase();
    if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (k === 'y' && !e.shiftKey) return 'redo';
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const tag = e.target?.tagName;
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      // Space on a button or checkbox presses it; everywhere else it plays or pauses.
      return tag === 'BUTTON' || tag === 'INPUT' || tag === 'SUMMARY' || tag === 'A' ? null : 'play';
    case 'ArrowRight':
    case 'ArrowLeft':
      // Tabs, radio groups and menus move their own focus with the arrows.
      if (ARROW_ROLES.has(e.target?.getAttribute?.('role'))) return null;
      if (e.key === 'ArrowRight') return e.shiftKey ? 'forward10' : 'forward';
      return e.shiftKey ? 'back10' : 'back';
    // A presentation clicker sends PageDown/PageUp: a lesson's Next and Back.
    case 'PageDown': return 'lessonNext';
    case 'PageUp': return 'lessonBack';
    case 'Home': return 'home';
    case 'r': case 'R': return 'restart';
    case 'f': case 'F': return 'fullscreen';
    case 'p': case 'P': return 'presenter';
    case '?': return 'help';
    default: return null;
  }
}
