// The GIF encoder checked against a decoder written here from the GIF89a spec (block layout,
// LZW from the decoder's side: codes read LSB first, the table grown one code behind the
// encoder, KwKwK), independent of the encoder's own code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GifEncoder, ColorMapper, buildPalette, lzwEncode, frameDelays, frameSteps, TRANSPARENT,
} from '../../frontend/js/lib/gif.js';

// --- an independent minimal decoder ----------------------------------------------------------
function lzwDecode(data, minCodeSize) {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  let dict;
  let size;
  let prev;
  const reset = () => {
    dict = [];
    for (let i = 0; i < clear; i += 1) dict.push([i]);
    dict.push(null, null);
    size = minCodeSize + 1;
    prev = null;
  };
  reset();
  const out = [];
  let pos = 0; // bit position
  let sawClear = false;
  for (;;) {
    if (pos + size > data.length * 8) throw new Error('code stream ended without EOI');
    let code = 0;
    for (let b = 0; b < size; b += 1) {
      const bit = (data[(pos + b) >> 3] >> ((pos + b) & 7)) & 1;
      code |= bit << b;
    }
    pos += size;
    if (code === clear) {
      reset();
      sawClear = true;
      continue;
    }
    if (code === eoi) break;
    let entry;
    if (prev === null) {
      entry = dict[code];
      if (!entry) throw new Error(`first code ${code} is not a literal`);
    } else {
      if (code < dict.length && dict[code]) entry = dict[code];
      else if (code === dict.length) entry = [...dict[prev], dict[prev][0]];
      else throw new Error(`code ${code} beyond the table (${dict.length})`);
      if (dict.length < 4096) dict.push([...dict[prev], entry[0]]);
    }
    for (const v of entry) out.push(v);
    prev = code;
    if (dict.length === 1 << size && size < 12) size += 1;
  }
  return { pixels: out, sawClear, trailingBytes: data.length - Math.ceil(pos / 8) };
}

function parseGif(bytes) {
  let p = 0;
  const u8 = () => bytes[p++];
  const u16 = () => { const v = bytes[p] | (bytes[p + 1] << 8); p += 2; return v; };
  const ascii = (n) => { let s = ''; for (let i = 0; i < n; i += 1) s += String.fromCharCode(u8()); return s; };
  const subBlocks = () => {
    const parts = [];
    for (let n = u8(); n; n = u8()) { parts.push(bytes.slice(p, p + n)); p += n; }
    const all = new Uint8Array(parts.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of parts) { all.set(a, o); o += a.length; }
    return all;
  };
  const gif = { signature: ascii(6), frames: [], loop: null };
  gif.width = u16();
  gif.height = u16();
  const packed = u8();
  u8(); u8();
  gif.palette = [];
  if (packed & 0x80) {
    const n = 2 << (packed & 7);
    for (let i = 0; i < n; i += 1) gif.palette.push([u8(), u8(), u8()]);
  }
  let gce = null;
  for (;;) {
    const kind = u8();
    if (kind === 0x3b) break;
    if (kind === 0x21) {
      const label = u8();
      if (label === 0xf9) {
        const block = subBlocks();
        gce = { disposal: (block[0] >> 2) & 7, transparent: block[0] & 1 ? block[3] : null, delay: block[1] | (block[2] << 8) };
      } else if (label === 0xff) {
        const n = u8();
        const id = ascii(n);
        const data = subBlocks();
        if (id === 'NETSCAPE2.0' && data[0] === 1) gif.loop = data[1] | (data[2] << 8);
      } else subBlocks();
    } else if (kind === 0x2c) {
      const frame = { left: u16(), top: u16(), w: u16(), h: u16(), ...(gce || {}) };
      const fpacked = u8();
      assert.equal(fpacked & 0x80, 0, 'no local colour table expected');
      const min = u8();
      const decoded = lzwDecode(subBlocks(), min);
      assert.equal(decoded.pixels.length, frame.w * frame.h, 'pixel count of a frame');
      assert.ok(decoded.trailingBytes <= 1, 'no stray bytes after EOI');
      frame.indices = decoded.pixels;
      frame.sawClear = decoded.sawClear;
      gif.frames.push(frame);
      gce = null;
    } else throw new Error(`unknown block 0x${kind.toString(16)} at ${p - 1}`);
  }
  return gif;
}

