// The one list of the side panels, the views and the overlays. The page's tabs and toggles
// (ui/panels.js), the URL's enums and overlay flags (lib/state.js), the app's show/hide loop
// and the side panel's renderer (ui/sidepanel.js) all read these lists; nothing else spells
// them out. Adding a side panel is one module (exporting `render(el, view, callbacks)`) and
// one line in PANELS, plus its strings in lib/i18n.js and lib/i18n.zh.js: docs/extending.md.
//
// Pure data: a panel's module is loaded only when it is first shown (`load`), so lib/state.js
// (and node's tests of it) can read the ids without any DOM code.

/**
 * A side panel: id (in the URL as p=<id>, and the section's id panel-<id>), label (an i18n
 * key), load (() => import(module)): the module exports render(el, view, callbacks).
 */
export function panel(id, label, load) {
  return { id, label, load };
}

export const PANELS = [
  panel('inspector', 'panel.inspector', () => import('../ui/inspector.js')),
  panel('graph', 'panel.graph', () => import('../ui/graphview.js')),
  panel('notes', 'panel.notes', () => import('../ui/notes.js')),
];

/** A view of the surface: id (v=<id>), label; canvas: drawn on the plot's 2D canvases. */
export const VIEWS = [
  { id: 'contour', label: 'view.contour', canvas: true },
  { id: '3d', label: 'view.3d', canvas: false },
  { id: 'basins', label: 'view.basins', canvas: true },
];

/**
 * An overlay on the plot, one state flag each: id (the state's key, the checkbox ov-<id>),
 * url (its name in the link), default, label and tip (i18n keys).
 */
export const OVERLAYS = [
  { id: 'eigen', url: 'e', default: true, label: 'overlay.eigen', tip: 'tip.eigen' },
  { id: 'critical', url: 'c', default: true, label: 'overlay.critical', tip: 'tip.critical' },
  { id: 'taylor', url: 't', default: false, label: 'overlay.taylor', tip: 'tip.taylor' },
  { id: 'field', url: 'g', default: false, label: 'overlay.field', tip: 'tip.field' },
];

/** Register a side panel from outside this file (a plug-in, a test) before the app boots. */
export function registerPanel(entry) {
  if (!/^[a-z][a-z0-9_-]*$/.test(entry.id)) throw new Error(`panel id "${entry.id}": lower-case letters, digits, - and _`);
  if (PANELS.some((p) => p.id === entry.id)) throw new Error(`panel "${entry.id}" is registered already`);
  PANELS.push(panel(entry.id, entry.label, entry.load));
}

/** The ids a state field of type 'enum' may take (lib/state.js). */
export function enumValues(key) {
  if (key === 'panel') return PANELS.map((p) => p.id);
  if (key === 'view') return VIEWS.map((v) => v.id);
  return null;
}

/** The view's entry (the first one for an unknown id). */
export function viewOf(id) {
  return VIEWS.find((v) => v.id === id) || VIEWS[0];
}
