// Layout of the backprop graph: inputs on the left, the output on the right, each gate one
// column after its latest input (longest-path layering), rows ordered by the average row of
// their inputs (a few barycentre sweeps) so that edges cross less. Pure: ids in, grid
// positions out; the view scales them to pixels.

/**
 * @param nodes [{id, inputs}]  @param output id of the output node
 * @returns {pos: Map id -> {col, row}, cols, rows}
 */
export function layoutGraph(nodes, output) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const users = new Map(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const i of n.inputs) users.get(i)?.push(n.id);

  // Longest path from the leaves, iteratively (no recursion: deep formulas are fine).
  const col = new Map();
  const order = topological(nodes, byId);
  for (const id of order) {
    const n = byId.get(id);
    let c = 0;
    for (const i of n.inputs) if (col.has(i)) c = Math.max(c, col.get(i) + 1);
    col.set(id, c);
  }
  // Leaves that are not variables (constants) sit just before their first user, so their
  // edges stay short instead of all starting from column 0.
  for (const n of nodes) {
    if (n.inputs.length === 0 && n.op !== 'var') {
      const us = users.get(n.id);
      if (us.length) col.set(n.id, Math.max(0, Math.min(...us.map((u) => col.get(u))) - 1));
    }
  }
  if (output !== undefined && col.has(output)) {
    const last = Math.max(...col.values());
    col.set(output, Math.max(col.get(output), last));
  }

  const cols = Math.max(0, ...col.values()) + 1;
  const columns = Array.from({ length: cols }, () => []);
  for (const id of order) columns[col.get(id)].push(id);

  // Barycentre sweeps: forward by inputs, backward by users.
  const row = new Map();
  columns.forEach((ids) => ids.forEach((id, r) => row.set(id, r)));
  const mean = (ids) => (ids.length ? ids.reduce((s, i) => s + row.get(i), 0) / ids.length : null);
  for (let sweep = 0; sweep < 4; sweep += 1) {
    const forward = sweep % 2 === 0;
    const seq = forward ? columns : [...columns].reverse();
    for (const ids of seq) {
      const key = new Map(ids.map((id) => {
        const n = byId.get(id);
        const m = forward ? mean(n.inputs.filter((i) => row.has(i))) : mean(users.get(id));
        return [id, m === null ? row.get(id) : m];
      }));
      ids.sort((a, b) => key.get(a) - key.get(b) || a - b);
      ids.forEach((id, r) => row.set(id, r));
    }
  }
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const pos = new Map();
  columns.forEach((ids, c) => {
    // Centre short columns vertically.
    const offset = (rows - ids.length) / 2;
    ids.forEach((id, r) => pos.set(id, { col: c, row: r + offset }));
  });
  return { pos, cols, rows };
}

/** Node ids with every input before its users (Kahn's algorithm). */
export function topological(nodes, byId = new Map(nodes.map((n) => [n.id, n]))) {
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const users = new Map(nodes.map((n) => [n.id, []]));
  for (const n of nodes) {
    for (const i of n.inputs) {
      if (!byId.has(i)) continue;
      indegree.set(n.id, indegree.get(n.id) + 1);
      users.get(i).push(n.id);
    }
  }
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const out = [];
  while (queue.length) {
    const id = queue.shift();
    out.push(id);
    for (const u of users.get(id)) {
      indegree.set(u, indegree.get(u) - 1);
      if (indegree.get(u) === 0) queue.push(u);
    }
  }
  return out;
}
