# Kinerja: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE ?= config.settings.local
PG_URL ?= postgres://postgres@127.0.0.1:5432/kinerja
DEMO_STAFF ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve worker test test-postgres test-browser lint format bench clean messages

help:
	@echo "make demo           install, migrate, load the demo province, serve on http://$(HOST):$(PORT)"
	@echo "make test           the whole test suite on SQLite (browser tests need chromium)"
	@echo "make test-postgres  the suite on PostgreSQL ($(PG_URL))"
	@echo "make lint           ruff, Django checks, missing migrations"
	@echo "make fuzz           Schemathesis against the API schema on a live demo server (< 3 min)"
	@echo "make bench          the benchmarks in bench/ (slow; not part of CI)"

$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed .env

.env:
	@echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "wrote .env with a fresh secret key"

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --staff $(DEMO_STAFF)
	@$(MAKE) --no-print-directory serve

# The task worker runs beside the web server and stops with it. The demo serves with DEBUG off,
# so it shows the product's own error pages; `DJANGO_DEBUG=true make serve` for development.
serve: install
	@$(PY) manage.py demo_logins
	@echo "Kinerja on http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --no-reload --interval 0.5 & \
	  DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py runserver --noreload $(HOST):$(PORT)

worker: install
	$(PY) manage.py db_worker --no-reload

# The suite runs in one worker per core (pytest-xdist); TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto

# The demo tests (one group) load the demo in one worker, not in each: a load takes a minute and
# a half on a slow two-core machine.
test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# On PostgreSQL too the demo tests (one group) load the demo in one worker, not in each.
test-postgres: install
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

.PHONY: fuzz
fuzz: install
	PY=$(PY) ST=$(VENV)/bin/st bash scripts/fuzz_api.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	cd kinerja && ../$(PY) ../manage.py makemessages -l id --no-obsolete && ../$(PY) ../manage.py compilemessages

bench: install
	$(PY) bench/import_employees.py
	$(PY) bench/import_memory.py
	$(PY) bench/audit_writes.py $(if $(BENCH_PG_URL),--database-url $(BENCH_PG_URL))
	$(PY) bench/http.py $(if $(BENCH_PG_URL),--pg-url $(BENCH_PG_URL),--databases sqlite)
	$(PY) bench/dashboard.py
	$(PY) bench/request_floor.py

clean:
	rm -rf var/kinerja.sqlite3* var/media
