// Formula box helpers: where to point at a parse error.

/** Split a formula at a 1-based error column: {before, at, after} for highlighting. */
export function splitAtColumn(text, column) {
  const i = Math.max(0, Math.min(text.length, (column || 1) - 1));
  return { before: text.slice(0, i), at: text.slice(i, i + 1) || ' ', after: text.slice(i + 1) };
}

/** A caret line under the formula: spaces up to the column, then ^. */
export function caretLine(column) {
  return `${' '.repeat(Math.max(0, (column || 1) - 1))}^`;
}
