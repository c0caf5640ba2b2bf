"""`gradscape serve --workers 2` (server/workers.py): a listening socket per process, so the
kernel spreads connections over both workers, and SIGTERM to the parent stops them all."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse

import pytest
from websockets.sync.client import connect

from gradscape.server import workers
from gradscape.server.spawn import free_port, spawned_process

pytestmark = pytest.mark.skipif(not workers.available(), reason="SO_REUSEPORT balancing is "
                                "Linux's; elsewhere --workers falls back to uvicorn's")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def sockets_on(port: int, state: str) -> set[int]:
    """Inodes of the IPv4 TCP sockets on local `port` in `state` (01 established, 0A listen)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == state and int(fields[1].split(":")[1], 16) == port:
            found.add(int(fields[9]))
    return found


def workers_of(pid: int, port: int) -> list[int]:
    """The children listening on `port` (multiprocessing adds a resource tracker too)."""
    listening = sockets_on(port, "0A")
    return [c for c in children(pid) if socket_inodes(c) & listening]


@pytest.mark.slow
def test_two_workers_share_the_connections_and_stop_together() -> None:
    with spawned_process(args=["--workers", "2"], timeout=60) as (process, url):
        port = urlparse(url).port
        assert port is not None
        deadline = time.monotonic() + 30
        while len(pids := workers_of(process.pid, port)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(pids) == 2, f"expected 2 worker processes, found {pids}"
        ws_url = url.replace("http://", "ws://") + "/api/stream"
        with ExitStack() as stack:
            clients = [stack.enter_context(connect(ws_url)) for _ in range(40)]
            for ws in clients:  # every connection is served (by one worker or the other)
                ws.send(json.dumps({"type": "ping"}))
                assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
            connections = sockets_on(port, "01")
            per_worker = [len(socket_inodes(pid) & connections) for pid in pids]
            assert sum(per_worker) == 40
            # A hash of the addresses picks the socket: Binomial(40, 1/2), so fewer than 8
            # on one side happens about once in 10^5 runs; one shared socket gave 69/31 of 100.
            assert min(per_worker) >= 8, per_worker
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        for pid in pids:
            assert not Path(f"/proc/{pid}").exists() or \
                "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], pid
        with socket.socket() as s:  # nothing listens any more
            assert s.connect_ex(("127.0.0.1", port)) != 0


def test_a_port_in_use_fails_once_in_the_parent() -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(OSError):
            workers.run("127.0.0.1", port, 2, {})
