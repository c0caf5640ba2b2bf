// The race as an animated GIF: frames rendered offscreen by the plot's drawing code
// (ui/exportscene.js), encoded by lib/gif.js in a Web Worker (on the main thread in small
// slices where workers are unavailable), with progress reports and cancellation.

import { FrameRenderer, paletteAnchors } from './exportscene.js';
import {
  GifEncoder, ColorMapper, buildPalette, frameDelays, frameSteps,
} from '../lib/gif.js';

export const GIF_FRAMES = 90;
export const GIF_SIZE = 640;
const IN_FLIGHT = 3; // frames posted to the worker and not yet encoded (memory bound)

const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** The last path index the GIF shows: the step on screen when paused there, else the
 *  furthest step received (the whole race once it has finished). shot: {race, playing, step}
 *  (ui/exportscene.js). */
export function gifEnd({ race, playing, step }) {
  if (!race) return 0;
  if (!playing && step > 0) return Math.min(step, race.available);
  return race.available;
}

/** An encoder in a worker, with the same three calls as the inline one. */
function workerEncoder() {
  let worker;
  try {
    worker = new Worker(new URL('../workers/gif-worker.js', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  let encoded = 0;
  let waiters = [];
  let failure = null;
  let done = null;
  const wake = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'frame') encoded = m.frames;
    else if (m.type === 'done') done = m.bytes;
    else if (m.type === 'error') failure = new Error(m.message);
    wake();
  };
  worker.onerror = (e) => {
    e.preventDefault();
    failure = new Error(e.message || 'the GIF worker failed');
    failure.workerFailed = true; // e.g. no module workers here: encode on the page instead
    wake();
  };
  const until = async (ready) => {
    while (!ready()) {
      if (failure) throw failure;
      await new Promise((resolve) => { waiters.push(resolve); });
    }
    if (failure) throw failure;
  };
  return {
    start(width, height, anchors, samples) {
      worker.postMessage({ type: 'start', width, height, anchors, samples });
    },
    async frame(rgba, delay, index) {
      await until(() => index - encoded < IN_FLIGHT);
      worker.postMessage({ type: 'frame', rgba, delay, index }, [rgba.buffer]);
    },
    encoded: () => encoded,
    async finish() {
      worker.postMessage({ type: 'finish' });
      await until(() => done !== null);
      worker.terminate();
      return done;
    },
    abort() {
      worker.terminate();
    },
  };
}

function inlineEncoder() {
  let enc;
  let mapper;
  let encoded = 0;
  return {
    start(width, height, anchors, samples) {
      const palette = buildPalette(anchors, samples);
      mapper = new ColorMapper(palette);
      enc = new GifEncoder(width, height, palette);
    },
    async frame(rgba, delay) {
      enc.addFrame(mapper.quantize(rgba), delay);
      encoded += 1;
      await nextTask();
    },
    encoded: () => encoded,
    async finish() {
      return enc.finish();
    },
    abort() {},
  };
}

/**
 * Render and encode the shot's race (ui/exportscene.js) from step 0 to `end`.
 * opts: {end, frames, size, onProgress(fraction), signal (AbortSignal), worker (default true)}
 * Resolves to a Blob (image/gif); rejects with Cancelled when the signal aborts.
 */
export async function makeGif(shot, opts = {}) {
  return withFallback((o) => encodeRace(shot, o), opts);
}

/** Encode in a worker; where module workers fail, again on the page. */
export async function withFallback(encode, opts = {}) {
  try {
    return await encode(opts);
  } catch (err) {
    if (!err?.workerFailed || opts.worker === false) throw err;
    return encode({ ...opts, worker: false });
  }
}

async function encodeRace(shot, opts) {
  return encodeFrames(new FrameRenderer(shot, opts.size ?? GIF_SIZE), { ...opts, end: opts.end ?? gifEnd(shot) });
}

/**
 * Encode the frames a renderer paints ({width, height, render(step) -> RGBA, placeLegend?})
 * from step 0 to opts.end: the 2D race's FrameRenderer and the network scene's
 * (network/netexport.js) go through this one loop. opts as makeGif's, plus anchors (the
 * palette's known colours; the 2D plot's by default).
 */
export async function encodeFrames(renderer, opts) {
  const end = opts.end;
  const steps = frameSteps(end, opts.frames ?? GIF_FRAMES);
  const seconds = Math.min(6, Math.max(2, steps.length * 0.06));
  const delays = frameDelays(steps.length, seconds, 1.5);
  const { width, height } = renderer;
  renderer.placeLegend?.(steps[steps.length - 1]);
  const check = () => {
    if (opts.signal?.aborted) throw new Cancelled();
  };
  let enc = opts.worker === false ? null : workerEncoder();
  if (!enc) enc = inlineEncoder();
  try {
    // The palette comes from the first and the last frame: between them they show the
    // surface, every path at full length and the markers.
    const samples = [renderer.render(steps[steps.length - 1]).slice(), renderer.render(steps[0]).slice()];
    enc.start(width, height, opts.anchors ?? paletteAnchors(), samples);
    for (let i = 0; i < steps.length; i += 1) {
      check();
      // A copy: the worker takes the buffer over, and getImageData's array may be reused.
      const rgba = new Uint8ClampedArray(renderer.render(steps[i]));
      await enc.frame(rgba, delays[i], i);
      opts.onProgress?.(0.05 + 0.9 * ((i + 1) / steps.length));
      await nextTask(); // one frame per task: the page keeps animating meanwhile
    }
    check();
    const bytes = await enc.finish();
    check();
    opts.onProgress?.(1);
    return { blob: new Blob([bytes], { type: 'image/gif' }), frames: steps.length, width, height, end };
  } catch (err) {
    enc.abort();
    throw err;
  }
}
