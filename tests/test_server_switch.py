"""The server lets its event loop take the interpreter back from compute threads every
millisecond (server/app.py GIL_SWITCH_SECONDS): with Python's default 5 ms the honest
clients' first frames under a basin-map flood were 2.2-2.3x slower, with 1 ms 1.8x
(docs/server.md, "Under abuse")."""

from __future__ import annotations

import sys

from fastapi.testclient import TestClient

from gradscape.server.app import create_app


def test_the_running_app_switches_threads_every_millisecond() -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # Python's default
        with TestClient(create_app()) as client:
            assert client.get("/api/health").status_code == 200
            assert abs(sys.getswitchinterval() - 0.001) < 1e-9
    finally:
        sys.setswitchinterval(before)
