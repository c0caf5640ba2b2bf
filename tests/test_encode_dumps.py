"""`server.encode.dumps`: compact JSON with numpy scalars as numbers and no NaN on the wire."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from gradscape.server.encode import dumps


def test_tuples_become_arrays() -> None:
    assert dumps((1, 2)) == "[1,2]"
    assert dumps({"bounds": (-1.5, 2.0, (3, 4))}) == '{"bounds":[-1.5,2.0,[3,4]]}'


@pytest.mark.parametrize(("value", "text"), [
    (np.float64(0.5), "0.5"),
    (np.float32(0.25), "0.25"),
    (np.int64(3), "3"),
    (np.int32(-7), "-7"),
    (np.uint8(255), "255"),
    (np.bool_(True), "true"),
    (np.bool_(False), "false"),
    (np.array(2.5), "2.5"),  # a 0-d array is a scalar too
])
def test_numpy_scalars_encode_as_numbers(value: Any, text: str) -> None:
    assert dumps(value) == text
    assert dumps({"v": value}) == f'{{"v":{text}}}'
    assert dumps([value, value]) == f"[{text},{text}]"


def test_numpy_scalars_round_trip_to_python_types() -> None:
    out = json.loads(dumps({"f": np.float64(0.1), "i": np.int64(2**40), "b": np.bool_(True)}))
    assert out == {"f": 0.1, "i": 2**40, "b": True}
    assert type(out["i"]) is int and type(out["b"]) is bool


@pytest.mark.parametrize("value", [
    math.nan, math.inf, -math.inf, np.float64(math.nan), np.float64(-math.inf),
    np.float32(math.nan), [1.0, {"x": math.inf}],
])
def test_non_finite_floats_raise(value: Any) -> None:
    with pytest.raises(ValueError):
        dumps(value)


@pytest.mark.parametrize("value", [
    object(), {1, 2}, {"runs": [{"points": {0.5}}]}, np.array([1.0, 2.0]), b"bytes",
    1j,
])
def test_unsupported_objects_raise_type_error(value: Any) -> None:
    with pytest.raises(TypeError):
        dumps(value)


PLAIN: list[Any] = [
    {"type": "frame", "race": 3, "step": 10, "runs": [{"points": [[0.5, -1.25]], "loss": None}]},
    [1, 2.5, True, False, None, "text"],
    {"nested": {"a": [], "b": {}, "c": [{}]}, "η": "ünïcode ✓", 1: "int key"},
    "a string with \"quotes\" and \\ and \n",
    0.1 + 0.2,
    1e-300,
    -0.0,
    10**20,
    [],
    {},
]


@pytest.mark.parametrize("value", PLAIN)
def test_plain_data_matches_json_dumps_compact(value: Any) -> None:
    assert dumps(value) == json.dumps(value, separators=(",", ":"))


def test_output_is_compact() -> None:
    text = dumps({"a": [1, 2, {"b": (3, 4)}], "c": "d"})
    assert text == '{"a":[1,2,{"b":[3,4]}],"c":"d"}'
    assert " " not in text and "\n" not in text
    assert " " in dumps("keeps spaces inside strings")


def test_repeated_calls_are_independent() -> None:
    # The encoder is built once and shared: one call must not leak state into the next.
    with pytest.raises(TypeError):
        dumps([1, object()])
    assert dumps([1, np.int64(2)]) == "[1,2]"
    with pytest.raises(ValueError):
        dumps([math.nan])
    assert dumps([1.5]) == "[1.5]"
