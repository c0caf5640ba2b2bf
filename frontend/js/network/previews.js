// Small pictures of the data sets for the picker: the shape of each set drawn from its
// description (a sketch, not the server's sample; the real points appear on the plot).

const BLUE = '#0072B2';
const ORANGE = '#D55E00';
const GREEN = '#009E73';

function rand(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
}

/** [{x, y, c}] in [-1, 1]² for a data set id (pure; deterministic). */
export function sketch(id, n = 60) {
  const r = rand(7);
  const pts = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const u = i / n;
    if (id === 'moons') {
      const a = Math.PI * u * 2;
      pts.push(c ? { x: 0.5 - 0.5 * Math.cos(a) * 0.9, y: 0.25 - 0.5 * Math.sin(a) * 0.9 + r() * 0.1, c } :
        { x: -0.5 + 0.5 * Math.cos(a) * 0.9 + 0.05, y: -0.1 + 0.5 * Math.sin(a) * 0.9 + r() * 0.1, c });
    } else if (id === 'circles') {
      const a = 2 * Math.PI * u * 2;
      const rad = c ? 0.4 : 0.85;
      pts.push({ x: rad * Math.cos(a) + r() * 0.08, y: rad * Math.sin(a) + r() * 0.08, c });
    } else if (id === 'spirals') {
      const t = u * 1.75 * 2 * Math.PI;
      const rad = 0.1 + 0.85 * u;
      const a = t + c * Math.PI;
      pts.push({ x: rad * Math.cos(a), y: rad * Math.sin(a), c });
    } else if (id === 'xor') {
      const x = r() * 1.9; const y = r() * 1.9;
      pts.push({ x, y, c: x * y < 0 ? 1 : 0 });
    } else if (id === 'blobs') {
      const k = i % 3;
      const a = (2 * Math.PI * k) / 3 + 0.5;
      pts.push({ x: 0.6 * Math.cos(a) + r() * 0.35, y: 0.6 * Math.sin(a) + r() * 0.35, c: k });
    } else {
      const x = -1 + 2 * u;
      pts.push({ x, y: 0.7 * Math.sin(Math.PI * x) + r() * 0.2, c: -1 });
    }
  }
  return pts;
}

export function drawPreview(canvas, id) {
  const w = canvas.width; const hgt = canvas.height;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, w, hgt);
  for (const p of sketch(id)) {
    ctx.fillStyle = p.c < 0 ? '#444' : [BLUE, ORANGE, GREEN][p.c];
    ctx.beginPath();
    ctx.arc((p.x + 1) / 2 * w, (1 - (p.y + 1) / 2) * hgt, 1.8, 0, 2 * Math.PI);
    ctx.fill();
  }
}
