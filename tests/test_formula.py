"""The formula parser: precedence, every error with its column, hostile input, round trips.

Expected numbers come from Python arithmetic on literal expressions written out here, and the
syntax tree is checked with a small evaluator of its own (the math module), independent of
the parser and of the engine.
"""

from __future__ import annotations

import builtins
import math
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gradscape.core.formula as formula
from gradscape.core.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    Ast,
    Binary,
    Call,
    FormulaError,
    Name,
    Num,
    Unary,
    lower,
    parse,
    parse_ast,
    to_text,
)
from gradscape.core.graph import FUNCTIONS, Node
from gradscape.core.surface import Surface

# --- an independent evaluator -------------------------------------------------------------
MATH: dict[str, Callable[..., float]] = {
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt, "abs": abs, "sin": math.sin,
    "cos": math.cos, "tan": math.tan, "tanh": math.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "leaky_relu": lambda a: a if a > 0 else 0.01 * a,  # torch's default negative slope
    "softplus": lambda a: math.log1p(math.exp(a)),
    "max": max, "min": min,
}
BINARY: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "^": math.pow,
}


def evaluate(tree: Ast, x: float, y: float) -> float:
    if isinstance(tree, Num):
        return tree.value
    if isinstance(tree, Name):
        return {"x": x, "y": y, "pi": math.pi, "e": math.e}[tree.name]
    if isinstance(tree, Unary):
        assert tree.op == "-"
        return -evaluate(tree.operand, x, y)
    if isinstance(tree, Binary):
        return BINARY[tree.op](evaluate(tree.left, x, y), evaluate(tree.right, x, y))
    return float(MATH[tree.function](*(evaluate(a, x, y) for a in tree.args)))


def graph_value(text: str, x: float, y: float) -> float:
    """The formula evaluated by the engine, through parse() and the expression graph."""
    return float(Surface(parse(text), text).value(np.array([[x, y]]))[0])


def stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth


