"""Load test: many WebSocket clients racing optimizers on a typed formula, on loopback.

    .venv/bin/python scripts/loadtest.py                      # 100 clients x 5 races each
    .venv/bin/python scripts/loadtest.py --races 100 --workers 2   # 10,000 races: memory
    .venv/bin/python scripts/loadtest.py --network --optimizers 4 --steps 500 --races 1
        # network races: MLP 2-32-32-2 tanh on 512 moons samples (1,218 parameters)

Starts `gradscape serve` on a free port (or uses --url), opens --clients connections, and
has each one race --optimizers optimizers for --steps steps on a typed formula --races
times in a row (a new start as soon as the last race is done). All clients connect first;
their first starts then go out at the same instant, or spread over --ramp seconds. Reports:

- time to first frame: from sending "start" to receiving the race's first frame, p50/p99
- errors: error messages, failed connections, races that did not finish
- bytes per race: JSON payload, and what actually crossed the socket (/proc/self/io; with
  permessage-deflate, which browsers negotiate, unless --no-compression)
- the server's memory (RSS of the process tree) after warm-up and at the end, sampled
  along the way, to show it stays flat across many races

With --abusers N, the honest clients' run alternates (--rounds times) between a server
left alone and one flooded by N abusive clients (scripts/abusers.py, a process of its own):
each with an address of its own floods the largest allowed basin map over REST and keeps
streams racing the largest allowed race. Every client then sends X-Forwarded-For (the
server trusts 127.0.0.1 as a proxy) so each counts as itself. Reported per phase, then
side by side: honest first-frame p50/p99 and errors, and what the abusers were answered.

    .venv/bin/python scripts/loadtest.py --races 3 --abusers 5 --rounds 2

With --floor, the classroom burst (each of the clients sends its start as soon as its own
connection opens, --on-connect) is measured against the floor, a trivial Starlette app
(scripts/floor_app.py) that answers with gradscape's own recorded opening messages and does
no work, alternating --rounds times in one run, and the ratio is printed:

    .venv/bin/python scripts/loadtest.py --floor --races 1 --rounds 3

Exit status 1 if any honest error happened.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

REPO = Path(__file__).resolve().parent.parent
FORMULA = "(1 - x)^2 + 100*(y - x^2)^2 + 0.5*sin(3*x)*cos(3*y)"
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
              "newton", "random_local_search"]


@dataclass
class Stats:
    first_frame: list[float] = field(default_factory=list)  # every race
    burst: list[float] = field(default_factory=list)  # each client's first race, all at once
    steady: list[float] = field(default_factory=list)  # the later races
    payload: list[int] = field(default_factory=list)  # JSON characters per race
    wire: int = 0  # bytes received on the clients' TCP sockets
    errors: list[str] = field(default_factory=list)
    races: int = 0
    connected: int = 0


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except (OSError, StopIteration):
            continue
    return total


def tcp_bytes_received(sock: socket.socket) -> int:
    """What the kernel received on this TCP socket (tcp_info.tcpi_bytes_received, Linux):
    the WebSocket frames as they crossed the wire, compressed or not."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return int(struct.unpack_from("Q", info, 128)[0]) if len(info) >= 136 else 0


NETWORK = {"dataset": "moons", "hidden": [32, 32], "activation": "tanh", "samples": 512,
           "test_samples": 512}
NETWORK_OPTIMIZERS = ["sgd", "momentum", "adam", "rmsprop", "nesterov", "adagrad", "adamw"]


def network_start(steps: int, optimizers: int, rng: random.Random) -> str:
    """A race of optimizers from one shared initialization of the 2-32-32-2 network."""
    lrs = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.05}
    runs = [{"optimizer": o, "params": {"lr": lrs.get(o, 0.005)}}
            for o in (NETWORK_OPTIMIZERS[i % len(NETWORK_OPTIMIZERS)]
                      for i in range(optimizers))]
    return json.dumps({"type": "start", "network": NETWORK, "steps": steps, "runs": runs,
                       "init_seed": rng.randrange(2**31)})


def start_message(steps: int, optimizers: int, rng: random.Random,
                  network: bool = False) -> str:
    if network:
        return network_start(steps, optimizers, rng)
    start = [rng.uniform(-2.0, 2.0), rng.uniform(-1.0, 3.0)]
    runs = [{"optimizer": OPTIMIZERS[i % len(OPTIMIZERS)], "start": start,
             "params": {"lr": 1e-3} if OPTIMIZERS[i % len(OPTIMIZERS)] not in (
                 "newton", "random_local_search") else {}} for i in range(optimizers)]
    return json.dumps({"type": "start", "surface": {"formula": FORMULA}, "steps": steps,
                       "runs": runs, "seed": rng.randrange(2**31)})


