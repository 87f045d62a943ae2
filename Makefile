# zhicheng — developer entry points.
#   make run     bootstrap, compile messages, migrate, load demo data, runserver + sweep loop
#   make test    bootstrap (+PostgreSQL/Redis), lint, migrations check, pytest
#   make bench   load and scale benchmarks beside their baselines -> docs/benchmarks.md
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RUFF   := $(VENV)/bin/ruff
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
TEST_SETTINGS := config.settings.test
# Keep Django's management commands out of the virtualenv and runtime data.
MSG_IGNORE := --ignore='.venv' --ignore='.venv/*' --ignore='var' --ignore='var/*' --ignore='node_modules'

.PHONY: help bootstrap services run test bench lint migrations-check messages clean

help:
	@echo "Targets:"
	@echo "  make run              set up, migrate, seed demo data and start the dev server (HOST=$(HOST) PORT=$(PORT))"
	@echo "  make test             full check: ruff, migrations check, pytest (PYTEST_ARGS='...')"
	@echo "  make bench            benchmarks beside their baselines, written to docs/benchmarks.md (BENCH_ARGS='...')"
	@echo "  make lint             ruff check + ruff format --check"
	@echo "  make migrations-check fail if models have changes without migrations"
	@echo "  make messages         update locale/en .po files and compile them"
	@echo "  make clean            remove var/, caches and compiled files (keeps .venv)"

bootstrap:
	bash scripts/bootstrap.sh

services:
	bash scripts/services.sh

run:
	bash scripts/bootstrap.sh
	mkdir -p var
	$(PY) manage.py compilemessages $(MSG_IGNORE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# Development seal keys for every committee and approval body (docs/seals.md); idempotent.
	$(PY) manage.py seal_dev_ca
	@url_host="$(HOST)"; case "$$url_host" in 0.0.0.0|::|"[::]") url_host=127.0.0.1;; esac; \
	printf '\n%s\n  zhicheng is starting at  http://%s:%s/\n  (demo logins are listed above; stop with Ctrl-C)\n%s\n\n' \
	  "================================================================" "$$url_host" "$(PORT)" \
	  "================================================================"
	@# The sweep (R6.1 abandonment, ...) runs beside the server; no Redis or beat needed.
	$(PY) manage.py sweep --loop 60 & sweep_pid=$$!; \
	trap 'kill $$sweep_pid 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test:
	bash scripts/bootstrap.sh --test
	bash scripts/services.sh
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) manage.py compilemessages $(MSG_IGNORE)
	$(RUFF) check .
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) manage.py makemigrations --check --dry-run
	@set +e; $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests (exit code 5)" >&2; fi; \
	exit $$rc

# Not part of `make test`: seeds 100,000 then 1,000,000 declarations (about half an hour).
bench:
	bash scripts/bootstrap.sh --test
	bash scripts/services.sh
	$(PY) -m bench.run $(BENCH_ARGS)

lint: bootstrap
	$(RUFF) check .
	$(RUFF) format --check .

migrations-check: bootstrap
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) manage.py makemigrations --check --dry-run

messages: bootstrap
	$(PY) manage.py makemessages -l en --ignore='.venv/*' --ignore='var/*'
	$(PY) manage.py compilemessages $(MSG_IGNORE)

clean:
	rm -rf var/ .pytest_cache/ .ruff_cache/ htmlcov/ .coverage staticfiles/ docs/_build/
	find . \( -path ./.venv -o -path ./.git -o -path ./node_modules \) -prune -o \
	  -name __pycache__ -type d -prune -exec rm -rf {} + -o \
	  \( -name '*.pyc' -o \( -name '*.mo' -path '*/locale/*' \) \) -type f -exec rm -f {} +
