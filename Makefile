# The documented entry points. `make run` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run HOST=0.0.0.0 PORT=8080` to listen elsewhere.
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded PostgreSQL's data (used when DATABASE_URL is unset).
KM_VAR_DIR ?= var

# Local runs are development runs unless the environment says otherwise.
export DEBUG ?= 1

.PHONY: run stop install migrate sample test test-fast lint format migrations-check golden \
	benchmark benchmark-web audit-people messages collectstatic superuser clean axe

run: install migrate sample
	$(PY) manage.py runserver $(HOST):$(PORT)

# Stop the embedded PostgreSQL that `make run` (or any command without DATABASE_URL) started;
# it outlives them on purpose, so the next command starts at once.
stop:
	@if [ -x $(PY) ]; then $(PY) -m kremlin_meetings.embedded_postgres.server stop $(KM_VAR_DIR)/pgdata; \
	else echo "nothing to stop: no $(VENV)"; fi

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=25.1"
	$(VENV)/bin/pip install --quiet --editable . --group dev
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

sample: migrate
	$(PY) manage.py load_sample

# The tests in one process per core (pytest-xdist), a module at a time per process, so
# module fixtures are built once; `make test TEST_WORKERS=0` runs them in this process.
TEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

test: install axe
	$(PYTEST)

# The edit loop: everything but the browser and the process-level (slow) tests.
test-fast: install
	$(PYTEST) -m "not browser and not slow"

# axe-core for the browser tests' accessibility check, from the npm registry. Without npm
# the browser tests are skipped with a reason.
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped"; fi

# ruff, the import contracts in pyproject.toml (README "Layout") and mypy with django-stubs.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate the parser's expected output after a deliberate change; review the diff.
golden: install
	$(PY) tests/golden.py --write

benchmark: install
	$(PY) manage.py benchmark_import

# Serving speed at 100,000 meetings (README "Scale-out"); BENCH_ARGS="--corpus DIR ...".
benchmark-web: install
	$(PY) manage.py benchmark_web $(BENCH_ARGS)

# Participant names that are not names, and likely duplicates, on the configured database.
audit-people: migrate
	$(PY) manage.py audit_people -v

messages: install
	$(PY) manage.py makemessages -l ru --ignore=.venv --ignore=var --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

collectstatic: install
	$(PY) manage.py collectstatic --no-input

superuser: migrate
	$(PY) manage.py createsuperuser

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .hypothesis
