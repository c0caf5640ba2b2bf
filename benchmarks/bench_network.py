"""Tiny networks against torch (float64, eager and torch.func), measured in the same run.

The issue's network: MLP 2-32-32-2 tanh (1,218 parameters) on 512 samples of two spirals.
A and B are timed alternately, several rounds, and the best round of each is compared, since
the machine is shared and noisy. Targets (issue 16):

- training step (gradient + Adam update) <= 1.0x a torch eager Adam step;
- 51x51 slice <= 1.0x torch.func.vmap over the same 2,601 parameter vectors, and the first
  coarse 13x13 picture (plane, projected paths and grid) <= 150 ms;
- full Hessian <= 0.5x torch.func.hessian;
- λmax along training <= 30 gradient evaluations per sample (time of one warm-started
  sample / time of one gradient).

    .venv/bin/python -m benchmarks.bench_network
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import gradscape.core as core
from gradscape.core.network import NetworkProblem
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.slices import landscape_passes
from gradscape.core.spectrum import lambda_max

ROUNDS = 5


def best(fn: Callable[[], object], repeat: int = 1) -> float:
    """Seconds per call: the best of `repeat` calls."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def alternate(a: Callable[[], float], b: Callable[[], float], rounds: int = ROUNDS
              ) -> tuple[float, float]:
    """Best-of-rounds of two timers, measured A, B, A, B, ..."""
    ta, tb = [], []
    for _ in range(rounds):
        ta.append(a())
        tb.append(b())
    return min(ta), min(tb)


def torch_parts(prob: NetworkProblem) -> dict[str, Any]:
    import torch  # noqa: PLC0415 - a benchmark-only reference

    torch.set_default_dtype(torch.float64)
    X, y = torch.tensor(prob.X), torch.tensor(prob.y)

    def f(theta: Any) -> Any:
        h = X
        for i, layer in enumerate(prob.layers):
            w_end = layer.offset + layer.fan_in * layer.fan_out
            h = h @ theta[layer.offset:w_end].reshape(layer.fan_in, layer.fan_out) \
                + theta[w_end:layer.offset + layer.size]
            if i < len(prob.layers) - 1:
                h = torch.tanh(h)
        return torch.nn.functional.cross_entropy(h, y)

    model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32),
                                torch.nn.Tanh(), torch.nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step() -> None:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(X), y).backward()
        opt.step()

    return {"torch": torch, "f": f, "step": step}


def main() -> str:
    prob = core.network_problem("spirals", hidden=(32, 32), activation="tanh", samples=512,
                                test_samples=512, noise=0.05, seed=0)
    assert prob.n_params == 1218
    ref = torch_parts(prob)
    torch, f = ref["torch"], ref["f"]
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    lines = [f"MLP 2-32-32-2 tanh, {prob.n_params} parameters, 512 samples; torch "
             f"{torch.__version__} with {torch.get_num_threads()} threads, OpenBLAS threads "
             f"{blas}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best "
             f"of {ROUNDS} rounds, A/B alternated"]

    # --- training step -------------------------------------------------------------------
    adam = OPTIMIZERS["adam"]
    hp = adam.validate({"lr": 1e-3})
    theta = prob.init(0)[None, :]
    state = adam.init(theta)
    X, y = prob.X, prob.y

    def ours_step() -> None:
        nonlocal theta, state
        _, _, g = prob.step_eval(theta[0], X, y, with_grad=True)
        assert g is not None
        upd, state = adam.update(g[None, :], state, theta, hp, 1e-3)
        theta = theta + upd

    n_steps = 200
    ours, theirs = alternate(lambda: best(lambda: [ours_step() for _ in range(n_steps)]) / n_steps,
                             lambda: best(lambda: [ref["step"]() for _ in range(n_steps)])
                             / n_steps)
    recorded = best(lambda: core.train(prob, "adam", steps=n_steps, lr=1e-3)) / n_steps
    lines.append(f"training step (grad + Adam): ours {ours * 1e3:.3f} ms, torch eager "
                 f"{theirs * 1e3:.3f} ms -> {ours / theirs:.2f}x (target <= 1.0x); "
                 f"core.train with its records (train+test loss and accuracy) "
                 f"{recorded * 1e3:.3f} ms/step")

    # --- 51x51 slice -----------------------------------------------------------------------
    runs = [core.train(prob, o, steps=100, lr=lr) for o, lr in (("adam", 0.01), ("sgd", 0.5))]
    Theta = next(landscape_passes(prob, runs, "pca", 51, coarse=51))
    grid = Theta.origin + np.stack(np.meshgrid(Theta.xs, Theta.ys), -1).reshape(-1, 2) \
        @ Theta.directions
    T = torch.tensor(grid)
    vf = torch.func.vmap(f)

    def torch_slice() -> None:
        with torch.no_grad():
            vf(T)

    ours, theirs = alternate(lambda: best(lambda: prob.loss(grid)), lambda: best(torch_slice),
                             rounds=3)
    whole = best(lambda: list(landscape_passes(prob, runs, "pca", 51)))
    first = best(lambda: next(landscape_passes(prob, runs, "pca", 51)), repeat=3)
    lines.append(f"51x51 slice (2,601 losses): ours {ours:.3f} s, torch.func.vmap {theirs:.3f} s "
                 f"-> {ours / theirs:.2f}x (target <= 1.0x); first 13x13 picture (plane, "
                 f"projected paths, grid) {first * 1e3:.0f} ms (target <= 150 ms); both passes "
                 f"{whole:.3f} s")

    # --- full Hessian ------------------------------------------------------------------------
    t0 = runs[0].thetas[-1]
    hess = torch.func.hessian(f)
    ours, theirs = alternate(lambda: best(lambda: prob.hessian(t0)),
                             lambda: best(lambda: hess(torch.tensor(t0))), rounds=3)
    H = prob.hessian(t0)
    eig = best(lambda: np.linalg.eigvalsh(H))
    lines.append(f"full Hessian: ours {ours:.3f} s, torch.func.hessian {theirs:.3f} s -> "
                 f"{ours / theirs:.2f}x (target <= 0.5x); eigvalsh of it {eig:.3f} s")

    # --- λmax along training ---------------------------------------------------------------
    path = core.train(prob, "adam", steps=200, lr=0.01).thetas[::10]
    grad_time = best(lambda: prob.loss_and_grad(path[0]), repeat=20)
    vec, ratios, products = None, [], []
    for th in path:
        # each sample timed as the best of 3 from the same warm start, like the gradient
        start = vec
        t_sample = best(lambda: lambda_max(prob, th, start), repeat=3)  # noqa: B023
        top = lambda_max(prob, th, start)
        vec = top.vector
        products.append(top.products)
        ratios.append(t_sample / grad_time)
    per_sample = float(np.median(ratios[1:]))  # warm-started samples (the first is cold)
    lines.append(f"lambda_max along training ({len(path)} samples every 10 steps): median "
                 f"{per_sample:.1f} gradient evaluations per warm sample (target <= 30), "
                 f"{np.mean(products[1:]):.1f} HVPs per warm sample (cold: {products[0]}); "
                 f"one gradient {grad_time * 1e3:.3f} ms")
    lines.append(f"load average at the end {os.getloadavg()[0]:.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
