// An animated GIF89a encoder in plain JavaScript (no DOM, so it also runs in a Web Worker and
// under node): a palette built once for the whole animation, colours mapped to it through a
// lazily filled lookup table, LZW-compressed frames, and the NETSCAPE2.0 extension so the
// animation loops. Frames after the first only carry the rectangle that changed, with
// unchanged pixels transparent: a race over a static contour plot then costs a few kB a frame.
//
// Spec: https://www.w3.org/Graphics/GIF/spec-gif89a.txt

/** Palette slot kept for "unchanged pixel" (never a real colour). */
export const TRANSPARENT = 255;
const MAX_COLORS = 255;
const MAX_CODES = 4096;

// --- palette ---------------------------------------------------------------------------------
/**
 * A palette for frames that mostly show known colours: the `anchors` ([r, g, b] each; the
 * app's run colours, the surface ramp, ...) first, then the most frequent colours of the
 * `samples` (RGBA pixel arrays, e.g. the first and last frame), bucketed at 5 bits per
 * channel, skipping colours within `minDistance` of one already chosen.
 * Returns an array of [r, g, b], at most 255 long (slot 255 is the transparent one).
 */
export function buildPalette(anchors, samples = [], { size = MAX_COLORS, minDistance = 5 } = {}) {
  const palette = [];
  const near = (r, g, b, d) => palette.some((c) => {
    const dr = c[0] - r;
    const dg = c[1] - g;
    const db = c[2] - b;
    return dr * dr + dg * dg + db * db < d * d;
  });
  for (const c of anchors) {
    if (palette.length >= size) break;
    const rgb = [0, 1, 2].map((k) => Math.max(0, Math.min(255, Math.round(c[k]))));
    if (!near(rgb[0], rgb[1], rgb[2], 1)) palette.push(rgb);
  }
  // Histogram with the mean colour of each bucket (a bucket's centre can be a colour that
  // never occurs, e.g. between a line and the surface under it).
  const count = new Uint32Array(32768);
  const sum = new Float64Array(32768 * 3);
  for (const px of samples) {
    for (let p = 0; p + 3 < px.length; p += 4) {
      if (px[p + 3] < 128) continue;
      const r = px[p];
      const g = px[p + 1];
      const b = px[p + 2];
      const bin = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      count[bin] += 1;
      sum[bin * 3] += r;
      sum[bin * 3 + 1] += g;
      sum[bin * 3 + 2] += b;
    }
  }
  const bins = [];
  for (let bin = 0; bin < count.length; bin += 1) if (count[bin]) bins.push(bin);
  bins.sort((a, b) => count[b] - count[a]);
  for (const bin of bins) {
    if (palette.length >= size) break;
    const n = count[bin];
    const r = Math.round(sum[bin * 3] / n);
    const g = Math.round(sum[bin * 3 + 1] / n);
    const b = Math.round(sum[bin * 3 + 2] / n);
    if (!near(r, g, b, minDistance)) palette.push([r, g, b]);
  }
  if (!palette.length) palette.push([0, 0, 0]);
  return palette;
}

/** Nearest palette colour for any RGB, memoised at 6 bits per channel. */
export class ColorMapper {
  constructor(palette) {
    if (!palette.length || palette.length > MAX_COLORS) {
      throw new RangeError(`a palette has 1 to ${MAX_COLORS} colours, not ${palette.length}`);
    }
    this.palette = palette;
    this.flat = Int32Array.from(palette.flat());
    this.lut = new Int16Array(1 << 18).fill(-1);
  }

  index(r, g, b) {
    const key = ((r >> 2) << 12) | ((g >> 2) << 6) | (b >> 2);
    let i = this.lut[key];
    if (i < 0) {
      // Search from the bucket's centre so every colour in it gets the same answer.
      const cr = (r & ~3) + 2;
      const cg = (g & ~3) + 2;
      const cb = (b & ~3) + 2;
      let best = Infinity;
      const f = this.flat;
      for (let k = 0; k < f.length; k += 3) {
        const dr = f[k] - cr;
        const dg = f[k + 1] - cg;
        const db = f[k + 2] - cb;
        // Weighted a little towards green, as the eye is (a cheap stand-in for a perceptual
        // distance that keeps the blue valleys of the surface ramp from turning grey).
        const d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
        if (d < best) {
          best = d;
          i = k / 3;
        }
      }
      this.lut[key] = i;
    }
    return i;
  }