/** Canvas states after each frame (disposal 1: frames paint over what is there). */
function composite(gif) {
  const canvas = new Array(gif.width * gif.height).fill(-1);
  return gif.frames.map((f) => {
    for (let y = 0; y < f.h; y += 1) {
      for (let x = 0; x < f.w; x += 1) {
        const v = f.indices[y * f.w + x];
        if (v !== f.transparent) canvas[(f.top + y) * gif.width + f.left + x] = v;
      }
    }
    return canvas.slice();
  });
}

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// --- LZW ---------------------------------------------------------------------------------------
test('LZW round-trips noise that fills the code table many times', () => {
  const rand = rng(7);
  const n = 300 * 200;
  const indices = Uint8Array.from({ length: n }, () => Math.floor(rand() * 200));
  const decoded = lzwDecode(lzwEncode(indices, 8), 8);
  assert.equal(decoded.pixels.length, n);
  assert.deepEqual(Uint8Array.from(decoded.pixels), indices);
  assert.ok(decoded.sawClear);
});

test('LZW handles long runs (the KwKwK case), tiny inputs and every index value', () => {
  const cases = [
    new Uint8Array(0),
    Uint8Array.of(5),
    Uint8Array.of(254, 254),
    new Uint8Array(50000).fill(3),
    Uint8Array.from({ length: 9000 }, (_, i) => i % 256),
    Uint8Array.from({ length: 20000 }, (_, i) => (i % 97 < 60 ? 1 : (i * 7) % 255)),
  ];
  for (const indices of cases) {
    const decoded = lzwDecode(lzwEncode(indices, 8), 8);
    assert.deepEqual(Uint8Array.from(decoded.pixels), indices, `length ${indices.length}`);
  }
  // A constant run compresses: 50,000 pixels in well under 1 kB.
  assert.ok(lzwEncode(new Uint8Array(50000).fill(3), 8).length < 1000);
});

// --- palette -----------------------------------------------------------------------------------
test('the palette keeps the anchors first and adds the frequent colours of the samples', () => {
  const anchors = [[0, 114, 178], [213, 94, 0], [255, 255, 255]];
  const sample = new Uint8ClampedArray(4 * 1000);
  for (let i = 0; i < 1000; i += 1) {
    const c = i < 700 ? [40, 200, 90] : i < 990 ? [250, 10, 200] : [1, 2, 3];
    sample.set([...c, 255], i * 4);
  }
  const palette = buildPalette(anchors, [sample], { size: 5 });
  assert.deepEqual(palette.slice(0, 3), anchors);
  // 5 slots: the two most frequent sample colours, not the rare one.
  assert.deepEqual(palette.slice(3), [[40, 200, 90], [250, 10, 200]]);
  assert.ok(buildPalette([], [], {}).length >= 1);
  assert.ok(buildPalette(Array.from({ length: 400 }, (_, i) => [i % 256, i >> 1, 0])).length <= 255);
});

test('colours map to their nearest palette entry', () => {
  const palette = [[0, 0, 0], [255, 255, 255], [230, 159, 0], [0, 114, 178]];
  const m = new ColorMapper(palette);
  assert.equal(m.index(0, 0, 0), 0);
  assert.equal(m.index(250, 250, 252), 1);
  assert.equal(m.index(225, 160, 10), 2);
  assert.equal(m.index(10, 110, 170), 3);
  assert.equal(m.index(20, 20, 30), 0);
  assert.throws(() => new ColorMapper([]), RangeError);
  assert.throws(() => new ColorMapper(new Array(256).fill([0, 0, 0])), RangeError);
});

// --- whole files -------------------------------------------------------------------------------
function squareFrame(w, h, x0, y0, size, bg, fg) {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const inside = x >= x0 && x < x0 + size && y >= y0 && y < y0 + size;
      // A horizontal gradient for the background, so frames are not one flat colour.
      const c = inside ? fg : [bg[0], bg[1], Math.min(255, bg[2] + Math.floor((x * 40) / w))];
      rgba.set([...c, 255], (y * w + x) * 4);
    }
  }
  return rgba;
}

