# The README's commands. Needs only Python 3.11+ (and, for browser tests, Debian's chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint bench check-content clean lock upgrade

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@echo "Creating $(VENV) (first run only)"
	$(PYTHON) -m venv $(VENV)

# Installs read the locks only: every package pinned with its hashes, nothing resolved at install time.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	@echo "Installing the locked runtime packages (first run: about a minute)"
	$(BIN)/python -m pip install --progress-bar on --require-hashes --no-deps -r requirements.txt
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	@echo "Installing the locked test packages"
	$(BIN)/python -m pip install --progress-bar on --require-hashes --no-deps -r requirements-dev.txt
	$(BIN)/python -m pip check
	touch $@

## run: everything on http://127.0.0.1:8000 (web, worker, beat, Redis, AWS sandbox); Ctrl-C stops it
run: $(VENV)/.runtime-installed
	$(BIN)/python -m studyapp.devstack prepare
	DJANGO_ENV=development $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=development $(BIN)/python manage.py sync_content
	$(BIN)/python -m studyapp.supervisor Procfile var/run.env

## test: lint, content validation and the whole test suite (browser tests included)
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	DJANGO_ENV=test $(BIN)/python manage.py check_content
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

check-content: $(VENV)/.runtime-installed
	DJANGO_ENV=test $(BIN)/python manage.py check_content

## bench: the production stack (gunicorn, PostgreSQL or SQLite, Redis) under wrk; bench/results.json, ratios to the landing page
bench: $(VENV)/.dev-installed
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package) for make bench"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
	$(BIN)/python -m bench

UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"

## lock: regenerate requirements.txt / requirements-dev.txt from the .in files, keeping current pins where they still fit
lock: $(VENV)/.dev-installed
	$(UV_COMPILE) -o requirements.txt requirements.in
	$(UV_COMPILE) -o requirements-dev.txt requirements-dev.in

## upgrade: move every unpinned transitive package to its newest release, reinstall, run the tests
upgrade: $(VENV)/.dev-installed
	$(UV_COMPILE) --upgrade -o requirements.txt requirements.in
	$(UV_COMPILE) --upgrade -o requirements-dev.txt requirements-dev.in
	$(MAKE) test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
