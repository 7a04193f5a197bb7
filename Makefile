# Phối Hợp — the two commands: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
PHOIHOP = $(BIN)/phoihop
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format install messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(PHOIHOP) migrate --noinput -v0
	$(PHOIHOP) loaddemo --if-empty
	@$(PHOIHOP) demologins
	@echo "Phối Hợp: http://$(HOST):$(PORT)/"
	$(PHOIHOP) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(PHOIHOP) check
	$(PHOIHOP) makemigrations --check --dry-run -v0
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .

# English catalogue: Django extracts and compiles (project options in phoihop/core/management/
# commands/); scripts/translations.py refills from the translation memory (locale/README.md).
messages: $(VENV)/.installed
	$(PHOIHOP) makemessages -l en
	$(BIN)/python scripts/translations.py refill
	$(PHOIHOP) compilemessages -l en

clean:
	rm -rf $(VENV) *.egg-info
