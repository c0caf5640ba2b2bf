"""Trace once, run many: compile a graph into one straight-line numpy function.

Each node becomes one assignment `t7 = t3 * t5`, in topological order, so shared
sub-expressions are computed once and an optimizer step runs no per-node Python objects.
The generated source holds only names the engine chose (t0, v0, d0, ...), float literals
and the primitive templates of `core.rules`: no user text ever reaches `exec`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from gradscape.core.graph import Node, Primitive, topological_order
from gradscape.core.rules import PRIMITIVES
from gradscape.core.runtime import RUNTIME

CompiledGraph = Callable[..., tuple[Any, ...]]


def render(prim: Primitive, names: Sequence[str], params: tuple[Any, ...]) -> str:
    """The numpy expression for one primitive applied to the named arguments."""
    return prim.code.format(*names, **{f"p{i}": p for i, p in enumerate(params)})


def _literal(value: float, namespace: dict[str, Any]) -> str:
    if math.isfinite(value):
        text = repr(value)
        return f"({text})" if value < 0 or text.startswith("-") else text
    name = f"_k{len(namespace)}"
    namespace[name] = value
    return name


def _aligned(name: str, arg: Node, rank: int) -> str:
    """Insert axes after a batched argument's point axis so numpy aligns data axes right."""
    missing = rank - len(arg.shape)
    if not arg.batched or missing <= 0:
        return name
    return f"{name}[:, {', '.join(['None'] * missing)}]"


# Single-use nodes are inlined into their user's expression, so numpy can reuse temporaries
# in place (its temporary elision) and frees them early; past this depth a name is assigned
# anyway, since Python's compiler rejects very deeply nested expressions.
MAX_INLINE_DEPTH = 16


def _use_counts(order: Sequence[Node], outputs: Sequence[Node]) -> dict[int, int]:
    uses: dict[int, int] = {}
    for node in order:
        for arg in node.args:
            uses[id(arg)] = uses.get(id(arg), 0) + 1
    for out in outputs:
        uses[id(out)] = uses.get(id(out), 0) + 2  # outputs always get a name
    return uses


def generate(outputs: Sequence[Node], var_names: Sequence[str],
             data_names: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
    """Source of `def graph(v0, v1, ..., d0, ...)` returning the outputs, and its namespace."""
    namespace: dict[str, Any] = dict(RUNTIME)
    code: dict[int, str] = {}  # node -> a name, a literal, or an inlined expression
    depth: dict[int, int] = {}
    params = [f"v{i}" for i in range(len(var_names))] + [f"d{i}" for i in range(len(data_names))]
    lines: list[str] = []
    leaf_index = {("var", n): f"v{i}" for i, n in enumerate(var_names)}
    leaf_index.update({("data", n): f"d{i}" for i, n in enumerate(data_names)})
    order = topological_order(outputs)
    uses = _use_counts(order, outputs)
    for node in order:
        key = id(node)
        depth[key] = 0
        if node.op == "const":
            code[key] = _literal(node.value, namespace)
            continue
        if node.op in ("var", "data"):
            leaf = leaf_index.get((node.op, node.name))
            if leaf is None:
                raise ValueError(f"graph uses {node.op} {node.name!r} that is not an input")
            code[key] = leaf
            continue
        prim = PRIMITIVES[node.op]
        rank = len(node.shape)
        args = [code[id(a)] for a in node.args]
        if prim.aligns and len(args) > 1:
            args = [_aligned(n, a, rank) for n, a in zip(args, node.args, strict=True)]
        expression = render(prim, args, node.params)
        depth[key] = 1 + max((depth[id(a)] for a in node.args), default=0)
        if uses.get(key, 0) == 1 and depth[key] < MAX_INLINE_DEPTH:
            code[key] = f"({expression})"
        else:
            name = f"t{len(lines)}"
            lines.append(f"    {name} = {expression}")
            code[key], depth[key] = name, 0
    result = ", ".join(code[id(o)] for o in outputs)
    body = "\n".join(lines) if lines else "    pass"
    source = f"def graph({', '.join(params)}):\n{body}\n    return ({result},)\n"
    return source, namespace


def compile_graph(outputs: Sequence[Node], var_names: Sequence[str],
                  data_names: Sequence[str] = ()) -> CompiledGraph:
    """A Python function of the inputs returning a tuple with one value per output.

    Outputs that do not depend on the inputs come back as floats; callers broadcast.
    """
    source, namespace = generate(outputs, var_names, data_names)
    code = compile(source, "<gradscape graph>", "exec")
    exec(code, namespace)  # noqa: S102 - engine-generated source, see module docstring
    fn: CompiledGraph = namespace["graph"]
    return fn