async def client(url: str, races: int, args: argparse.Namespace, stats: Stats,
                 index: int, go: asyncio.Event) -> None:
    rng = random.Random(index)
    headers = {"X-Forwarded-For": f"203.0.{113 + index // 250}.{index % 250 + 1}"} \
        if args.abusers and index >= 0 else {}
    try:
        # On loopback each client binds an address of its own (127.0.0.2, ...), as clients
        # on the internet have: the server's per-client limits count by address.
        local = ({"local_addr": (f"127.0.{2 + index // 250}.{2 + index % 250}", 0)}
                 if "//127.0.0.1:" in url else {})
        async with connect(url, max_size=None, open_timeout=60, **local,
                           additional_headers=headers,
                           compression=None if args.no_compression else "deflate") as ws:
            stats.connected += 1
            if not args.on_connect:
                await go.wait()  # every client connected first; then the starts, over --ramp s
                await asyncio.sleep(rng.uniform(0.0, args.ramp))
            for race in range(races):
                message = start_message(args.steps, args.optimizers, rng, args.network)
                sent = time.perf_counter()
                await ws.send(message)
                first, size, frames = None, 0, 0
                while True:
                    text = await ws.recv()
                    assert isinstance(text, str)
                    size += len(text)
                    if text.startswith('{"type":"frame"'):
                        frames += 1
                        if first is None:
                            first = time.perf_counter() - sent
                        if frames == args.stop_after:  # then wait for its "done"
                            await ws.send('{"type":"stop"}')
                    elif text.startswith('{"type":"done"'):
                        break
                    elif text.startswith('{"type":"error"'):
                        stats.errors.append(text[:200])
                        break
                if first is not None:
                    stats.first_frame.append(first)
                    (stats.burst if race == 0 else stats.steady).append(first)
                stats.payload.append(size)
                stats.races += 1
            stats.wire += tcp_bytes_received(ws.transport.get_extra_info("socket"))
    except Exception as exc:  # a failed connection is an error to report, not a crash
        stats.errors.append(f"client {index}: {exc!r}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(args: argparse.Namespace, floor_race: Path | None = None,
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """gradscape, or with `floor_race` the trivial app replaying that race (the floor)."""
    port = free_port()
    env = {**os.environ, "GRADSCAPE_MAX_STREAMS": str(max(256, args.clients * 2))}
    if args.abusers:
        env["GRADSCAPE_TRUSTED_PROXIES"] = "127.0.0.1"  # X-Forwarded-For names each client
    if args.network:
        # Every client here shares the loopback address; a network race is heavy work, of
        # which one client may hold GRADSCAPE_CLIENT_SHARE at once. Behind a proxy the
        # clients are told apart (GRADSCAPE_TRUSTED_PROXIES); here the share is lifted.
        env["GRADSCAPE_CLIENT_SHARE"] = str(max(2, args.clients * 2))
    command = [sys.executable, "-m", "gradscape", "serve", "--host", "127.0.0.1", "--port",
               str(port), "--workers", str(args.workers), "--log-level", "warning"]
    if floor_race is not None:
        env["GRADSCAPE_FLOOR_RACE"] = str(floor_race)
        command = [sys.executable, "-m", "uvicorn", "scripts.floor_app:app", "--host",
                   "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                   "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=REPO, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            if floor_race is None:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    return server, f"ws://127.0.0.1:{port}/api/stream"


@dataclass
class Phase:
    label: str
    stats: Stats
    memory: list[tuple[int, int]]
    elapsed: float
    abusers: dict[str, int] | None = None


async def honest_phase(url: str, args: argparse.Namespace, pid: int | None,
                       label: str) -> Phase:
    memory: list[tuple[int, int]] = []
    if pid:
        memory.append((0, rss_kib(pid)))
    stats, go = Stats(), asyncio.Event()
    tasks = [asyncio.create_task(client(url, args.races, args, stats, i, go))
             for i in range(args.clients)]
    while stats.connected + len(stats.errors) < args.clients:
        await asyncio.sleep(0.05)
    began = time.perf_counter()
    go.set()
    total = args.clients * args.races
    next_report = 0
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0.5)
        if pid and stats.races >= next_report:
            memory.append((stats.races, rss_kib(pid)))
            next_report += max(total // 20, 1)
        if args.verbose:
            print(f"  {label}: {stats.races}/{total} races, {len(stats.errors)} errors",
                  flush=True)
    elapsed = time.perf_counter() - began
    if pid:
        memory.append((stats.races, rss_kib(pid)))
    return Phase(label, stats, memory, elapsed)


def start_abusers(url: str, args: argparse.Namespace) -> subprocess.Popen[str]:
    base = url.replace("ws://", "http://").removesuffix("/api/stream")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "abusers.py"), "--url", base,
         "--abusers", str(args.abusers), "--rest", str(args.abuser_rest),
         "--streams", str(args.abuser_streams)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise SystemExit("the abusers did not start")
    return process


def stop_abusers(process: subprocess.Popen[str]) -> dict[str, int]:
    out, _ = process.communicate(timeout=60)  # closing stdin stops them
    answers: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return answers


def peak_rss_mib(pid: int) -> float:
    """The server process's peak resident memory over its whole life (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) / 1024


async def record_race(url: str, args: argparse.Namespace) -> list[str]:
    """One race's messages as gradscape sends them (what the floor app replays)."""
    async with connect(url, max_size=None) as ws:
        await ws.send(start_message(args.steps, args.optimizers, random.Random(0)))
        texts: list[str] = []
        while not texts or not texts[-1].startswith('{"type":"done"'):
            text = await ws.recv()
            assert isinstance(text, str)
            texts.append(text)
        return texts


async def burst_against_floor(args: argparse.Namespace) -> int:
    """The classroom burst (each client starts as soon as its own connection opens) against
    gradscape and against the floor app, alternating, in one run; prints both and the ratio."""
    server, url = start_server(args)
    try:
        race = Path(os.environ.get("TMPDIR", "/tmp")) / f"gradscape-floor-{os.getpid()}.json"
        race.write_text(json.dumps(await record_race(url, args)))
    finally:
        server.terminate()
        server.wait(timeout=20)
    results: dict[str, list[float]] = {"gradscape": [], "floor": []}
    p99s: dict[str, list[float]] = {"gradscape": [], "floor": []}
    errors = 0
    for _ in range(args.rounds):
        for name in ("floor", "gradscape"):
            server, url = start_server(args, race if name == "floor" else None)
            try:
                await warm_up(url, args)
                stats, go = Stats(), asyncio.Event()
                await asyncio.gather(*(client(url, 1, args, stats, i, go)
                                       for i in range(args.clients)))
            finally:
                server.terminate()
                server.wait(timeout=20)
            errors += len(stats.errors)
            burst = [t * 1000 for t in stats.burst]
            results[name].append(percentile(burst, 50))
            p99s[name].append(percentile(burst, 99))
            print(f"  {name:9} p50 {results[name][-1]:6.1f} ms  p99 {p99s[name][-1]:6.1f} ms",
                  flush=True)
    race.unlink(missing_ok=True)
    med = {k: statistics.median(v) for k, v in results.items()}
    med99 = {k: statistics.median(v) for k, v in p99s.items()}
    print(f"burst of {args.clients} starts, each sent as its connection opens "
          f"({args.optimizers} optimizers x {args.steps} steps), {args.rounds} rounds, "
          f"median of rounds:")
    print(f"  gradscape p50 {med['gradscape']:.1f} ms, p99 {med99['gradscape']:.1f} ms")
    print(f"  floor     p50 {med['floor']:.1f} ms, p99 {med99['floor']:.1f} ms "
          f"(a trivial Starlette app replaying the same race)")
    print(f"  ratio     p50 {med['gradscape'] / med['floor']:.2f}x, "
          f"p99 {med99['gradscape'] / med99['floor']:.2f}x (target <= 1.5x)")
    print(f"errors: {errors}")
    return 1 if errors else 0


async def warm_up(url: str, args: argparse.Namespace) -> None:
    """One race per worker process compiles the formula's code everywhere."""
    warm, ready = Stats(), asyncio.Event()
    ready.set()
    await asyncio.gather(*(client(url, 1, args, warm, -1 - i, ready)
                           for i in range(max(2, args.workers * 2))))
    if warm.errors:
        raise SystemExit(f"warm-up failed: {warm.errors[:3]}")


async def run(args: argparse.Namespace) -> int:
    if args.floor:
        args.on_connect = True
        return await burst_against_floor(args)
    server, url = (None, args.url) if args.url else start_server(args)
    pid = server.pid if server else None
    phases: list[Phase] = []
    peak = None
    try:
        await warm_up(url, args)
        plan = [("without abusers", False), (f"with {args.abusers} abusers", True)] \
            * args.rounds if args.abusers else [("", False)]
        for label, abuse in plan:
            abusers = start_abusers(url, args) if abuse else None
            try:
                if abusers:
                    await asyncio.sleep(args.abuser_ramp)  # the flood under way first
                phase = await honest_phase(url, args, pid, label)
            finally:
                if abusers:
                    answers = stop_abusers(abusers)
            if abusers:
                phase.abusers = answers
            phases.append(phase)
        if pid and args.workers == 1:
            peak = peak_rss_mib(pid)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)

    for phase in phases:
        report(phase, args)
    if peak is not None:
        print(f"server peak memory over the whole run (VmHWM): {peak:.1f} MiB")
    if args.abusers:
        print("side by side (honest time to first frame, ms):")
        for phase in phases:
            ttff = [t * 1000 for t in phase.stats.first_frame]
            p50, p99 = (percentile(ttff, 50), percentile(ttff, 99)) if ttff else (0, 0)
            print(f"  {phase.label:>18}: p50 {p50:7.1f}  p99 {p99:7.1f}  honest errors "
                  f"{len(phase.stats.errors)}"
                  + (f"  abusers: {phase.abusers}" if phase.abusers is not None else ""))
    total = args.clients * args.races
    return 1 if any(p.stats.errors or p.stats.races != total for p in phases) else 0


