#!/usr/bin/env bash
# Browser tests drive Debian's chromium (/usr/bin/chromium): Playwright's own browser
# download can't work on our machines, which reach only the package registries.
# A no-op when chromium is already installed, so it is cheap to call on every test run.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    # Don't block the rest of the suite: browser tests will report the missing browser.
    echo "install-chromium: /usr/bin/chromium is missing and we are not root (no sudo);" \
         "install it with: apt-get install chromium" >&2
    exit 0
fi

echo "install-chromium: installing Debian's chromium (one-time)" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
