# Satisfy developer commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/satisfy: pyproject.toml
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/satisfy

install: $(BIN)/satisfy ## create .venv and install Satisfy with its development tools

demo: install ## build the demo contact centre and serve it at http://127.0.0.1:8000
	$(BIN)/satisfy demo

fmt: install ## format the code
	$(BIN)/ruff format satisfy benchmarks scripts
	$(BIN)/ruff check --fix satisfy benchmarks scripts

lint: install ## ruff, mypy --strict and the import contracts
	$(BIN)/ruff format --check satisfy benchmarks scripts
	$(BIN)/ruff check satisfy benchmarks scripts
	$(BIN)/mypy satisfy
	$(BIN)/lint-imports

test: install ## the test suite on SQLite, then on PostgreSQL when SATISFY_TEST_DATABASE_URL is set
	bash scripts/test.sh

check: lint test ## everything CI runs

.PHONY: help install demo fmt lint test check
