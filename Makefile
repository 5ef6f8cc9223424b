# motcua — one command for each thing a developer or CI does. `make help` lists them.
# Needs only Python 3.11 and make: everything else goes into .venv.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
# Stamps: re-install only when pyproject.toml changes.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(PY) -m pip --disable-pip-version-check --no-input

# Port of `make run`: the environment, else PORT= in .env, else 8000.
PORT ?= $(or $(shell sed -n 's/^PORT=//p' .env 2>/dev/null | tail -n 1),8000)
# pytest-xdist: each worker builds its own test database. Measured with 988 tests on the
# two-core machines: SQLite 21 s in one process vs 25 s with -n 2; PostgreSQL 44 s vs 38 s.
# Revisit as the suite grows; e.g. `make test PYTEST_XDIST_SQLITE="-n 2"`.
PYTEST_XDIST_SQLITE ?=
PYTEST_XDIST_PG ?= -n 2
PYTEST_ARGS ?=
# Tests never read a developer's .env, so that they run the same everywhere.
TEST_ENV := MOTCUA_ENV_FILE=/dev/null
# Where `make test` looks for PostgreSQL when DATABASE_URL is not set.
PG_PROBE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# CI must test on PostgreSQL; elsewhere a missing server only skips that pass.
REQUIRE_POSTGRES ?= $(if $(filter true,$(CI)),1,)
# Offline-safe settings for checks that need no real database.
CHECK_ENV := $(TEST_ENV) DJANGO_SETTINGS_MODULE=motcua.conf.test

PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-noto-core \
	poppler-utils zbar-tools
BROWSER_PACKAGES := chromium chromium-driver

.PHONY: help install install-dev messages run test lint format check schema bench \
	deps-pdf deps-browser deps-gettext clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

# --- environment ------------------------------------------------------------------

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 is required (python3.11 not found)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "$(PYTHON) is not Python 3.11; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[semantic]'
	@touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test,dev,semantic]'
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP) ## Create .venv and install what the application needs

install-dev: $(DEV_STAMP) ## Also install the test and lint tools

# compilemessages needs GNU msgfmt: Debian's gettext is installed when missing (and possible).
messages: $(RUN_STAMP) ## Compile translations (.po -> .mo), if there are any
	@if find src -name '*.po' -print -quit | grep -q .; then \
		command -v msgfmt >/dev/null || $(MAKE) --silent deps-gettext APT_SOFT=1; \
		if command -v msgfmt >/dev/null; then \
			cd src && ../$(PY) -m motcua compilemessages --verbosity 0; \
		else \
			echo "warning: msgfmt not found, translations not compiled (install gettext)"; \
		fi; \
	fi

# --- running ----------------------------------------------------------------------

run: $(RUN_STAMP) messages ## Migrate, load demo data, serve web + worker + scheduler on PORT
	$(PY) -m motcua migrate --noinput
	@if $(PY) -m motcua help demo >/dev/null 2>&1; then \
		$(PY) -m motcua demo load; \
	else \
		echo "No 'demo' command yet: demo data not loaded."; \
	fi
	@echo "motcua on http://127.0.0.1:$(PORT)/ (web, task worker, scheduler); Ctrl-C stops all."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho --procfile Procfile \
		--app-root . start --port $(PORT)

bench: $(DEV_STAMP) ## Run every script in bench/
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No scripts in bench/."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "=== $$script"; $(PY) "$$script"; \
	done

# --- quality gates ----------------------------------------------------------------

# $(call pytest,LABEL,XDIST): run the suite and leave its status in $$rc. Exit 5 ("no tests
# collected", e.g. a PYTEST_ARGS selection that matches nothing) is reported and counts as 0.
define pytest
	rc=0; $(TEST_ENV) $(PY) -m pytest $(2) -rfEs $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ($(1)): no tests collected"; rc=0; fi
endef

