// The 3D view: plotly.js (served from /vendor, loaded only when this view is first opened,
// so the first paint does not wait for 4.8 MB of script). Paths are updated a few times a
// second with Plotly.restyle; the surface itself only when the grid changes.

import { runColor } from '../lib/palette.js';
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

const COLORSCALE = [
  [0, 'rgb(160,180,200)'], [0.25, 'rgb(192,207,219)'], [0.5, 'rgb(216,227,228)'],
  [0.75, 'rgb(238,234,214)'], [1, 'rgb(250,236,212)'],
];

export class Surface3D {
  constructor(div) {
    this.div = div;
    this.ready = false;
    this.gridKey = null;
    this.runs = 0;
  }

  async show(grid, race, cursor) {
    const Plotly = await loadPlotly();
    const key = `${grid.x[0]}:${grid.x.length}:${grid.y[0]}:${grid.z[0][0]}`;
    if (!this.ready || key !== this.gridKey || this.runs !== (race?.runs.length || 0)) {
      this.gridKey = key;
      this.runs = race?.runs.length || 0;
      // Clip the towering walls (Rosenbrock reaches 2500) at a high quantile so the valley
      // the optimizers walk in keeps its shape.
      const vals = grid.z.flat().filter(Number.isFinite).sort((a, b) => a - b);
      const cap = vals[Math.floor(vals.length * 0.97)] ?? 1;
      const z = grid.z.map((row) => row.map((v) => (Number.isFinite(v) ? Math.min(v, cap) : null)));
      this.cap = cap;
      // Paths ride a little above the surface: drawn exactly on it they sink into its
      // triangles and show only in pieces.
      this.lift = 0.015 * (cap - (vals[0] ?? 0));
      const traces = [{
        type: 'surface', x: grid.x, y: grid.y, z, colorscale: COLORSCALE, showscale: false,
        opacity: 0.93, hoverinfo: 'x+y+z', name: 'f',
        contours: { z: { show: true, usecolormap: false, color: 'rgba(30,40,60,0.35)', width: 1, highlight: false } },
        lighting: { ambient: 0.75, diffuse: 0.6, specular: 0.05 },
      }];
      (race?.runs || []).forEach((run, i) => traces.push(...this.pathTraces(run, i, cursor)));
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
      await Plotly.react(this.div, traces, layout, {
        displaylogo: false, responsive: true, locale, modeBarButtonsToRemove: ['sendChartToCloud'],
      });
      this.ready = true;
      return;
    }
    this.update(race, cursor);
  }

  pathTraces(run, i, cursor) {
    const k = run.indexAt(cursor);
    const xs = [];
    const ys = [];
    const zs = [];
    for (let j = 0; j <= k; j += 1) {
      xs.push(run.x[j]);
      ys.push(run.y[j]);
      zs.push(Number.isFinite(run.f[j]) ? Math.min(run.f[j], this.cap ?? Infinity) + (this.lift || 0) : null);
    }
    const color = runColor(i);
    return [
      { type: 'scatter3d', mode: 'lines', x: xs, y: ys, z: zs, line: { color, width: 6 }, hoverinfo: 'skip' },
      {
        type: 'scatter3d', mode: 'markers', x: xs.slice(-1), y: ys.slice(-1), z: zs.slice(-1),
        marker: { color, size: 6, line: { color: '#fff', width: 1 } }, hoverinfo: 'skip',
      },
    ];
  }

  update(race, cursor) {
    if (!this.ready || !race || !window.Plotly) return;
    const data = { x: [], y: [], z: [] };
    const indices = [];
    race.runs.forEach((run, i) => {
      const [line, dot] = this.pathTraces(run, i, cursor);
      for (const tr of [line, dot]) {
        data.x.push(tr.x);
        data.y.push(tr.y);
        data.z.push(tr.z);
      }
      indices.push(1 + 2 * i, 2 + 2 * i);
    });
    window.Plotly.restyle(this.div, data, indices);
  }
}