  /** RGBA pixels (alpha ignored: frames are opaque) -> palette indices. */
  quantize(rgba) {
    const n = rgba.length >> 2;
    const out = new Uint8Array(n);
    for (let p = 0, q = 0; q < n; p += 4, q += 1) out[q] = this.index(rgba[p], rgba[p + 1], rgba[p + 2]);
    return out;
  }
}

// --- bytes -------------------------------------------------------------------------------------
class ByteWriter {
  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
    this.length = 0;
  }

  reserve(n) {
    if (this.length + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b) {
    this.reserve(1);
    this.bytes[this.length] = b;
    this.length += 1;
  }

  u16(v) {
    this.byte(v & 0xff);
    this.byte((v >> 8) & 0xff);
  }

  ascii(text) {
    for (let i = 0; i < text.length; i += 1) this.byte(text.charCodeAt(i));
  }

  array(arr) {
    this.reserve(arr.length);
    this.bytes.set(arr, this.length);
    this.length += arr.length;
  }

  result() {
    return this.bytes.slice(0, this.length);
  }
}

// --- LZW ---------------------------------------------------------------------------------------
/**
 * GIF's variable-length LZW of palette indices (each < 2^minCodeSize), as one code stream
 * (not yet cut into sub-blocks): a clear code first, codes packed least significant bit
 * first, widths growing from minCodeSize + 1 to 12 bits, a clear code whenever the table of
 * 4096 codes is full, and the end-of-information code last.
 */