# Both passes always run, so that one run shows every failure; either failing fails make.
# First the Debian packages the PDF and browser tests use, when missing (Chromium: about
# 25 s to download and unpack its 121 MB, up to a minute with its libraries on a bare machine).
test: $(DEV_STAMP) messages ## Run the tests on SQLite, then on PostgreSQL if reachable
	@$(MAKE) --silent deps-pdf APT_SOFT=1
	@$(MAKE) --silent deps-browser APT_SOFT=1
	@status=0; pg_url="$${DATABASE_URL:-$(PG_PROBE_URL)}"; \
	pg_required="$${DATABASE_URL:+1}$(REQUIRE_POSTGRES)"; \
	echo "--- tests on SQLite"; \
	(unset DATABASE_URL; $(call pytest,SQLite,$(PYTEST_XDIST_SQLITE)); exit $$rc) || status=1; \
	if $(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' \
		"$$pg_url" 2>/dev/null; then \
		echo "--- tests on PostgreSQL ($$pg_url)"; \
		(export DATABASE_URL="$$pg_url"; $(call pytest,PostgreSQL,$(PYTEST_XDIST_PG)); exit $$rc) \
			|| status=1; \
	elif [ -n "$$pg_required" ]; then \
		echo "PostgreSQL not reachable at $$pg_url — required (CI=true or DATABASE_URL set)"; \
		status=1; \
	else \
		echo "--- PostgreSQL not reachable — skipped (tried $$pg_url)"; \
	fi; \
	exit $$status

# All three run, so that one run lists every problem; any failing fails make.
lint: $(DEV_STAMP) ## ruff format --check, ruff check, mypy
	@status=0; \
	echo "--- ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "--- ruff check"; $(VENV)/bin/ruff check . || status=1; \
	echo "--- mypy"; $(VENV)/bin/mypy src/motcua || status=1; \
	exit $$status

format: $(DEV_STAMP) ## Format and auto-fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(DEV_STAMP) ## check --deploy on production settings, migrations and OpenAPI up to date
	@echo "--- check --deploy (production settings)"
	@$(TEST_ENV) DJANGO_SETTINGS_MODULE=motcua.conf.production \
		SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		DATABASE_URL=postgres://motcua@127.0.0.1:5432/motcua \
		$(PY) -m motcua check --deploy --fail-level WARNING
	@echo "--- migrations"
	@unset DATABASE_URL; $(CHECK_ENV) $(PY) -m motcua makemigrations --check --dry-run
	@echo "--- OpenAPI schema (docs/openapi.yaml)"
	@unset DATABASE_URL; tmp="$$(mktemp)"; trap 'rm -f "$$tmp"' EXIT; \
	$(CHECK_ENV) $(PY) -m motcua spectacular --validate --file "$$tmp"; \
	if ! diff -u docs/openapi.yaml "$$tmp"; then \
		echo "docs/openapi.yaml is out of date: run 'make schema' and commit it"; exit 1; \
	fi; echo "up to date"

schema: $(DEV_STAMP) ## Regenerate docs/openapi.yaml
	@unset DATABASE_URL; $(CHECK_ENV) $(PY) -m motcua spectacular --validate \
		--file docs/openapi.yaml
	@echo "wrote docs/openapi.yaml"

# --- Debian packages ----------------------------------------------------------------

# $(call apt_install,PACKAGES): install the missing ones. With APT_SOFT=1 a failure
# (no apt-get, not root) only warns: `make test` does not need them yet.
define apt_install
	missing=""; for pkg in $(1); do dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo -n"; \
	if command -v apt-get >/dev/null \
		&& $$sudo apt-get update -qq -o DPkg::Lock::Timeout=300 \
		&& DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends -o DPkg::Lock::Timeout=300 $$missing >/dev/null; then \
		echo "installed:$$missing"; \
	elif [ -n "$(APT_SOFT)" ]; then \
		echo "warning: could not install Debian packages:$$missing"; \
	else \
		echo "could not install Debian packages:$$missing"; exit 1; \
	fi
endef

deps-pdf: ## Install Debian packages for PDF and QR (pango, fonts, poppler, zbar) if missing
	@$(call apt_install,$(PDF_PACKAGES))

deps-browser: ## Install Debian Chromium and ChromeDriver for browser tests if missing
	@$(call apt_install,$(BROWSER_PACKAGES))

deps-gettext: ## Install Debian gettext (msgfmt, for translations) if missing
	@$(call apt_install,gettext)

clean: ## Remove caches (keeps .venv and var/)
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find src -name __pycache__ -type d -prune -exec rm -rf {} +
