"""The formula parser: precedence, every error with its column, hostile input, round trips."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core.formula import (
    MAX_LENGTH,
    Ast,
    Binary,
    Call,
    FormulaError,
    Name,
    Num,
    Unary,
    parse,
    parse_ast,
    to_text,
)

FUNCS = {"sin": math.sin, "cos": math.cos, "exp": math.exp, "sqrt": math.sqrt, "abs": abs,
         "max": max, "min": min, "tanh": math.tanh, "log": math.log}


def evaluate(tree: Ast, x: float, y: float) -> float:
    """An evaluator independent of the engine: plain Python math on the syntax tree."""
    if isinstance(tree, Num):
        return tree.value
    if isinstance(tree, Name):
        return {"x": x, "y": y, "pi": math.pi, "e": math.e}[tree.name]
    if isinstance(tree, Unary):
        return -evaluate(tree.operand, x, y)
    if isinstance(tree, Call):
        return float(FUNCS[tree.function](*(evaluate(a, x, y) for a in tree.args)))
    a, b = evaluate(tree.left, x, y), evaluate(tree.right, x, y)
    return {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "^": a**b}[tree.op]


@pytest.mark.parametrize(("text", "x", "y", "expected"), [
    ("2^3^2", 0, 0, 512.0),
    ("-2^2", 0, 0, -4.0),
    ("2**3**2", 0, 0, 512.0),
    ("2*-3", 0, 0, -6.0),
    ("x^-1", 4, 0, 0.25),
    ("1 - 2 - 3", 0, 0, -4.0),
    ("12 / 3 / 2", 0, 0, 2.0),
    ("2 + 3 * 4", 0, 0, 14.0),
    ("(2 + 3) * 4", 0, 0, 20.0),
    ("-x^2 + +y", 3, 1, -8.0),
    ("--x", 2, 0, 2.0),
    (".5e1 + 1.", 0, 0, 6.0),
    ("2*pi - e", 0, 0, 2 * math.pi - math.e),
    ("max(x, y) - min(x, y)", 2, 7, 5.0),
    ("sin(x)^2 + cos(x)^2", 0.3, 0, 1.0),
    ("sqrt(abs(-x))*exp(0)", 9, 0, 3.0),
])
def test_precedence_and_associativity(text: str, x: float, y: float, expected: float) -> None:
    assert evaluate(parse_ast(text), x, y) == pytest.approx(expected, rel=1e-12)
    value = core.surface(text).value(np.array([[x, y]]))[0]
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("text", "column", "fragment"), [
    ("foo(x)", 1, "unknown function 'foo'"),
    ("x + z", 5, "unknown name 'z'"),
    ("2x", 2, "write * for multiplication"),
    ("x + )", 5, "unexpected ')'"),
    ("sin(x", 4, "never closed"),
    ("max(x)", 1, "max takes 2 arguments, got 1"),
    ("sin(x, y)", 1, "sin takes 1 argument, got 2"),
    ("x $ 2", 3, "unexpected character '$'"),
    ("1e999", 1, "too large"),
    ("sin + 1", 1, "sin is a function"),
    ("x +", 4, "operand is missing"),
    ("(x)(y)", 4, "expected an operator"),
    ("x, y", 2, "unexpected ','"),
])
def test_errors_say_what_and_where(text: str, column: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert info.value.column == column
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_function_lists_the_known_ones() -> None:
    with pytest.raises(FormulaError, match="known: abs, cos, exp"):
        parse("foo(1)")


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_formula(text: str) -> None:
    with pytest.raises(FormulaError, match="empty formula"):
        parse(text)


@pytest.mark.parametrize("text", [
    "+".join(["x"] * 20000),  # a 20,000-term sum
    "(" * 5000 + "x" + ")" * 5000,  # 5,000-deep nesting
    "-" * 5000 + "x",
    "sin(" * 300 + "x" + ")" * 300,
    "(" * 200 + "x" + ")" * 200,
    "x" + "^x" * 300,
])
def test_hostile_formulas_are_refused_quickly(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(FormulaError):
        parse(text)
    assert time.perf_counter() - start < 1.0  # generous: only catches hangs


def test_the_limits_leave_room_for_real_formulas() -> None:
    long_sum = "+".join(["x*y"] * 240)
    assert len(long_sum) < MAX_LENGTH
    assert core.surface(long_sum).value(np.array([[2.0, 3.0]]))[0] == pytest.approx(240 * 6)
    nested = "sin(" * 40 + "x" + ")" * 40
    assert np.isfinite(core.surface(nested).grad(np.array([[0.5, 0.0]]))).all()


def test_never_evaluates_python() -> None:
    for text in ["__import__('os')", "x.__class__", "[x]", "lambda: 1", "x if y else 1",
                 "'x'", "x; y", "x == y", "x < y"]:
        with pytest.raises(FormulaError):
            parse(text)


leaves = st.one_of(st.builds(Num, st.integers(0, 99).map(float)),
                   st.sampled_from([Name("x"), Name("y"), Name("pi")]))
trees = st.recursive(leaves, lambda sub: st.one_of(
    st.builds(Unary, st.just("-"), sub),
    st.builds(Binary, st.sampled_from(["+", "-", "*", "/", "^"]), sub, sub),
    st.builds(lambda a: Call("sin", (a,)), sub),
    st.builds(lambda a, b: Call("max", (a, b)), sub, sub),
), max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(trees)
def test_text_round_trip(tree: Ast) -> None:
    assert parse_ast(to_text(tree)) == tree
