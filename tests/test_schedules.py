"""Learning-rate schedules against torch.optim.lr_scheduler sequences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.schedules import SCHEDULES, lr_curve

GOLDEN = json.loads((Path(__file__).parent / "data" / "torch_golden.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["schedules"],
                         ids=lambda c: f"{c['schedule']}-{sorted(c['params'].items())}")
def test_matches_torch_scheduler(case: dict[str, Any]) -> None:
    ours = lr_curve(case["schedule"], 0.1, len(case["lrs"]), case["params"])
    np.testing.assert_allclose(ours, case["lrs"], rtol=1e-12, atol=1e-15)


def test_closed_forms() -> None:
    t = np.arange(1, 11)
    np.testing.assert_allclose(lr_curve("constant", 0.3, 10), np.full(10, 0.3))
    np.testing.assert_allclose(lr_curve("exponential", 1.0, 10, {"gamma": 0.5}), 0.5 ** (t - 1))
    np.testing.assert_allclose(lr_curve("inverse_time", 2.0, 10, {"decay_rate": 1.0}), 2.0 / t)
    warm = lr_curve("constant", 1.0, 10, {"warmup_steps": 4, "warmup_start_factor": 0.2})
    np.testing.assert_allclose(warm, [0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1])


@pytest.mark.parametrize(("schedule", "params", "name"), [
    ("step", {"gamma": 0.0}, "gamma"),
    ("step", {"step_size": 0}, "step_size"),
    ("step", {"step_size": 2.5}, "step_size"),
    ("cosine", {"T_max": -3}, "T_max"),
    ("exponential", {"gamma": 1.5}, "gamma"),
    ("constant", {"warmup_steps": -1}, "warmup_steps"),
    ("constant", {"warmup_start_factor": 0.0}, "warmup_start_factor"),
    ("constant", {"gamma": 0.5}, "gamma"),
])
def test_invalid_schedule_parameters(schedule: str, params: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        SCHEDULES[schedule].validate(params)


def test_unknown_schedule_and_step_limit() -> None:
    with pytest.raises(ValueError, match="known: constant"):
        lr_curve("sawtooth", 0.1, 10)
    with pytest.raises(ValueError, match="steps"):
        lr_curve("constant", 0.1, 10**9)
