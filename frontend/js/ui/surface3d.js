// The 3D view: plotly.js (served from /vendor, loaded only when this view is first opened,
// so the first paint does not wait for 4.8 MB of script). It paints the scene lib/scene.js
// describes for it (background3d, foreground3d): the contour view's grid, colours, contour
// levels, critical points, starts, paths and markers, nothing chosen here but how plotly
// draws them. Paths are updated a few times a second with Plotly.restyle; the surface only
// when the grid, the critical points or the number of runs change.

import { background3d, foreground3d } from '../lib/scene.js';
import { getLang } from '../lib/i18n.js';

// plotly.js's own words (the mode bar's tooltips) in Chinese, registered as its zh-CN locale.
const PLOTLY_ZH = {
  'Download plot as a PNG': '下载图像（PNG）', 'Download plot': '下载图像', Zoom: '缩放', Pan: '平移',
  'Orbital rotation': '轨道旋转', 'Turntable rotation': '转台旋转',
  'Reset camera to default': '相机恢复默认', 'Reset camera to last save': '相机恢复上次保存',
  'Toggle show closest data on hover': '切换悬停时显示最近的数据',
  'Show closest data on hover': '悬停时显示最近的数据', 'Compare data on hover': '悬停时比较数据',
  'Reset axes': '重置坐标轴', Autoscale: '自动缩放', 'Produced with Plotly.js': '由 Plotly.js 生成',
  'Download plot as JSON': '下载图像数据（JSON）', 'Share chart...': '分享图表…',
};
let localeRegistered = false;

let loading = null;

export function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      // Beside this module, so it shares the page's versioned URL prefix (server/static.py)
      // and is cached for good between versions.
      script.src = new URL('../../vendor/plotly.min.js', import.meta.url).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error('could not load vendor/plotly.min.js'));
      document.head.append(script);
    });
  }
  return loading;
}

// plotly draws only these marker symbols in 3D: the shapes it lacks take the nearest one it
// has (the run's colour, which the scene gives it too, still tells the runs apart).
const SYMBOLS_3D = {
  circle: 'circle', square: 'square', diamond: 'diamond', cross: 'cross',
  triangle: 'diamond', star: 'x', hexagon: 'square',
};
// A line or marker seen in depth reads thinner than on the flat canvas: sizes are the scene's
// (lib/scene.js) times these.
const LINE_SCALE = 2;
const MARKER_SCALE = 2; // the scene gives a radius; plotly takes a diameter

function markerTrace(name, marks) {
  return {
    type: 'scatter3d', mode: 'markers', name, hoverinfo: 'skip',
    x: marks.map((m) => m.x), y: marks.map((m) => m.y), z: marks.map((m) => m.z),
    marker: {
      symbol: marks.map((m) => (m.diverged ? 'x' : SYMBOLS_3D[m.shape] || 'circle')),
      size: marks.map((m) => m.r * MARKER_SCALE),
      color: marks.map((m) => m.fill),
      line: { color: marks.map((m) => (m.diverged ? m.fill : m.stroke)), width: marks[0]?.width ?? 1 },
      opacity: 1,
    },
  };
}

function pathTrace(run) {
  return {
    type: 'scatter3d', mode: 'lines', name: `path-${run.index}`, hoverinfo: 'skip',
    x: run.path.x, y: run.path.y, z: run.path.z,
    line: { color: run.path.stroke, width: run.path.width * LINE_SCALE },
  };
}

/** The plotly traces of a 3D scene (lib/scene.js background3d and foreground3d). */
export function traces3d(bg, fg) {
  const { surface } = bg;
  const out = [{
    type: 'surface', name: 'f', x: surface.x, y: surface.y, z: surface.z,
    // The contour view's colours: its equalised coordinate on its ramp (palette.SURFACE_STOPS).
    surfacecolor: surface.shade, cmin: 0, cmax: 1, showscale: false,
    colorscale: surface.stops.map(([t, [r, g, b]]) => [t, `rgb(${r},${g},${b})`]),
    opacity: 0.93, hoverinfo: 'x+y+z', contours: { z: { show: false, highlight: false } },
    lighting: { ambient: 0.75, diffuse: 0.6, specular: 0.05 },
  }];
  for (const c of bg.contours) {
    out.push({
      type: 'scatter3d', mode: 'lines', name: c.strong ? 'contours-strong' : 'contours', hoverinfo: 'skip',
      x: c.lines.x, y: c.lines.y, z: c.lines.z, opacity: c.strokeOpacity,
      line: { color: c.stroke, width: c.width * LINE_SCALE },
    });
  }
  out.push(markerTrace('critical', bg.critical));
  out.push(markerTrace('starts', fg.starts));
  for (const run of fg.runs) out.push(pathTrace(run), markerTrace(`head-${run.index}`, run.head ? [run.head] : []));
  return out;
}

