"""Reference trajectories from torch.optim, for tests/test_optimizers.py and test_schedules.py.

torch is a test-only reference, never a dependency. Regenerate with:

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python scripts/make_torch_golden.py

which rewrites tests/data/torch_golden.json. The test functions below are written in torch
here and again in numpy in the tests: the gradients come from torch's autograd, not ours.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch

torch.set_default_dtype(torch.float64)
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_golden.json"
STEPS = 50

FUNCTIONS = {
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "elongated": lambda x, y: 0.5 * (x**2 + 10 * y**2),
    "saddle": lambda x, y: x**2 - y**2 + 0.1 * x * y + 0.25 * y**4,
}
STARTS = [(-1.2, 1.0), (0.7, -0.4)]

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("sgd", "SGD", {"lr": 1e-3}),
    ("sgd", "SGD", {"lr": 1e-3, "momentum": 0.9}),
    ("sgd", "SGD", {"lr": 1e-3, "momentum": 0.9, "dampening": 0.3}),
    ("sgd", "SGD", {"lr": 1e-3, "momentum": 0.8, "nesterov": True}),
    ("sgd", "SGD", {"lr": 1e-3, "weight_decay": 0.1, "momentum": 0.5}),
    ("adagrad", "Adagrad", {"lr": 0.1}),
    ("adagrad", "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01,
                            "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("rmsprop", "RMSprop", {"lr": 0.01}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True,
                            "weight_decay": 0.01, "eps": 1e-6}),
    ("adam", "Adam", {"lr": 0.01}),
    ("adam", "Adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05}),
    ("adam", "Adam", {"lr": 0.02, "amsgrad": True}),
    ("adamw", "AdamW", {"lr": 0.01}),
    ("adamw", "AdamW", {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True}),
]


def trajectory(cls: str, params: dict[str, Any], fn: str, start: tuple[float, float],
               schedule: Any = None) -> list[list[float]]:
    theta = torch.tensor(start, requires_grad=True)
    opt = getattr(torch.optim, cls)([theta], **params)
    sched = schedule(opt) if schedule else None
    out = [theta.detach().tolist()]
    for _ in range(STEPS):
        opt.zero_grad()
        FUNCTIONS[fn](theta[0], theta[1]).backward()
        opt.step()
        if sched:
            sched.step()
        out.append(theta.detach().tolist())
    return out


def lr_sequence(make: Any, steps: int = 60, base: float = 0.1) -> list[float]:
    theta = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=base)
    sched = make(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def main() -> None:
    lr = torch.optim.lr_scheduler
    runs = [{"optimizer": ours, "params": {k: list(v) if isinstance(v, tuple) else v
                                           for k, v in params.items()},
             "function": fn, "start": list(start),
             "points": trajectory(cls, params, fn, start)}
            for ours, cls, params in CASES for fn in FUNCTIONS for start in STARTS]
    schedules = [
        {"schedule": "step", "params": {"step_size": 7, "gamma": 0.5},
         "lrs": lr_sequence(lambda o: lr.StepLR(o, step_size=7, gamma=0.5))},
        {"schedule": "exponential", "params": {"gamma": 0.9},
         "lrs": lr_sequence(lambda o: lr.ExponentialLR(o, gamma=0.9))},
        {"schedule": "cosine", "params": {"T_max": 25, "eta_min_factor": 0.1},
         "lrs": lr_sequence(lambda o: lr.CosineAnnealingLR(o, T_max=25, eta_min=0.01))},
        {"schedule": "inverse_time", "params": {"decay_rate": 0.3},
         "lrs": lr_sequence(lambda o: lr.LambdaLR(o, lambda e: 1 / (1 + 0.3 * e)))},
        {"schedule": "cosine", "params": {"T_max": 30, "eta_min_factor": 0.0,
                                          "warmup_steps": 10, "warmup_start_factor": 0.2},
         "lrs": lr_sequence(lambda o: lr.SequentialLR(o, [
             lr.LinearLR(o, start_factor=0.2, total_iters=10),
             lr.CosineAnnealingLR(o, T_max=30)], milestones=[10]))},
        {"schedule": "step", "params": {"step_size": 5, "gamma": 0.7, "warmup_steps": 4,
                                        "warmup_start_factor": 0.5},
         "lrs": lr_sequence(lambda o: lr.SequentialLR(o, [
             lr.LinearLR(o, start_factor=0.5, total_iters=4),
             lr.StepLR(o, step_size=5, gamma=0.7)], milestones=[4]))},
    ]
    # Adam with a decaying lr: the schedule must feed the optimizer exactly as torch's does.
    scheduled = {"optimizer": "adam", "params": {"lr": 0.05}, "function": "rosenbrock",
                 "start": [-1.2, 1.0], "schedule": "exponential",
                 "schedule_params": {"gamma": 0.95},
                 "points": trajectory("Adam", {"lr": 0.05}, "rosenbrock", (-1.2, 1.0),
                                      lambda o: lr.ExponentialLR(o, gamma=0.95))}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = {"torch": torch.__version__, "steps": STEPS, "runs": runs, "schedules": schedules,
            "scheduled_run": scheduled}
    OUT.write_text(json.dumps(data, indent=None, separators=(",", ":")))
    assert all(math.isfinite(v) for r in runs for p in r["points"] for v in p)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(runs)} runs)")


if __name__ == "__main__":
    main()
