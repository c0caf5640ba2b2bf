"""The race figure (issue 18): a 6-optimizer x 1,000-step race builds its plotly Figure in
<= 0.3 s and writes an offline HTML page of <= 5 MB.

The baseline, measured alternately in the same run: the plainest plotly Figure of the same race
(one line trace per path, no frames, no contours). The machine is shared, so the targets are
checked on the best of several alternating rounds.
"""

from __future__ import annotations

import time

import gradscape as gs

RUNS = [("sgd", {"lr": 0.001}), ("sgd", {"lr": 0.001, "momentum": 0.9}),
        ("adam", {"lr": 0.05}), ("rmsprop", {"lr": 0.01}), ("adagrad", {"lr": 0.5}),
        ("adamw", {"lr": 0.05})]
TARGET_SECONDS = 0.3
TARGET_BYTES = 5_000_000
ROUNDS = 5


def baseline(race: gs.Race) -> object:
    import plotly.graph_objects as go

    return go.Figure([go.Scatter(x=r.points[:, 0], y=r.points[:, 1], mode="lines")
                      for r in race.runs])


def main() -> str:
    race = gs.race("himmelblau", runs=RUNS, start=(-4, 4), steps=1000, seed=0, tolerance=0)
    lengths = [len(r.points) for r in race.runs]
    assert lengths == [1001] * 6, f"every run should take 1,000 steps, got {lengths}"
    t = time.perf_counter()
    _ = race.critical  # the surface's critical points: computed once per race, then cached
    critical = time.perf_counter() - t
    t = time.perf_counter()
    race.figure()  # the first figure also imports plotly and builds its classes
    cold = time.perf_counter() - t
    ours, base = [], []
    for _ in range(ROUNDS):  # alternate A/B so both see the same machine load
        t = time.perf_counter()
        fig = race.figure()
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        baseline(race)
        base.append(time.perf_counter() - t)
    t = time.perf_counter()
    page = race.to_html()
    html_seconds = time.perf_counter() - t
    size = len(page.encode("utf-8"))
    best, best_base = min(ours), min(base)
    verdict = "PASS" if best <= TARGET_SECONDS and size <= TARGET_BYTES else "FAIL"
    return (f"race figure 6 x 1000 steps: {best:.3f} s best of {ROUNDS} (median "
            f"{sorted(ours)[ROUNDS // 2]:.3f} s; first call with plotly's import {cold:.3f} s; "
            f"critical points once {critical:.3f} s), {len(fig.data)} traces, "
            f"{len(fig.frames)} frames\n"
            f"baseline (plain line traces, no frames): {best_base:.3f} s -> ratio "
            f"{best / best_base:.1f}x\n"
            f"HTML page: {size:,} bytes ({size / 1e6:.2f} MB, plotly.js is 4.82 MB of it), "
            f"written in {html_seconds:.3f} s\n"
            f"targets: figure <= {TARGET_SECONDS} s, HTML <= {TARGET_BYTES / 1e6:.0f} MB: "
            f"{verdict}")


if __name__ == "__main__":
    print(main())
