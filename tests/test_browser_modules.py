"""The browser's pure modules (frame handling, playback, colours, arrow geometry, contours,
state <-> URL, ...) under node's built-in test runner, so `make test` covers them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_frontend_modules_pass_node_test() -> None:
    node = shutil.which("node")
    assert node, "node (v20+) is needed for the frontend unit tests: apt-get install nodejs"
    result = subprocess.run([node, "--test", "tests/js"], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=False)
    summary = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert any(line.startswith("# pass") and int(line.split()[-1]) >= 50 for line in summary), \
        summary
