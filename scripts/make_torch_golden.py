"""Reference data from torch.optim, for tests/test_optimizers.py and tests/test_schedules.py.

torch is a test-only reference, never a dependency of gradscape. Regenerate (from any
directory; the output path is fixed) with exactly:

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python -W error scripts/make_torch_golden.py

which rewrites tests/data/torch_golden.json (deterministic: the same torch gives the same
bytes). It holds, all in float64:

- defaults: each torch optimizer's hyperparameters and defaults, in signature order;
- runs: STEPS-step trajectories of each CASES setting on each of FUNCTIONS from each of
  STARTS (the functions are written in torch here and again in numpy in the tests, so the
  gradients come from torch's autograd, not ours);
- schedules: 60 learning rates from torch.optim.lr_scheduler (base lr 0.1), warm-ups as
  SequentialLR([LinearLR, main]);
- scheduled_run: Adam driven by ExponentialLR; retuned_run: SGD whose momentum is switched
  on mid-run (torch starts the momentum buffer at that step).
"""

from __future__ import annotations

import inspect
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
    ("sgd", "SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("adagrad", "Adagrad", {"lr": 0.1}),
    ("adagrad", "Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("adagrad", "Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5}),
    ("adagrad", "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01,
                            "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("rmsprop", "RMSprop", {"lr": 0.01}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "momentum": 0.5}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "centered": True}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True,
                            "weight_decay": 0.01, "eps": 1e-6}),
    ("adam", "Adam", {"lr": 0.01}),
    ("adam", "Adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05}),
    ("adam", "Adam", {"lr": 0.02, "amsgrad": True}),
    ("adam", "Adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.05}),
    ("adamw", "AdamW", {"lr": 0.01}),
    ("adamw", "AdamW", {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True}),
]


TORCH_CLASSES = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam",
                 "adamw": "AdamW"}
SKIP = {"self", "params", "maximize", "foreach", "capturable", "differentiable", "fused",
        "decoupled_weight_decay"}  # implementation switches, not hyperparameters


def defaults() -> dict[str, dict[str, Any]]:
    """torch's own defaults for each optimizer, read from its signature."""
    out = {}
    for ours, cls in TORCH_CLASSES.items():
        sig = inspect.signature(getattr(torch.optim, cls).__init__)
        out[ours] = {k: list(p.default) if isinstance(p.default, tuple) else p.default
                     for k, p in sig.parameters.items() if k not in SKIP}
    return out


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


def retuned_sgd(start: tuple[float, float], switch: int, momentum: float,
                dampening: float) -> list[list[float]]:
    """SGD without momentum for `switch` steps, then with: torch starts the buffer then."""
    theta = torch.tensor(start, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=0.05)
    out = [theta.detach().tolist()]
    for k in range(STEPS):
        if k == switch:
            opt.param_groups[0].update(momentum=momentum, dampening=dampening)
        opt.zero_grad()
        FUNCTIONS["elongated"](theta[0], theta[1]).backward()
        opt.step()
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
        {"schedule": "constant", "params": {"warmup_steps": 8, "warmup_start_factor": 0.25},
         "lrs": lr_sequence(lambda o: lr.LinearLR(o, start_factor=0.25, total_iters=8))},
        {"schedule": "exponential", "params": {"gamma": 0.9, "warmup_steps": 6,
                                               "warmup_start_factor": 0.1},
         "lrs": lr_sequence(lambda o: lr.SequentialLR(o, [
             lr.LinearLR(o, start_factor=0.1, total_iters=6),
             lr.ExponentialLR(o, gamma=0.9)], milestones=[6]))},
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
    retuned = {"optimizer": "sgd", "function": "elongated", "start": [0.7, -0.4],
               "before": {"lr": 0.05}, "after": {"lr": 0.05, "momentum": 0.9,
                                                 "dampening": 0.5},
               "switch": 10, "points": retuned_sgd((0.7, -0.4), 10, 0.9, 0.5)}
    data = {"torch": torch.__version__, "steps": STEPS, "defaults": defaults(), "runs": runs,
            "schedules": schedules, "scheduled_run": scheduled, "retuned_run": retuned}
    OUT.write_text(json.dumps(data, indent=None, separators=(",", ":")))
    assert all(math.isfinite(v) for r in runs for p in r["points"] for v in p)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(runs)} runs)")


if __name__ == "__main__":
    main()
