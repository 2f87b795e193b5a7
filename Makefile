# Wijkinzicht — the one entry point. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WIJKINZICHT_VAR_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export WIJKINZICHT_CHROMIUM ?= $(CHROMIUM)
# pytest exit code 5 ("no tests collected") is a failure here, like every non-zero code.
PYTEST := WIJKINZICHT_CONN_MAX_AGE=0 $(BIN)/pytest -q -p randomly

.PHONY: install system-deps demo serve test test-sqlite test-postgres fuzz soak bench lint messages clean

install: $(VENV)/.installed system-deps messages node_modules/.installed  ## virtualenv, Debian packages, translations, test assets

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/lock.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# npm (pinned in package-lock.json): cytoscape, which draws the network picture and is served by the
# application from its static files (never a CDN), and axe-core, which the browser tests inject to
# check WCAG 2.1 AA.
CYTOSCAPE_STATIC := src/wijkinzicht/network/static/network/vendor
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the network picture and the browser tests: install Node.js (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(CYTOSCAPE_STATIC)
	cp node_modules/cytoscape/dist/cytoscape.min.js $(CYTOSCAPE_STATIC)/cytoscape.min.js
	cp node_modules/cytoscape/LICENSE $(CYTOSCAPE_STATIC)/LICENSE-cytoscape.txt
	touch $@

# Debian packages: chromium for the browser tests, gettext for the translations.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x $(CHROMIUM) || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install the Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

messages: $(VENV)/.installed
	cd src/wijkinzicht && ../../$(BIN)/wijkinzicht compilemessages -v0 --ignore=.venv

demo: install  ## load the real demo data into SQLite and serve on http://127.0.0.1:8000
	$(BIN)/wijkinzicht migrate -v0
	$(BIN)/wijkinzicht demo --data data/cbs
	$(MAKE) serve

# The web server and one job worker (evaluations, imports, reports); Ctrl+C stops both.
serve:
	@echo "Wijkinzicht draait op http://$(HOST):$(PORT)/ met een worker voor achtergrondtaken (stoppen met Ctrl+C)"
	$(BIN)/wijkinzicht worker -v1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker || true' EXIT; \
	$(BIN)/gunicorn wijkinzicht.config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	  --limit-request-line 8190 --access-logfile - --env DJANGO_SETTINGS_MODULE=wijkinzicht.config.settings

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks scripts conftest.py

# With PostgreSQL the two runs go side by side (each mostly keeps one core busy; the machines
# here have two): the output of each is shown when both are done, and either failing fails.
test: install lint  ## the whole suite on SQLite, and on PostgreSQL when DATABASE_URL points at one
	env -u DATABASE_URL $(BIN)/wijkinzicht makemigrations --check --dry-run -v1
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  mkdir -p "$$WIJKINZICHT_VAR_DIR"; logs="$$WIJKINZICHT_VAR_DIR/test-logs"; mkdir -p "$$logs"; \
	  ( $(MAKE) --no-print-directory test-sqlite > "$$logs/sqlite.log" 2>&1 \
	    && echo 0 > "$$logs/sqlite.rc" || echo $$? > "$$logs/sqlite.rc" ) & \
	  ( $(MAKE) --no-print-directory test-postgres > "$$logs/postgres.log" 2>&1 \
	    && echo 0 > "$$logs/postgres.rc" || echo $$? > "$$logs/postgres.rc" ) & \
	  wait; cat "$$logs/sqlite.log" "$$logs/postgres.log"; \
	  echo "SQLite: exit $$(cat "$$logs/sqlite.rc"), PostgreSQL: exit $$(cat "$$logs/postgres.rc")"; \
	  [[ "$$(cat "$$logs/sqlite.rc")" == 0 && "$$(cat "$$logs/postgres.rc")" == 0 ]]; \
	else $(MAKE) test-sqlite; echo "DATABASE_URL is not a PostgreSQL URL: PostgreSQL run skipped"; fi

test-sqlite:
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(PYTEST) --basetemp="$$WIJKINZICHT_VAR_DIR/pytest-sqlite"

test-postgres:
	@echo "== test suite on PostgreSQL ($${DATABASE_URL%%@*}@…)"
	$(BIN)/python -m wijkinzicht.core.pgcheck
	$(PYTEST) --basetemp="$$WIJKINZICHT_VAR_DIR/pytest-postgres"

fuzz: install  ## schemathesis with every phase (coverage included) against a live server, on SQLite
	env -u DATABASE_URL WIJKINZICHT_FUZZ=full $(BIN)/pytest -q -p no:randomly tests/api

soak: install  ## 50 users for 2 minutes against gunicorn; PostgreSQL (restarted halfway) and SQLite
	$(BIN)/python benchmarks/soak.py postgres
	$(BIN)/python benchmarks/soak.py sqlite

bench: install  ## performance figures; see docs/benchmarks.md
	$(BIN)/python -m pip install -q -r requirements/bench.txt
	test -x .venv-bench/bin/python || python3 -m venv .venv-bench
	.venv-bench/bin/python -m pip install -q -r requirements/bench-did.txt
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var node_modules
