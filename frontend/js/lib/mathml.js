// Update rules and schedules as MathML, which the browser draws natively. The server converts
// its rules' LaTeX (server/mathml.py, one <math> per equation); this module puts them in the
// page without ever handing markup to innerHTML: each string is parsed as XML and rebuilt
// element by element from an allow-list of MathML presentation elements and attributes, text
// as text nodes. Anything else (a script, an event handler, a link) is dropped.

const NS = 'http://www.w3.org/1998/Math/MathML';
const ELEMENTS = new Set(['math', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'mspace', 'msub', 'msup',
  'msubsup', 'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mstyle', 'mpadded',
  'mphantom', 'mtable', 'mtr', 'mtd', 'menclose']);
const ATTRIBUTES = new Set(['display', 'accent', 'accentunder', 'stretchy', 'width', 'height',
  'depth', 'lspace', 'rspace', 'fence', 'separator', 'form', 'mathvariant', 'displaystyle',
  'scriptlevel', 'linethickness', 'movablelimits', 'columnalign', 'rowalign', 'notation']);

function rebuild(node, doc, words) {
  if (node.nodeType === 3) return doc.createTextNode(node.nodeValue);
  if (node.nodeType !== 1 || node.namespaceURI !== NS || !ELEMENTS.has(node.localName)) return null;
  const el = doc.createElementNS(NS, node.localName);
  for (const attr of node.attributes) {
    if (ATTRIBUTES.has(attr.name)) el.setAttribute(attr.name, attr.value);
  }
  if (node.localName === 'mtext' && words) {
    el.textContent = words(node.textContent);
    return el;
  }
  for (const child of node.childNodes) {
    const copy = rebuild(child, doc, words);
    if (copy) el.append(copy);
  }
  return el;
}

/**
 * A <math> element from the server's MathML string, or null if it is not MathML.
 * `words(text)` may translate the words of \text{...} (an <mtext>), e.g. into Chinese.
 */
export function mathElement(source, words = null, doc = document) {
  const parsed = new DOMParser().parseFromString(String(source), 'application/xml');
  const root = parsed.documentElement;
  if (!root || root.localName !== 'math' || root.namespaceURI !== NS) return null;
  return rebuild(root, doc, words);
}

/**
 * A rule's equations (MathML strings) as one block: each equation an unbreakable piece
 * (`.eq`), lines breaking only between them, joined by commas as in the LaTeX.
 */
export function ruleBlock(pieces, className, words = null, doc = document) {
  const box = doc.createElement('div');
  box.className = className;
  const maths = (pieces || []).map((p) => mathElement(p, words, doc)).filter(Boolean);
  maths.forEach((math, i) => {
    const eq = doc.createElement('span');
    eq.className = 'eq';
    eq.append(math);
    if (i < maths.length - 1) eq.append(doc.createTextNode(','));
    box.append(eq);
    if (i < maths.length - 1) box.append(doc.createTextNode(' '));
  });
  return box;
}
