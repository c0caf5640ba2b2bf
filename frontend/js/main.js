// Entry point: start the app; if the server cannot be reached, say so on the page.
// embed.html mounts the same markup, marks <html class="embed"> and imports this module.
// A link with mode=network opens the Network mode (network/netapp.js) instead of the 2D app.

import { App } from './app.js';
import { isNetworkHash } from './network/scene.js';

performance.mark('gradscape:script-start');
const mode = document.documentElement.classList.contains('embed') ? 'embed' : 'app';
const network = isNetworkHash(location.hash);
// Switching between the modes (the top bar's button, Back/Forward) loads the other one afresh;
// so does another link in the Network mode, which reads its link once, when it loads.
window.addEventListener('hashchange', () => {
  if (network || isNetworkHash(location.hash) !== network) location.reload();
});
const load = network
  ? import('./network/netapp.js').then(({ NetworkApp }) => new NetworkApp({ mode }))
  : Promise.resolve(new App({ mode }));
load.then((app) => {
  window.gradscape = app; // for the browser tests and the benchmark, and curious students
  return app.boot();
}).catch((err) => {
  console.error(err);
  const msg = document.getElementById('plot-message') || document.getElementById('net-message');
  if (!msg) return;
  msg.textContent = `Could not reach the gradscape server (${err.message}). Is it running?`;
  msg.hidden = false;
});