export class Surface3D {
  constructor(div) {
    this.div = div;
    this.ready = false;
    this.bgKey = null; // what the background was built from (plotly.react when it changes)
    this.bg = null;
  }

  /**
   * Draw the scene: input {grid (the prepared home grid), critical, showCritical, runs
   * (lib/scene.js runsAt), starts, selected}: the contour view's scene, in 3D.
   */
  async show(input) {
    if (!input.grid) return;
    const Plotly = await loadPlotly();
    if (this.ready && this.sameBackground(input)) {
      this.update(input);
      return;
    }
    this.bgKey = this.backgroundKey(input);
    this.bg = background3d(input);
    const traces = traces3d(this.bg, foreground3d(input, this.bg.heights));
    const layout = {
      margin: { l: 0, r: 0, t: 0, b: 0 }, showlegend: false, uirevision: 'keep',
      paper_bgcolor: '#ffffff',
      scene: {
        xaxis: { title: { text: 'x' } }, yaxis: { title: { text: 'y' } },
        zaxis: { title: { text: 'f' } }, aspectmode: 'manual', aspectratio: { x: 1, y: 1, z: 0.6 },
        camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } },
      },
    };
    if (!localeRegistered) {
      Plotly.register({ moduleType: 'locale', name: 'zh-CN', dictionary: PLOTLY_ZH, format: {} });
      localeRegistered = true;
    }
    const locale = { zh: 'zh-CN', 'zh-Hant': 'zh-TW' }[getLang()] || 'en-US';
    // No "share chart" button: it uploads to a web service, and classrooms are often offline.
    this.building = true; // no restyle of the old traces meanwhile
    try {
      await Plotly.react(this.div, traces, layout, {
        displaylogo: false, responsive: true, locale, modeBarButtonsToRemove: ['sendChartToCloud'],
      });
    } finally {
      this.building = false;
    }
    this.ready = true;
  }

  backgroundKey(input) {
    return { grid: input.grid, critical: input.critical, showCritical: input.showCritical, runs: input.runs.length };
  }

  sameBackground(input) {
    const a = this.bgKey;
    const b = this.backgroundKey(input);
    return Boolean(a) && Object.keys(b).every((k) => a[k] === b[k]);
  }

  /** The starts, paths and current points at the playback position (Plotly.restyle). */
  update(input) {
    if (!this.ready || !window.Plotly || this.building || !input.grid) return;
    if (!this.sameBackground(input)) {
      this.show(input);
      return;
    }
    const fg = foreground3d(input, this.bg.heights);
    const first = 1 + this.bg.contours.length + 1; // the starts' trace: after the surface, contours, critical points
    const traces = [markerTrace('starts', fg.starts)];
    for (const run of fg.runs) traces.push(pathTrace(run), markerTrace(`head-${run.index}`, run.head ? [run.head] : []));
    const data = {
      x: [], y: [], z: [], 'marker.size': [], 'marker.symbol': [], 'marker.color': [], 'marker.line.color': [],
      'line.width': [], 'line.color': [],
    };
    for (const tr of traces) {
      data.x.push(tr.x);
      data.y.push(tr.y);
      data.z.push(tr.z);
      data['marker.size'].push(tr.marker?.size);
      data['marker.symbol'].push(tr.marker?.symbol);
      data['marker.color'].push(tr.marker?.color);
      data['marker.line.color'].push(tr.marker?.line.color);
      data['line.width'].push(tr.line?.width);
      data['line.color'].push(tr.line?.color);
    }
    window.Plotly.restyle(this.div, data, traces.map((_, i) => first + i));
  }
}
