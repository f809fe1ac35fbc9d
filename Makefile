# The two commands of the quick start are `make demo` and `make test`; both set up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

# Re-installs only when the project's dependencies change (idempotent).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/judgeflow demo --out demo-output

test: setup
	$(BIN)/python -m pytest

# mypy resolves `judgeflow.*` through a link named after the package (the repo root is the package).
TYPECHECK := $(VENV)/typecheck

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(TYPECHECK) && ln -sfn "$(CURDIR)" $(TYPECHECK)/judgeflow
	cd $(TYPECHECK) && MYPYPATH=. ../bin/mypy --config-file "$(CURDIR)/pyproject.toml" -p judgeflow

bench: setup
	$(BIN)/python -m judgeflow.app.bench

clean:
	rm -rf $(VENV) demo-output
