"""Symbolic reverse-mode differentiation: graph in, gradient graph out.

The backward pass walks the forward graph once in reverse topological order, applying each
primitive's derivative rule from `core.rules`. Contributions from several users of a node
are *added* (a value used twice gets the sum of both gradients). Broadcasting is undone in
one place, `_fit`. Because the result is again a graph of primitives, differentiating it
once more gives the exact Hessian.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gradscape.core.graph import Node, VjpRule, call, const, topological_order
from gradscape.core.rules import PRIMITIVES

# Derivative rules used instead of the table's, by primitive name: how a test or a lesson
# shows a gradient check catching a wrong rule (d/du sin(u) written as sin(u), say) without
# touching the shared table.
Overrides = Mapping[str, VjpRule]


def _fit(contribution: Node, target: Node) -> Node:
    """Sum a gradient contribution down to the shape of the node it belongs to."""
    if contribution.shape == target.shape or len(contribution.shape) < len(target.shape):
        return contribution
    return call("sum_to", contribution, params=(target.shape, contribution.shape))



def adjoints(output: Node, overrides: Overrides | None = None) -> dict[int, tuple[Node, Node]]:
    """For every varying node the output depends on: id -> (node, d output / d node)."""
    wrong = overrides or {}
    adj: dict[int, tuple[Node, Node]] = {id(output): (output, const(1.0))}
    for node in reversed(topological_order([output])):
        entry = adj.get(id(node))
        if entry is None or not node.args:
            continue
        rule = wrong.get(node.op) or PRIMITIVES[node.op].vjp
        contributions = rule(entry[1], node, *node.args)
        for arg, contribution in zip(node.args, contributions, strict=True):
            if contribution is None or not arg.varying:
                continue
            if contribution.is_const and contribution.value == 0.0:
                continue
            contribution = _fit(contribution, arg)
            old = adj.get(id(arg))
            summed = contribution if old is None else old[1] + contribution
            adj[id(arg)] = (arg, summed)
    return adj


def gradient(output: Node, wrt: Sequence[Node], overrides: Overrides | None = None) -> list[Node]:
    """d output / d w for each w in `wrt` (constant 0 where the output does not depend on w)."""
    adj = adjoints(output, overrides)
    return [adj[id(w)][1] if id(w) in adj else const(0.0) for w in wrt]


def hessian(output: Node, wrt: Sequence[Node],
            overrides: Overrides | None = None) -> tuple[list[Node], list[list[Node]]]:
    """The gradient and the symmetric matrix of second derivatives, both as graphs.

    Only the upper triangle is differentiated; the lower one reuses it (H is symmetric for
    the twice-differentiable functions the engine builds).
    """
    grads = gradient(output, wrt, overrides)
    rows: list[list[Node]] = [[const(0.0)] * len(wrt) for _ in wrt]
    for i, g in enumerate(grads):
        second = gradient(g, wrt[i:], overrides)
        for j, h in enumerate(second, start=i):
            rows[i][j] = rows[j][i] = h
    return grads, rows

