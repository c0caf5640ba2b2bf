"""The memo of validated parameter sets (core/params.py) as the optimizer and schedule
registries use it: a cached answer must be the answer a fresh validation gives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.params import ParamMemo, memo_key, validate_params
from gradscape.core.schedules import SCHEDULES, WARMUP

SGD = OPTIMIZERS["sgd"]
ADAM = OPTIMIZERS["adam"]


# --- (a) types are part of the key ------------------------------------------------------------
def test_true_then_one_for_a_bool_still_raises() -> None:
    hp = SGD.validate({"nesterov": True, "momentum": 0.9})
    assert hp["nesterov"] is True and hp["momentum"] == 0.9
    # 1 == True and hash(1) == hash(True): a key without types would hand back the cached
    # result for True.
    with pytest.raises(ValueError, match="nesterov"):
        SGD.validate({"nesterov": 1, "momentum": 0.9})


def test_one_then_true_for_a_number_still_raises() -> None:
    assert SGD.validate({"momentum": 1})["momentum"] == 1.0
    with pytest.raises(ValueError, match="momentum"):
        SGD.validate({"momentum": True})


def test_element_types_of_a_list_are_part_of_the_key() -> None:
    assert ADAM.validate({"betas": [0, 0.99]})["betas"] == (0.0, 0.99)
    with pytest.raises(ValueError, match=r"betas\[0\]"):
        ADAM.validate({"betas": [False, 0.99]})


def test_int_and_float_learning_rates_both_give_a_float() -> None:
    for given in (1, 1.0, 1, 1.0):
        lr = SGD.validate({"lr": given})["lr"]
        assert lr == 1.0
        assert type(lr) is float


def test_memo_keys_differ_by_type_and_ignore_order() -> None:
    assert memo_key({"a": 1}) != memo_key({"a": True})
    assert memo_key({"a": 1}) != memo_key({"a": 1.0})
    assert memo_key({"a": [1, 2]}) != memo_key({"a": (1, 2)})
    assert memo_key({"a": [1, 2]}) != memo_key({"a": [1.0, 2]})
    assert memo_key({"a": 1, "b": 2.0}) == memo_key({"b": 2.0, "a": 1})
    assert memo_key({"a": 1}) != memo_key({"b": 1})


# --- (b) a bad value raises every time --------------------------------------------------------
@pytest.mark.parametrize(("spec_id", "given", "name"), [
    ("sgd", {"momentum": 1.5}, "momentum"),
    ("sgd", {"lr": 0}, "lr"),
    ("sgd", {"nesterov": "yes"}, "nesterov"),
    ("sgd", {"nesterov": True}, "nesterov"),  # the cross-parameter check: momentum 0
    ("adam", {"betas": [0.9, 1.0]}, "betas"),
    ("adam", {"colour": 1}, "colour"),  # unknown names are refused by name
])
def test_a_bad_value_raises_every_time(spec_id: str, given: dict[str, Any], name: str) -> None:
    spec = OPTIMIZERS[spec_id]
    for _ in range(3):
        with pytest.raises(ValueError, match=name):
            spec.validate(given)


def test_a_failed_validation_is_not_kept() -> None:
    memo = ParamMemo()
    calls = []

    def failing(given: Mapping[str, Any]) -> dict[str, Any]:
        calls.append(dict(given))
        raise ValueError("Invalid x")

    for _ in range(2):
        with pytest.raises(ValueError, match="Invalid x"):
            memo.validated({"x": 1}, failing)
    assert len(calls) == 2
    assert memo._seen == {}


# --- (c) the caller's own copy ----------------------------------------------------------------
def test_mutating_the_result_does_not_change_a_later_one() -> None:
    given = {"lr": 0.05, "momentum": 0.5}
    first = SGD.validate(given)
    first["lr"] = 123.0
    first["momentum"] = "garbage"
    del first["nesterov"]
    first["extra"] = 1
    second = SGD.validate(given)
    assert second == {"lr": 0.05, "momentum": 0.5, "dampening": 0.0, "weight_decay": 0.0,
                      "nesterov": False}
    assert second is not SGD.validate(given)


def test_mutating_the_given_mapping_after_validation_does_not_leak() -> None:
    given: dict[str, Any] = {"betas": [0.8, 0.99]}
    assert ADAM.validate(given)["betas"] == (0.8, 0.99)
    given["betas"][0] = 0.5  # a list is keyed by its contents at the time, not by identity
    assert ADAM.validate(given)["betas"] == (0.5, 0.99)
    assert ADAM.validate({"betas": [0.8, 0.99]})["betas"] == (0.8, 0.99)


# --- (d) cached equals fresh ------------------------------------------------------------------
@pytest.mark.parametrize(("spec_id", "given"), [
    ("sgd", {}),
    ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("sgd", {"weight_decay": 1, "dampening": 0.25}),
    ("adam", {"betas": [0.8, 0.99]}),
    ("adam", {"betas": (0.8, 0.99), "amsgrad": True, "eps": 1e-6}),
    ("adam", {"lr": 3, "weight_decay": 0}),
])
def test_a_cached_result_equals_a_fresh_validation(spec_id: str, given: dict[str, Any]) -> None:
    spec = OPTIMIZERS[spec_id]
    fresh = validate_params(spec.id, spec.params, given)
    first = spec.validate(given)
    cached = spec.validate(given)
    assert first == fresh
    assert cached == fresh
    assert list(cached) == list(spec.params)  # every parameter, in the registry's order
    for name, value in fresh.items():
        assert type(cached[name]) is type(value), name


def test_adam_betas_list_is_validated_to_a_float_pair() -> None:
    for _ in range(2):
        hp = ADAM.validate({"betas": [0.8, 0.99]})
        assert hp == {"lr": 1e-3, "betas": (0.8, 0.99), "eps": 1e-8, "weight_decay": 0.0,
                      "amsgrad": False}


def test_a_repeated_set_is_validated_once() -> None:
    memo = ParamMemo()
    calls = []

    def counting(given: Mapping[str, Any]) -> dict[str, Any]:
        calls.append(dict(given))
        return validate_params("adam", ADAM.params, given)

    for _ in range(3):
        memo.validated({"lr": 0.1, "betas": [0.8, 0.99]}, counting)
    memo.validated({"betas": [0.8, 0.99], "lr": 0.1}, counting)  # same set, other order
    assert len(calls) == 1
    memo.validated({"lr": 0.2, "betas": [0.8, 0.99]}, counting)
    assert len(calls) == 2


# --- (e) values that cannot be keyed ----------------------------------------------------------
@pytest.mark.parametrize("given", [
    {"lr": {"value": 0.1}},
    {"betas": [[0.9], 0.999]},
    {"betas": [0.9, {"b": 1}]},
    {"lr": 0.1, "betas": [[0.9, 0.999]]},
])
def test_memo_key_is_none_for_nested_values(given: dict[str, Any]) -> None:
    assert memo_key(given) is None


def test_memo_key_is_a_hashable_tuple_for_flat_values() -> None:
    key = memo_key({"lr": 0.1, "betas": [0.8, 0.99], "amsgrad": False, "name": "x",
                    "none": None})
    assert isinstance(key, tuple)
    hash(key)


def test_unkeyable_values_are_validated_without_the_memo() -> None:
    with pytest.raises(ValueError, match="Invalid lr"):
        ADAM.validate({"lr": {"value": 0.1}})
    for _ in range(2):
        with pytest.raises(ValueError, match=r"Invalid betas\[0\]"):
            ADAM.validate({"betas": [[0.9], 0.999]})

    memo = ParamMemo()
    calls = []

    def counting(given: Mapping[str, Any]) -> dict[str, Any]:
        calls.append(1)
        return {"seen": given["x"]}

    nested = {"x": [[1]]}
    assert memo.validated(nested, counting) == {"seen": [[1]]}
    assert memo.validated(nested, counting) == {"seen": [[1]]}
    assert len(calls) == 2  # not keyed, so validated each time
    assert memo._seen == {}


# --- (f) bounded ------------------------------------------------------------------------------
def test_the_memo_is_bounded() -> None:
    memo = ParamMemo(size=4)
    for i in range(10):
        hp = memo.validated({"lr": 0.01 * (i + 1)},
                            lambda g: validate_params("sgd", SGD.params, g))
        assert hp["lr"] == pytest.approx(0.01 * (i + 1))
        assert 1 <= len(memo._seen) <= 4
    assert len(memo._seen) <= 4
    # The last set is kept, and a hit still answers correctly.
    assert memo.validated({"lr": 0.1}, lambda g: pytest.fail("should be a hit"))["lr"] == 0.1


def test_registry_memos_stay_bounded() -> None:
    for i in range(SGD.memo.size + 10):
        SGD.validate({"weight_decay": float(i)})
    assert len(SGD.memo._seen) <= SGD.memo.size


# --- (g) schedules ----------------------------------------------------------------------------
def test_schedule_warmup_through_the_memo() -> None:
    constant = SCHEDULES["constant"]
    for _ in range(2):
        hp = constant.validate({"warmup_steps": 10})
        assert hp == {"warmup_steps": 10, "warmup_start_factor": WARMUP[
            "warmup_start_factor"].default}
        assert type(hp["warmup_steps"]) is int
    hp = constant.validate({"warmup_steps": 10.0, "warmup_start_factor": 0.5})
    assert hp == {"warmup_steps": 10, "warmup_start_factor": 0.5}
    assert type(hp["warmup_steps"]) is int
    # Warm-up from 0.5 over 10 steps: step 1 at 0.5 η, step 11 at the full η.
    assert constant.lr(0.2, 1, hp) == pytest.approx(0.1)
    assert constant.lr(0.2, 11, hp) == pytest.approx(0.2)


def test_schedule_bad_warmup_start_factor_raises_every_time() -> None:
    constant = SCHEDULES["constant"]
    assert constant.validate({"warmup_steps": 10, "warmup_start_factor": 1})[
        "warmup_start_factor"] == 1.0
    for _ in range(2):
        with pytest.raises(ValueError, match="warmup_start_factor"):
            constant.validate({"warmup_steps": 10, "warmup_start_factor": 0})
    with pytest.raises(ValueError, match="warmup_steps"):
        constant.validate({"warmup_steps": True})
    with pytest.raises(ValueError, match="warmup_steps"):
        constant.validate({"warmup_steps": 2.5})


def test_schedules_do_not_share_cached_results() -> None:
    # Each spec has its own memo: the same given set means other defaults elsewhere.
    given = {"warmup_steps": 3}
    results = {sid: spec.validate(given) for sid, spec in SCHEDULES.items()}
    for sid, spec in SCHEDULES.items():
        expected = validate_params(f"schedule {sid}", {**spec.params, **WARMUP}, given)
        assert results[sid] == expected
        assert spec.validate(given) == expected