def report(phase: Phase, args: argparse.Namespace) -> None:
    stats, memory, elapsed = phase.stats, phase.memory, phase.elapsed
    total = args.clients * args.races
    if phase.label:
        print(f"--- {phase.label}")
    ttff = [t * 1000 for t in stats.first_frame]
    print(f"clients {args.clients}, races {stats.races} of {total} "
          f"({args.optimizers} optimizers x {args.steps} steps on "
          f"{'MLP 2-32-32-2 tanh, 512 samples' if args.network else 'a typed formula'}), "
          f"server workers {args.workers}, compression "
          f"{'off' if args.no_compression else 'permessage-deflate'}")
    print(f"wall time {elapsed:.1f} s, {stats.races / elapsed:.1f} races/s")
    if ttff:
        print(f"time to first frame: p50 {percentile(ttff, 50):.1f} ms, "
              f"p90 {percentile(ttff, 90):.1f} ms, p99 {percentile(ttff, 99):.1f} ms, "
              f"max {max(ttff):.1f} ms, mean {statistics.mean(ttff):.1f} ms")
        burst = [t * 1000 for t in stats.burst]
        print(f"  of which each client's first race ({args.clients} starts within "
              f"{args.ramp:g} s): "
              f"p50 {percentile(burst, 50):.1f} ms, p99 {percentile(burst, 99):.1f} ms")
        steady = [t * 1000 for t in stats.steady]
        if steady:
            print(f"  and the later races (steady state, the others streaming): "
                  f"p50 {percentile(steady, 50):.1f} ms, p99 {percentile(steady, 99):.1f} ms")
    if stats.payload:
        print(f"per race: JSON payload {statistics.mean(stats.payload) / 1024:.1f} KiB, "
              f"on the wire {stats.wire / max(stats.races, 1) / 1024:.1f} KiB")
    if memory:
        first_mib, last_mib = memory[0][1] / 1024, memory[-1][1] / 1024
        peak_mib = max(m for _, m in memory) / 1024
        print(f"server memory (RSS, all processes): at the start {first_mib:.1f} MiB, "
              f"peak {peak_mib:.1f} MiB, at the end {last_mib:.1f} MiB")
        if args.verbose:
            print("  races -> MiB: " + ", ".join(f"{r}:{m / 1024:.0f}" for r, m in memory))
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:5]:
        print("  " + error)
    if phase.abusers is not None:
        print(f"abusers were answered: {phase.abusers}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--races", type=int, default=5, help="races per client, in a row")
    parser.add_argument("--optimizers", type=int, default=6)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="spread the clients' first starts over this many seconds "
                             "(0: all at the same instant, the worst case)")
    parser.add_argument("--url", help="an already running server's ws://.../api/stream")
    parser.add_argument("--no-compression", action="store_true")
    parser.add_argument("--abusers", type=int, default=0,
                        help="abusive clients flooding basin maps and streams (0: none)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --abusers: pairs of phases, without then with abusers; "
                             "with --floor: alternations of the floor and gradscape")
    parser.add_argument("--on-connect", action="store_true",
                        help="each client sends its first start as soon as its own "
                             "connection opens (a classroom pressing start), instead of "
                             "all connecting first")
    parser.add_argument("--floor", action="store_true",
                        help="measure the --on-connect burst against the floor (a trivial "
                             "Starlette app replaying gradscape's opening messages), "
                             "alternating, and print the ratio")
    parser.add_argument("--abuser-rest", type=int, default=8,
                        help="basin maps each abuser keeps in flight")
    parser.add_argument("--abuser-streams", type=int, default=4,
                        help="streams each abuser keeps racing")
    parser.add_argument("--abuser-ramp", type=float, default=2.0,
                        help="seconds the flood runs before the honest clients start")
    parser.add_argument("--stop-after", type=int, default=0,
                        help="stop each race after this many frames (0: stream to the end)")
    parser.add_argument("--network", action="store_true",
                        help="race on a tiny network (MLP 2-32-32-2) instead of a formula")
    parser.add_argument("-v", "--verbose", action="store_true")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
