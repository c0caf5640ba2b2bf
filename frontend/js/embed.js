// The embed page (embed.html): the app's own markup, taken from index.html so the two pages
// can never drift apart, shown chromeless (css/share.css, html.embed), then the same entry
// point as the app (main.js starts App in 'embed' mode).

async function mount() {
  const res = await fetch(new URL('index.html', location.href));
  if (!res.ok) throw new Error(`index.html: HTTP ${res.status}`);
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  for (const el of doc.body.querySelectorAll('script')) el.remove();
  document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
}

try {
  // Load the app's modules (they touch no page element until main.js runs) while the markup
  // is fetched, so the embed page is not a round trip slower than the app.
  const modules = import('./app.js');
  await mount();
  await modules;
  await import('./main.js');
} catch (err) {
  console.error(err);
  document.body.textContent = `Could not load gradscape (${err.message}). Is the server running?`;
}
