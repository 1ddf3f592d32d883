# giamsat — two commands on a fresh Debian 12 machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY ?= python3.11
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
PYTEST_ARGS ?=
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -q
# Domain code checked by mypy: rules, services and the pure helpers they use.
MYPY_FILES = $(wildcard src/giamsat/*/rules.py src/giamsat/*/services.py src/giamsat/core/deadlines.py) \
             src/giamsat/core/text.py src/giamsat/core/dates.py src/giamsat/directives/symbols.py
PG_INITDB := --locale-provider=icu --icu-locale=vi-VN --locale=C.UTF-8

.PHONY: help venv demo serve test test-sqlite test-pg test-e2e lint fmt messages check-messages \
        sys-deps sys-deps-test bench bench-smoke load clean

help:
	@echo "make demo   — install, load the demo scenario, serve http://127.0.0.1:8000"
	@echo "make test   — SQLite + PostgreSQL + browser tests"
	@echo "make lint   — ruff, mypy, makemigrations --check, translations"
	@echo "make bench  — benchmarks (city scale; SCALE=tiny|province|national)"
	@echo "make bench-smoke — generate the tiny data set and run every benchmark once"
	@echo "make load   — load test: USERS=200 simulated users for DURATION=300 s (SCALE=city)"

$(UV):
	@command -v $(PY) >/dev/null || { echo "$(PY) is required (Debian 12: apt-get install python3)"; exit 1; }
	$(PY) -m venv .tools && .tools/bin/pip install -q 'uv==0.13.9'

$(BIN)/giamsat: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked
	@touch $@

venv: $(BIN)/giamsat

# --- demo ---------------------------------------------------------------------------------
DEMO_ENV := DEBUG=true GIAMSAT_DEMO=true GIAMSAT_REQUIRE_2FA=$${GIAMSAT_REQUIRE_2FA:-false} \
            GIAMSAT_DATA_DIR=$(CURDIR)/var/demo

demo: venv
	mkdir -p var/demo
	$(DEMO_ENV) $(BIN)/giamsat migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/giamsat demo --reset
	$(DEMO_ENV) $(BIN)/giamsat collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop). Two-step verification is"
	@echo "off in the demo unless GIAMSAT_REQUIRE_2FA=true; production requires it."
	$(DEMO_ENV) $(BIN)/gunicorn -b 127.0.0.1:8000 -w 2 --access-logfile - giamsat.wsgi:application

serve: venv
	$(DEMO_ENV) $(BIN)/gunicorn -b 127.0.0.1:8000 -w 2 --access-logfile - giamsat.wsgi:application

# --- system packages (root, apt) ----------------------------------------------------------
sys-deps:
	@dpkg -s postgresql postgresql-contrib gettext >/dev/null 2>&1 || { \
	  apt-get update -q && $(APT_INSTALL) postgresql postgresql-contrib gettext; }

sys-deps-test: sys-deps
	@dpkg -s chromium fonts-liberation2 poppler-utils libreoffice-writer-nogui >/dev/null 2>&1 || { \
	  apt-get update -q && $(APT_INSTALL) chromium fonts-liberation2 poppler-utils && \
	  $(APT_INSTALL) --no-install-recommends libreoffice-writer-nogui; }

# --- tests --------------------------------------------------------------------------------
test: test-sqlite test-pg test-e2e

test-sqlite: venv
	$(BIN)/pytest -q -n 2 -m "not e2e" $(PYTEST_ARGS)

test-pg: venv sys-deps
	pg_virtualenv -t -i '$(PG_INITDB)' -o fsync=off -o max_connections=200 \
	  bash -c 'DATABASE_URL="postgres://$$PGUSER:$$PGPASSWORD@$$PGHOST:$$PGPORT/$$PGDATABASE" \
	  $(BIN)/pytest -q -n 2 -m "not e2e" $(PYTEST_ARGS)'

test-e2e: venv sys-deps-test
	$(BIN)/pytest -q -m e2e $(PYTEST_ARGS)

# --- quality ------------------------------------------------------------------------------
lint: venv
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	DEBUG=true $(BIN)/mypy $(MYPY_FILES)
	DEBUG=true $(BIN)/giamsat makemigrations --check --dry-run
	$(BIN)/python tools/check_translations.py

fmt: venv
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

messages: venv
	$(BIN)/python tools/check_translations.py --update

check-messages: venv
	$(BIN)/python tools/check_translations.py

# --- benchmarks ---------------------------------------------------------------------------
# DEBUG=true only spares the production keys; the bench switches query logging off itself.
SCALE ?= city
bench: venv
	DEBUG=true $(BIN)/giamsat bench --scale $(SCALE)

# A tiny data set generated afresh and one pass of every benchmark (CI smoke run; seconds).
bench-smoke: venv
	DEBUG=true $(BIN)/giamsat bench --scale tiny --regenerate --runs 2 --baseline-runs 1

# Simulated users (Locust) against gunicorn on loopback, on the bench data set of SCALE.
USERS ?= 200
DURATION ?= 300
load: venv
	DEBUG=true $(BIN)/giamsat loadtest --scale $(SCALE) --users $(USERS) --duration $(DURATION)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
