"""Run every benchmarks/bench_*.py module that defines main(), in name order."""

from __future__ import annotations

import importlib
import pkgutil

import benchmarks


def main() -> int:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )
    ran = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        run = getattr(module, "main", None)
        if not callable(run):
            continue  # a helper module sharing the prefix; nothing to run
        print(f"== {name} ==", flush=True)
        result = run()
        if result is not None:  # benchmarks may print, return a summary, or both
            print(result)
        ran += 1
    if ran == 0:
        print("no benchmarks yet")
    return 0


raise SystemExit(main())
