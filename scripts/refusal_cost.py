"""What a refused heavy request costs the event loop: one client holding its whole share
of heavy work (GRADSCAPE_CLIENT_SHARE=1, a basin map running) re-sends the largest basin map
N times, 10 at once; the server's main thread's CPU time (/proc) per answer is printed.

    .venv/bin/python scripts/refusal_cost.py                 # this checkout
    .venv/bin/python scripts/refusal_cost.py . /tmp/old --rounds 2
        # this checkout and another one (e.g. `git archive <commit> | tar -x -C /tmp/old`),
        # alternated: the machine is noisy, compare within one run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BODY = json.dumps({"surface": "himmelblau", "optimizer": "adam", "params": {"lr": 0.05},
                   "resolution": 200, "steps": 2000}).encode()


def loop_cpu(pid: int) -> float:
    """CPU seconds of the process's main thread (the event loop), not the work thread's."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def post(port: int) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST /api/basins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n".encode() + BODY)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


async def measure(checkout: Path, n: int) -> tuple[dict[int, int], float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "GRADSCAPE_CLIENT_SHARE": "1", "GRADSCAPE_REQUEST_TIMEOUT": "600"}
    server = subprocess.Popen([sys.executable, "-m", "gradscape", "serve", "--port", str(port),
                               "--log-level", "warning"], cwd=checkout, env=env)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health").read()
                break
            except OSError:
                time.sleep(0.2)
        holding = asyncio.create_task(post(port))  # the client's whole share, running
        await asyncio.sleep(1.0)
        await post(port)  # the first refusal goes through the route (which estimates it)
        statuses: dict[int, int] = {}

        async def sender(k: int) -> None:
            for _ in range(k):
                status = await post(port)
                statuses[status] = statuses.get(status, 0) + 1

        before = loop_cpu(server.pid)
        await asyncio.gather(*(sender(n // 10) for _ in range(10)))
        spent = loop_cpu(server.pid) - before
        holding.cancel()
        return statuses, spent / max(1, sum(statuses.values()))
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[Path(".")])
    parser.add_argument("-n", type=int, default=2000, help="refused requests per measurement")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.rounds):
        for checkout in args.checkouts:
            statuses, seconds = asyncio.run(measure(checkout.resolve(), args.n))
            print(f"{checkout}: answers {statuses}, event-loop CPU {seconds * 1e3:.3f} ms "
                  "per answer", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
