# Developer entry points; the README's quick start is `make run` and `make test`.
# Works from a fresh clone: the first target run creates .venv and installs the project.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Touched after a successful install. Make re-installs only when pyproject.toml is newer,
# so a second `make run`/`make test` skips pip entirely.
STAMP  := $(VENV)/.gradscape-installed

.PHONY: setup run test bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -e '.[dev]'
	touch $@

run: setup
	$(PY) -m gradscape serve --host 127.0.0.1 --port 8000

test: setup
	bash scripts/test.sh

bench: setup
	$(PY) -m benchmarks
