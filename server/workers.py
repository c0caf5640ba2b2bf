"""Several server processes on one port, each with a listening socket of its own (Linux).

uvicorn's `--workers` shares one listening socket among its processes, and the process that
wakes first accepts everything queued: 100 clients connecting together split 69/31 between
two workers (measured), and the busier one then serves most of a burst of starts alone. With
SO_REUSEPORT every process listens on its own socket and the kernel spreads connections
among them by a hash of their addresses, about evenly. The parent only supervises: it
restarts a worker that dies after it started, gives up (exit 1) if one dies while starting,
and stops them all on SIGINT or SIGTERM.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

log = logging.getLogger("gradscape.workers")

STARTUP_GRACE = 10.0  # a worker that dies sooner than this after starting failed to start
APP = "gradscape.server.app:app"


def available() -> bool:
    """Whether the kernel balances connections among SO_REUSEPORT sockets (Linux does;
    macOS and the BSDs accept the option without balancing, Windows lacks it)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn  # noqa: PLC0415 (in the child)

    from gradscape.server.config import get_settings  # noqa: PLC0415
    from gradscape.server.drain import DrainingServer  # noqa: PLC0415

    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, host=host, port=port, **options)
    DrainingServer(config, get_settings().drain_seconds).run(sockets=[sock])


def run(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Serve with `workers` processes until SIGINT/SIGTERM; `options` go to uvicorn.Config."""
    listening_socket(host, port).close()  # a port in use fails here, once, not in N children
    context = multiprocessing.get_context("spawn")

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=_worker, args=(host, port, options), daemon=False)
        process.start()
        return process, time.monotonic()

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    status = 0
    try:
        while not stopping:
            for i, (process, began) in enumerate(procs):
                if process.is_alive():
                    continue
                if time.monotonic() - began < STARTUP_GRACE:
                    log.error("worker %d exited while starting (code %s); stopping",
                              process.pid, process.exitcode)
                    stopping, status = True, 1
                    break
                log.warning("worker %d exited (code %s); starting another",
                            process.pid, process.exitcode)
                procs[i] = start()
            time.sleep(0.2)
    finally:
        for process, _ in procs:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes open requests, then exits
        for process, _ in procs:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
                process.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return status
