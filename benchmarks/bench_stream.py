"""CPU time of one stream `start` on the event loop, the load test's race, in isolation.

    .venv/bin/python -m benchmarks.bench_stream                       # this checkout
    .venv/bin/python -m benchmarks.bench_stream --against /tmp/old    # and another, alternately

What a start costs the loop before its first frame is handed to the socket: parsing and
validating the message, building the race (6 optimizers x 1,000 steps on a typed formula,
random start, as scripts/loadtest.py sends), the `started` message, the first frame's steps
and its encoding. The WebSocket framing is not included. Each sample is the process CPU
time of a batch of starts on fresh sessions, divided by the batch size; the producers that
would step the rest are cancelled before they run. With --against, the other checkout
(e.g. `git archive <commit> | tar -x -C /tmp/old`) is measured in a subprocess, batches
alternating with this one, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
FORMULA = "(1 - x)^2 + 100*(y - x^2)^2 + 0.5*sin(3*x)*cos(3*y)"
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def start_message(rng: random.Random) -> str:
    start = [rng.uniform(-2.0, 2.0), rng.uniform(-1.0, 3.0)]
    return json.dumps({"type": "start", "surface": {"formula": FORMULA}, "steps": 1000,
                       "runs": [{"optimizer": o, "start": start, "params": {"lr": 1e-3}}
                                for o in OPTIMIZERS], "seed": rng.randrange(2**31)})


class FakeSocket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text(self, text: str) -> None:  # what earlier checkouts call
        self.sent.append(text)

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message["text"])


async def batch(size: int, seed: int) -> float:
    """CPU seconds per start, over `size` starts on fresh sessions."""
    from gradscape.server.config import Settings
    from gradscape.server.deps import AppState
    from gradscape.server.stream import Session, parse_message

    state = AppState.build(Settings())
    rng = random.Random(seed)
    texts = [start_message(rng) for _ in range(size + 1)]
    warm = Session(FakeSocket(), state)  # type: ignore[arg-type]
    await warm.handle(parse_message(texts[0]))  # compiles the formula: not what we measure
    await warm._cancel_race()
    sessions = [Session(FakeSocket(), state) for _ in range(size)]  # type: ignore[arg-type]
    began = time.process_time()
    for session, text in zip(sessions, texts[1:], strict=True):
        await session.handle(parse_message(text))
        if session.current is not None and session.current.task is not None:
            session.current.task.cancel()  # measure the start, not the stepping after it
    spent = time.process_time() - began
    for session in sessions:
        await session._cancel_race()
    assert all(len(s.ws.sent) >= 2 for s in sessions)  # type: ignore[attr-defined]
    return spent / size


def worker() -> None:
    """Subprocess mode: read batch sizes on stdin, answer CPU ms per start on stdout."""
    for i, line in enumerate(sys.stdin):
        print(f"{asyncio.run(batch(int(line), i)) * 1000:.4f}", flush=True)


def measure(against: str | None, batches: int, size: int) -> dict[str, list[float]]:
    def spawn(root: Path) -> subprocess.Popen[str]:
        # This file, run as a script with the other checkout first on sys.path.
        return subprocess.Popen([sys.executable, __file__, "--worker", str(root)], cwd=root,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    procs = {"this checkout": spawn(HERE)}
    if against:
        procs[f"{against}"] = spawn(Path(against).resolve())
    times: dict[str, list[float]] = {name: [] for name in procs}
    for _ in range(batches):
        for name, proc in procs.items():
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"{size}\n")
            proc.stdin.flush()
            times[name].append(float(proc.stdout.readline()))
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    return times


def report(times: dict[str, Any]) -> str:
    lines = ["CPU per start (ms), 6 optimizers x 1,000 steps on a typed formula:"]
    for name, values in times.items():
        lines.append(f"  {name}: median {statistics.median(values):.3f}, "
                     f"best {min(values):.3f} (batches of starts: {len(values)})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="another checkout's root, measured alternately")
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--size", type=int, default=50, help="starts per batch")
    args = parser.parse_args([] if argv is None else argv)
    return report(measure(args.against, args.batches, args.size))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        sys.path[0] = sys.argv[2]  # that checkout's server and core, not this one's
        worker()
    else:
        print(main(sys.argv[1:]))