@contextmanager
def stack_budget(frames: int) -> Iterator[None]:
    """Only `frames` more Python frames allowed: deep recursion fails fast and loudly."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(stack_depth() + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# --- precedence and associativity ---------------------------------------------------------
@pytest.mark.parametrize(("text", "x", "y", "expected"), [
    ("2^3^2", 0, 0, 2**3**2),  # right-associative: 2^9 = 512
    ("2**3**2", 0, 0, 512.0),
    ("(2^3)^2", 0, 0, 64.0),
    ("-2^2", 0, 0, -4.0),  # the power binds tighter than the sign
    ("(-2)^2", 0, 0, 4.0),
    ("2*-3", 0, 0, -6.0),
    ("2^-1", 0, 0, 0.5),
    ("2^-1^2", 0, 0, 2 ** -(1**2)),
    ("x^-1", 4, 0, 0.25),
    ("-x^2", 3, 0, -9.0),
    ("x^y^2", 2, 3, 2.0**9),
    ("1 - 2 - 3", 0, 0, (1 - 2) - 3),
    ("12 / 3 / 2", 0, 0, (12 / 3) / 2),
    ("2 + 3 * 4", 0, 0, 14.0),
    ("2 * 3 + 4", 0, 0, 10.0),
    ("(2 + 3) * 4", 0, 0, 20.0),
    ("2 * 3 ^ 2", 0, 0, 18.0),
    ("-x * y", 2, 5, -10.0),
    ("-x^2 + +y", 3, 1, -8.0),
    ("--x", 2, 0, 2.0),
    ("x - -y", 2, 3, 5.0),
    ("8 / 2 * 4", 0, 0, 16.0),
    ("x*y+sin(x)", 1.5, -2, 1.5 * -2 + math.sin(1.5)),
    (".5e1 + 1. + 1e-3 + 2E+2", 0, 0, 5 + 1 + 0.001 + 200),
    ("2*pi - e", 0, 0, 2 * math.pi - math.e),
    ("max(x, y) - min(x, y)", 2, 7, 5.0),
    ("max(-x, y^2)", 3, -1, 1.0),
    ("sin(x)^2 + cos(x)^2", 0.3, 0, 1.0),
    ("sqrt(abs(-x))*exp(0)", 9, 0, 3.0),
    (" \tx\n*\r\n y ", 3, 4, 12.0),  # whitespace of every kind is ignored
    ("x\u00a0+\u2003y", 3, 4, 7.0),  # so is Unicode space pasted from documents
])
def test_precedence_and_associativity(text: str, x: float, y: float, expected: float) -> None:
    assert evaluate(parse_ast(text), x, y) == pytest.approx(expected, rel=1e-12)
    assert graph_value(text, x, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("text", "tree"), [
    ("x^-y^2", Binary("^", Name("x"), Unary("-", Binary("^", Name("y"), Num(2.0))))),
    ("-x*y", Binary("*", Unary("-", Name("x")), Name("y"))),
    ("x - y + 1", Binary("+", Binary("-", Name("x"), Name("y")), Num(1.0))),
    ("x**2", Binary("^", Name("x"), Num(2.0))),
    ("+x", Name("x")),
    ("((x))", Name("x")),
    ("max(x, sin(y))", Call("max", (Name("x"), Call("sin", (Name("y"),))))),
    ("2.50", Num(2.5)),
    ("1e-999", Num(0.0)),  # underflows to a finite number: accepted
])
def test_tree_shapes(text: str, tree: Ast) -> None:
    assert parse_ast(text) == tree


# Every function, through the graph, against the math module.
@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize(("x", "y"), [(0.7, -1.3), (-2.0, 0.4), (3.0, 2.5)])
def test_every_function_reaches_the_graph(function: str, x: float, y: float) -> None:
    args = ["x", "y"][:FUNCTIONS[function]]
    text = f"{function}({', '.join(args)})"
    if function in ("log", "sqrt"):
        text = f"{function}(abs(x) + 1)"
    assert graph_value(text, x, y) == pytest.approx(evaluate(parse_ast(text), x, y), rel=1e-9)


def test_parse_builds_a_graph_node() -> None:
    node = parse("x*y+sin(x)")
    assert isinstance(node, Node)
    assert graph_value("x*y+sin(x)", 0.5, 4.0) == pytest.approx(0.5 * 4.0 + math.sin(0.5))
    assert graph_value("pi + e", 0, 0) == pytest.approx(math.pi + math.e, rel=1e-15)


# --- errors -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "column", "start"), [
    ("foo(x)", 1, "unknown function 'foo' at column 1; known: abs, cos, exp, leaky_relu"),
    ("x + z", 5, "unknown name 'z' at column 5; use x, y, pi, e"),
    ("(x + y))", 8, "unexpected ')' at column 8; it has no matching '('"),
    ("x + )", 5, "unexpected ')' at column 5"),
    ("x*(y + 1", 3, "missing ')' for '(' at column 3"),
    ("sin(x", 4, "missing ')' for '(' at column 4"),
    ("max(x)", 1, "max takes 2 arguments, got 1 at column 1; write max(a, b)"),
    ("max()", 1, "max takes 2 arguments, got 0 at column 1"),
    ("sin(x, y)", 1, "sin takes 1 argument, got 2 at column 1"),
    ("x + $", 5, "unexpected character '$' at column 5"),
    ("2x", 2, "expected an operator before 'x' at column 2; implicit multiplication is "
              "not supported, write 2*x"),
    ("x y", 3, "expected an operator before 'y' at column 3; implicit multiplication is "
               "not supported, write x*y"),
    ("1e5x", 4, "expected an operator before 'x' at column 4; implicit multiplication is "
                "not supported, write 1e5*x"),
    ("(x+1)(x-1)", 6, "expected an operator before '(' at column 6"),
    ("x(2)", 2, "expected an operator before '(' at column 2"),
    ("1e999", 1, "number 1e999 is too large at column 1"),
    ("1" + "0" * 400, 1, "number 1000"),
    ("x +", 4, "formula ends too early at column 4; a number, a name or '(' must come "
               "after '+'"),
    ("x^^2", 3, "unexpected '^' at column 3"),
    ("*x", 1, "unexpected '*' at column 1"),
    ("x, y", 2, "unexpected ',' at column 2; commas only separate function arguments"),
    ("(x, y)", 3, "unexpected ',' at column 3"),
    ("sin + 1", 1, "function sin needs parentheses at column 1; write sin(a)"),
    ("1.2.3", 1, "malformed number '1.2.3' at column 1"),
    ("x + .", 5, "malformed number '.' at column 5"),
    ("2e-x", 1, "malformed number '2e-' at column 1; an exponent needs digits"),
    ("x \u2212 y", 3, "unexpected character '\u2212' at column 3; type the ASCII minus"),
    ("x\u00b2", 2, "unexpected character '\u00b2' at column 2; write ^2"),
    ("\u0663", 1, "unexpected character '\u0663' at column 1"),  # an Arabic-Indic digit
    ("x = 1", 3, "unexpected character '=' at column 3"),
    ("X + 1", 1, "unknown name 'X' at column 1; did you mean x?"),
    ("Sin(x)", 1, "unknown function 'Sin' at column 1; did you mean sin?"),
    ("ln(x)", 1, "unknown function 'ln' at column 1; did you mean log"),
    ("xy", 1, "unknown name 'xy' at column 1; write x*y"),
    ("1 + sinx", 5, "unknown name 'sinx' at column 5; write sin(x)"),
    ("expxy", 1, "unknown name 'expxy' at column 1; write exp(x*y)"),
    ("x\t+\n(y", 5, "missing ')' for '(' at column 5"),  # columns count every character
])
def test_errors_say_what_and_where(text: str, column: int, start: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    error = info.value
    assert isinstance(error, ValueError)
    assert str(error).startswith(start)
    assert error.column == column
    # The message is the same text without the location, for a UI that marks the column.
    assert error.message == str(error).replace(f" at column {column}", "", 1)


@pytest.mark.parametrize("text", ["1" * 999, "x" * 999, "sin" + "x" * 996, "9" * 990 + "x",
                                  "a" * 990 + "(x)", "1." * 499])
def test_long_tokens_are_shortened_in_messages(text: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert len(str(info.value)) < 250


def test_errors_are_reported_in_reading_order() -> None:
    with pytest.raises(FormulaError) as info:
        parse("2x + $")
    assert info.value.column == 2


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_formula(text: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert str(info.value).startswith("empty formula; type an expression")
    assert "column" not in str(info.value)
    assert info.value.column == 1


def test_errors_survive_pickling() -> None:
    with pytest.raises(FormulaError) as info:
        parse("x + z")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (str(copy), copy.column, copy.message) == (
        str(info.value), info.value.column, info.value.message)


def test_non_text_is_refused() -> None:
    with pytest.raises(FormulaError, match="must be text"):
        parse(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')", "x.__class__", "[x]", "lambda: 1", "x if y else 1",
    "'x'", "x; y", "x == y", "x < y", "x % 2", "x // 2", "not x", "x @ y", "{}", "x[0]",
    "abs.__globals__",
])
def test_python_syntax_is_refused(text: str) -> None:
    with pytest.raises(FormulaError):
        parse(text)


def test_parsing_never_calls_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not evaluate Python")

    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, refuse)
    # parse_ast only: building the graph folds constants with the engine's own kernels.
    assert parse_ast("max(x, 2)^-pi") == Binary(
        "^", Call("max", (Name("x"), Num(2.0))), Unary("-", Name("pi")))


# --- limits and hostile input -------------------------------------------------------------
def nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + "x" + closing * depth


# (repeated opening, its closing, the character where the level one too many starts)
NESTINGS = [
    ("(", ")", "("), ("sin(", ")", "("), ("max(x, ", ")", "("), ("-", "", "-"),
    ("+", "", "+"), ("x^", "", "^"), ("x**", "", "*"), ("x + x*(", ")", "("),
    ("x + x*sin(", ")", "("), ("x + x*max(y, ", ")", "("),
]


@pytest.mark.parametrize(("opening", "closing", "marker"), NESTINGS)
def test_depth_limit(opening: str, closing: str, marker: str) -> None:
    # The deepest allowed formula parses with a modest stack (600 frames: the parser uses a
    # few per level and callers keep room), so the limit is hit long before Python's own.
    deepest = nested(opening, closing, MAX_DEPTH)
    assert len(deepest) <= MAX_LENGTH
    with stack_budget(600):
        parse_ast(deepest)
    too_deep = nested(opening, closing, MAX_DEPTH + 1)
    with pytest.raises(FormulaError) as info:
        parse_ast(too_deep)
    assert str(info.value).startswith("formula nested too deeply at column")
    assert f"at most {MAX_DEPTH} levels" in str(info.value)
    # The column points into the last repetition, at the level that is one too many.
    column = info.value.column
    assert too_deep[column - 1] == marker
    assert MAX_DEPTH * len(opening) < column <= (MAX_DEPTH + 1) * len(opening)


@pytest.mark.parametrize("text", [
    "+".join(["x"] * 20000),  # a 20,000-term sum
    nested("(", ")", 5000),
    "-" * 5000 + "x",
    "+" * 5000 + "x",
    nested("sin(", ")", 5000),
    "x" + "^x" * 5000,
    "x" + "**-x" * 5000,
    nested("(", ")", 300),  # short enough for the length limit: the depth limit refuses
    "-" * 500 + "x",
    "x" + "^x" * 400,
    nested("sin(", "", 200),
    "(" * 999,
    "1" * 999,
    "9" * 400 + "e9",
    "x" * 1000,
    "$" * 100_000,
])
def test_hostile_formulas_are_refused_quickly(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(FormulaError):
        parse(text)
    assert time.perf_counter() - start < 1.0  # generous: only catches hangs


def test_length_limit() -> None:
    longest = "x" + " " * (MAX_LENGTH - 1)
    assert parse_ast(longest) == Name("x")
    with pytest.raises(FormulaError) as info:
        parse_ast(longest + " ")
    assert info.value.column == MAX_LENGTH + 1
    assert f"at most {MAX_LENGTH} characters (this one has {MAX_LENGTH + 1})" in str(info.value)


def test_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # With 1,000 characters the 2,000-node limit cannot be reached (a node needs at least a
    # character), so check the mechanism with a small limit.
    monkeypatch.setattr(formula, "MAX_NODES", 5)
    assert parse_ast("x+y+x") == Binary("+", Binary("+", Name("x"), Name("y")), Name("x"))
    with pytest.raises(FormulaError) as info:
        parse_ast("x+y+x+y")  # nodes: x, y, x+y, x, (x+y)+x, then y is the sixth
    assert info.value.column == 7
    assert "formula too large" in str(info.value) and "at most 5 " in str(info.value)


def test_the_longest_sum_is_fine_everywhere() -> None:
    # 500 terms in 999 characters: a 500-deep tree. Equality, hashing, repr, printing and
    # lowering must not recurse per level.
    text = "+".join(["x"] * 500)
    tree = parse_ast(text)
    with stack_budget(100):
        again = parse_ast(text)
        assert tree == again and hash(tree) == hash(again)
        assert tree != parse_ast("y" + text[1:])  # differs only at the deepest leaf
        assert repr(tree).count("Binary(") == 499
        assert to_text(tree) == " + ".join(["x"] * 500)
        assert isinstance(lower(tree), Node)
    assert graph_value(text, 1.5, 0.0) == pytest.approx(750.0)


def test_real_formulas_fit_the_limits() -> None:
    assert graph_value("+".join(["x*y"] * 240), 2.0, 3.0) == pytest.approx(240 * 6)
    deep = nested("sin(", ")", 40)
    assert graph_value(deep, 0.5, 0.0) == pytest.approx(evaluate(parse_ast(deep), 0.5, 0.0))


# --- the syntax tree and printing ---------------------------------------------------------
@pytest.mark.parametrize(("text", "canonical"), [
    ("2^3^2", "2^3^2"),
    ("(2^3)^2", "(2^3)^2"),
    ("-x^2", "-x^2"),
    ("(-x)^2", "(-x)^2"),
    ("x**-2", "x^-2"),
    ("x-(y-1)", "x - (y - 1)"),
    ("(x-y)-1", "x - y - 1"),
    ("x/(y*2)", "x / (y * 2)"),
    ("(x+y)*(x-y)", "(x + y) * (x - y)"),
    ("-(x*y)", "-(x * y)"),
    ("(-x)*y", "-x * y"),
    ("--x", "--x"),
    ("x--y", "x - -y"),
    ("+x", "x"),
    ("2.50 + 1e-5 + 1e16", "2.5 + 1e-05 + 1e+16"),
    ("max( x ,-y )", "max(x, -y)"),
    ("x^(y^2)", "x^y^2"),
    ("x^(y*2)", "x^(y * 2)"),
])
def test_canonical_text(text: str, canonical: str) -> None:
    assert to_text(parse_ast(text)) == canonical
    assert parse_ast(canonical) == parse_ast(text)


def test_tree_is_immutable_hashable_and_readable() -> None:
    tree = parse_ast("x^-2")
    assert isinstance(tree, Binary)
    assert repr(tree) == "Binary('^', Name('x'), Unary('-', Num(2.0)))"
    assert repr(parse_ast("sin(x)")) == "Call('sin', (Name('x'),))"
    assert len({tree, parse_ast("x ** -2"), parse_ast("x^2")}) == 2
    with pytest.raises(FrozenInstanceError):
        tree.op = "+"  # type: ignore[misc]


@pytest.mark.parametrize("tree", [
    Num(-1.0), Num(-0.0), Num(math.inf), Num(math.nan), Name("z"), Unary("+", Name("x")),
    Binary("%", Name("x"), Name("y")), Binary("**", Name("x"), Name("y")),
    Call("max", (Name("x"),)), Call("eval", (Name("x"),)),
    Binary("+", Name("x"), Call("sin", ())),
])
def test_trees_no_formula_gives_are_refused(tree: Ast) -> None:
    with pytest.raises(ValueError, match="not a formula syntax tree"):
        to_text(tree)
    with pytest.raises(ValueError, match="not a formula syntax tree"):
        lower(tree)


numbers = st.floats(min_value=0.0, allow_nan=False, allow_infinity=False).map(abs)
leaves = st.one_of(st.builds(Num, numbers), st.builds(Num, st.integers(0, 99).map(float)),
                   st.sampled_from([Name(n) for n in ("x", "y", "pi", "e")]))


def calls(sub: st.SearchStrategy[Ast]) -> st.SearchStrategy[Ast]:
    def with_args(function: str) -> st.SearchStrategy[Ast]:
        arity = FUNCTIONS[function]
        return st.tuples(*[sub] * arity).map(lambda args: Call(function, args))

    return st.sampled_from(sorted(FUNCTIONS)).flatmap(with_args)


def trees(depth: int) -> st.SearchStrategy[Ast]:
    """Syntax trees at most `depth` deep, every node kind and operator included."""
    if depth == 0:
        return leaves
    sub = trees(depth - 1)
    return st.one_of(
        leaves,
        st.builds(Unary, st.just("-"), sub),
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/", "^"]), sub, sub),
        calls(sub),
    )


@settings(max_examples=400, deadline=None, derandomize=True)
@given(trees(6))
def test_text_round_trip(tree: Ast) -> None:
    text = to_text(tree)
    assume(len(text) <= MAX_LENGTH)
    assert parse_ast(text) == tree
    assert to_text(parse_ast(text)) == text  # canonical: printing again changes nothing


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet="xy019.e+-*/^(), pisnmaxE\t$", max_size=40))
def test_any_text_parses_or_raises_formula_error(text: str) -> None:
    try:
        tree = parse_ast(text)
    except FormulaError as error:
        assert 1 <= error.column <= len(text) + 1
        return
    assert parse_ast(to_text(tree)) == tree
