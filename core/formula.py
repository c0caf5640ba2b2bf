"""Formulas typed by users: a tokenizer and a precedence-climbing parser. Never eval.

Grammar (loosest first):
    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary)*
    unary   := ('-' | '+') unary | power
    power   := atom (('^' | '**') unary)?        right-associative; -x^2 is -(x^2)
    atom    := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
Names are x, y, pi, e and the functions of the primitive table. Everything else is refused
with a FormulaError that names the problem and its 1-based column. Length, nesting depth
and node count are limited, so hostile input is refused quickly and never overflows
Python's stack.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.graph import FUNCTIONS, Node, call, const, var

MAX_LENGTH = 1000
MAX_DEPTH = 64
MAX_NODES = 2000
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}


class FormulaError(ValueError):
    """A formula that cannot be parsed: `message` says what to change, `column` where."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}" if column else message)
        self.message, self.column = message, column


# --- syntax tree --------------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str  # "-"
    operand: Ast


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / ^
    left: Ast
    right: Ast


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Ast, ...]


Ast = Num | Name | Unary | Binary | Call


# --- tokens -------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^(),])
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, end
    text: str
    column: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FormulaError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --- parser -------------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.index, self.depth, self.nodes = tokens, 0, 0, 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def node(self, ast: Ast, column: int) -> Ast:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"formula too large (more than {MAX_NODES} parts); simplify it",
                               column)
        return ast

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula nested too deeply (more than {MAX_DEPTH} levels)",
                               column)

    def expect_operator(self) -> None:
        token = self.peek
        if token.kind in ("number", "name") or token.text == "(":
            raise FormulaError(f"expected an operator before {token.text!r}; write * for "
                               "multiplication, e.g. 2*x", token.column)
        if token.kind != "end":
            raise FormulaError(f"unexpected {token.text!r}", token.column)

    def parse(self) -> Ast:
        if self.peek.kind == "end":
            raise FormulaError("empty formula; type an expression in x and y, e.g. x^2 + y^2", 0)
        tree = self.expr()
        self.expect_operator()
        return tree

    def expr(self) -> Ast:
        left = self.term()
        while self.peek.text in ("+", "-"):
            op = self.take()
            left = self.node(Binary(op.text, left, self.term()), op.column)
        return left

    def term(self) -> Ast:
        left = self.unary()
        while self.peek.text in ("*", "/"):
            op = self.take()
            left = self.node(Binary(op.text, left, self.unary()), op.column)
        return left

    def unary(self) -> Ast:
        token = self.peek
        if token.text in ("-", "+"):
            self.take()
            self.enter(token.column)
            operand = self.unary()
            self.depth -= 1
            return operand if token.text == "+" else self.node(Unary("-", operand), token.column)
        return self.power()

    def power(self) -> Ast:
        base = self.atom()
        if self.peek.text in ("^", "**"):
            op = self.take()
            self.enter(op.column)
            exponent = self.unary()  # right-associative, and 2^-1 is allowed
            self.depth -= 1
            return self.node(Binary("^", base, exponent), op.column)
        return base

    def atom(self) -> Ast:
        token = self.take()
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise FormulaError(f"number {token.text} is too large", token.column)
            return self.node(Num(value), token.column)
        if token.kind == "name":
            return self.name(token)
        if token.text == "(":
            self.enter(token.column)
            inner = self.expr()
            self.close(token)
            self.depth -= 1
            return inner
        if token.kind == "end":
            raise FormulaError("formula ends early; an operand is missing", token.column)
        raise FormulaError(f"unexpected {token.text!r}", token.column)

    def close(self, opening: Token) -> None:
        if self.peek.text != ")":
            if self.peek.kind == "end":
                raise FormulaError("missing ')': this '(' is never closed", opening.column)
            self.expect_operator()
        self.take()

    def name(self, token: Token) -> Ast:
        word = token.text
        if self.peek.text == "(":
            return self.call(token)
        if word in VARIABLES or word in CONSTANTS:
            return self.node(Name(word), token.column)
        if word in FUNCTIONS:
            raise FormulaError(f"{word} is a function; write {word}(...)", token.column)
        raise FormulaError(f"unknown name {word!r}; use x, y, pi, e", token.column)

    def call(self, token: Token) -> Ast:
        word = token.text
        if word not in FUNCTIONS:
            raise FormulaError(f"unknown function {word!r}; known: "
                               f"{', '.join(sorted(FUNCTIONS))}", token.column)
        opening = self.take()
        self.enter(opening.column)
        args = [self.expr()]
        while self.peek.text == ",":
            self.take()
            args.append(self.expr())
        self.close(opening)
        self.depth -= 1
        if len(args) != FUNCTIONS[word]:
            raise FormulaError(f"{word} takes {FUNCTIONS[word]} argument"
                               f"{'s' if FUNCTIONS[word] > 1 else ''}, got {len(args)}",
                               token.column)
        return self.node(Call(word, tuple(args)), token.column)


def parse_ast(text: str) -> Ast:
    """The syntax tree of a formula, or FormulaError."""
    if not isinstance(text, str):
        raise FormulaError("the formula must be text", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long ({len(text)} characters, at most {MAX_LENGTH})",
                           MAX_LENGTH + 1)
    return _Parser(tokenize(text)).parse()


def lower(tree: Ast) -> Node:
    """The syntax tree as an expression graph (iterative: no recursion on deep trees)."""
    done: dict[int, Node] = {}
    stack: list[tuple[Ast, bool]] = [(tree, False)]
    while stack:
        item, ready = stack.pop()
        children = _children(item)
        if not ready and children:
            stack.append((item, True))
            stack.extend((c, False) for c in children)
            continue
        done[id(item)] = _build(item, [done[id(c)] for c in children])
    return done[id(tree)]


def _children(tree: Ast) -> tuple[Ast, ...]:
    if isinstance(tree, Unary):
        return (tree.operand,)
    if isinstance(tree, Binary):
        return (tree.left, tree.right)
    if isinstance(tree, Call):
        return tree.args
    return ()


def _build(tree: Ast, args: list[Node]) -> Node:
    if isinstance(tree, Num):
        return const(tree.value)
    if isinstance(tree, Name):
        return const(CONSTANTS[tree.name]) if tree.name in CONSTANTS else var(tree.name)
    if isinstance(tree, Unary):
        return -args[0]
    if isinstance(tree, Binary):
        op = {"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow"}[tree.op]
        return call(op, *args)
    return call(tree.function, *args)


def parse(text: str) -> Node:
    """A formula in x and y as an expression graph."""
    return lower(parse_ast(text))


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}


def to_text(tree: Ast) -> str:
    """Canonical text that parses back to the same tree (fully explicit where it matters)."""
    if isinstance(tree, Num):
        return repr(tree.value)
    if isinstance(tree, Name):
        return tree.name
    if isinstance(tree, Call):
        return f"{tree.function}({', '.join(to_text(a) for a in tree.args)})"
    if isinstance(tree, Unary):
        return f"(-({to_text(tree.operand)}))"
    return f"({to_text(tree.left)} {tree.op} {to_text(tree.right)})"
