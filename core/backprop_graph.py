"""The computational graph of a surface at one point, for the backprop view.

Every node comes with its gate (op), its forward value and its gradient d f / d node at the
point: an add gate passes its upstream gradient to both inputs, a max gate routes it to the
larger input, a multiply gate gives each input the other input times the upstream gradient,
and a node used twice collects the sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradscape.core.autodiff import adjoints
from gradscape.core.codegen import compile_graph
from gradscape.core.graph import Node, topological_order
from gradscape.core.rules import PRIMITIVES
from gradscape.core.surface import VARIABLES, Surface, as_points

MAX_VIEW_NODES = 400


@dataclass(frozen=True)
class GraphNode:
    id: int
    op: str  # "var", "const", "data" or a primitive name
    label: str  # what to print in the node: x, 2.0, mul, sin, ...
    value: float | None  # None for data-shaped nodes (a whole column of values)
    grad: float | None  # d f / d node; None where f does not depend on the node
    inputs: tuple[int, ...]
    note: str  # what this gate does with gradients, for the tooltip


@dataclass(frozen=True)
class GraphView:
    nodes: list[GraphNode]
    edges: list[tuple[int, int]]  # (from input, to user)
    output: int


def _label(node: Node) -> str:
    if node.op == "const":
        return f"{node.value:g}"
    if node.op in ("var", "data"):
        return node.name
    return node.op


def graph_view(surface: Surface, point: tuple[float, float]) -> GraphView:
    """Forward values and backward gradients of every node of f at one point."""
    P = as_points(np.asarray(point, dtype=np.float64))
    if P.shape[0] != 1:
        raise ValueError("the graph view takes a single point (x, y)")
    order = topological_order([surface.expr])
    if len(order) > MAX_VIEW_NODES:
        raise ValueError(f"formula too large to draw ({len(order)} nodes, max {MAX_VIEW_NODES})")
    adj = adjoints(surface.expr)
    backward = [adj[id(n)][1] for n in order if id(n) in adj]
    program = compile_graph([*order, *backward], VARIABLES, tuple(surface.data))
    with np.errstate(all="ignore"):
        results = program(P[:, 0], P[:, 1], *surface.data.values())
    forward_values = dict(zip(map(id, order), results[: len(order)], strict=True))
    grads_by_node = [id(n) for n in order if id(n) in adj]
    backward_values = dict(zip(grads_by_node, results[len(order):], strict=True))
    index = {id(n): i for i, n in enumerate(order)}

    def scalar(value: object, node: Node) -> float | None:
        if node.shape != ():
            return None
        return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])

    nodes = [
        GraphNode(
            id=index[id(n)], op=n.op, label=_label(n),
            value=scalar(forward_values[id(n)], n),
            grad=scalar(backward_values[id(n)], n) if id(n) in backward_values else None,
            inputs=tuple(index[id(a)] for a in n.args),
            note=PRIMITIVES[n.op].doc if n.op in PRIMITIVES else "",
        )
        for n in order
    ]
    edges = [(src, node.id) for node in nodes for src in node.inputs]
    return GraphView(nodes, edges, index[id(surface.expr)])
