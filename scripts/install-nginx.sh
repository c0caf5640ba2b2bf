#!/usr/bin/env bash
# The reverse-proxy tests put Debian's nginx in front of real server processes on loopback.
# A no-op when nginx is already installed, so it is cheap to call on every test run.
set -euo pipefail

if [ -x /usr/sbin/nginx ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-nginx: /usr/sbin/nginx is missing and we are not root (no sudo);" \
         "install it with: apt-get install nginx-light" >&2
    exit 0
fi

echo "install-nginx: installing Debian's nginx (one-time)" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
# nginx-light has the proxy and map modules we use; the package's own site is never started
# by the tests (they run nginx with their own prefix and config on a free port).
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light
