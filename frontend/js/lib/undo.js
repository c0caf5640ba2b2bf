// Undo and redo for scene edits: a stack of scenes (their hashes, lib/state.js) taken before
// each edit that changed the race (lib/urlhistory.js raceKey). Pure, so node tests drive it.

export class UndoStack {
  constructor(limit = 100) {
    this.limit = limit;
    this.past = [];
    this.future = [];
  }

  /** The scene `before` was left by an edit: it can be returned to; redo is forgotten. */
  record(before) {
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  get canUndo() {
    return this.past.length > 0;
  }

  get canRedo() {
    return this.future.length > 0;
  }

  /** The scene to go back to from `current` (null when there is none). */
  undo(current) {
    if (!this.past.length) return null;
    this.future.push(current);
    return this.past.pop();
  }

  /** The scene an undo left (null when there is none). */
  redo(current) {
    if (!this.future.length) return null;
    this.past.push(current);
    return this.future.pop();
  }
}
