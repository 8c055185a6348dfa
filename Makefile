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

# Production-mode settings for the tests that prove production behaviour (real PostgreSQL,
# real Redis, real Celery worker). Services: see README.
PROD_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyberspotter \
	REDIS_URL=redis://127.0.0.1:6379/15 SECRET_KEY=ci-only-not-a-secret DEBUG=false \
	ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_SSL_REDIRECT=false
# What `check --deploy` sees: the real production defaults (HTTPS redirect on, strong key).
DEPLOY_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyberspotter \
	SECRET_KEY=k3Jx9-PqL2v_8Zt.Wm4nR7yB1cF6hD0sG5aE2uV9iO3pT8lN4qM7wX1zC6bY0jK5-ci-only \
	ALLOWED_HOSTS=spotter.example.org

# Everything CI runs: lint, migration check, the whole test suite on the embedded default
# (SQLite, browser tests included), then the production-mode tests on PostgreSQL + Redis.
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	env -u DEBUG -u SECURE_SSL_REDIRECT -u DJANGO_ALLOW_ASYNC_UNSAFE $(DEPLOY_ENV) \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python -m pytest -m "not production"
	$(PROD_ENV) $(BIN)/python -m pytest -m production

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .cache
