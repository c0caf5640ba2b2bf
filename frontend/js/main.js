// Entry point: start the app; if the server cannot be reached, say so on the page.
// embed.html mounts the same markup, marks <html class="embed"> and imports this module.

import { App } from './app.js';

performance.mark('gradscape:script-start');
const app = new App({ mode: document.documentElement.classList.contains('embed') ? 'embed' : 'app' });
window.gradscape = app; // for the browser tests and the benchmark, and curious students
app.boot().catch((err) => {
  console.error(err);
  const msg = document.getElementById('plot-message');
  msg.textContent = `Could not reach the gradscape server (${err.message}). Is it running?`;
  msg.hidden = false;
});
