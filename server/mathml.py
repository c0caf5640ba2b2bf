"""Update rules and schedules as MathML, converted from their LaTeX by latex2mathml.

Browsers draw MathML natively (MathML Core), so the page needs no TeX renderer of its own.
A rule is one or more equations joined at the top level by ",\\quad" or ",\\ " (e.g. Adam's
m_t, v_t and θ update); each equation becomes its own <math> element, so the page can break
lines between equations and never inside one. The strings are the server's own (from core's
tables), converted once per text.
"""

from __future__ import annotations

import re
from functools import cache

from latex2mathml.converter import convert

# A top-level separator between equations: a comma, then \quad, \qquad or a control space.
_SEPARATOR = re.compile(r",\s*(?:\\q?quad|\\ )\s*")


def equations(tex: str) -> list[str]:
    """The equations of a rule, split at separators outside any braces."""
    pieces, depth, start = [], 0, 0
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\" and i + 1 < len(tex) and tex[i + 1] in "{}":
            i += 2  # an escaped brace does not nest
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            match = _SEPARATOR.match(tex, i)
            if match:
                pieces.append(tex[start:i].strip())
                start = i = match.end()
                continue
        i += 1
    pieces.append(tex[start:].strip())
    return [p for p in pieces if p]


@cache
def to_mathml(tex: str) -> tuple[str, ...]:
    """One <math> element (a string) per equation of `tex`."""
    return tuple(convert(eq) for eq in equations(tex))
