# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: demo test install install-dev lint run-outbox clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

# Install, migrate, load reference + training + demo data, print the demo logins, then serve on
# http://$(HOST) with the outbox loop (the embedded stand-in for Celery worker + beat) beside it.
# Two-factor authentication is switched off for the demo so every role can be tried at once.
demo: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/  (Ctrl+C stops the server and the outbox loop)"
	MFA_REQUIRED_ROLES= sh -c '$(BIN)/python manage.py run_outbox --loop & OUTBOX=$$!; \
		trap "kill $$OUTBOX" EXIT INT TERM; $(BIN)/python manage.py runserver $(HOST)'

# Everything CI runs: lint, migration check, the whole test suite (browser and production-mode
# tests included: PostgreSQL and Redis must be running locally, see README).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .cache
