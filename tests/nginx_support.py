"""Debian's nginx in front of gradscape processes on loopback, for the reverse-proxy tests.

The proxy config is deploy/nginx/gradscape.conf.template, the same file docker compose
mounts, filled in the way the nginx image's entrypoint fills it (only ${GRADSCAPE_*}).
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from gradscape.server.spawn import REPO, free_port

NGINX = "/usr/sbin/nginx"
TEMPLATE = REPO / "deploy" / "nginx" / "gradscape.conf.template"


def render(template: str, values: dict[str, str]) -> str:
    """envsubst restricted to GRADSCAPE_* names, as NGINX_ENVSUBST_FILTER does in compose."""
    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]
    return re.sub(r"\$\{(GRADSCAPE_[A-Z_]+)\}", fill, template)


def nginx_conf(listen: int, backends: Sequence[str], prefix: Path) -> str:
    site = render(TEMPLATE.read_text(), {
        "GRADSCAPE_LISTEN": f"127.0.0.1:{listen}",
        "GRADSCAPE_UPSTREAM": " ".join(f"server {b} max_fails=0;"
                                       for b in backends),
    })
    return f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
{site}
}}
"""


def check_config(conf: str, prefix: Path) -> subprocess.CompletedProcess[str]:
    path = prefix / "nginx.conf"
    path.write_text(conf)
    return subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(path)],
                          capture_output=True, text=True, check=False)


@contextmanager
def nginx_proxy(backends: Sequence[str], prefix: Path) -> Iterator[str]:
    """Run nginx in front of `backends` (host:port); yield its base URL."""
    assert Path(NGINX).exists(), "install Debian's nginx: scripts/install-debian.sh"
    port = free_port()
    conf = nginx_conf(port, backends, prefix)
    checked = check_config(conf, prefix)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/health", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, (prefix / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not answer within 10 s"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
