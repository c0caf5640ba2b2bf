// A lesson's scene (the shape of a POST /api/run body, from GET /api/lessons) as a normal
// scene state, so a lesson is a link like any other: the app, the export menu, the embed
// page and the printable index all read the same hash.

import { defaultState, makeRun, toHash } from './state.js';

const CURVATURE_CONCEPTS = new Set(['3', '6']);

/** The state that shows `lesson`'s scene; fields a scene does not speak of (language, speed,
 *  log scale, gradient field; the Taylor model unless the scene asks for it) are kept from `base`. Pure: `base` is not changed. */
export function sceneToState(lesson, base = defaultState()) {
  const sc = lesson.scene;
  const st = { ...JSON.parse(JSON.stringify(base)), bounds: null, options: {}, formula: '' };
  if (typeof sc.surface === 'string') {
    st.surface = sc.surface;
  } else if (sc.surface.dataset) {
    st.surface = sc.surface.dataset;
    st.options = { ...(sc.surface.options || {}) };
    st.bounds = sc.surface.bounds || null;
  } else {
    st.surface = 'custom';
    st.formula = sc.surface.formula;
    st.bounds = sc.surface.bounds || null;
  }
  // The scene's first start is the shared one; only runs that start elsewhere keep their own.
  const first = sc.runs[0]?.start || st.start;
  st.start = first.slice();
  st.runs = sc.runs.map((r) => makeRun({
    ...r, start: r.start && (r.start[0] !== first[0] || r.start[1] !== first[1]) ? r.start : null,
  }));
  st.steps = sc.steps || 500;
  st.seed = sc.seed || 0;
  st.selected = 0;
  st.step = 0;
  st.lesson = lesson.id;
  st.view = sc.view === 'basins' ? 'basins' : 'contour';
  st.panel = sc.view === 'graph' || sc.view === 'inspector' ? sc.view : 'inspector';
  // Eigen-arrows and critical points are on by default; a scene can only ask for them, except
  // that a surface with hundreds of critical points (Rastrigin, Ackley) may hide the markers
  // (critical: false), which would otherwise cover the paths.
  st.eigen = base.eigen || Boolean(sc.eigen) || sc.view === 'critical';
  st.critical = sc.critical === false ? false : base.critical || sc.view === 'critical';
  // The Taylor model, like the arrows: a scene can ask for it (the saddle's quadratic model).
  st.taylor = base.taylor || Boolean(sc.taylor);
  // Lessons about curvature (the learning rate's 2/λmax, critical points and the Hessian)
  // show the curvature read-outs.
  st.advanced = base.advanced || CURVATURE_CONCEPTS.has(String(lesson.concept));
  return st;
}

/** The hash (without '#') of the lesson's scene; `withLesson` adds l=<id> (the app opens its
 *  steps), without it the hash is the bare scene (for the embed page). */
export function sceneHash(lesson, { lang = 'en', withLesson = true } = {}) {
  const st = sceneToState(lesson, { ...defaultState(), lang });
  if (!withLesson) {
    st.lesson = '';
    st.advanced = false; // the bare scene (the embed page shows no read-outs)
  }
  return toHash(st);
}

/** Links of one lesson, absolute on `origin` (e.g. "http://127.0.0.1:8000"). */
export function lessonLinks(lesson, origin, lang = 'en') {
  if (lesson.scene?.mode === 'network') {
    // A real-network lesson (lessons/networks.py) has no 2D scene hash: its links name the
    // lesson, whose network scene the Network mode reads from the catalog.
    const hash = `l=${encodeURIComponent(lesson.id)}${lang !== 'en' ? `&lang=${lang}` : ''}`;
    return { app: `${origin}/#${hash}`, short: `${origin}/#${hash}`, embed: `${origin}/embed.html#${hash}` };
  }
  const full = `${origin}/#${sceneHash(lesson, { lang })}`;
  const short = `${origin}/#l=${encodeURIComponent(lesson.id)}${lang !== 'en' ? `&lang=${lang}` : ''}`;
  const embed = `${origin}/embed.html#${sceneHash(lesson, { lang, withLesson: false })}`;
  return { app: full, short, embed };
}

const ATTR_ESCAPES = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/** A copyable iframe for slides (16:9 at a width that suits a slide). */
export function iframeSnippet(src, title) {
  const esc = (s) => String(s).replace(/[&"<>]/g, (c) => ATTR_ESCAPES[c]);
  return `<iframe src="${esc(src)}" title="${esc(title)}" width="960" height="540" `
    + 'style="border:0" allow="fullscreen" allowfullscreen loading="lazy"></iframe>';
}

/** The language a page was asked for: ?lang=zh or #lang=zh-Hant (the hash wins), else 'en'. */
export function pageLang(search = '', hash = '', known = ['en', 'zh', 'zh-Hant']) {
  const fromHash = new URLSearchParams(String(hash).replace(/^#/, '')).get('lang');
  const fromSearch = new URLSearchParams(String(search).replace(/^\?/, '')).get('lang');
  const lang = fromHash || fromSearch;
  return known.includes(lang) ? lang : 'en';
}
