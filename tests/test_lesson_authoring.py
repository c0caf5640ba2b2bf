"""Lesson authoring: a lesson's texts state no number its scene does not produce.

Every number written in a lesson's texts (title, summary, explanation, watch, predict, claim
and the variant's label; English and Chinese) must be either a value of its scene (a start,
a hyperparameter, the step count, the seed, a bound, a number in the scene's formula; the
variant's scene and the lesson's extras count too) or one of the lesson's `facts`, and each
fact has exactly one check in FACT_CHECKS (tests/test_lessons.py, and
tests/test_lessons_more.py and tests/test_lessons_networks.py when they exist) that asserts
it against the scene through core.
Every check runs here as its own test.

What counts as a number, and the formula rule:
- A number is a run of ASCII digits with an optional decimal part, thousands commas
  ("2,000"), an exponent ("1e-6") and a trailing "%"; a "-" or "−" directly before it is its
  sign when what precedes the sign is the start of the text, a space, "(", "[" or ",".
  Digits in words (Chinese numerals, "four") and sub/superscripts (β₁, x², 0.9ᵗ) are not
  numbers.
- A number inside a formula is not a claim and is skipped: one that touches (no space
  between) a letter of a Latin or Greek alphabet or a modifier/sub/superscript character
  ("0.5x²", "2h", "2/λmax", "0.9ᵗ"), or whose nearest non-space neighbour on either side is an
  operator + − - * / ^ √ · × ± ("x^2 - y^2", "1/4", "(t+1)", "1 + 2η", "±1"). Chinese
  characters next to a number do not make it a formula ("100 步" and "100步" are claims).
- A number matches a scene value or a fact when the two are equal as numbers ("2,000" =
  "2000" = 2000.0, "10%" = 10, "−1" = -1), so one fact covers its English and Chinese
  spelling.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gradscape.lessons import LESSONS, Lesson

NUMBER = re.compile(r"(?P<sign>[-−])?(?P<body>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"(?P<exp>e[-−+]?\d+)?(?P<pct>%)?")
OPERATORS = set("+−-*/^√·×±")
SIGN_AFTER = set(" ([,（，") | {""}


def fact_checks() -> dict[str, dict[str, Callable[[], None]]]:
    """FACT_CHECKS of every lesson test module there is."""
    merged: dict[str, dict[str, Callable[[], None]]] = {}
    for name in ("test_lessons", "test_lessons_more", "test_lessons_networks"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        for lesson_id, checks in getattr(module, "FACT_CHECKS", {}).items():
            assert lesson_id not in merged, f"{lesson_id} has checks in two modules"
            merged[lesson_id] = checks
    return merged


FACT_CHECKS = fact_checks()


def _formula_char(ch: str) -> bool:
    """A letter of a formula: Latin, Greek, modifier letters, sub/superscripts (not CJK)."""
    if not ch or ch.isspace():
        return False
    cat = unicodedata.category(ch)
    if cat.startswith("L"):
        return ord(ch) < 0x2E80  # CJK and full-width forms are words, not variables
    return cat == "No" or ch in "′″"  # ², ₁, and primes


def _neighbour(text: str, i: int, step: int) -> str:
    while 0 <= i < len(text) and text[i] == " ":
        i += step
    return text[i] if 0 <= i < len(text) else ""


def numbers_in(text: str) -> Iterator[tuple[str, float]]:
    """Every number a text states as a claim: (as written, value); see the module docstring."""
    for m in NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if m["sign"]:
            before = text[start - 1] if start else ""
            if before not in SIGN_AFTER:
                start += 1  # an operator, not a sign
        body_start = m.start("body")
        before, after = text[body_start - 1] if body_start else "", text[end:end + 1]
        if start == body_start and (before.isdigit() or before == "."):
            continue  # inside a longer run of digits: not a number of its own
        touching = _formula_char(text[start - 1] if start else "") or _formula_char(after)
        operator = (_neighbour(text, start - 1, -1) in OPERATORS
                    or _neighbour(text, end, 1) in OPERATORS)
        if touching or operator or after.isdigit():
            continue
        written = text[start:end]
        value = float(m["body"].replace(",", "") + (m["exp"] or "").replace("−", "-"))
        if start != body_start:
            value = -value
        yield written, value


def scene_values(obj: Any) -> set[float]:
    """Every number in a scene (recursively), including those inside a formula string."""
    out: set[float] = set()
    if isinstance(obj, bool):
        return out
    if isinstance(obj, int | float):
        out.add(float(obj))
    elif isinstance(obj, str):
        out |= {float(v) for v in re.findall(r"\d+(?:\.\d+)?", obj)}
    elif isinstance(obj, dict):
        for v in obj.values():
            out |= scene_values(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            out |= scene_values(v)
    return out


def lesson_texts(lesson: Lesson) -> Iterator[tuple[str, str]]:
    fields = {"title": lesson.title, "summary": lesson.summary,
              "explanation": lesson.explanation, "watch": lesson.watch,
              "predict": lesson.predict, "claim": lesson.claim}
    if lesson.variant:
        fields["variant label"] = lesson.variant["label"]
    for name, text in fields.items():
        for lang in ("en", "zh"):
            yield f"{name} ({lang})", text[lang]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def fact_value(fact: str) -> float:
    found = list(numbers_in(fact))
    assert len(found) == 1, f"a fact is one number as written in the text, got {fact!r}"
    return found[0][1]


# --- the rule itself ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("loss below 1e-6 after 2,000 steps", [1e-6, 2000.0]),
    ("at (−1.2, 1.3) and (2.5, −1)", [-1.2, 1.3, 2.5, -1.0]),
    ("the bowl 0.5x² + 10y² curves 20 times more", [20.0]),
    ("f = x^2 - y^2 + 0.25*y^4 has σ′ ≤ 1/4", []),
    ("η < 2/λmax = 0.1, and 1 + 2η = 1.1; 10% over; m/σ = ±1", [0.1, 1.1, 10.0]),
    ("√(Σg²/(t+1)) and 1 − 0.9ᵗ, β₁ = 0.9", [0.9]),
    ("要 387 步才降到 1% 以内，第 3步", [387.0, 1.0, 3.0]),
    ("seeds 0 to 19, x used 3 times, 2h", [0.0, 19.0, 3.0]),
])
def test_numbers_in_finds_claims_and_skips_formulas(text: str, expected: list[float]) -> None:
    assert [v for _, v in numbers_in(text)] == pytest.approx(expected)


def test_a_number_not_in_the_scene_nor_the_facts_is_caught() -> None:
    lesson = next(x for x in LESSONS if x.id == "learning_rate")
    allowed = scene_values(lesson.scene) | {fact_value(f) for f in lesson.facts}
    stated = [v for _, v in numbers_in("gradient descent needs 37 steps")]
    assert stated == [37.0] and not any(_same(37.0, a) for a in allowed)


# --- every lesson -------------------------------------------------------------------------------
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_every_number_in_a_lesson_is_its_scenes_or_a_fact(lesson: Lesson) -> None:
    allowed = (scene_values(lesson.scene) | scene_values(lesson.extras)
               | scene_values(lesson.variant.get("scene", {})))
    facts = {fact_value(f) for f in lesson.facts}
    unexplained = [(where, written) for where, text in lesson_texts(lesson)
                   for written, value in numbers_in(text)
                   if not any(_same(value, a) for a in allowed | facts)]
    assert unexplained == [], (
        f"{lesson.id}: numbers that are neither scene values nor facts; add each to the "
        f"lesson's facts (with a check in FACT_CHECKS) or take it out: {unexplained}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_facts_and_their_checks_match(lesson: Lesson) -> None:
    assert len(set(lesson.facts)) == len(lesson.facts), f"{lesson.id}: a fact listed twice"
    checks = FACT_CHECKS.get(lesson.id, {})
    assert set(lesson.facts) == set(checks), (
        f"{lesson.id}: facts without a check {sorted(set(lesson.facts) - set(checks))}, "
        f"checks without a fact {sorted(set(checks) - set(lesson.facts))}")
    texts = " ".join(text for _, text in lesson_texts(lesson))
    stated = {value for _, value in numbers_in(texts)}
    for fact in lesson.facts:  # a fact is a number the texts do state
        assert any(_same(fact_value(fact), v) for v in stated), f"{lesson.id}: {fact!r} unused"


def test_every_check_belongs_to_a_lesson() -> None:
    ids = {x.id for x in LESSONS}
    assert set(FACT_CHECKS) <= ids, sorted(set(FACT_CHECKS) - ids)


CHECKS = [(lesson_id, fact, check) for lesson_id, checks in FACT_CHECKS.items()
          for fact, check in checks.items()]


@pytest.mark.parametrize(("lesson_id", "fact", "check"), CHECKS,
                         ids=[f"{lesson_id}:{fact}" for lesson_id, fact, _ in CHECKS])
def test_fact(lesson_id: str, fact: str, check: Callable[[], None]) -> None:
    check()
