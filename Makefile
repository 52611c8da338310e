# dealerhub: `make run` serves the system with demo data, `make test` runs the whole suite.
# Both install what they need first (virtual environment, dependencies, OS packages for tests).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest's own arguments, e.g. `make test PYTEST_ARGS="-k stock -x"`.
PYTEST_ARGS ?=

.PHONY: run test install os-packages services lint check bench clean help

help:
	@echo "make run    install, migrate, load demo data on an empty database, serve on http://$(HOST):$(PORT) with the exchange workers"
	@echo "make test   install (with chromium for browser tests), start PostgreSQL and MariaDB, lint, import rules, whole suite"
	@echo "make lint   import rules (import-linter) and the models/migrations drift check"
	@echo "make bench  the order-posting benchmark on SQLite and PostgreSQL (see docs/benchmarks.md)"

run: install
	$(BIN)/dealerhub db upgrade
	$(BIN)/dealerhub demo seed
	$(BIN)/dealerhub serve --host $(HOST) --port $(PORT) --workers

test: install os-packages services
	bash scripts/run_tests.sh $(PYTEST_ARGS)

install: $(STAMP)
	@if ! command -v npm >/dev/null 2>&1 || [ ! -f frontend/package.json ]; then \
		echo "npm or frontend/package.json missing: browser assets not installed"; \
	elif [ frontend/node_modules/.installed -nt frontend/package.json ] \
		&& [ frontend/node_modules/.installed -nt frontend/package-lock.json ]; then :; \
	else \
		echo "npm: installing frontend/ packages"; \
		if [ -f frontend/package-lock.json ]; then (cd frontend && npm ci --no-audit --no-fund); \
		else (cd frontend && npm install --no-audit --no-fund); fi; \
		touch frontend/node_modules/.installed; \
	fi
	@# The web app compiles the catalogs in memory when it starts; this fails early on a broken one.
	@if [ -d src/dealerhub/locale ]; then $(BIN)/python scripts/check_translations.py; fi

# The virtual environment, reinstalled when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "dealerhub needs Python 3.11 or newer ($(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

os-packages:
	bash scripts/ensure_os_packages.sh

services:
	bash scripts/ensure_postgres.sh
	bash scripts/ensure_mariadb.sh

lint: install
	$(BIN)/lint-imports
	$(BIN)/dealerhub db check

bench: install services
	$(BIN)/python bench/bench_orders.py --db sqlite --seconds 20
	$(BIN)/python bench/bench_orders.py --db postgresql --seconds 20

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache frontend/node_modules
