"""numpy results as JSON-ready Python values.

REST responses go through their pydantic models, which write a non-finite float as null, so
`rows` only converts arrays to lists. Stream frames are written here directly (`frame_json`):
numbers rounded to a few significant digits keep a 6 x 1000-step race small on the wire,
and anything non-finite becomes null.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def rows(a: ArrayLike) -> Any:
    """An array as nested lists of floats (inf/nan kept: the response model nulls them)."""
    return np.asarray(a, dtype=np.float64).tolist()


def num(x: Any) -> float | None:
    """A scalar as a finite float, or None."""
    value = float(x)
    return value if math.isfinite(value) else None


def rounded(a: ArrayLike, digits: int) -> Any:
    """Nested lists of floats rounded to `digits` significant digits; non-finite -> None.

    Rounding goes through an integer mantissa divided by a power of ten, so Python's
    shortest-repr float printing writes the short decimal ("1.234568", not 17 digits).
    """
    arr = np.asarray(a, dtype=np.float64)
    finite = np.isfinite(arr)
    with np.errstate(all="ignore"):
        safe = np.where(finite & (arr != 0.0), np.abs(arr), 1.0)
        exponent = digits - 1 - np.floor(np.log10(safe))
        # Powers of ten are exact doubles only up to 1e22: values needing more (below ~1e-15
        # or above ~1e28, rare) are sent unrounded rather than wrongly rounded.
        exact = np.abs(exponent) <= 22
        exponent = np.where(exact, exponent, 0.0)
        scale = np.power(10.0, np.abs(exponent))
        out = np.where(exponent >= 0, np.round(arr * scale) / scale,
                       np.round(arr / scale) * scale)
        out = np.where(exact, out, arr)
    if finite.all():
        return out.tolist()
    obj = out.astype(object)
    obj[~finite] = None
    return obj.tolist()


class Rounding:
    """Many arrays rounded in one numpy pass (a frame has dozens of small ones), each handed
    back as nested lists into the dict slot it was registered for."""

    def __init__(self, digits: int) -> None:
        self.digits = digits
        self._slots: list[tuple[dict[str, Any], str, np.ndarray]] = []

    def put(self, target: dict[str, Any], key: str, a: ArrayLike) -> None:
        self._slots.append((target, key, np.asarray(a, dtype=np.float64)))

    def fill(self) -> None:
        if not self._slots:
            return
        flat: list[Any] = rounded(np.concatenate([a.ravel() for _, _, a in self._slots]),
                                  self.digits)
        pos = 0
        for target, key, a in self._slots:
            part = flat[pos:pos + a.size]
            pos += a.size
            if a.ndim == 0:
                target[key] = part[0]
            elif a.ndim == 1 or a.size == 0:
                target[key] = part
            elif a.ndim == 2:
                width = a.shape[1]
                target[key] = [part[i:i + width] for i in range(0, a.size, width)]
            else:
                target[key] = np.reshape(np.array(part, dtype=object), a.shape).tolist()
        self._slots.clear()


def _plain(value: Any) -> Any:
    """numpy scalars (and 0-d arrays) as Python numbers; anything else is a bug to report."""
    if isinstance(value, np.generic | np.ndarray) and np.ndim(value) == 0:
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# Built once: json.dumps with options builds a new encoder on every call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, default=_plain)


def dumps(message: Any) -> str:
    """Compact JSON (tuples as arrays, numpy scalars as numbers); raises ValueError on a stray
    non-finite float instead of writing NaN."""
    return _ENCODER.encode(message)