export function lzwEncode(indices, minCodeSize = 8) {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const out = new ByteWriter(Math.max(64, indices.length >> 1));
  // Table of (prefix code, next index) -> code; prefix < 4096 and index < 256 make 20 bits.
  const table = new Int16Array(MAX_CODES << 8);
  let bits = 0;
  let acc = 0;
  let size = minCodeSize + 1;
  let next = eoi + 1;
  const emit = (code) => {
    acc |= code << bits;
    bits += size;
    while (bits >= 8) {
      out.byte(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  };
  const reset = () => {
    table.fill(-1);
    size = minCodeSize + 1;
    next = eoi + 1;
  };
  reset();
  emit(clear);
  if (indices.length) {
    let prefix = indices[0];
    for (let i = 1; i < indices.length; i += 1) {
      const c = indices[i];
      const key = (prefix << 8) | c;
      const code = table[key];
      if (code >= 0) {
        prefix = code;
        continue;
      }
      emit(prefix);
      if (next === MAX_CODES) {
        emit(clear);
        reset();
      } else {
        // The decoder adds each entry one code later than we do, so the width grows as soon
        // as the code about to be created no longer fits.
        if (next >= 1 << size) size += 1;
        table[key] = next;
        next += 1;
      }
      prefix = c;
    }
    emit(prefix);
  }
  emit(eoi);
  if (bits > 0) out.byte(acc & 0xff);
  return out.result();
}

// --- the file ----------------------------------------------------------------------------------
/**
 * new GifEncoder(width, height, palette) then addFrame(indices, delay) per frame (indices: a
 * Uint8Array of width * height palette indices, from ColorMapper.quantize; delay in
 * hundredths of a second), then finish() -> Uint8Array of the .gif file.
 * loop: 0 = forever (NETSCAPE2.0), a number = that many repeats, null = play once.
 */
export class GifEncoder {
  constructor(width, height, palette, { loop = 0 } = {}) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0
      && width < 65536 && height < 65536)) {
      throw new RangeError(`bad GIF size ${width}×${height}`);
    }
    if (!palette.length || palette.length > MAX_COLORS) {
      throw new RangeError(`a palette has 1 to ${MAX_COLORS} colours, not ${palette.length}`);
    }
    this.width = width;
    this.height = height;
    this.out = new ByteWriter(1 << 20);
    this.previous = null;
    this.pending = null;
    this.frames = 0;
    const w = this.out;
    w.ascii('GIF89a');
    w.u16(width);
    w.u16(height);
    w.byte(0xf7); // global colour table of 256 entries, 8 bits of colour resolution
    w.byte(0); // background colour index
    w.byte(0); // no pixel aspect ratio
    const table = new Uint8Array(256 * 3);
    palette.forEach((c, i) => table.set(c, i * 3));
    w.array(table);
    if (loop !== null && loop !== undefined) {
      w.byte(0x21);
      w.byte(0xff);
      w.byte(11);
      w.ascii('NETSCAPE2.0');
      w.byte(3);
      w.byte(1);
      w.u16(loop);
      w.byte(0);
    }
  }

  addFrame(indices, delay = 10) {
    const { width, height } = this;
    if (indices.length !== width * height) {
      throw new RangeError(`a frame has ${width * height} pixels, not ${indices.length}`);
    }
    const d = Math.max(0, Math.min(65535, Math.round(delay)));
    const prev = this.previous;
    let rect;
    if (!prev) {
      rect = { left: 0, top: 0, w: width, h: height, data: indices, transparent: false };
    } else {
      rect = changedRect(prev, indices, width, height);
      if (!rect) {
        // Nothing moved: show the previous frame longer instead of adding an empty one.
        if (this.pending) this.pending.delay += d;
        return;
      }
    }
    this.flush();
    this.pending = { ...rect, delay: d };
    this.previous = indices;
  }

  flush() {
    const f = this.pending;
    if (!f) return;
    this.pending = null;
    const w = this.out;
    // Graphic control extension: disposal 1 (leave the frame in place), transparency flag.
    w.byte(0x21);
    w.byte(0xf9);
    w.byte(4);
    w.byte((1 << 2) | (f.transparent ? 1 : 0));
    w.u16(f.delay);
    w.byte(f.transparent ? TRANSPARENT : 0);
    w.byte(0);
    // Image descriptor, no local colour table, not interlaced.
    w.byte(0x2c);
    w.u16(f.left);
    w.u16(f.top);
    w.u16(f.w);
    w.u16(f.h);
    w.byte(0);
    w.byte(8); // LZW minimum code size
    const codes = lzwEncode(f.data, 8);
    for (let i = 0; i < codes.length; i += 255) {
      const n = Math.min(255, codes.length - i);
      w.byte(n);
      w.array(codes.subarray(i, i + n));
    }
    w.byte(0);
    this.frames += 1;
  }

  finish() {
    this.flush();
    this.out.byte(0x3b);
    return this.out.result();
  }
}

/** The smallest rectangle holding every changed pixel, unchanged ones inside set TRANSPARENT;
 *  null when the frames are identical. */
export function changedRect(prev, next, width, height) {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x += 1) {
      if (prev[row + x] !== next[row + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  if (top < 0) return null;
  const w = right - left + 1;
  const h = bottom - top + 1;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y += 1) {
    const src = (top + y) * width + left;
    for (let x = 0; x < w; x += 1) {
      const v = next[src + x];
      data[y * w + x] = v === prev[src + x] ? TRANSPARENT : v;
    }
  }
  return { left, top, w, h, data, transparent: true };
}

/** Frame delays (hundredths of a second) for `count` frames lasting about `seconds`, the
 *  last one held `hold` seconds longer so the loop pauses on the result. GIF viewers treat
 *  delays under 2 as 10, so no frame is shorter than 2. */
export function frameDelays(count, seconds = 5, hold = 1.5) {
  const each = Math.max(2, Math.round((100 * seconds) / Math.max(1, count)));
  const delays = new Array(count).fill(each);
  if (count) delays[count - 1] += Math.round(100 * hold);
  return delays;
}

/** `count` path indices from 0 to `end` inclusive, evenly spread (at most end + 1 of them). */
export function frameSteps(end, count) {
  const last = Math.max(0, Math.floor(end));
  const n = Math.max(1, Math.min(count, last + 1));
  if (n === 1) return [last];
  const steps = [];
  for (let i = 0; i < n; i += 1) steps.push(Math.round((i * last) / (n - 1)));
  return steps;
}
