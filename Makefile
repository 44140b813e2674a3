# Newsroom: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run serve test test-fast lint pytest bench bench-import bench-admin-import bench-http bench-delivery lighthouse venv clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Newsroom needs Python 3.11 (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The development server and a jobs worker together (articles/management/commands/devserver.py):
# Ctrl-C stops both. HOST=0.0.0.0:8080 make run serves elsewhere; the address printed is the real one.
run: venv
	@DEBUG=1 $(BIN)/python manage.py devserver $(HOST)

# The production-like stack on this machine: DEBUG off, hashed and compressed
# static files, gunicorn (gunicorn.conf.py), against whatever the environment
# names (DATABASE_URL, REDIS_URL, media storage...). Background jobs need a worker beside it,
# its own process: `manage.py db_worker` (or `rqworker`); see docs/deployment.md, "Background jobs".
serve: venv
	@test -n "$$SECRET_KEY" || { \
	  echo "make serve runs with DEBUG off and needs SECRET_KEY (and ALLOWED_HOSTS). Locally, without TLS:" >&2; \
	  echo "  SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=127.0.0.1 SECURE_SSL=0 make serve" >&2; \
	  exit 2; }
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 exec $(BIN)/gunicorn --config gunicorn.conf.py newsroom.wsgi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

pytest: venv
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

# The quick loop: no process or browser is started (tests/system is left out). CI runs everything.
test-fast: venv
	$(BIN)/pytest -m "not system and not browser" $(PYTEST_ARGS)

# Benchmarks print numbers; they are never timed unit tests. See docs/performance.md.
bench: bench-import bench-http

bench-import: venv
	$(BIN)/python bench/import_bench.py --files $(or $(FILES),10000)
	$(BIN)/python bench/import_bench.py --files $(or $(FILES),10000) --shape jekyll

# An admin import queued by the import page and run by a db_worker, then bench-import's rate to compare.
bench-admin-import: venv
	$(BIN)/python bench/admin_import_bench.py --files $(or $(FILES),10000)

# Needs wrk, nginx and varnish (apt-get install -y wrk nginx varnish); about 12 minutes.
bench-http: venv
	$(BIN)/python bench/http_bench.py --articles $(or $(ARTICLES),10000)

# Save requests with a dead CDN and a dead webhook target, then every delivery after they recover.
bench-delivery: venv
	$(BIN)/python bench/delivery_bench.py --saves $(or $(SAVES),200)

# Lighthouse scores of the reader pages (home, article, section, search, 404; mobile and desktop) on the
# sample content behind gunicorn; needs npm and chromium. WRITE=1 records them in docs/performance.md.
lighthouse: venv
	$(BIN)/python bench/lighthouse.py $(if $(WRITE),--write) $(if $(RUNS),--runs $(RUNS))

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
