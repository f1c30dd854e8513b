# The two commands of the README: `make demo` and `make test`. Each creates .venv/ when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test check setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

test: setup check
	$(PY) -m pytest -q

# ruff (lint and format) and mypy over the project's packages: part of `make test`, so CI runs them
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

demo: setup
	$(PY) starter.py demo

clean:
	rm -rf $(VENV) .data
