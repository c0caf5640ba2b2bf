"""Run `gradscape serve` in a child process on a free loopback port and wait until it answers.

Browser tests, the live-socket tests, the browser benchmark and the load test all need a real
server over a real socket; this is the one place that knows how to start and stop one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def spawned_server(env: Mapping[str, str] | None = None, args: Sequence[str] = (),
                   timeout: float = 30.0) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) of a fresh server; stop it afterwards.

    `env` adds to (and overrides) this process's environment, e.g. GRADSCAPE_* limits.
    """
    with spawned_process(env, args, timeout) as (_, url):
        yield url


@contextmanager
def spawned_process(env: Mapping[str, str] | None = None, args: Sequence[str] = (),
                    timeout: float = 30.0, port: int | None = None,
                    ) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`spawned_server`, yielding the server's process too (on `port`, or a free one)."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gradscape", "serve", "--port", str(port),
         "--log-level", "warning", *args],
        cwd=REPO, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/health", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer within {timeout} s") from None
                time.sleep(0.1)
        yield process, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
