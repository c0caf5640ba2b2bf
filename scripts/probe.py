"""The issue-13 probe against a fresh server: each request an attacker sent, what it gets
now, how long it took, and the server's peak memory (VmHWM) through the whole probe.

    .venv/bin/python scripts/probe.py

Requests run one after the other except the "side by side" groups, which go at once (from
one client, as in the probe: the fair share answers the surplus with 429).
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gradscape.server.spawn import spawned_process

LR = {"dataset": "linear_regression", "options": {"samples": 4096}}
LR_MAX = {"dataset": "linear_regression", "options": {"samples": 1024}}
NEURON_CE = {"dataset": "single_neuron", "options": {"samples": 1024, "loss": "cross_entropy"}}
BIG_RUN = {"surface": "rosenbrock", "steps": 10000, "eigen": True,
           "runs": [{"optimizer": "adam", "start": [-1.5, 2.0 + i / 10]} for i in range(12)]}
BASINS = {"surface": "himmelblau", "optimizer": "adam", "params": {"lr": 0.05},
          "resolution": 200, "steps": 2000}

PROBE: list[tuple[str, str, Any, int]] = [  # label, path, body, how many at once
    ("grid, 4096 samples, 400", "/api/grid", {"surface": LR, "resolution": 400}, 1),
    ("grid, 1024 samples, 400", "/api/grid", {"surface": LR_MAX, "resolution": 400}, 1),
    ("grid, neuron + CE, 1024 samples, 400", "/api/grid",
     {"surface": NEURON_CE, "resolution": 400}, 1),
    ("basins on that data set, 200 x 2000", "/api/basins",
     {"surface": LR_MAX, "optimizer": "sgd", "resolution": 200, "steps": 2000}, 1),
    ("basins, newton, 200 x 2000", "/api/basins", {**BASINS, "optimizer": "newton"}, 1),
    ("8 largest basin maps side by side", "/api/basins", BASINS, 8),
    ("critical points, sin(50x)cos(50y)", "/api/critical-points",
     {"surface": {"formula": "sin(50*x)*cos(50*y)"}}, 1),
    *[(f"critical points, nudged bounds {i}", "/api/critical-points",
       {"surface": {"formula": "sin(50*x)*cos(50*y)", "bounds": [-5, 5 + i / 1000, -5, 5]}}, 1)
      for i in range(6)],
    ("run, 12 x 10,000 steps with eigen", "/api/run", BIG_RUN, 1),
    ("2 such runs side by side", "/api/run", BIG_RUN, 2),
    ("export html, 12 x 10,000 steps", "/api/export", {**BIG_RUN, "format": "html"}, 1),
]


def post(url: str, body: Any) -> tuple[int, str]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, f"{len(response.read()) / 1e6:.1f} MB"
    except urllib.error.HTTPError as exc:
        detail = json.loads(exc.read() or b"{}").get("detail", "")
        return exc.code, str(detail)[:110]


def peak_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) / 1024


def main() -> int:
    with spawned_process() as (process, url):
        print(f"server started: peak {peak_mib(process.pid):.0f} MiB")
        for label, path, body, n in PROBE:
            began = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                answers = list(pool.map(post, [url + path] * n, [body] * n))
            took = time.perf_counter() - began
            codes = ", ".join(f"{code} x{count}" for code, count in
                              sorted(Counter(a[0] for a in answers).items()))
            print(f"{label:40} {took:6.2f} s  peak {peak_mib(process.pid):6.0f} MiB  {codes}"
                  f"  {answers[0][1]}")
        peak = peak_mib(process.pid)
    print(f"peak server memory through the probe: {peak:.0f} MiB")
    return 0 if peak < 1024 else 1


if __name__ == "__main__":
    raise SystemExit(main())
