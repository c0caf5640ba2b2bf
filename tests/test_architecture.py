"""The shape of the code, read from the source with ast (nothing is imported).

- core/'s modules import each other without a cycle: the rule table imports the engine,
  never the reverse, and so on down.
- No gradscape module imports another module's `_private` name: what is shared is public.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"core": ROOT / "core", "server": ROOT / "server", "lessons": ROOT / "lessons"}


def _module_name(path: Path) -> str:
    package = next(name for name, folder in PACKAGES.items() if folder in path.parents)
    relative = path.relative_to(PACKAGES[package]).with_suffix("")
    parts = [p for p in relative.parts if p != "__init__"]
    return ".".join(["gradscape", package, *parts])


def _sources() -> dict[str, ast.Module]:
    found = {}
    for folder in PACKAGES.values():
        for path in sorted(folder.rglob("*.py")):
            found[_module_name(path)] = ast.parse(path.read_text(), str(path))
    for path in sorted((ROOT / "gradscape").glob("*.py")):
        name = "gradscape" if path.stem == "__init__" else f"gradscape.{path.stem}"
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def _imports(module: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The gradscape modules `module` imports (from x import y counts y if it is a module)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative import: resolve against this module's package
                package = module.split(".")[:-node.level]
                base = ".".join([*package, node.module])
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    out.add(f"{base}.{alias.name}")
                elif base in known:
                    out.add(base)
    return out - {module}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph as a list of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def core_import_graph() -> dict[str, set[str]]:
    sources = {m: t for m, t in _sources().items() if m.startswith("gradscape.core")}
    known = set(sources)
    # The package's __init__ imports its submodules; a submodule importing "gradscape.core"
    # for a name defined there would close a loop, which is what must not happen.
    return {m: _imports(m, t, known) for m, t in sources.items()}


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_core_import_graph_reads_the_source() -> None:
    graph = core_import_graph()
    assert "gradscape.core.graph" in graph["gradscape.core.rules"]
    assert "gradscape.core.rules" in graph["gradscape.core.codegen"]


def test_core_import_graph_has_no_cycle() -> None:
    cycle = _cycle(core_import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_rule_table_imports_the_engine_never_the_reverse() -> None:
    graph = core_import_graph()
    assert "gradscape.core.graph" in graph["gradscape.core.rules"]
    assert graph["gradscape.core.graph"] == set()


def _private_imports(sources: dict[str, ast.Module]) -> list[str]:
    found = []
    for module, tree in sources.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found += [f"{module} imports {a.name} from {node.module}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    assert _private_imports(_sources()) == []


def test_private_import_check_sees_one() -> None:
    tree = ast.parse("from gradscape.core.training import _step\n")
    assert _private_imports({"gradscape.core.netrace": tree}) == [
        "gradscape.core.netrace imports _step from gradscape.core.training"]
