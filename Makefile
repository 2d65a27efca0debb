# DZ Awards. `make run` to see the product, `make test` to run the tests.
# Both set themselves up (virtualenv, dependencies, database) and are safe to repeat.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.13: from pyenv (the repo's .python-version), else python3.13 on PATH.
PYTHON ?= $(shell (pyenv which python 2>/dev/null | grep -q . && pyenv which python) || command -v python3.13 || echo python3)

.PHONY: run serve test lint worker deps deps-dev clean

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is required (found " + sys.version.split()[0] + "); install it with pyenv")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.deps: $(VENV)/.created requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.deps-dev: $(VENV)/.deps requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps
deps-dev: $(VENV)/.deps-dev

## Development server with demo data and the background worker, on http://127.0.0.1:8000
run: deps
	DEBUG=1 bin/run-dev

## Production-style server: gunicorn, DEBUG off, whitenoise static, background worker
serve: deps
	bin/serve

# `make test` options:
#   PYTEST_WORKERS=N  pytest-xdist processes ("auto": one per core; 0: no xdist)
#   COVERAGE=1        line coverage of dz_awards and reviews, printed, with the
#                     floor of pyproject's [tool.coverage.report] enforced
#   PYTEST_ARGS=...   anything else for pytest, e.g. PYTEST_ARGS='-m "not browser"'
PYTEST_WORKERS ?= auto
COVERAGE ?=
PYTEST_ARGS ?=
# `--cov` takes an optional value, so an option, never a path, must follow it.
COVERAGE_ARGS = $(if $(COVERAGE),--cov --cov-report=term-missing:skip-covered)

## The whole suite (SQLite unless DATABASE_URL points elsewhere; browser tests when Chromium is present)
test: deps-dev
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(COVERAGE_ARGS) $(PYTEST_ARGS)

## Lint, import contracts between the apps, and types (as CI runs them)
lint: deps-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

worker: deps
	$(PY) manage.py worker --queue-name default,uploads

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
