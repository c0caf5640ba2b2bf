#!/usr/bin/env bash
# axe-core for the accessibility browser tests (tests/test_browser_axe.py), from the npm
# registry into a git-ignored folder: not committed, never loaded from a CDN, and never
# served to users (the tests inject it into the page themselves). No-op when present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

AXE_VERSION="${AXE_VERSION:-4.11.4}"
DIR=".tools/axe"
if [ -f "$DIR/node_modules/axe-core/axe.min.js" ] \
   && grep -q "\"version\": \"$AXE_VERSION\"" "$DIR/node_modules/axe-core/package.json"; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-axe.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-save --no-audit --no-fund --ignore-scripts "axe-core@$AXE_VERSION" >&2
test -f "$DIR/node_modules/axe-core/axe.min.js"