test('an animation decodes to the frames it was given: size, loop, frames, colours, delays', () => {
  const w = 64;
  const h = 48;
  const bg = [200, 210, 180];
  const fg = [213, 94, 0];
  const frames = [0, 6, 12, 18, 24, 24, 30].map((x) => squareFrame(w, h, x, 10 + x / 3, 10, bg, fg));
  const palette = buildPalette([fg], [frames[0]]);
  const mapper = new ColorMapper(palette);
  const enc = new GifEncoder(w, h, palette);
  const delays = [5, 5, 5, 5, 5, 7, 150];
  const quantized = frames.map((f) => mapper.quantize(f));
  quantized.forEach((q, i) => enc.addFrame(q, delays[i]));
  const bytes = enc.finish();
  const gif = parseGif(bytes);
  assert.equal(gif.signature, 'GIF89a');
  assert.equal(gif.width, w);
  assert.equal(gif.height, h);
  assert.equal(gif.loop, 0, 'NETSCAPE2.0 loops forever');
  assert.equal(gif.palette.length, 256);
  // The repeated frame (x = 24 twice) became a longer delay on the first of the two.
  assert.equal(gif.frames.length, 6);
  assert.equal(enc.frames, 6);
  assert.deepEqual(gif.frames.map((f) => f.delay), [5, 5, 5, 5, 12, 150]);
  // Later frames are only the changed rectangle, with the untouched pixels transparent.
  assert.deepEqual([gif.frames[0].w, gif.frames[0].h], [w, h]);
  for (const f of gif.frames.slice(1)) {
    assert.ok(f.w * f.h < w * h / 4, `frame ${f.w}×${f.h} should be a small patch`);
    assert.equal(f.transparent, TRANSPARENT);
    assert.equal(f.disposal, 1);
  }
  // Composited, every frame shows the colours put in: the square in the run colour and the
  // background within 6 units of its gradient (palette buckets are 8 wide, so a bucket's
  // mean is at most 4 away, and the lookup table's 4-wide cells add at most 2).
  const shown = composite(gif);
  const distinct = [0, 1, 2, 3, 4, 6];
  shown.forEach((canvas, i) => {
    const src = frames[distinct[i]];
    for (let p = 0; p < w * h; p += 1) {
      const rgb = gif.palette[canvas[p]];
      for (let k = 0; k < 3; k += 1) {
        assert.ok(Math.abs(rgb[k] - src[p * 4 + k]) <= 6, `frame ${i} pixel ${p}: ${rgb} vs ${src.slice(p * 4, p * 4 + 3)}`);
      }
    }
    assert.deepEqual(canvas, Array.from(quantized[distinct[i]]));
  });
  // The square's exact colour (an anchor) survives quantisation.
  const [x, y] = [6 + 3, 12 + 3];
  assert.deepEqual(gif.palette[shown[1][y * w + x]], fg);
});

test('play once and bad input', () => {
  const gif = parseGif(new GifEncoder(2, 2, [[0, 0, 0], [9, 9, 9]], { loop: null })
    .finish());
  assert.equal(gif.loop, null);
  assert.equal(gif.frames.length, 0);
  const enc = new GifEncoder(2, 2, [[0, 0, 0]]);
  assert.throws(() => enc.addFrame(new Uint8Array(3), 5), RangeError);
  assert.throws(() => new GifEncoder(0, 2, [[0, 0, 0]]), RangeError);
  assert.throws(() => new GifEncoder(2.5, 2, [[0, 0, 0]]), RangeError);
});

test('frame steps and delays', () => {
  assert.deepEqual(frameSteps(10, 3), [0, 5, 10]);
  assert.deepEqual(frameSteps(2, 90), [0, 1, 2]);
  assert.deepEqual(frameSteps(0, 90), [0]);
  const steps = frameSteps(427, 90);
  assert.equal(steps.length, 90);
  assert.equal(steps[0], 0);
  assert.equal(steps[89], 427);
  assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]));
  const d = frameDelays(90, 5, 1.5);
  assert.equal(d.length, 90);
  const total = d.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 650) <= 90, `total ${total} cs`);
  assert.ok(d.every((v) => v >= 2));
  assert.equal(d[89], d[0] + 150);
  assert.ok(frameDelays(1000, 1).every((v) => v >= 2));
});
