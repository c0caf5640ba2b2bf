"""Hyperparameter descriptions shared by optimizers and schedules.

A `Param` is what the browser builds a control from (default, bounds, kind, doc) and what
`validate` checks user values against, with errors that name the parameter and the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gradscape.core.errors import InputError, Refusal

Kind = Literal["float", "int", "bool", "pair"]

# What a refused value is told, by code (server/errorcodes.py has the Chinese).
MESSAGES: dict[str, str] = {
    "param.not_bool": "Invalid {name}: {value} ({name} must be true or false)",
    "param.not_pair": "Invalid {name}: {value} ({name} must be two numbers)",
    "param.not_integer": "Invalid {name}: {value} ({name} must be a whole number)",
    "param.not_number": "Invalid {name}: {value} ({name} must be a number)",
    "param.not_finite": "Invalid {name}: {value} ({name} must be finite)",
    "param.out_of_range": "Invalid {name}: {value} ({name} must be {relation} {limit})",
    "param.unknown": "unknown parameter(s) {names} for {owner}; known: {known}",
    # Shared by the other modules that check a named value (data-set options, say).
    "param.between": "Invalid {name}: {value} ({name} must be between {low} and {high})",
    "param.choice": "Invalid {name}: {value} (choose one of {choices})",
}
REFUSE = {code: Refusal(code, text) for code, text in MESSAGES.items()}


def _refuse(code: str, **params: Any) -> InputError:
    return REFUSE[code](**params)


@dataclass(frozen=True)
class Param:
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    kind: Kind = "float"
    doc: str = ""
    log_scale: bool = False  # the slider moves on a log scale (learning rates, eps)

    def check(self, name: str, value: Any) -> Any:
        """The value converted to its kind, or ValueError naming the parameter."""
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise _refuse("param.not_bool", name=name, value=repr(value))
            return value
        if self.kind == "pair":
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise _refuse("param.not_pair", name=name, value=repr(value))
            return tuple(self._number(f"{name}[{i}]", v) for i, v in enumerate(value))
        number = self._number(name, value)
        if self.kind == "int":
            if number != int(number):
                raise _refuse("param.not_integer", name=name, value=repr(value))
            return int(number)
        return number

    def _number(self, name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _refuse("param.not_number", name=name, value=repr(value))
        number = float(value)
        if not math.isfinite(number):
            raise _refuse("param.not_finite", name=name, value=repr(value))
        low, high = self.minimum, self.maximum
        if low is not None and (number < low or (self.exclusive_minimum and number == low)):
            rel = ">" if self.exclusive_minimum else ">="
            raise _refuse("param.out_of_range", name=name, value=repr(value), relation=rel,
                          limit=f"{low:g}")
        if high is not None and (number > high or (self.exclusive_maximum and number == high)):
            rel = "<" if self.exclusive_maximum else "<="
            raise _refuse("param.out_of_range", name=name, value=repr(value), relation=rel,
                          limit=f"{high:g}")
        return number

    def json_schema(self) -> dict[str, Any]:
        """JSON Schema with defaults and bounds, for /api/optimizers and the UI's controls."""
        base: dict[str, Any] = {"description": self.doc, "default": self.default}
        if self.kind == "bool":
            return {**base, "type": "boolean"}
        bounds: dict[str, Any] = {}
        if self.minimum is not None:
            key = "exclusiveMinimum" if self.exclusive_minimum else "minimum"
            bounds[key] = self.minimum
        if self.maximum is not None:
            key = "exclusiveMaximum" if self.exclusive_maximum else "maximum"
            bounds[key] = self.maximum
        if self.kind == "pair":
            item = {"type": "number", **bounds}
            return {**base, "default": list(self.default), "type": "array", "items": item,
                    "minItems": 2, "maxItems": 2}
        kind = "integer" if self.kind == "int" else "number"
        return {**base, "type": kind, **bounds, "x-log-scale": self.log_scale}


def validate_params(owner: str, params: Mapping[str, Param],
                    given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults filled in, every value checked; unknown names are refused by name."""
    unknown = sorted(set(given) - set(params))
    if unknown:
        raise _refuse("param.unknown", names=", ".join(map(repr, unknown)), owner=owner,
                      known=", ".join(params) or "none")
    return {name: p.check(name, given[name]) if name in given else p.default
            for name, p in params.items()}


Scalar = int | float | bool | str | None


def memo_key(given: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """A hashable key for JSON-like parameter values (numbers, booleans, strings, flat
    lists), or None for anything else. Types are part of it: 1, 1.0 and True are equal in
    Python but not as parameters (true is no learning rate)."""
    items: list[tuple[Any, ...]] = []
    for name, value in given.items():
        if isinstance(value, list | tuple):
            if not all(isinstance(v, Scalar) for v in value):
                return None
            items.append((name, type(value), tuple((type(v), v) for v in value)))
        elif isinstance(value, Scalar):
            items.append((name, type(value), value))
        else:
            return None
    return tuple(sorted(items, key=lambda item: item[0]))


class ParamMemo:
    """Validated parameter sets by what was given. A classroom sends the same few settings
    again and again, and checking them was a tenth of a stream start's time. Only values
    that passed are kept (a bad one raises again, with its message, every time); at most
    `size` sets, then it starts over. Dict reads and writes are atomic, so compute threads
    may share it."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._seen: dict[tuple[Any, ...], dict[str, Any]] = {}

    def validated(self, given: Mapping[str, Any],
                  validate: Callable[[Mapping[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        key = memo_key(given)
        if key is None:
            return validate(given)
        hit = self._seen.get(key)
        if hit is None:
            hit = validate(given)
            if len(self._seen) >= self.size:
                self._seen.clear()
            self._seen[key] = hit
        return dict(hit)  # the caller's own copy
