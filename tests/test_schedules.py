"""Learning-rate schedules against torch.optim.lr_scheduler sequences and closed forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gradscape.core.schedules import SCHEDULES, WARMUP, lr_curve

GOLDEN = json.loads((Path(__file__).parent / "data" / "torch_golden.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["schedules"],
                         ids=lambda c: f"{c['schedule']}-{sorted(c['params'].items())}")
def test_matches_torch_scheduler(case: dict[str, Any]) -> None:
    ours = lr_curve(case["schedule"], 0.1, len(case["lrs"]), case["params"])
    np.testing.assert_allclose(ours, case["lrs"], rtol=1e-12, atol=1e-15)


def test_golden_covers_every_torch_backed_schedule_and_warmup() -> None:
    covered = {c["schedule"] for c in GOLDEN["schedules"]}
    assert covered == set(SCHEDULES)
    warmed = {c["schedule"] for c in GOLDEN["schedules"] if c["params"].get("warmup_steps")}
    assert len(warmed) >= 3


def test_closed_forms() -> None:
    t = np.arange(1, 11)
    np.testing.assert_allclose(lr_curve("constant", 0.3, 10), np.full(10, 0.3))
    np.testing.assert_allclose(lr_curve("exponential", 1.0, 10, {"gamma": 0.5}), 0.5 ** (t - 1))
    np.testing.assert_allclose(lr_curve("inverse_time", 2.0, 10, {"decay_rate": 1.0}), 2.0 / t)
    np.testing.assert_allclose(lr_curve("step", 1.0, 10, {"step_size": 3, "gamma": 0.1}),
                               [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001])
    cosine = lr_curve("cosine", 1.0, 9, {"T_max": 4, "eta_min_factor": 0.2})
    np.testing.assert_allclose(cosine[[0, 2, 4, 6, 8]], [1.0, 0.6, 0.2, 0.6, 1.0])
    warm = lr_curve("constant", 1.0, 10, {"warmup_steps": 4, "warmup_start_factor": 0.2})
    np.testing.assert_allclose(warm, [0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1])
    # after the warm-up the main schedule starts its own count at its step 1
    warm = lr_curve("exponential", 1.0, 6, {"gamma": 0.5, "warmup_steps": 2,
                                            "warmup_start_factor": 0.5})
    np.testing.assert_allclose(warm, [0.5, 0.75, 1.0, 0.5, 0.25, 0.125])


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
def test_one_step_lr_equals_the_curve(schedule: str) -> None:
    spec = SCHEDULES[schedule]
    params = spec.validate({"warmup_steps": 3})
    curve = lr_curve(schedule, 0.2, 40, {"warmup_steps": 3})
    assert [spec.lr(0.2, t, params) for t in range(1, 41)] == pytest.approx(curve, rel=1e-15)
    assert spec.formula and spec.torch and spec.name
    assert list(spec.validate({})) == [*spec.params, *WARMUP]


@pytest.mark.parametrize(("schedule", "params", "message"), [
    ("step", {"gamma": 0.0}, r"Invalid gamma: 0\.0"),
    ("step", {"step_size": 0}, r"Invalid step_size: 0"),
    ("step", {"step_size": 2.5}, r"Invalid step_size: 2\.5"),
    ("cosine", {"T_max": -3}, r"Invalid T_max: -3"),
    ("cosine", {"eta_min_factor": 1.5}, r"Invalid eta_min_factor: 1\.5"),
    ("exponential", {"gamma": 1.5}, r"Invalid gamma: 1\.5"),
    ("inverse_time", {"decay_rate": -0.1}, r"Invalid decay_rate: -0\.1"),
    ("constant", {"warmup_steps": -1}, r"Invalid warmup_steps: -1"),
    ("constant", {"warmup_start_factor": 0.0}, r"Invalid warmup_start_factor: 0\.0"),
    ("constant", {"gamma": 0.5}, r"unknown parameter\(s\) 'gamma'"),
])
def test_invalid_schedule_parameters(schedule: str, params: dict[str, Any],
                                     message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCHEDULES[schedule].validate(params)
    with pytest.raises(ValueError, match=message):
        lr_curve(schedule, 0.1, 10, params)


def test_unknown_schedule_and_step_limit() -> None:
    with pytest.raises(ValueError, match="known: constant"):
        lr_curve("sawtooth", 0.1, 10)
    with pytest.raises(ValueError, match="steps"):
        lr_curve("constant", 0.1, 10**9)
    with pytest.raises(ValueError, match="steps"):
        lr_curve("constant", 0.1, 0)
    with pytest.raises(ValueError, match="steps"):
        lr_curve("constant", 0.1, 2.5)  # type: ignore[arg-type]
