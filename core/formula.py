"""Formulas typed by users: a hand-written tokenizer and a Pratt parser. Never eval or exec.

Grammar, loosest binding first (every binary operator but the power is left-associative):

    a + b    a - b              sums
    a * b    a / b              products
    -a       +a                 signs: looser than powers, so -x^2 is -(x^2), but 2*-3 works
    a ^ b    a ** b             powers: right-associative (2^3^2 is 2^9), and x^-2 is allowed
    3  0.5  .5  1e-3  x  y  pi  e  f(a, ...)  (a)

Functions are those of the primitive table (`core.rules.FUNCTIONS`), called with their exact
number of arguments. There is no implicit multiplication: "2x" is refused with the fix.

Anything else raises `FormulaError`, a ValueError carrying the 1-based column and a message
that says what to change. Length, nesting depth and size are limited (MAX_LENGTH, MAX_DEPTH,
MAX_NODES), so hostile input is refused in microseconds and never reaches Python's recursion
limit. The syntax tree (`parse_ast`) is kept apart from the expression graph (`parse`) so the
UI can pretty-print it (`to_text`); every walk over it is iterative, since a 500-term sum is a
500-deep tree.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar, cast

from gradscape.core.graph import Node, call, const, var
from gradscape.core.rules import FUNCTIONS

MAX_LENGTH = 1000  # characters
MAX_DEPTH = 64  # nested parentheses, function calls, signs and powers
MAX_NODES = 2000  # syntax-tree nodes

VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
NAMES = (*VARIABLES, *CONSTANTS)


# What each formula error says, by a stable code (server/errorcodes.py holds the Chinese
# beside these, and a UI can translate by code and parameters instead of parsing the prose).
PROBLEMS: dict[str, str] = {
    "formula.not_text": "the formula must be text",
    "formula.too_long": "formula too long",
    "formula.empty": "empty formula",
    "formula.too_deep": "formula nested too deeply",
    "formula.too_large": "formula too large",
    "formula.malformed_number": "malformed number {number}",
    "formula.number_too_large": "number {number} is too large",
    "formula.unexpected_character": "unexpected character {char}",
    "formula.unexpected_token": "unexpected {token}",
    "formula.unexpected_close": "unexpected ')'",
    "formula.ends_early": "formula ends too early",
    "formula.missing_operator": "expected an operator before {token}",
    "formula.missing_close": "missing ')' for '('",
    "formula.needs_parentheses": "function {function} needs parentheses",
    "formula.unknown_function": "unknown function {name}",
    "formula.unknown_name": "unknown name {name}",
    "formula.arity": "{function} takes {arity} argument{plural}, got {got}",
}
# The hints after the problem ("; write 2*x"); several are joined as they are written.
HINTS: dict[str, str] = {
    "formula.hint.number_form": "write numbers like 3, 0.5, .5 or 1e-3",
    "formula.hint.exponent_digits": "an exponent needs digits, e.g. 1e-3; for the constant e "
                                    "write {fix}",
    "formula.hint.usable": "use numbers, x, y, pi, e, functions, + - * / ^ and parentheses",
    "formula.hint.ascii_minus": "type the ASCII minus '-'",
    "formula.hint.times": "write * to multiply",
    "formula.hint.divide": "write / to divide",
    "formula.hint.power": "write ^{power}",
    "formula.hint.pi": "write pi",
    "formula.hint.brackets": "use round parentheses ( )",
    "formula.hint.equals": "type only the expression, e.g. x^2 + y^2",
    "formula.hint.depth": "use at most {limit} levels of parentheses, function calls, signs "
                          "and powers",
    "formula.hint.nodes": "use at most {limit} numbers, names and operations",
    "formula.hint.length": "use at most {limit} characters (this one has {length})",
    "formula.hint.empty": "type an expression in x and y, e.g. x^2 + y^2",
    "formula.hint.finite": "numbers must stay below 1.8e308",
    "formula.hint.write": "write {fix}",
    "formula.hint.multiply": "write {fix} to multiply",
    "formula.hint.implicit": "implicit multiplication is not supported, write {fix}",
    "formula.hint.known": "known: {names}",
    "formula.hint.use_names": "use {names}",
    "formula.hint.did_you_mean": "did you mean {name}? ",
    "formula.hint.ln": "did you mean log (the natural logarithm)? ",
    "formula.hint.pow": "write a^b for powers; ",
    "formula.hint.operand_after": "a number, a name or '(' must come after {token}",
    "formula.hint.operand_first": "a number, a name or '(' must come first",
    "formula.hint.no_opening": "it has no matching '('",
    "formula.hint.comma": "commas only separate function arguments, e.g. max(x, y)",
}
Params = dict[str, str | int]
Hint = tuple[str, Params]


class FormulaError(ValueError):
    """A formula that cannot be parsed.

    `code` (a key of PROBLEMS) and `params` name the problem, `hints` the fixes (codes of
    HINTS with their params); `column` is 1-based. `message` says what is wrong and what to
    change, without the column (for a UI that marks the column itself); str() gives both,
    e.g. "unknown name 'z' at column 5; use x, y, pi, e".
    """

    def __init__(self, code: str, column: int, params: Params | None = None,
                 hints: Iterable[Hint] = (), located: bool = True) -> None:
        self.code, self.column, self.located = code, column, located
        self.params: Params = dict(params or {})
        self.hints: list[Hint] = [(c, dict(p)) for c, p in hints]
        self.problem = PROBLEMS[code].format(**self.params)
        self.hint = "".join(HINTS[c].format(**p) for c, p in self.hints)
        self.message = f"{self.problem}; {self.hint}" if self.hint else self.problem
        where = f" at column {column}" if located else ""
        hint = f"; {self.hint}" if self.hint else ""
        super().__init__(f"{self.problem}{where}{hint}")

    def __reduce__(self) -> tuple[type[FormulaError],
                                  tuple[str, int, Params, list[Hint], bool]]:
        # The default would call FormulaError(str(self)) and fail: keep exceptions picklable.
        return type(self), (self.code, self.column, self.params, self.hints, self.located)


# --- syntax tree --------------------------------------------------------------------------
class _Tree:
    """Equality, hashing and repr without recursion (dataclass versions recurse per level)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Tree):
            return NotImplemented
        return _preorder(cast("Ast", self)) == _preorder(cast("Ast", other))

    def __hash__(self) -> int:
        return hash(tuple(_preorder(cast("Ast", self))))

    def __repr__(self) -> str:
        return fold(cast("Ast", self), _repr_node)


