# The two commands of the README: `make demo` and `make test`.
#
# Dependencies: uv installs exactly uv.lock (every package, direct and transitive, pinned with
# hashes) into .venv. uv itself is pinned with hashes in uv-bootstrap.txt and installed with pip
# --require-hashes. The Python version is pinned once, in .python-version.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := .cache/uv-tool/bin/uv
HOST ?= 127.0.0.1:8000
# The public base URL every emailed/forwarded link and the bookmarklet use (spotter/siteurl.py).
SITE_URL ?= http://$(HOST)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: demo test install install-dev lock-check upgrade upgrade-uv lint run-outbox clean

$(UV): uv-bootstrap.txt
	$(PYTHON) -m venv .cache/uv-tool
	.cache/uv-tool/bin/pip install --quiet --require-hashes --no-deps -r uv-bootstrap.txt
	touch $(UV)

# Exactly the lock, without the test tools. `--locked` refuses a lock that is stale.
install: $(UV)
	$(UV) sync --locked --no-dev --quiet

install-dev: $(UV)
	$(UV) sync --locked --quiet

# Fails when uv.lock no longer matches pyproject.toml (CI runs it first).
lock-check: $(UV)
	$(UV) lock --check

# Deliberate refresh: newest versions allowed by pyproject.toml, then `make test`.
upgrade: $(UV)
	$(UV) lock --upgrade

upgrade-uv: $(UV)
	echo "uv" | $(UV) pip compile - --generate-hashes --no-header -o uv-bootstrap.txt.new
	mv uv-bootstrap.txt.new uv-bootstrap.txt

# The demo runs like production, DEBUG off, so a missing page is the site's own 404 (not
# Django's debug page) and static files are served by WhiteNoise from collectstatic's output.
# Only what plain http://$(HOST) needs is relaxed: no HTTPS redirect, no HSTS, cookies not
# marked Secure (a browser would not send them back over http). The SECRET_KEY is generated
# once into .cache/demo-secret-key (gitignored, mode 600) and reused, so sessions and the audit
# chain's seals stay valid across runs.
DEMO_KEY := .cache/demo-secret-key
DEMO_HOSTNAME = $(firstword $(subst :, ,$(HOST)))
DEMO_ENV = DEBUG=false SECRET_KEY="$$(cat $(DEMO_KEY))" \
	ALLOWED_HOSTS="localhost,127.0.0.1,[::1],$(DEMO_HOSTNAME)" SECURE_SSL_REDIRECT=false \
	SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SITE_URL=$(SITE_URL)

$(DEMO_KEY):
	mkdir -p .cache
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Install, migrate, load reference + training + demo data, print the demo logins, then serve on
# http://$(HOST) with the outbox loop (the embedded stand-in for Celery worker + beat) beside it.
# Two-factor authentication is switched off for the demo so every role can be tried at once.
demo: install $(DEMO_KEY)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/  (Ctrl+C stops the server and the outbox loop)"
	$(DEMO_ENV) MFA_REQUIRED_ROLES= sh -c '$(BIN)/python manage.py run_outbox --loop & OUTBOX=$$!; \
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
test: lock-check install-dev
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
	rm -rf $(VENV) .cache/uv-tool db.sqlite3 media staticfiles .cache
