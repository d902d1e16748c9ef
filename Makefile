# The README's commands. Needs only Python 3.11+ (and, for browser tests, Debian's chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint bench check-content clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: everything on http://127.0.0.1:8000 (web, worker, beat, Redis, AWS sandbox); Ctrl-C stops it
run: $(VENV)/.runtime-installed
	$(BIN)/python -m studyapp.devstack prepare
	DJANGO_ENV=development $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=development $(BIN)/python manage.py sync_content
	$(BIN)/honcho -e var/run.env -f Procfile start

## test: lint, content validation and the whole test suite (browser tests included)
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	DJANGO_ENV=test $(BIN)/python manage.py check_content
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

check-content: $(VENV)/.runtime-installed
	DJANGO_ENV=test $(BIN)/python manage.py check_content

## bench: performance figures, as ratios against a baseline measured in the same run
bench: $(VENV)/.dev-installed
	DJANGO_ENV=test $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
