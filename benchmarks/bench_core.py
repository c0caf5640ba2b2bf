"""The differentiable core against hand-written numpy with the analytic derivatives.

Each figure is a ratio measured in this run: the engine's time over the time of numpy code
written by hand for the same function (the practical limit). Timings interleave the two
sides and keep the best of several repeats, so a noisy machine hurts both alike.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import timeit
from collections.abc import Callable

import numpy as np

import gradscape.core as core
from gradscape.core.linalg2 import eigh2

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def best_time(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def race(ours: Callable[[], object], theirs: Callable[[], object],
         number: int) -> tuple[float, float]:
    """Best per-call times of both, measured alternately so drift hits both."""
    a, b = [], []
    for _ in range(5):
        a.append(best_time(ours, number, 3))
        b.append(best_time(theirs, number, 3))
    return min(a), min(b)


def rosenbrock_grad(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    out = np.empty((P.shape[0], 2))
    b = y - x * x
    out[:, 0] = -2.0 * (1.0 - x) - 400.0 * x * b
    out[:, 1] = 200.0 * b
    return out


def rosenbrock_hessian(P: np.ndarray) -> np.ndarray:
    x, y = P[:, 0], P[:, 1]
    H = np.empty((P.shape[0], 2, 2))
    H[:, 0, 0] = 2.0 - 400.0 * (y - x * x) + 800.0 * x * x
    H[:, 0, 1] = H[:, 1, 0] = -400.0 * x
    H[:, 1, 1] = 200.0
    return H


def rosenbrock_value(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    a, b = 1.0 - x, y - x * x
    return a * a + 100.0 * b * b


def report(name: str, ours: float, theirs: float, target: float) -> None:
    ratio = ours / theirs
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{name:<44} {ours * 1e6:>10.1f} us  vs {theirs * 1e6:>10.1f} us  "
          f"ratio {ratio:5.2f}  (target <= {target})  {verdict}")


def cold_start() -> tuple[float, float]:
    """Fresh interpreters: import core + first gradient of a typed formula; numpy alone."""
    ours = textwrap.dedent(f"""
        import time; t = time.perf_counter()
        import gradscape.core as core
        core.surface({ROSENBROCK!r}).grad([[0.5, 0.5]])
        print(time.perf_counter() - t)
    """)
    numpy_only = ("import time; t = time.perf_counter(); import numpy; "
                  "print(time.perf_counter() - t)")

    def run(code: str) -> float:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        return float(out.stdout.strip())

    return min(run(ours) for _ in range(5)), min(run(numpy_only) for _ in range(5))


def main() -> None:
    s = core.surface(ROSENBROCK)
    rng = np.random.default_rng(0)
    print("core: engine vs hand-written numpy (analytic derivatives), best of repeats")

    one = rng.normal(size=(1, 2))
    assert np.allclose(s.grad(one), rosenbrock_grad(one))
    report("gradient, typed Rosenbrock, 1 point", *race(lambda: s.grad(one),
                                                         lambda: rosenbrock_grad(one), 2000), 2.0)

    many = rng.normal(size=(40_000, 2))
    assert np.allclose(s.grad(many), rosenbrock_grad(many))
    report("gradient, 40,000 points", *race(lambda: s.grad(many),
                                            lambda: rosenbrock_grad(many), 20), 1.5)

    pts = rng.normal(size=(10_000, 2))

    def ours_eig() -> object:
        return eigh2(s.hessian(pts))

    def numpy_eig() -> object:
        return np.linalg.eigh(rosenbrock_hessian(pts))

    def closed_eig() -> object:
        return eigh2(rosenbrock_hessian(pts))

    assert np.allclose(s.hessian(pts), rosenbrock_hessian(pts))
    report("Hessian + eigen, 10,000 points (vs eigh)", *race(ours_eig, numpy_eig, 20), 2.0)
    report("Hessian + eigen, 10,000 pts (same eigh2)", *race(ours_eig, closed_eig, 20), 2.0)

    xs = np.linspace(-2, 2, 500)
    X, Y = np.meshgrid(xs, xs)
    s_box = core.surface(ROSENBROCK, bounds=(-2, 2, -2, 2))
    assert np.allclose(s_box.grid(500)[2], rosenbrock_value(X, Y))
    report("values, 500x500 grid", *race(lambda: s_box.grid(500),
                                         lambda: rosenbrock_value(*np.meshgrid(xs, xs)), 10), 1.5)

    ours_cold, numpy_cold = cold_start()
    verdict = "ok" if ours_cold <= 0.150 else "OVER TARGET"
    print(f"{'cold start: import core + first gradient':<44} {ours_cold * 1e3:>10.1f} ms  "
          f"(numpy import alone {numpy_cold * 1e3:.1f} ms; target <= 150 ms)  {verdict}")


if __name__ == "__main__":
    main()
