// A small LaTeX-to-HTML renderer for the formulas the server sends (update rules, schedules):
// fractions, roots, sub/superscripts, hats, Greek letters, \text. No CDN, no fonts, ~150 lines:
// enough for our formulas, and anything it does not know is shown as plain text, never lost.

const SYMBOLS = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ',
  eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  nabla: '∇', partial: '∂', infty: '∞', cdot: '·', times: '×', odot: '⊙', pm: '±', mp: '∓',
  leftarrow: '←', rightarrow: '→', gets: '←', to: '→', sim: '∼', approx: '≈', le: '≤',
  leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', lfloor: '⌊', rfloor: '⌋', lceil: '⌈',
  rceil: '⌉', sum: 'Σ', prod: 'Π', in: '∈', cos: 'cos', sin: 'sin', exp: 'exp', log: 'log',
  max: 'max', min: 'min', ldots: '…', cdots: '⋯', top: 'ᵀ', langle: '⟨', rangle: '⟩',
  lVert: '‖', rVert: '‖', Vert: '‖', '|': '‖', '{': '{', '}': '}', '%': '%', '#': '#',
};
const SPACES = { quad: '\u2003', qquad: '\u2003\u2003', ',': '\u2009', ';': '\u2005',
  ':': '\u2005', ' ': '\u00a0', '!': '' };
const FUNCTION_NAMES = new Set(['cos', 'sin', 'exp', 'log', 'max', 'min']);

export function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\') {
      const m = /^\\([a-zA-Z]+|.)/.exec(src.slice(i));
      if (!m) { i += 1; continue; }
      tokens.push({ type: 'cmd', value: m[1] });
      i += m[0].length;
      // A space after a letter command only ends the command name.
      if (/^[a-zA-Z]/.test(m[1])) while (src[i] === ' ') i += 1;
    } else if (ch === '{' || ch === '}' || ch === '^' || ch === '_') {
      tokens.push({ type: ch });
      i += 1;
    } else {
      tokens.push({ type: 'char', value: ch });
      i += 1;
    }
  }
  return tokens;
}

/** Render a LaTeX math string to an HTML string (spans with classes, see app.css). */
export function latexToHtml(src) {
  const tokens = tokenize(src || '');
  let pos = 0;

  const group = () => {
    // One argument: a {group}, a command or a single character.
    const tok = tokens[pos];
    if (!tok) return '';
    if (tok.type === '{') {
      pos += 1;
      const inner = sequence('}');
      pos += 1; // the closing brace
      return inner;
    }
    return atom();
  };

  const atom = () => {
    const tok = tokens[pos];
    pos += 1;
    if (tok.type === 'char') {
      if (/[a-zA-Z]/.test(tok.value)) return `<i>${tok.value}</i>`;
      if (tok.value === '-') return '−';
      if (tok.value === ' ') return '';
      if (tok.value === '~') return '\u00a0';
      return escapeHtml(tok.value);
    }
    if (tok.type === 'cmd') return command(tok.value);
    if (tok.type === '^' || tok.type === '_') return script(tok.type);
    if (tok.type === '{') {
      pos -= 1;
      return group();
    }
    return '';
  };

  const script = (type) => {
    const body = group();
    return type === '^' ? `<sup>${body}</sup>` : `<sub>${body}</sub>`;
  };

  const command = (name) => {
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const num = group();
      const den = group();
      return `<span class="tex-frac"><span class="tex-num">${num}</span>`
        + `<span class="tex-den">${den}</span></span>`;
    }
    if (name === 'sqrt') {
      return `<span class="tex-sqrt">√<span class="tex-radicand">${group()}</span></span>`;
    }
    if (name === 'hat' || name === 'widehat') {
      return `<span class="tex-hat">${group()}</span>`;
    }
    if (name === 'bar' || name === 'overline') return `<span class="tex-bar">${group()}</span>`;
    if (name === 'mathbf' || name === 'boldsymbol') return `<b>${group()}</b>`;
    if (name === 'text' || name === 'mathrm' || name === 'operatorname') {
      const tok = tokens[pos];
      if (tok && tok.type === '{') {
        pos += 1;
        let text = '';
        while (pos < tokens.length && tokens[pos].type !== '}') {
          const t = tokens[pos];
          text += t.type === 'char' ? t.value : t.type === 'cmd' ? t.value : t.type;
          pos += 1;
        }
        pos += 1;
        return `<span class="tex-text">${escapeHtml(text)}</span>`;
      }
      return group();
    }
    if (name === 'left' || name === 'right' || name === 'big' || name === 'Big') {
      return ''; // the delimiter that follows renders on its own
    }
    if (name in SPACES) return SPACES[name];
    if (name in SYMBOLS) {
      const sym = SYMBOLS[name];
      return FUNCTION_NAMES.has(name) ? `<span class="tex-fn">${sym}</span>` : sym;
    }
    return escapeHtml(name); // unknown command: show its name rather than drop it
  };

  const sequence = (until) => {
    let out = '';
    while (pos < tokens.length && tokens[pos].type !== until) out += atom();
    return out;
  };

  return sequence(null);
}
