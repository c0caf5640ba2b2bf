#!/usr/bin/env bash
# What the tests need from Debian, installed when missing (a no-op when all is there, so it is
# cheap on every `make test`): chromium for the browser tests (Playwright's own browser
# download cannot work on our machines, which reach only the package registries), nginx for
# the reverse-proxy tests, and the Noto CJK fonts so Chinese screenshots show real glyphs.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    # Don't block the rest of the suite: the tests that need them say what is missing.
    echo "install-debian: missing ${missing[*]} and we are not root (no sudo);" \
         "install them with: apt-get install ${missing[*]}" >&2
    exit 0
fi

echo "install-debian: installing ${missing[*]} (one-time)" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
# nginx-light: the proxy and map modules the tests use; its own site is never started by
# them (they run nginx with their own prefix and config on a free port).
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
