"""The shape of the code, read from the source with ast (nothing is imported).

- core/'s modules import each other without a cycle: the rule table imports the engine,
  never the reverse, and so on down.
- No gradscape module imports another module's `_private` name: what is shared is public.
"""

from __future__ import annotations

import ast
import re
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


# --- the frontend: views receive values and callbacks, not the App ------------------------
# Only the controller (app.js) and the entry points that start it see the App; every other
# module gets the narrow things it needs (a state getter or the values, the catalog, the
# scene, named callbacks) from App.wiring(). Read from the source: strings, template text,
# regular expressions and comments are blanked first, so only code is checked.

FRONTEND = ROOT / "frontend" / "js"
APP_MODULES = {"app.js", "main.js", "embed.js"}

_REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {""}


def _js_code(src: str) -> str:
    """The source with comments, string and template text and regex literals replaced by
    spaces (newlines kept, so line numbers stay); `${...}` inside templates stays code."""
    out: list[str] = []
    i, n = 0, len(src)
    stack: list[int] = []  # brace depth at each open `${` of a template literal
    depth = 0
    last = ""  # the last significant code character (decides what a "/" starts)

    def blank(text: str) -> None:
        out.append("".join(c if c == "\n" else " " for c in text))

    def template_from(j: int) -> int:
        """Skip template text from j (after ` or }) to the closing ` or to a `${`."""
        k = j
        while k < n:
            if src[k] == "\\":
                k += 2
            elif src[k] == "`":
                return k + 1
            elif src.startswith("${", k):
                return k
            else:
                k += 1
        return k

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            blank(src[i:j])
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(src[i:j])
            i = j
        elif c in "'\"":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            blank(src[i:j + 1])
            i = j + 1
            last = "a"
        elif c == "`" or (c == "}" and stack and stack[-1] == depth):
            if c == "}":
                stack.pop()
            j = template_from(i + 1)
            blank(src[i:j])
            if src.startswith("${", j):
                stack.append(depth)
                blank("${")
                j += 2
            i = j
            last = "a" if not src.startswith("${", j - 2) else "{"
        elif c == "/" and last in _REGEX_BEFORE:
            j, in_class = i + 1, False
            while j < n and (in_class or src[j] != "/") and src[j] != "\n":
                if src[j] == "\\":
                    j += 1
                elif src[j] == "[":
                    in_class = True
                elif src[j] == "]":
                    in_class = False
                j += 1
            j += 1
            while j < n and src[j].isalpha():
                j += 1
            blank(src[i:j])
            i = j
            last = "a"
        else:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            out.append(c)
            if not c.isspace():
                last = c
            # `return /x/` starts a regex too: a keyword behaves like an operator here
            if c.isalnum() and src[max(0, i - 5):i + 1] == "return":
                last = "("
            i += 1
    return "".join(out)


_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]""")
_APP_NAME = re.compile(r"(?<![.\w$])app\b(?!\s*:)")  # a variable or parameter named app
_THIS_APP = re.compile(r"\bthis\s*\.\s*app\b")


def app_reaches(path: Path, src: str) -> list[str]:
    """Where a module sees the App: importing app.js, `this.app`, or a binding named app."""
    found = []
    app_js = (FRONTEND / "app.js").resolve()
    for spec in _IMPORT.findall(src):
        if spec.startswith(".") and (path.parent / spec).resolve() == app_js:
            found.append(f"imports {spec}")
    code = _js_code(src)
    for number, line in enumerate(code.splitlines(), 1):
        if _THIS_APP.search(line):
            found.append(f"line {number}: this.app")
        elif _APP_NAME.search(line):
            found.append(f"line {number}: a variable or parameter named app")
    return found


def frontend_app_reaches() -> dict[str, list[str]]:
    out = {}
    for path in sorted(FRONTEND.rglob("*.js")):
        name = path.relative_to(FRONTEND).as_posix()
        if name in APP_MODULES:
            continue
        if found := app_reaches(path, path.read_text()):
            out[name] = found
    return out


def test_no_frontend_module_but_the_controller_sees_the_app() -> None:
    assert frontend_app_reaches() == {}


def test_app_check_sees_each_way_of_reaching_the_app() -> None:
    ui = FRONTEND / "ui" / "x.js"
    assert app_reaches(ui, "import { App } from '../app.js';\n") == ["imports ../app.js"]
    assert app_reaches(ui, "export function f(app, x) {\n  return x;\n}\n") == [
        "line 1: a variable or parameter named app"]
    assert app_reaches(ui, "class V {\n  constructor(a) {\n    this.app = a;\n  }\n}\n") == [
        "line 3: this.app"]
    assert app_reaches(ui, "const f = (app) => app.state;\n") == [
        "line 1: a variable or parameter named app"]
    assert app_reaches(ui, "const s = `${app.state.lang}`;\n") == [
        "line 1: a variable or parameter named app"]


def test_app_check_ignores_words_that_are_not_code() -> None:
    ui = FRONTEND / "ui" / "x.js"
    src = (
        "// the app draws this: app.plot\n"
        "/* app.state */ const mode = 'app';\n"
        'const m = "app", re = /app\'s/g, u = `app ${mode} app`;\n'
        "const links = { app: u, short: u };\n"
        "const href = links.app;\n"
        "const ok = text.split(/('[^']*')/).length; const app2 = 1;\n"
        "import { x } from './apps.js';\n"
    )
    assert app_reaches(ui, src) == []


def test_the_frontend_check_reads_the_modules() -> None:
    # The check walks the real tree: the entry point main.js does name the App.
    main = FRONTEND / "main.js"
    assert app_reaches(main, main.read_text())