@dataclass(frozen=True, eq=False, repr=False)
class Num(_Tree):
    value: float  # finite and >= 0: "-2" is Unary("-", Num(2.0))


@dataclass(frozen=True, eq=False, repr=False)
class Name(_Tree):
    name: str  # x, y, pi or e


@dataclass(frozen=True, eq=False, repr=False)
class Unary(_Tree):
    op: str  # "-" (a unary plus changes nothing and is not kept)
    operand: Ast


@dataclass(frozen=True, eq=False, repr=False)
class Binary(_Tree):
    op: str  # + - * / ^ (both ^ and ** are stored as ^)
    left: Ast
    right: Ast


@dataclass(frozen=True, eq=False, repr=False)
class Call(_Tree):
    function: str
    args: tuple[Ast, ...]


Ast = Num | Name | Unary | Binary | Call
T = TypeVar("T")


def children(tree: Ast) -> tuple[Ast, ...]:
    if isinstance(tree, Unary):
        return (tree.operand,)
    if isinstance(tree, Binary):
        return (tree.left, tree.right)
    if isinstance(tree, Call):
        return tree.args
    return ()


def fold(tree: Ast, combine: Callable[[Ast, list[T]], T]) -> T:
    """Bottom-up: combine(node, [result of each child]) for every node, with an explicit
    stack instead of recursion."""
    results: list[T] = []
    stack: list[tuple[Ast, bool]] = [(tree, False)]
    while stack:
        node, expanded = stack.pop()
        kids = children(node)
        if kids and not expanded:
            stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(kids))  # leftmost child first
            continue
        start = len(results) - len(kids)
        args = results[start:]
        del results[start:]
        results.append(combine(node, args))
    return results[0]


