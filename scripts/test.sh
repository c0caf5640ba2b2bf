#!/usr/bin/env bash
# The whole check: lint, strict types (core/, server/, lessons/ and gradscape/*.py), then
# every test. Run via `make test`, which first makes sure .venv is set up. Extra arguments
# go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY="${PY:-.venv/bin/python}"

echo "== ruff" && "$PY" -m ruff check .
echo "== mypy" && "$PY" -m mypy          # targets and strictness come from pyproject.toml
bash scripts/install-debian.sh         # chromium, nginx, CJK fonts; no-op when present
bash scripts/install-axe.sh            # axe-core for the accessibility tests; no-op when present
echo "== pytest" && "$PY" -m pytest "$@"
