"""Optimizer runs against hand-written numpy loops with the analytic gradient."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

import gradscape.core as core
from gradscape.core.runs import Race, RunSpec, basins, optimize

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def hand_adam(steps: int, lr: float = 1e-3) -> np.ndarray:
    """torch.optim.Adam's rule, written out, with Rosenbrock's analytic gradient."""
    p = np.array([[-1.5, 2.0]])
    m, v = np.zeros((1, 2)), np.zeros((1, 2))
    b1, b2, eps = 0.9, 0.999, 1e-8
    out = np.empty((steps + 1, 2))
    out[0] = p
    for t in range(1, steps + 1):
        x, y = p[:, 0], p[:, 1]
        g = np.empty((1, 2))
        b = y - x * x
        g[:, 0] = -2.0 * (1.0 - x) - 400.0 * x * b
        g[:, 1] = 200.0 * b
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        out[t] = p
    return out


def hand_gd_basins(resolution: int, steps: int, lr: float) -> np.ndarray:
    xs = np.linspace(-5, 5, resolution)
    X, Y = np.meshgrid(xs, xs)
    P = np.column_stack([X.ravel(), Y.ravel()])
    for _ in range(steps):
        x, y = P[:, 0], P[:, 1]
        a, b = x * x + y - 11.0, x + y * y - 7.0
        G = np.empty_like(P)
        G[:, 0] = 4.0 * x * a + 2.0 * b
        G[:, 1] = 2.0 * a + 4.0 * y * b
        P = P - lr * G
    return P


def report(name: str, ours: float, theirs: float, target: float) -> None:
    ratio = ours / theirs
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{name:<46} {ours * 1e3:>9.1f} ms  vs {theirs * 1e3:>9.1f} ms  ratio {ratio:5.2f}"
          f"  (target <= {target})  {verdict}")


def main() -> None:
    print("optimizers: engine vs hand-written numpy loops, best of repeats")
    rosen = core.surface(ROSENBROCK)
    ours = optimize(rosen, "adam", start=(-1.5, 2.0), steps=2000, lr=1e-3, tolerance=0.0)
    assert np.allclose(ours.points, hand_adam(2000), rtol=1e-9, atol=1e-12)
    t_ours = best_of(lambda: optimize(rosen, "adam", start=(-1.5, 2.0), steps=2000, lr=1e-3,
                                      tolerance=0.0))
    t_hand = best_of(lambda: hand_adam(2000))
    report("Adam, 2,000 steps, typed Rosenbrock", t_ours, t_hand, 2.0)

    himmel = core.surface(HIMMELBLAU)
    crit = core.critical_points(himmel)
    t_ours = best_of(lambda: basins(himmel, "sgd", steps=500, resolution=200, lr=0.01,
                                    critical=crit), 3)
    t_hand = best_of(lambda: hand_gd_basins(200, 500, 0.01), 3)
    report("basin map 200x200 x 500 GD steps, Himmelblau", t_ours, t_hand, 1.5)

    specs = [RunSpec(o, (-4.0, 4.5), {"lr": lr}) for o, lr in [
        ("sgd", 0.01), ("momentum", 0.01), ("nesterov", 0.01), ("adagrad", 0.5),
        ("rmsprop", 0.01), ("adam", 0.05)]]
    t_race = best_of(lambda: Race(himmel, specs, steps=1000, tolerance=0.0).run(), 3)
    print(f"{'race, 6 optimizers x 1,000 steps, all records':<46} {t_race * 1e3:>9.1f} ms")


if __name__ == "__main__":
    main()