def _preorder(tree: Ast) -> list[tuple[object, ...]]:
    """Each node's own fields in prefix order. Arities are implied by the entries, so two
    trees are equal exactly when these lists are."""
    out: list[tuple[object, ...]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Num):
            out.append(("Num", node.value))
        elif isinstance(node, Name):
            out.append(("Name", node.name))
        elif isinstance(node, Call):
            out.append(("Call", node.function, len(node.args)))
        else:
            out.append((type(node).__name__, node.op))
        stack.extend(reversed(children(node)))
    return out


def _repr_node(node: Ast, parts: list[str]) -> str:
    if isinstance(node, Num):
        return f"Num({node.value!r})"
    if isinstance(node, Name):
        return f"Name({node.name!r})"
    if isinstance(node, Call):
        return f"Call({node.function!r}, ({', '.join(parts)}{',' if len(parts) == 1 else ''}))"
    return f"{type(node).__name__}({node.op!r}, {', '.join(parts)})"


# --- tokenizer ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    column: int  # 1-based


_DIGITS = "0123456789"  # ASCII only: str.isdigit() also accepts '²' and other scripts' digits
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_OPERATORS = "+-*/^(),"
# Characters people paste from documents, and the ASCII they stand for.
_CHARACTER_HINTS: dict[str, Hint] = {
    "−": ("formula.hint.ascii_minus", {}), "×": ("formula.hint.times", {}),
    "·": ("formula.hint.times", {}), "÷": ("formula.hint.divide", {}),
    "²": ("formula.hint.power", {"power": 2}), "³": ("formula.hint.power", {"power": 3}),
    "π": ("formula.hint.pi", {}), "[": ("formula.hint.brackets", {}),
    "]": ("formula.hint.brackets", {}), "=": ("formula.hint.equals", {}),
}


def _skip(text: str, pos: int, allowed: str) -> int:
    while pos < len(text) and text[pos] in allowed:
        pos += 1
    return pos


def _number_end(text: str, start: int) -> int:
    """Where the number starting at `start` ends: digits with one optional point, then an
    optional exponent."""
    end = _skip(text, start, _DIGITS + ".")
    mantissa = text[start:end]
    if mantissa == "." or mantissa.count(".") > 1:
        raise FormulaError("formula.malformed_number", start + 1, {"number": _quote(mantissa)},
                           [("formula.hint.number_form", {})])
    # An exponent counts only with digits after it, so "2e" stays 2 followed by the constant
    # e (then refused as an implicit product, with the fix).
    if end < len(text) and text[end] in "eE":
        signed = text[end + 1:end + 2] in ("+", "-")
        digits = end + 2 if signed else end + 1
        if digits < len(text) and text[digits] in _DIGITS:
            end = _skip(text, digits, _DIGITS)
        elif signed:  # "1e-" is a broken exponent rather than 1*e - ...
            raise FormulaError("formula.malformed_number", start + 1,
                               {"number": _quote(text[start:digits])},
                               [("formula.hint.exponent_digits", {"fix": f"{mantissa}*e"})])
    return end


