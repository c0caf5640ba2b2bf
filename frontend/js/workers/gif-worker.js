// Encodes the GIF export off the main thread: the page renders frames and posts their RGBA
// pixels here; quantisation and LZW happen here, so the animation keeps running meanwhile.
//   {type: 'start', width, height, anchors, samples}  build the palette from the app's colours
//                                                     and sample frames
//   {type: 'frame', rgba, delay}                      -> {type: 'frame', frames}
//   {type: 'finish'}                                  -> {type: 'done', bytes}
// Any failure answers {type: 'error', message}.

import { GifEncoder, ColorMapper, buildPalette } from '../lib/gif.js';

let encoder = null;
let mapper = null;

self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === 'start') {
      const palette = buildPalette(msg.anchors, msg.samples);
      mapper = new ColorMapper(palette);
      encoder = new GifEncoder(msg.width, msg.height, palette);
    } else if (msg.type === 'frame') {
      encoder.addFrame(mapper.quantize(msg.rgba), msg.delay);
      self.postMessage({ type: 'frame', frames: msg.index + 1 });
    } else if (msg.type === 'finish') {
      const bytes = encoder.finish();
      encoder = null;
      mapper = null;
      self.postMessage({ type: 'done', bytes }, [bytes.buffer]);
    }
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err?.message || err) });
  }
};
