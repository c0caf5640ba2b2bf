#!/usr/bin/env bash
# Browser tests and their screenshots need real CJK glyphs (the Chinese sweeps): Debian's
# Noto CJK fonts (SC and TC). A no-op when they are installed; like install-chromium.sh it
# never blocks the suite (the Chinese browser tests then report the missing font).
set -euo pipefail

if fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-fonts: no CJK font and we are not root (no sudo);" \
         "install it with: apt-get install fonts-noto-cjk" >&2
    exit 0
fi

echo "install-fonts: installing Debian's fonts-noto-cjk (one-time)" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk
