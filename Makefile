# Self-Assess. `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CSS := src/selfassess/static/build/app.css
SCSS := $(wildcard src/selfassess/static_src/scss/*.scss)

.PHONY: run serve test test-sqlite test-postgres test-postgres-browser test-browser lint deps clean bench bench-quick

deps: $(VENV)/.installed node_modules/.installed $(CSS)

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): node_modules/.installed $(SCSS)
	npm run --silent build:css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js src/selfassess/static/build/

run: deps
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py load_framework
	$(PY) manage.py setup_demo
	PY=$(PY) scripts/run-dev

# Production serving (scripts/serve): nginx on PORT (8000) in front of gunicorn workers
# (WORKERS, 4) on a unix socket, and the queue consumer (SERVE_CONSUMER; empty for none,
# on a host whose consumers run on their own machines); DEBUG off,
# hashed static files served by nginx. Set SECRET_KEY, ALLOWED_HOSTS, SITE_URL and
# DATABASE_URL (or SQLITE_PATH) first. No access log: survey links carry a token.
serve: deps
	PY=$(PY) scripts/serve

test: deps lint test-sqlite test-postgres

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench

test-sqlite: deps
	$(VENV)/bin/pytest

# The browser tests run once, on SQLite (README: "make test").
test-postgres: deps
	scripts/with-postgres $(VENV)/bin/pytest --ignore=tests/browser

test-postgres-browser: deps
	scripts/with-postgres $(VENV)/bin/pytest tests/browser

test-browser: deps
	$(VENV)/bin/pytest tests/browser

# Benchmarks, not part of `make test` (bench/run.py; results in BENCHMARKS.md): about
# 10 minutes on 2 cores, bench-quick 4-5. BENCH_ARGS passes options, e.g.
# BENCH_ARGS="--phases load --postgres-phases none".
$(VENV)/.bench-installed: $(VENV)/.installed bench/requirements.lock
	$(PIP) install --quiet -r bench/requirements.lock
	touch $@

bench: $(VENV)/.bench-installed
	$(PY) bench/run.py $(BENCH_ARGS)

bench-quick: $(VENV)/.bench-installed
	$(PY) bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules src/selfassess/static/build staticfiles