class _Lexer:
    """Tokens on demand, so errors are reported in the order they appear in the text."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def next(self) -> Token:
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            self.pos += 1
        start = self.pos
        if start == len(text):
            return Token("end", "", start + 1)
        char = text[start]
        if char in _DIGITS or char == ".":
            kind, end = "number", _number_end(text, start)
        elif char in _LETTERS:
            kind, end = "name", _skip(text, start, _LETTERS + _DIGITS)
        elif text.startswith("**", start):
            kind, end = "op", start + 2
        elif char in _OPERATORS:
            kind, end = "op", start + 1
        else:
            raise FormulaError("formula.unexpected_character", start + 1, {"char": repr(char)},
                               [_CHARACTER_HINTS.get(char, ("formula.hint.usable", {}))])
        self.pos = end
        return Token(kind, text[start:end], start + 1)


# --- parser -------------------------------------------------------------------------------
# Binding powers. A sign binds looser than a power and tighter than a product, which gives
# -x^2 = -(x^2) and -x*y = (-x)*y.
_INFIX = {"+": 10, "-": 10, "*": 20, "/": 20, "^": 40, "**": 40}
_SIGN = 30
_ATOM = 50  # numbers, names, calls: never need parentheses
_LEVEL = {op: power for op, power in _INFIX.items() if op != "**"}  # the tree's operators


class _Parser:
    """Precedence climbing over the token stream.

    Python recursion happens only in `expression`, entered again from signs, parentheses,
    call arguments and exponents (each counted against MAX_DEPTH by `enter`) and from the
    right operand of + - * / (not counted: that operand's binding power is strictly higher,
    so at most two such calls nest before a counted one). Hence the stack stays within a few
    frames per counted level, far below Python's limit.
    """

    def __init__(self, text: str) -> None:
        self.lexer = _Lexer(text)
        self.previous: Token | None = None
        self.current = self.lexer.next()
        self.depth = 0
        self.nodes = 0

    def advance(self) -> Token:
        self.previous, self.current = self.current, self.lexer.next()
        return self.previous

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("formula.too_deep", token.column,
                               hints=[("formula.hint.depth", {"limit": MAX_DEPTH})])

    def node(self, tree: Ast, token: Token) -> Ast:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError("formula.too_large", token.column,
                               hints=[("formula.hint.nodes", {"limit": MAX_NODES})])
        return tree

    def parse(self) -> Ast:
        if self.current.kind == "end":
            raise FormulaError("formula.empty", 1, hints=[("formula.hint.empty", {})],
                               located=False)
        tree = self.expression(0)
        if self.current.kind != "end":
            raise self.misplaced()
        return tree

    def expression(self, min_power: int) -> Ast:
        """Operands joined by infix operators that bind tighter than `min_power`."""
        left = self.operand()
        while True:
            token = self.current
            power = _INFIX.get(token.text, 0) if token.kind == "op" else 0
            if power <= min_power:
                return left
            self.advance()
            if power == _INFIX["^"]:
                # Right-associative: the exponent takes further powers, so chains nest.
                self.enter(token)
                right = self.expression(power - 1)
                self.depth -= 1
            else:
                # Left-associative: the right operand stops at this operator's own level,
                # so a long sum loops here rather than recursing.
                right = self.expression(power)
            left = self.node(Binary("^" if power == _INFIX["^"] else token.text, left, right),
                             token)

    def operand(self) -> Ast:
        token = self.current
        if token.kind == "number":
            return self.number(self.advance())
        if token.kind == "name":
            return self.name(self.advance())
        if token.text in ("-", "+"):
            return self.sign(self.advance())
        if token.text == "(":
            return self.group(self.advance())
        raise self.missing_operand(token)

    def number(self, token: Token) -> Ast:
        value = float(token.text)  # the tokenizer only lets valid decimal literals through
        if not math.isfinite(value):
            raise FormulaError("formula.number_too_large", token.column,
                               {"number": _short(token.text)}, [("formula.hint.finite", {})])
        return self.node(Num(value), token)

    def sign(self, token: Token) -> Ast:
        self.enter(token)
        operand = self.expression(_SIGN)
        self.depth -= 1
        return operand if token.text == "+" else self.node(Unary("-", operand), token)

    def group(self, opening: Token) -> Ast:
        self.enter(opening)
        inner = self.expression(0)
        self.close(opening)
        self.depth -= 1
        return inner

    def close(self, opening: Token) -> None:
        if self.current.text == ")":
            self.advance()
        elif self.current.kind == "end":
            raise FormulaError("formula.missing_close", opening.column)
        else:
            raise self.misplaced()

    def name(self, token: Token) -> Ast:
        word = token.text
        calling = self.current.text == "("
        if word in FUNCTIONS:
            if not calling:
                raise FormulaError("formula.needs_parentheses", token.column,
                                   {"function": word}, [_write(word, FUNCTIONS[word])])
            return self.call(token)
        if word in NAMES:
            return self.node(Name(word), token)  # "x(...)" is refused next, as a product
        if calling:
            known: Hint = ("formula.hint.known", {"names": ", ".join(sorted(FUNCTIONS))})
            raise FormulaError("formula.unknown_function", token.column, {"name": _quote(word)},
                               [*_guess(word, FUNCTIONS), known])
        raise FormulaError("formula.unknown_name", token.column, {"name": _quote(word)},
                           _name_hint(word))

    def call(self, function: Token) -> Ast:
        opening = self.advance()
        self.enter(opening)
        args: list[Ast] = []
        if self.current.text != ")":  # "f()" gets the arity message below
            args.append(self.expression(0))
            while self.current.text == ",":
                self.advance()
                args.append(self.expression(0))
        self.close(opening)
        self.depth -= 1
        arity = FUNCTIONS[function.text]
        if len(args) != arity:
            raise FormulaError(
                "formula.arity", function.column,
                {"function": function.text, "arity": arity, "got": len(args),
                 "plural": "" if arity == 1 else "s"}, [_write(function.text, arity)])
        return self.node(Call(function.text, tuple(args)), function)

    def missing_operand(self, token: Token) -> FormulaError:
        after: Hint = (("formula.hint.operand_after", {"token": repr(self.previous.text)})
                       if self.previous else ("formula.hint.operand_first", {}))
        if token.kind == "end":
            return FormulaError("formula.ends_early", token.column, hints=[after])
        return FormulaError("formula.unexpected_token", token.column,
                            {"token": repr(token.text)}, [after])

    def misplaced(self) -> FormulaError:
        """The error for a token where an operator (or the end) should be."""
        token = self.current
        if token.kind in ("number", "name") or token.text == "(":
            previous = self.previous
            left = _short(previous.text) if previous and previous.kind != "op" else "(...)"
            right = _short(token.text) if token.kind != "op" else "(...)"
            return FormulaError("formula.missing_operator", token.column,
                                {"token": _quote(token.text)},
                                [("formula.hint.implicit", {"fix": f"{left}*{right}"})])
        if token.text == ")":
            return FormulaError("formula.unexpected_close", token.column,
                                hints=[("formula.hint.no_opening", {})])
        return FormulaError("formula.unexpected_token", token.column,
                            {"token": repr(token.text)}, [("formula.hint.comma", {})])


def _short(text: str, limit: int = 20) -> str:
    """Text for a message: a 999-digit number or name is not worth repeating in full."""
    return text if len(text) <= limit else text[:limit] + "..."


def _quote(text: str) -> str:
    return repr(_short(text))


def _write(function: str, arity: int) -> Hint:
    """'write max(a, b)'."""
    return ("formula.hint.write", {"fix": f"{function}({', '.join('abcd'[:arity])})"})


# Functions of other languages that we spell differently.
_OTHER_SPELLINGS: dict[str, Hint] = {"ln": ("formula.hint.ln", {}),
                                     "pow": ("formula.hint.pow", {}),
                                     "power": ("formula.hint.pow", {})}


def _guess(word: str, known: Iterable[str]) -> list[Hint]:
    """['did you mean sin? '] for a wrong case or a typo, else []."""
    if word.lower() in _OTHER_SPELLINGS:
        return [_OTHER_SPELLINGS[word.lower()]]
    names = sorted(known)
    same = [n for n in names if n.lower() == word.lower()]
    close = same or difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.75)
    return [("formula.hint.did_you_mean", {"name": close[0]})] if close else []


def _split_names(word: str) -> list[str] | None:
    """The names a word is made of when they were written together (xy -> x, y), else None."""
    parts: list[str] = []
    while word:
        found = next((n for n in NAMES if word.startswith(n)), None)
        if found is None:
            return None
        parts.append(found)
        word = word[len(found):]
    return parts


def _name_hint(word: str) -> list[Hint]:
    use: Hint = ("formula.hint.use_names", {"names": ", ".join(NAMES)})
    if len(word) > 12:  # not a typo worth guessing at
        return [use]
    parts = _split_names(word)
    if parts:
        return [("formula.hint.multiply", {"fix": "*".join(parts)})]
    for function in sorted(FUNCTIONS, key=len, reverse=True):
        names = _split_names(word[len(function):]) if word.startswith(function) else None
        if names:
            return [("formula.hint.write", {"fix": f"{function}({'*'.join(names)})"})]  # sinx
    return [*_guess(word, NAMES), use]


# --- public entry points ------------------------------------------------------------------
def parse_ast(text: str) -> Ast:
    """The syntax tree of a formula; FormulaError when it is not one."""
    if not isinstance(text, str):
        raise FormulaError("formula.not_text", 1, located=False)
    if len(text) > MAX_LENGTH:  # checked first, so huge input costs nothing more
        raise FormulaError("formula.too_long", MAX_LENGTH + 1, hints=[
            ("formula.hint.length", {"limit": MAX_LENGTH, "length": len(text)})])
    return _Parser(text).parse()


def parse(text: str) -> Node:
    """A formula in x and y as an expression graph; FormulaError when it is not one."""
    return lower(parse_ast(text))


_BINARY: dict[str, Callable[[Node, Node], Node]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "^": lambda a, b: a ** b,
}


def lower(tree: Ast) -> Node:
    """The syntax tree as an expression graph (ValueError for a tree no formula gives)."""
    return fold(tree, _lower_node)


def _lower_node(node: Ast, args: list[Node]) -> Node:
    _check(node)
    if isinstance(node, Num):
        return const(node.value)
    if isinstance(node, Name):
        return const(CONSTANTS[node.name]) if node.name in CONSTANTS else var(node.name)
    if isinstance(node, Unary):
        return -args[0]
    if isinstance(node, Binary):
        return _BINARY[node.op](args[0], args[1])
    return call(node.function, *args)


def _check(node: Ast) -> None:
    """Refuse hand-built trees that no formula parses to, so to_text can always round-trip."""
    if isinstance(node, Num):
        ok = math.isfinite(node.value) and math.copysign(1.0, node.value) > 0
    elif isinstance(node, Name):
        ok = node.name in NAMES
    elif isinstance(node, Unary):
        ok = node.op == "-"
    elif isinstance(node, Binary):
        ok = node.op in _LEVEL
    else:
        ok = FUNCTIONS.get(node.function) == len(node.args)
    if not ok:
        raise ValueError(f"not a formula syntax tree: {type(node).__name__} node "
                         f"{_preorder(node)[0][1:]}")


def to_text(tree: Ast) -> str:
    """Canonical text for a syntax tree, with only the parentheses it needs:
    parse_ast(to_text(tree)) == tree for every tree within the limits."""
    return fold(tree, _text_node)[0]


def _text_node(node: Ast, parts: list[tuple[str, int]]) -> tuple[str, int]:
    """(text, binding level) of one node, given those of its children."""
    _check(node)
    if isinstance(node, Num):
        text = repr(float(node.value))
        return (text[:-2] if text.endswith(".0") else text), _ATOM  # 2.0 -> 2, exactly
    if isinstance(node, Name):
        return node.name, _ATOM
    if isinstance(node, Call):
        return f"{node.function}({', '.join(text for text, _ in parts)})", _ATOM
    if isinstance(node, Unary):
        return "-" + _wrap(parts[0], _SIGN), _SIGN
    level = _LEVEL[node.op]
    if node.op == "^":
        # (a^b)^c and (-a)^b keep their parentheses; a^b^c and a^-b need none.
        return f"{_wrap(parts[0], level + 1)}^{_wrap(parts[1], _SIGN)}", level
    # a - (b - c) keeps its parentheses; (a - b) - c is written a - b - c.
    return f"{_wrap(parts[0], level)} {node.op} {_wrap(parts[1], level + 1)}", level


def _wrap(part: tuple[str, int], min_level: int) -> str:
    text, level = part
    return text if level >= min_level else f"({text})"
