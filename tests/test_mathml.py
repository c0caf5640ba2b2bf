"""Update rules and schedules as MathML (server/mathml.py, converted by latex2mathml).

Checked against the LaTeX itself: every Greek letter the rule names appears as its Unicode
character, no command is left unconverted, and a rule has as many <math> elements as it has
top-level equations.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.schedules import SCHEDULES
from gradscape.server.app import create_app
from gradscape.server.mathml import equations, to_mathml

MATHML = "{http://www.w3.org/1998/Math/MathML}"
GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "pi",
         "sigma", "tau", "Lambda"]

client = TestClient(create_app())


def test_equations_split_only_at_top_level_separators() -> None:
    assert equations(r"a = 1,\quad b = 2,\ c = 3") == ["a = 1", "b = 2", "c = 3"]
    # a comma inside braces, or one without a following space command, stays in its equation
    assert equations(r"f(x, y) = \frac{1,\ 2}{3}") == [r"f(x, y) = \frac{1,\ 2}{3}"]
    assert equations(r"\text{a,\quad b}, c") == [r"\text{a,\quad b}, c"]
    assert equations("") == []


def greek_in(tex: str) -> set[str]:
    """The Greek letters a LaTeX text names, as characters (by their Unicode names)."""
    out = set()
    for name in re.findall(r"\\([A-Za-z]+)", tex):
        if name in GREEK:
            case = "CAPITAL" if name[0].isupper() else "SMALL"
            letter = name.upper().replace("LAMBDA", "LAMDA")  # Unicode spells it so
            out.add(unicodedata.lookup(f"GREEK {case} LETTER {letter}"))
    return out


def texts(math: ET.Element) -> str:
    return "".join(math.itertext())


@pytest.mark.parametrize("tex", [o.rule for o in OPTIMIZERS.values()]
                         + [s.formula for s in SCHEDULES.values()])
def test_every_rule_converts_to_mathml_that_keeps_its_symbols(tex: str) -> None:
    pieces = to_mathml(tex)
    assert len(pieces) == len(equations(tex)) >= 1
    text = ""
    for piece in pieces:
        math = ET.fromstring(piece)  # well-formed XML, one <math> element
        assert math.tag == f"{MATHML}math"
        assert "\\" not in piece, piece  # no command left unconverted
        text += texts(math)
    # ϵ: latex2mathml sets \epsilon as the lunate epsilon, as TeX does
    found = {("ε" if ch == "ϵ" else ch) for ch in text}
    assert greek_in(tex) <= found, (greek_in(tex) - found, tex)


def test_adam_is_three_equations_with_a_fraction_and_a_root() -> None:
    pieces = to_mathml(OPTIMIZERS["adam"].rule)
    assert len(pieces) == 3
    last = ET.fromstring(pieces[2])
    assert last.find(f".//{MATHML}mfrac") is not None
    assert last.find(f".//{MATHML}msqrt") is not None
    assert len(last.findall(f".//{MATHML}mover")) == 2  # the hats of m̂ and v̂


def test_the_api_serves_the_mathml_beside_the_latex() -> None:
    for o in client.get("/api/optimizers").json():
        assert o["rule_mathml"] == list(to_mathml(OPTIMIZERS[o["id"]].rule))
    for s in client.get("/api/schedules").json():
        assert s["formula_mathml"] == list(to_mathml(SCHEDULES[s["id"]].formula))
